"""The Link journey end to end against a served emulator (a real server on a free port), changing
nothing but the portal's Zoho base URL: Link URL -> consent -> callback -> the company's redirect."""
from __future__ import annotations

import pytest
import requests

from harness.clock import ManualClock
from harness.portal.testing import PortalWorld
from mock_zoho import testing

CUSTOMER = "https://customer.example/linked?ref=42"


@pytest.fixture(scope="module")
def zoho():
    with testing.server(seed=11) as target:
        yield target


@pytest.fixture
def world(zoho):
    with PortalWorld.start(zoho, clock=ManualClock()) as w:
        yield w


def _user_with_org(zoho, dc: str, edition: str, **org_fields):
    user = zoho.admin.create_user(dc=dc)
    org = zoho.admin.create_org(users=[user], edition=edition, **org_fields)
    return user, org


def _connection(world, company_id):
    (connection,) = world.call("GET", f"/api/companies/{company_id}/connections")["results"]
    return connection


def _event_types(world, company_id):
    return [e["eventType"] for e in world.call("GET", f"/api/events?companyId={company_id}")["results"]]


@pytest.mark.parametrize("dc,edition", [("us", "us"), ("eu", "uk")])
def test_us_and_uk_orgs_link_and_the_code_is_exchanged_where_the_callback_says(world, zoho, dc, edition):
    user, org = _user_with_org(zoho, dc, edition)
    company = world.company("Acme Trading", redirect_url=CUSTOMER)
    since = zoho.admin.requests(limit=1)
    landed = world.link(company["redirect"], user["email"])
    assert landed.location.startswith("https://customer.example/linked?ref=42&")  # existing query kept
    assert landed.params["statusCode"] == "200" and landed.params["errorMessage"] == ""
    assert landed.params["companyId"] == company["id"]
    connection = _connection(world, company["id"])
    assert landed.params["connectionId"] == connection["id"]
    assert connection["status"] == "Linked"
    assert connection["connectionInfo"]["organizationId"] == org["organization_id"]
    assert connection["connectionInfo"]["edition"] == edition and connection["connectionInfo"]["dc"] == dc
    exchanges = [r for r in zoho.admin.requests(path="/oauth/v2/token", client_id=world.client["client_id"])
                 if r not in since]
    assert [r["dc"] for r in exchanges][-1:] == [dc]  # at the callback's accounts-server, not the home DC
    authorise = landed.steps[0].headers["Location"]
    assert "access_type=offline" in authorise and "prompt=consent" in authorise
    assert _event_types(world, company["id"]) == ["company.created", "connection.created", "connection.connected"]


def test_scopes_follow_the_chosen_data_types(world, zoho):
    world.call("PUT", "/api/integrations/zoho-books", json={"data_types": ["invoices", "customers"]})
    company = world.company("Scoped")
    r = requests.get(company["redirect"] + "&platform=rwuv", allow_redirects=False)
    scope = dict(p.split("=", 1) for p in r.headers["Location"].split("?", 1)[1].split("&"))["scope"]
    assert requests.utils.unquote(scope).split(",") == [
        "ZohoBooks.settings.READ", "ZohoBooks.invoices.READ", "ZohoBooks.contacts.READ"]


def test_disabled_integration_is_not_offered_and_a_direct_attempt_ends_at_501(world, zoho):
    world.call("POST", "/api/integrations/zoho-books/disable")
    company = world.company("Disabled Co", redirect_url=CUSTOMER)
    page = requests.get(company["redirect"])
    assert page.status_code == 200 and "Zoho Books" not in page.text and "no-integrations" in page.text
    company2 = world.company("Disabled Co 2", redirect_url=CUSTOMER)
    landed = world.link(company2["redirect"], "nobody@example.com")
    assert landed.params["statusCode"] == "501" and landed.params["errorMessage"] == "Not supported."
    assert world.call("GET", f"/api/companies/{company2['id']}/connections")["results"] == []


def test_india_edition_is_refused_as_unsupported_and_its_token_revoked(world, zoho):
    user, _ = _user_with_org(zoho, "in", "in")
    company = world.company("Mumbai Traders", redirect_url=CUSTOMER)
    landed = world.link(company["redirect"], user["email"])
    assert landed.params["statusCode"] == "501" and landed.params["errorMessage"] == "Not supported."
    assert "edition in is not supported" in landed.params["statusText"]
    connection = _connection(world, company["id"])
    assert connection["status"] == "PendingAuth"
    assert connection["dataConnectionErrors"][0]["statusCode"] == "501"
    assert zoho.admin.tokens(user_id=user["user_id"], client_id=world.client["client_id"]) == []  # revoked
    assert _event_types(world, company["id"])[-1] == "connection.failed"


def test_link_then_fail_links_an_unsupported_edition_and_marks_it(zoho):
    with PortalWorld.start(zoho, settings={"link.unsupported_region": "link_then_fail"}) as world:
        user, _ = _user_with_org(zoho, "in", "in")
        company = world.company("Kept")
        landed = world.link(company["redirect"], user["email"])
        assert landed.params["statusCode"] == "200"
        assert _connection(world, company["id"])["connectionInfo"]["supported"] is False


def test_denial_ends_at_403_user_cancelled(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Cautious", redirect_url=CUSTOMER)
    landed = world.link(company["redirect"], user["email"], decision="deny")
    assert landed.params["statusCode"] == "403" and landed.params["errorMessage"] == "User cancelled."
    assert landed.params["statusText"] == "access_denied"
    connection = _connection(world, company["id"])
    assert connection["status"] == "PendingAuth"
    assert connection["dataConnectionErrors"][0]["statusCode"] == "403"
    assert _event_types(world, company["id"])[-1] == "connection.failed"


def test_reused_link_url_is_refused_and_creates_nothing(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Once")
    assert world.link(company["redirect"], user["email"]).params["statusCode"] == "200"
    events = _event_types(world, company["id"])
    again = requests.get(company["redirect"] + "&platform=rwuv", allow_redirects=False)
    assert again.status_code == 410 and "expired or has already been used" in again.text
    page = requests.get(company["redirect"])
    assert page.status_code == 410
    assert len(world.call("GET", f"/api/companies/{company['id']}/connections")["results"]) == 1
    assert _event_types(world, company["id"]) == events


def test_day_old_link_url_is_refused_and_creates_nothing(world, zoho):
    company = world.company("Late")
    world.platform.clock.advance(86400)
    r = requests.get(company["redirect"] + "&platform=rwuv", allow_redirects=False)
    assert r.status_code == 410 and "expired" in r.text
    assert world.call("GET", f"/api/companies/{company['id']}/connections")["results"] == []
    fresh = world.call("POST", f"/api/companies/{company['id']}/link-url")
    assert fresh["redirect"] != company["redirect"]
    assert requests.get(fresh["redirect"] + "&platform=rwuv", allow_redirects=False).status_code == 302


def test_link_page_choice_is_single_use_too(world):
    company = world.company("Chooser")
    customer = requests.Session()
    page = customer.get(company["redirect"])
    assert page.status_code == 200 and 'id="choose-rwuv"' in page.text
    choice = page.text.split('name="choice" value="', 1)[1].split('"', 1)[0]
    form = {"choice": choice, "platform": "rwuv"}
    first = customer.post(f"{world.url}/link/company/{company['id']}/choose", data=form, allow_redirects=False)
    assert first.status_code == 302 and "/oauth/v2/auth" in first.headers["Location"]
    second = customer.post(f"{world.url}/link/company/{company['id']}/choose", data=form, allow_redirects=False)
    assert second.status_code == 410


def test_replayed_callback_and_stolen_state_are_refused(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Replay", redirect_url=CUSTOMER)
    customer = requests.Session()
    start = customer.get(company["redirect"] + "&platform=rwuv", allow_redirects=False)
    back = testing.consent(customer, start.headers["Location"], user["email"])
    callback = back.headers["Location"]
    thief = requests.Session()  # another browser holding the state (and a code): refused, state kept
    stolen = thief.get(callback, allow_redirects=False)
    assert stolen.status_code == 400 and "invalid_state" in stolen.text
    ok = customer.get(callback, allow_redirects=False)
    assert "statusCode=200" in ok.headers["Location"]
    replay = customer.get(callback, allow_redirects=False)
    assert replay.status_code == 400
    connection = _connection(world, company["id"])
    assert connection["status"] == "Linked" and connection["dataConnectionErrors"] == []
    assert _event_types(world, company["id"]).count("connection.connected") == 1


def test_untrusted_accounts_server_gets_no_secret(world, zoho):
    company = world.company("Phished", redirect_url=CUSTOMER)
    customer = requests.Session()
    start = customer.get(company["redirect"] + "&platform=rwuv", allow_redirects=False)
    state = start.headers["Location"].split("state=", 1)[1].split("&", 1)[0]
    before = len(zoho.admin.requests(path="/oauth/v2/token"))
    r = customer.get(f"{world.url}/oauth/callback", params={
        "code": "1000.aaaa.bbbb", "location": "eu", "accounts-server": "https://accounts.zoho.eu.evil.example",
        "state": requests.utils.unquote(state)}, allow_redirects=False)
    assert "statusCode=500" in r.headers["Location"] and "untrusted_accounts_server" in r.headers["Location"]
    assert len(zoho.admin.requests(path="/oauth/v2/token")) == before


def test_wrong_secret_ends_at_500_with_zohos_raw_error(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    wrong = world.client["client_secret"][::-1]
    world.call("PUT", "/api/integrations/zoho-books", json={"client_secret": wrong})
    company = world.company("Typo", redirect_url=CUSTOMER)
    landed = world.link(company["redirect"], user["email"])
    assert landed.params["statusCode"] == "500" and landed.params["errorMessage"] == "Unknown error occurred."
    assert landed.params["statusText"] == "invalid_client_secret"


def test_the_company_can_ask_for_another_org_than_the_default(world, zoho):
    user = zoho.admin.create_user(dc="us")
    zoho.admin.create_org(users=[user], edition="us", is_default=True)
    other = zoho.admin.create_org(users=[user], edition="us")
    company = world.company("Second Books", organization_id=other["organization_id"])
    assert world.link(company["redirect"], user["email"]).params["statusCode"] == "200"
    assert _connection(world, company["id"])["connectionInfo"]["organizationId"] == other["organization_id"]


def test_unlink_revokes_and_relink_after_deauthorization_keeps_the_id(world, zoho):
    user, _ = _user_with_org(zoho, "eu", "uk")
    company = world.company("Cycle")
    world.link(company["redirect"], user["email"])
    connection = _connection(world, company["id"])
    tokens = lambda: zoho.admin.tokens(user_id=user["user_id"], client_id=world.client["client_id"])  # noqa: E731
    assert len(tokens()) == 1
    base = f"/api/companies/{company['id']}/connections/{connection['id']}"
    assert world.call("PATCH", base, json={"status": "Linked"}, expect=400)["field"] == "status"
    assert world.call("PATCH", base, json={"status": "Unlinked"})["status"] == "Unlinked"
    assert tokens() == []
    assert world.call("PATCH", base, json={"status": "Unlinked"}, expect=409)["field"] == "status"
    again = world.call("POST", f"{base}/link-url")
    landed = world.link(again["linkUrl"], user["email"], platform_key=None)
    assert landed.params["statusCode"] == "200" and landed.params["connectionId"] == connection["id"]
    # the connector reports a revoked grant through the SyncStore: Deauthorized, then re-link by the company's URL
    world.platform.sync_store.connection_deauthorized(connection["id"], "invalid_code")
    assert _connection(world, company["id"])["status"] == "Deauthorized"
    fresh = world.call("POST", f"/api/companies/{company['id']}/link-url")
    landed = world.link(fresh["redirect"], user["email"])
    assert landed.params["statusCode"] == "200" and landed.params["connectionId"] == connection["id"]
    final = _connection(world, company["id"])
    assert final["status"] == "Linked" and all(e["status"] == "Resolved" for e in final["dataConnectionErrors"])
    assert _event_types(world, company["id"]) == [
        "company.created", "connection.created", "connection.connected", "connection.disconnected",
        "connection.reconnected", "connection.disconnected", "connection.reconnected"]
    assert len(tokens()) == 1  # each re-link replaced (revoked) the grant before it


def test_relink_to_the_same_org_answers_201(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Twice")
    world.link(company["redirect"], user["email"])
    fresh = world.call("POST", f"/api/companies/{company['id']}/link-url")
    assert world.link(fresh["redirect"], user["email"]).params["statusCode"] == "201"


def test_build_your_own_connection_link(world, zoho):
    user, _ = _user_with_org(zoho, "uk", "uk")
    company = world.company("Own Journey")
    conn = world.call("POST", f"/api/companies/{company['id']}/connections", json={"platformKey": "rwuv"})
    assert conn["status"] == "PendingAuth" and "/start?otp=" in conn["linkUrl"]
    landed = world.link(conn["linkUrl"], user["email"], platform_key=None)
    assert landed.params["statusCode"] == "200" and landed.params["connectionId"] == conn["id"]
    assert requests.get(conn["linkUrl"], allow_redirects=False).status_code == 410


def test_result_page_when_the_company_has_no_redirect_url(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Page Only")
    landed = world.link(company["redirect"], user["email"])
    assert landed.location.startswith(f"{world.url}/link/result?")
    page = requests.get(landed.location)
    assert page.status_code == 200 and 'id="connection-status"' in page.text and "Linked" in page.text


def test_org_picker_lets_the_user_choose(zoho):
    with PortalWorld.start(zoho, settings={"link.org_selection": "picker"}) as world:
        user = zoho.admin.create_user(dc="us")
        zoho.admin.create_org(users=[user], edition="us", is_default=True)
        second = zoho.admin.create_org(users=[user], edition="uk")
        company = world.company("Picky")
        customer = requests.Session()
        landed = world.link(company["redirect"], user["email"], customer=customer)
        assert landed.response.status_code == 200 and "Which organisation" in landed.response.text
        pick = landed.response.text.split('name="pick" value="', 1)[1].split('"', 1)[0]
        done = customer.post(f"{world.url}/link/pick", data={"pick": pick, "organization_id": second["organization_id"]},
                             allow_redirects=False)
        assert "statusCode=200" in done.headers["Location"]
        assert _connection(world, company["id"])["connectionInfo"]["edition"] == "uk"
        again = customer.post(f"{world.url}/link/pick", data={"pick": pick, "organization_id": second["organization_id"]})
        assert again.status_code == 410
        # a picker left unanswered: its grant is revoked once its time is up (the scheduler tick)
        abandoned = world.company("Walked Away")
        assert "Which organisation" in world.link(abandoned["redirect"], user["email"]).response.text
        tokens = lambda: zoho.admin.tokens(user_id=user["user_id"], client_id=world.client["client_id"])  # noqa: E731
        assert len(tokens()) == 2
        world.platform.clock.advance(901)
        world.call("POST", "/api/sync/resume-due")
        assert len(tokens()) == 1


def test_against_a_separately_started_emulator_process():
    """``python -m mock_zoho serve`` in child processes: only the base URL differs."""
    with testing.workers(1) as zoho, PortalWorld.start(zoho) as world:
        user, _ = _user_with_org(zoho, "eu", "uk")
        company = world.company("Remote")
        assert world.link(company["redirect"], user["email"]).params["statusCode"] == "200"
        assert [r["dc"] for r in zoho.admin.requests(path="/oauth/v2/token")] == ["eu"]


def test_inactivity_revocation_when_switched_on(zoho):
    with PortalWorld.start(zoho, settings={"link.inactivity_revoke_days": 30}) as world:
        user, _ = _user_with_org(zoho, "us", "us")
        company = world.company("Dormant")
        world.link(company["redirect"], user["email"])
        assert world.call("POST", "/api/sync/resume-due")["deauthorized"] == []
        world.platform.clock.advance(31 * 86400)
        (gone,) = world.call("POST", "/api/sync/resume-due")["deauthorized"]
        assert _connection(world, company["id"])["status"] == "Deauthorized"
        assert zoho.admin.tokens(user_id=user["user_id"], client_id=world.client["client_id"]) == []
        assert _event_types(world, company["id"])[-1] == "connection.disconnected"


def test_in_process_emulator_on_zohos_real_hostnames():
    with testing.inprocess(seed=3) as zoho, PortalWorld.start(zoho) as world:
        user, _ = _user_with_org(zoho, "eu", "uk")
        company = world.company("In Process")
        assert world.link(company["redirect"], user["email"]).params["statusCode"] == "200"
        assert world.platform.zoho.base_url is None  # the real hosts, answered in process


def test_one_link_url_opened_by_many_at_once_starts_one_journey(world):
    from concurrent.futures import ThreadPoolExecutor

    company = world.company("Race")
    with ThreadPoolExecutor(10) as pool:
        codes = sorted(pool.map(lambda _: requests.get(company["redirect"] + "&platform=rwuv",
                                                       allow_redirects=False).status_code, range(10)))
    assert codes == [302] + [410] * 9
    assert len(world.call("GET", f"/api/companies/{company['id']}/connections")["results"]) == 1


def test_without_prompt_consent_a_returning_user_gets_no_refresh_token_and_500(zoho):
    """The connector's ``no_prompt_consent`` mistake, switched on through the portal's sync.* settings."""
    with PortalWorld.start(zoho, settings={"sync.no_prompt_consent": True}) as world:
        user, _ = _user_with_org(zoho, "us", "us")
        first = world.company("First Time")
        assert world.link(first["redirect"], user["email"]).params["statusCode"] == "200"
        second = world.company("Returning")
        landed = world.link(second["redirect"], user["email"])
        assert landed.params["statusCode"] == "500" and landed.params["statusText"] == "no_refresh_token"
        assert "prompt=consent" not in landed.steps[0].headers["Location"]


def test_deleting_a_company_revokes_and_forgets_it(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Short Lived")
    world.link(company["redirect"], user["email"])
    assert world.call("DELETE", f"/api/companies/{company['id']}", expect=204) is None
    assert world.call("GET", f"/api/companies/{company['id']}", expect=404) == {"error": "company not found",
                                                                               "field": "companyId"}
    assert zoho.admin.tokens(user_id=user["user_id"], client_id=world.client["client_id"]) == []
    types = [e["eventType"] for e in world.call("GET", "/api/events")["results"]
             if (e["payload"].get("referenceCompany") or {}).get("id") == company["id"]]
    assert types[-2:] == ["connection.deleted", "company.deleted"]
    assert requests.get(company["redirect"]).status_code == 404


def test_state_cookie_off_accepts_a_callback_from_another_client(zoho):
    with PortalWorld.start(zoho, settings={"link.state_cookie": False}) as world:
        user, _ = _user_with_org(zoho, "us", "us")
        company = world.company("No Cookie")
        start = requests.get(company["redirect"] + "&platform=rwuv", allow_redirects=False)
        back = testing.consent(requests.Session(), start.headers["Location"], user["email"])
        done = requests.get(back.headers["Location"], allow_redirects=False)
        assert "statusCode=200" in done.headers["Location"]


def test_link_url_query_parameters_travel_to_the_redirect_but_never_override_the_outcome(world, zoho):
    user, _ = _user_with_org(zoho, "us", "us")
    company = world.company("Tracked", redirect_url=CUSTOMER)
    landed = world.link(company["redirect"] + "&campaign=spring&statusCode=999", user["email"])
    assert landed.params["campaign"] == "spring" and landed.params["statusCode"] == "200"
    assert landed.location.count("statusCode=") == 1 and landed.params["ref"] == "42"
    assert landed.params["sourceType"] == "Accounting" and landed.params["integrationId"] == "rwuv"
