"""The consent flow in a real browser (headless Chromium): sign in, Accept, land on the callback.

A person linking their Zoho organisation sees these pages; this drives them as that person would,
against a real server on a free port. ``make test`` installs Debian's chromium and chromedriver.
"""
from __future__ import annotations

import shutil
import tempfile
from urllib.parse import parse_qs, urlsplit

import pytest

from mock_zoho import Emulator
from mock_zoho.serving.werkzeug import start_in_thread

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium/chromedriver not installed (make test installs them)")


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=900,800"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def server():
    handle = start_in_thread(Emulator(seed=7))
    try:
        yield handle
    finally:
        handle.stop()


def _authorize_url(server, client: dict, state: str) -> str:
    return (f"{server.dc_url('us')}/oauth/v2/auth?response_type=code&client_id={client['client_id']}"
            f"&scope=ZohoBooks.invoices.READ,ZohoBooks.settings.READ&redirect_uri={client['redirect_uris'][0]}"
            f"&access_type=offline&prompt=consent&state={state}")


def _landed(browser, prefix: str) -> str:
    """The URL the browser was sent to, once it has left the consent page."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(lambda b: b.current_url.startswith(prefix))
    return browser.current_url


def _sign_in(browser, email: str) -> None:
    """Submit the sign-in form and wait for the consent page: a click does not wait for navigation."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "button[value=deny]")))


def test_eu_user_accepts_in_a_browser_and_lands_with_code_and_location(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    client = server.emulator.demo["client"]
    browser.get(_authorize_url(server, client, "s-1"))
    assert "Demo Integration" in browser.page_source
    _sign_in(browser, "demo.eu@example.com")
    assert "ZohoBooks.invoices.READ" in browser.page_source  # the consent page lists what is asked
    assert browser.get_screenshot_as_png()[:4] == b"\x89PNG"  # the page renders (kept in pytest tmp when debugging)
    browser.save_screenshot(str(tmp_path / "consent.png"))
    browser.find_element(By.CSS_SELECTOR, "button[value=accept]").click()
    # The callback host (the integration) is not running: the browser still shows where it was sent.
    landed = urlsplit(_landed(browser, client["redirect_uris"][0]))
    assert f"{landed.scheme}://{landed.netloc}{landed.path}" == client["redirect_uris"][0]
    query = parse_qs(landed.query)
    assert query["location"] == ["eu"] and query["state"] == ["s-1"]
    assert query["accounts-server"] == [server.dc_url("eu")]
    assert query["code"][0].startswith("1000.")


def test_user_denies_in_a_browser(browser, server):
    from selenium.webdriver.common.by import By

    client = server.emulator.demo["client"]
    browser.get(_authorize_url(server, client, "s-2"))
    _sign_in(browser, "demo.us@example.com")
    browser.find_element(By.CSS_SELECTOR, "button[value=deny]").click()
    query = parse_qs(urlsplit(_landed(browser, client["redirect_uris"][0])).query)
    assert query == {"error": ["access_denied"], "state": ["s-2"]}


def test_unknown_client_shows_an_error_page_and_never_redirects(browser, server):
    browser.get(f"{server.dc_url('us')}/oauth/v2/auth?response_type=code&client_id=1000.NOPE"
                "&scope=ZohoBooks.invoices.READ&redirect_uri=https://evil.example/cb")
    assert urlsplit(browser.current_url).netloc == urlsplit(server.url).netloc
    assert "invalid_client" in browser.page_source
