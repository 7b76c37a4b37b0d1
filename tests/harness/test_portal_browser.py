"""The portal in headless Chromium, driven by clicks as a person would: type the keys, save, enable,
create a company, open its Link URL, sign in at the emulator's consent page, Accept (or Deny), land
on the result page. Skips with a reason when Debian's chromium/chromedriver are not installed."""
from __future__ import annotations

import pytest

from harness.portal.testing import PortalWorld
from mock_zoho import testing

from .chromium import headless_chromium, needs_chromium

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser():
    with headless_chromium("1000,900") as driver:
        yield driver


@pytest.fixture(scope="module")
def world():
    with testing.server(seed=3) as zoho, PortalWorld.start(zoho, configure=False) as w:
        yield w


def _wait_for(browser, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def _click(browser, css: str, then: str) -> None:
    """Click, then wait for an element of the next page (a click does not wait for navigation)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, css).click()

    def replaced(_: object) -> bool:
        """The old page is gone (chromedriver says so as a stale element, or as an inspector error)."""
        try:
            page.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser, 20).until(replaced)
    _wait_for(browser, then)


def _type(browser, css: str, text: str) -> None:
    from selenium.webdriver.common.by import By

    field = browser.find_element(By.CSS_SELECTOR, css)
    field.clear()
    field.send_keys(text)


def _new_company_link(browser, world, name: str) -> None:
    if "/link/result" in browser.current_url:  # the customer's page has no portal menu: the team reopens the portal
        browser.get(f"{world.url}/settings")
    _click(browser, "header a[href='/companies']", "#company-name")
    _type(browser, "#company-name", name)
    _click(browser, "#create-company", "#link-url")
    _click(browser, "#link-url", "#choose-rwuv")
    _click(browser, "#choose-rwuv", "input[name=email]")


def _consent(browser, email: str, decision: str) -> None:
    _type(browser, "input[name=email]", email)
    _click(browser, "form button[type=submit]", f"button[value={decision}]")
    _click(browser, f"button[value={decision}]", "#status-code")


def test_settings_save_enable_company_link_consent_linked_then_a_denial(browser, world):
    from selenium.webdriver.common.by import By

    zoho, client = world.zoho, world.client
    user = zoho.admin.create_user(dc="eu")
    zoho.admin.create_org(users=[user], edition="uk")

    browser.get(f"{world.url}/settings")
    assert browser.find_element(By.ID, "redirect-uri").text == f"{world.url}/oauth/callback"
    _type(browser, "#client_id", client["client_id"])
    _type(browser, "#client_secret", client["client_secret"] + " ")  # a pasted trailing space
    _click(browser, "#save", "#settings-error")
    assert "must not contain spaces" in browser.find_element(By.ID, "settings-error").text
    assert client["client_secret"] not in browser.page_source
    _type(browser, "#client_secret", client["client_secret"])
    _click(browser, "#save", "#enable-dialog")
    _click(browser, "#enable-now", "#integration-state")
    assert browser.find_element(By.ID, "integration-state").text == "enabled"
    assert client["client_secret"] not in browser.page_source

    _new_company_link(browser, world, "Browser Books Ltd")
    assert "accounts" in browser.page_source.lower() or "sign in" in browser.page_source.lower()
    _consent(browser, user["email"], "accept")
    assert browser.current_url.startswith(f"{world.url}/link/result?")
    assert browser.find_element(By.ID, "status-code").text == "200"
    assert browser.find_element(By.ID, "connection-status").text == "Linked"

    _new_company_link(browser, world, "Cautious Customer")
    _consent(browser, user["email"], "deny")
    assert browser.find_element(By.ID, "status-code").text == "403"
    assert browser.find_element(By.ID, "error-message").text == "User cancelled."
    assert browser.find_element(By.ID, "connection-status").text == "PendingAuth"

    browser.get(f"{world.url}/companies")  # both companies listed with their connection status
    statuses = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#companies .status")]
    assert sorted(statuses) == ["Linked", "PendingAuth"]
