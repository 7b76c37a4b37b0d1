"""Steps through the portal: its JSON API (what a platform developer does) and its Link pages plus
Zoho's consent pages (what the customer does in a browser)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from mock_zoho import testing

from . import argtypes as T
from .browser import Outcome, forms, page_text, query_of, submit
from .errors import StepFailed
from .hints import hint
from .match import describe, matches
from .registry import step
from .world import CUSTOMER_REDIRECT, Run

PLATFORM_KEY = "rwuv"
EXPECT_API = {"type": "object", "additionalProperties": False, "description": "the answer to expect instead of a 2xx",
              "properties": {"status": T.MATCHER, "error": T.MATCHER, "field": T.MATCHER}}
OUTCOME_FIELDS = {"kind": T.enum(("redirect", "portal_page", "zoho_page", "picker")), "http_status": T.MATCHER,
                  "statusCode": T.MATCHER, "errorMessage": T.MATCHER, "statusText": T.MATCHER,
                  "page_contains": T.text("words the page shows")}
EXPECT_OUTCOME = {"type": "object", "additionalProperties": False, "properties": OUTCOME_FIELDS,
                  "description": "where the journey must end (default: a redirect with statusCode 200)"}
MANGLES = ("trailing_space", "leading_space", "inner_space", "typo")


# -- the platform developer -----------------------------------------------------------------------
def _mangle(value: str, how: str | None) -> str:
    if how == "trailing_space":
        return value + " "
    if how == "leading_space":
        return " " + value
    if how == "inner_space":
        return value[:8] + " " + value[8:]
    if how == "typo":
        last = value[-1]
        return value[:-1] + ("0" if last != "0" else "1")
    return value


@step("save_keys", {"client_id": T.text("registered (default) or a literal"),
                    "client_secret": T.text("registered (default), previous (before a rotation) or a literal"),
                    "mangle_id": T.enum(MANGLES), "mangle_secret": T.enum(MANGLES),
                    "enable": T.enum(("now", "later")), "expect": EXPECT_API}, portal=True)
def save_keys(run: Run, client_id: str = "registered", client_secret: str = "registered", mangle_id: str | None = None,
              mangle_secret: str | None = None, enable: str | None = None, expect: dict[str, Any] | None = None) -> str:
    """Paste the Client ID and Client secret into the portal and Save (as a person might: with a space)."""
    cid = run.client["client_id"] if client_id == "registered" else client_id
    secret = {"registered": run.client["client_secret"],
              "previous": run.client.get("previous_secret", run.client["client_secret"])}.get(client_secret,
                                                                                               client_secret)
    body: dict[str, Any] = {"client_id": _mangle(cid, mangle_id), "client_secret": _mangle(secret, mangle_secret)}
    if enable:
        body["enable"] = enable
    r = run.portal_call("PUT", "/api/integrations/zoho-books", json=body, expect=expect)
    return f"HTTP {r.status_code}"


@step("integration_settings", {"data_types": T.strings(), "complete_datasets": T.strings(), "editions": T.strings(),
                               "expect": EXPECT_API}, portal=True)
def integration_settings(run: Run, expect: dict[str, Any] | None = None, **fields: Any) -> str:
    """Change what the integration reads (data types, complete datasets) and supports (editions)."""
    r = run.portal_call("PUT", "/api/integrations/zoho-books", json=fields, expect=expect)
    return f"HTTP {r.status_code}"


@step("enable", portal=True)
def enable(run: Run) -> str:
    """Switch Zoho Books on (the toggle on the integrations list)."""
    return f"HTTP {run.portal_call('POST', '/api/integrations/zoho-books/enable', json={}).status_code}"


@step("disable", portal=True)
def disable(run: Run) -> str:
    """Switch Zoho Books off (existing connections stay as they are)."""
    return f"HTTP {run.portal_call('POST', '/api/integrations/zoho-books/disable', json={}).status_code}"


@step("portal_settings", portal=True, extra=True)
def portal_settings(run: Run, **settings: Any) -> str:
    """Change platform settings by key (portal.*, link.*, sync.*)."""
    r = run.portal_call("PATCH", "/api/settings", json=settings)
    return f"changed {', '.join(r.json().get('changed', []))}"


@step("create_company", {"as": T.defines("company"), "name": T.text(),
                         "redirect": T.enum(("customer", "none"), "customer (default): the company's redirect URL "
                                                                   "receives the outcome; none: the portal's page"),
                         "organization": T.ref("org", "pin the company to this organisation")},
      required=("as",), shorthand="as", portal=True)
def create_company(run: Run, name: str | None = None, redirect: str = "customer", organization: str | None = None,
                   **kw: Any) -> str:
    """Create a company (one of the platform's customers); it comes with its Link URL."""
    alias = kw["as"]
    body: dict[str, Any] = {"name": name or f"{alias.title()} Ltd"}
    if redirect == "customer":
        body["redirect_url"] = f"{CUSTOMER_REDIRECT}?company={alias}"
    if organization:
        body["organization_id"] = run.org_id(organization)
    company = run.portal_call("POST", "/api/companies", json=body).json()
    run.companies[alias] = company
    return f"company {company['id']}"


def _company_id(run: Run, alias: str) -> str:
    return run.company(alias)["id"]


def _connection(run: Run, alias: str) -> dict[str, Any] | None:
    found = run.portal_call("GET", f"/api/companies/{_company_id(run, alias)}/connections").json()["results"]
    return found[-1] if found else None


@step("new_link_url", {"company": T.ref("company"), "for": T.enum(("company", "connection"))},
      required=("company",), shorthand="company", portal=True)
def new_link_url(run: Run, company: str, **kw: Any) -> str:
    """Ask the portal for a fresh one-time Link URL (the company's, or its connection's for a re-link)."""
    cid = _company_id(run, company)
    if kw.get("for") == "connection":
        conn = _connection(run, company)
        if conn is None:
            raise StepFailed(f"{company} has no connection to re-link")
        run.portal_call("POST", f"/api/companies/{cid}/connections/{conn['id']}/link-url", json={})
    else:
        fresh = run.portal_call("POST", f"/api/companies/{cid}/link-url", json={}).json()
        run.companies[company].update({k: v for k, v in fresh.items() if k == "redirect"})
    return "fresh Link URL"


@step("build_connection", {"company": T.ref("company"), "expect": EXPECT_API}, required=("company",),
      shorthand="company", portal=True)
def build_connection(run: Run, company: str, expect: dict[str, Any] | None = None) -> str:
    """Build your own journey: POST a Zoho Books connection for the company (gives its linkUrl)."""
    r = run.portal_call("POST", f"/api/companies/{_company_id(run, company)}/connections",
                        json={"platformKey": PLATFORM_KEY}, expect=expect)
    return f"HTTP {r.status_code}"


@step("unlink", {"company": T.ref("company"), "expect": EXPECT_API}, required=("company",), shorthand="company",
      portal=True)
def unlink(run: Run, company: str, expect: dict[str, Any] | None = None) -> str:
    """The platform unlinks the company's connection (PATCH status Unlinked)."""
    conn = _connection(run, company)
    if conn is None:
        raise StepFailed(f"{company} has no connection to unlink")
    r = run.portal_call("PATCH", f"/api/companies/{_company_id(run, company)}/connections/{conn['id']}",
                        json={"status": "Unlinked"}, expect=expect)
    return f"HTTP {r.status_code}"


@step("sync", {"company": T.ref("company"), "data_types": T.strings(description="default: every selected type"),
               "expect": EXPECT_API}, required=("company",), shorthand="company", portal=True)
def sync(run: Run, company: str, data_types: list[str] | None = None, expect: dict[str, Any] | None = None) -> str:
    """Read data now (Refresh data, or queue named types) and wait until each read finishes or pauses."""
    cid = _company_id(run, company)
    if not data_types:
        r = run.portal_call("POST", f"/api/companies/{cid}/data/all?wait=true", json={}, expect=expect)
        results = r.json().get("results", []) if r.status_code < 400 else []
    else:
        results = []
        for dt in data_types:
            r = run.portal_call("POST", f"/api/companies/{cid}/data/queue/{dt}?wait=true", json={}, expect=expect)
            if r.status_code < 400:
                results.append(r.json())
    return ", ".join(f"{d['dataType']} {d['status']}" for d in results) or f"HTTP {r.status_code}"


@step("queue", {"company": T.ref("company"), "data_type": T.text(), "expect": EXPECT_API},
      required=("company", "data_type"), portal=True)
def queue(run: Run, company: str, data_type: str, expect: dict[str, Any] | None = None) -> str:
    """Queue one data type without waiting (a second queue while it runs is refused)."""
    r = run.portal_call("POST", f"/api/companies/{_company_id(run, company)}/data/queue/{data_type}", json={},
                        expect=expect)
    return f"HTTP {r.status_code}"


@step("resume_due", portal=True)
def resume_due(run: Run) -> str:
    """Resume paused reads whose time has come (the platform's scheduler tick)."""
    r = run.portal_call("POST", "/api/sync/resume-due", json={})
    return ", ".join(f"{d['dataType']} {d['status']}" for d in r.json()["results"]) or "nothing due"


# -- the customer -------------------------------------------------------------------------------------
def _is_zoho_authorize(url: str) -> bool:
    return "/oauth/v2/auth" in urlsplit(url).path


def _land(run: Run, company: str, r: Any) -> Outcome:
    """Classify where the browser is now and remember it on the company's journey."""
    journey = run.journeys.setdefault(company, {})
    if r.status_code in (301, 302, 303):
        url = r.headers.get("Location", "")
        if _is_zoho_authorize(url):
            journey["authorize_url"] = url
            out = Outcome("to_zoho", r.status_code, url)
        else:
            out = Outcome("redirect", r.status_code, url, query_of(url))
    elif r.status_code == 200 and any(f.action.endswith("/link/pick") for f in forms(r.text)):
        journey["picker"] = r
        out = Outcome("picker", 200, r.url, text=page_text(r.text))
    else:
        out = Outcome("portal_page", r.status_code, r.url, text=page_text(r.text))
    journey["outcome"] = out
    return out


def _check_outcome(out: Outcome, expect: dict[str, Any] | None, what: str) -> None:
    expect = {"kind": "redirect", "statusCode": 200} if expect is None else expect
    got = {"kind": out.kind, "http_status": out.http_status, **out.params}
    for key, want in expect.items():
        if key == "page_contains":
            if str(want).lower() not in out.text.lower():
                raise StepFailed(f"{what}: the page does not say {want!r}; it ended at {out.describe()}")
            continue
        if not matches(want, got.get(key)):
            raise StepFailed(f"{what}: {key} is {got.get(key)!r}, expected {describe(want)}; it ended at "
                             f"{out.describe()}{hint(out.params.get('statusText') or out.text)}")


@step("open_link", {"company": T.ref("company"), "via": T.enum(("company", "connection")),
                    "platform": T.text("the platform button to click (default rwuv, Zoho Books)"),
                    "direct": T.boolean("append platform=<key> to the Link URL (skips the choice page)"),
                    "expect": EXPECT_OUTCOME}, required=("company",), shorthand="company", portal=True)
def open_link(run: Run, company: str, via: str = "company", platform: str = PLATFORM_KEY, direct: bool = False,
              expect: dict[str, Any] | None = None) -> str:
    """The customer opens the Link URL and picks Zoho Books; normally this ends at Zoho's sign-in."""
    if via == "connection":
        conn = _connection(run, company)
        if conn is None:
            raise StepFailed(f"{company} has no connection whose linkUrl could be opened")
        url = conn["linkUrl"]
    else:
        url = run.company(company)["redirect"]
    r = run.browser.get(url, params={"platform": platform} if direct else None, allow_redirects=False, timeout=120)
    run.changed()
    if r.status_code == 200:
        choose = [f for f in forms(r.text) if f.button(value=platform)]
        if choose:
            name, value = choose[0].button(value=platform)  # type: ignore[misc]
            r = submit(run.browser, r, choose[0], {name: value})
        elif expect is None:
            raise StepFailed(f"the Link page offers no {platform!r} button: {page_text(r.text, 200)}")
    out = _land(run, company, r)
    _check_outcome(out, expect or {"kind": "to_zoho"}, "open_link")
    return out.describe() if out.kind != "to_zoho" else "at Zoho's sign-in page"


def _deliver(run: Run, company: str, times: int = 1) -> Outcome:
    journey = run.journeys.get(company, {})
    callback = journey.get("callback_url")
    if not callback:
        raise StepFailed(f"{company}: no OAuth callback to deliver (consent first)")
    out = journey.get("outcome")
    for _ in range(times):
        r = run.browser.get(callback, allow_redirects=False, timeout=120)
        run.changed()
        out = _land(run, company, r)
        journey.setdefault("deliveries", []).append(out)
    return out


@step("consent", {"company": T.ref("company"), "user": T.ref("user"), "decision": T.enum(("accept", "deny")),
                  "deliver": T.boolean("follow Zoho's redirect to the portal's callback (default true)"),
                  "expect": EXPECT_OUTCOME}, required=("company", "user"), portal=True, person=True)
def consent(run: Run, company: str, user: str, decision: str = "accept", deliver: bool = True,
            expect: dict[str, Any] | None = None) -> str:
    """The customer signs in at Zoho as ``user`` and clicks Accept (or Reject)."""
    journey = run.journeys.get(company, {})
    if not journey.get("authorize_url"):
        raise StepFailed(f"{company}: the customer is not at Zoho's sign-in page (open_link first)")
    r = testing.consent(run.browser, journey.pop("authorize_url"), run.users[user]["email"], decision)
    run.changed()
    location = r.headers.get("Location", "") if r.status_code in (301, 302, 303) else ""
    if not location:
        out = Outcome("zoho_page", r.status_code, r.url, text=page_text(r.text))
        journey["outcome"] = out
    else:
        journey["callback_url"] = location
        if not deliver:
            return "Zoho redirected to the callback (not delivered yet)"
        out = _deliver(run, company)
    if expect is not None or deliver:
        _check_outcome(out, expect, "consent")
    return out.describe()


@step("deliver_callback", {"company": T.ref("company"), "times": T.integer(1), "expect": EXPECT_OUTCOME},
      required=("company",), shorthand="company", portal=True)
def deliver_callback(run: Run, company: str, times: int = 1, expect: dict[str, Any] | None = None) -> str:
    """The browser reaches the portal's OAuth callback (late, or more than once)."""
    out = _deliver(run, company, times)
    if expect is not None:
        _check_outcome(out, expect, "deliver_callback")
    return out.describe()


@step("pick_organization", {"company": T.ref("company"), "org": T.ref("org"), "expect": EXPECT_OUTCOME},
      required=("company", "org"), portal=True)
def pick_organization(run: Run, company: str, org: str, expect: dict[str, Any] | None = None) -> str:
    """On the portal's organisation picker, the customer chooses one organisation."""
    page = run.journeys.get(company, {}).get("picker")
    if page is None:
        raise StepFailed(f"{company}: the portal showed no organisation picker")
    form = next(f for f in forms(page.text) if f.action.endswith("/link/pick"))
    button = form.button(value=run.org_id(org))
    if button is None:
        raise StepFailed(f"the picker does not offer {org} ({run.org_id(org)})")
    r = submit(run.browser, page, form, {button[0]: button[1]})
    run.changed()
    out = _land(run, company, r)
    _check_outcome(out, expect, "pick_organization")
    return out.describe()


@step("link", {"company": T.ref("company"), "user": T.ref("user"), "via": T.enum(("company", "connection")),
               "decision": T.enum(("accept", "deny")), "expect": EXPECT_OUTCOME},
      required=("company", "user"), portal=True, person=True)
def link(run: Run, company: str, user: str, via: str = "company", decision: str = "accept",
         expect: dict[str, Any] | None = None) -> str:
    """The whole customer journey: open the Link URL, pick Zoho Books, sign in, consent, back to the company."""
    if via == "company" and run.journeys.get(company, {}).get("used_link"):
        new_link_url(run, company)  # a Link URL is single use: a second journey needs a fresh one
    if via == "connection":
        new_link_url(run, company, **{"for": "connection"})
    open_link(run, company, via=via)
    run.journeys[company]["used_link"] = True
    return consent(run, company, user, decision=decision, expect=expect)


@step("link_companies", {"companies": T.strings(T.defines("company")), "user": T.ref("user"),
                         "every_s": T.number(0, "virtual seconds between links (Zoho allows 10 grant codes per "
                                                "user and client in 10 minutes; default 61)"),
                         "expect": EXPECT_OUTCOME}, required=("companies", "user"), portal=True, person=True)
def link_companies(run: Run, companies: list[str], user: str, every_s: float = 61,
                   expect: dict[str, Any] | None = None) -> str:
    """Create each company in turn and link it as ``user`` (an accountant linking many clients)."""
    for i, alias in enumerate(companies):
        if i:
            run.clock.advance(every_s)
        create_company(run, **{"as": alias})
        link(run, alias, user, expect=expect)
    return f"{len(companies)} companies linked by {user}"
