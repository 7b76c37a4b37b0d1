"""Headless Chromium for the harness's browser tests (Debian's chromium and chromedriver).

``needs_chromium`` skips with a reason where they are not installed; ``headless_chromium`` yields a
selenium driver on a throwaway profile and always quits it.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from typing import Any, Iterator

import pytest

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                    reason="chromium/chromedriver not installed (make test installs them)")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage")


@contextlib.contextmanager
def headless_chromium(window: str = "1000,900") -> Iterator[Any]:
    from selenium import webdriver  # only the browser tests need selenium
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={window}"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        try:
            driver.set_page_load_timeout(30)
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
