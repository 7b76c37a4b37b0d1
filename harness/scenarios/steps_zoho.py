"""Steps that act on the emulated Zoho through its admin API: the clock, faults, limits, the console."""
from __future__ import annotations

import math
from typing import Any

from . import argtypes as T
from .errors import NotAvailable, StepFailed
from .registry import step
from .setup import add_fault, redirect_uri_for, register_client as register_in_console
from .world import Run


@step("advance_clock", {"seconds": T.number(0), "minutes": T.number(0), "hours": T.number(0),
                        "to": T.enum(("next_utc_midnight",), "jump to a moment instead of by an amount")},
      shorthand="seconds")
def advance_clock(run: Run, seconds: float = 0, minutes: float = 0, hours: float = 0, to: str | None = None) -> str:
    """Move the emulator's virtual clock forward (no real waiting)."""
    delta = seconds + 60 * minutes + 3600 * hours
    if to == "next_utc_midnight":
        now = run.clock.now()
        delta += (math.floor(now / 86400) + 1) * 86400 - now + 1
    run.clock.advance(delta)
    return f"clock +{delta:g} s"


@step("set_config", extra=True)
def set_config(run: Run, **settings: Any) -> str:
    """Change emulator settings by dotted key (as in the README's Configuration table)."""
    changed = run.admin.set_config(settings)
    return f"changed {', '.join(changed) or 'nothing'}"


@step("inject_fault", T.FAULT_RULE["properties"], required=("action",))
def inject_fault(run: Run, **rule: Any) -> str:
    """Add a fault rule to the emulator (name it to clear it later)."""
    added = add_fault(run, rule)
    return f"fault {added['id']} ({rule['action']})"


@step("clear_faults", {"name": T.text("one named fault; all of them when absent")}, shorthand="name")
def clear_faults(run: Run, name: str | None = None) -> str:
    """Remove one named fault rule, or all of them."""
    if name is None:
        run.admin.clear_faults()
        return "all faults cleared"
    if name not in run.faults:
        raise StepFailed(f"no fault named {name!r} was injected (named: {', '.join(run.faults) or 'none'})")
    run.admin.remove_fault(run.faults.pop(name))
    return f"fault {name} cleared"


@step("set_limits", {"org": T.ref("org"), "per_minute": T.integer(1), "daily": T.integer(1),
                     "concurrency": T.integer(1), "plan": T.enum(T.PLANS)}, required=("org",))
def set_limits(run: Run, org: str, **fields: Any) -> str:
    """Override one organisation's limits (per minute, daily, concurrency, plan)."""
    run.admin.set_limits(run.org_id(org), **fields)
    return ", ".join(f"{k}={v}" for k, v in fields.items())


@step("revoke_in_zoho", {"user": T.ref("user")}, required=("user",), shorthand="user")
def revoke_in_zoho(run: Run, user: str) -> str:
    """The user removes the app in their Zoho account: every refresh token of the pair dies."""
    run.admin.revoke_connection(run.users[user]["user_id"], run.client["client_id"])
    return f"{user} revoked the app"


@step("rotate_secret", {"dc": T.enum(T.DCS, "one DC's own secret; the shared one when absent")}, shorthand="dc")
def rotate_secret(run: Run, dc: str | None = None) -> str:
    """Generate a new client secret in the developer console (the portal still holds the old one)."""
    answer = run.admin.rotate_secret(run.client["client_id"], dc)
    client = run.admin.client(run.client["client_id"])
    secret = answer.get("client_secret") or client.get("client_secret")
    if dc is None and secret:
        run.client["previous_secret"] = run.client["client_secret"]
        run.client["client_secret"] = secret
    elif dc:
        run.client.setdefault("dc_secrets", {})[dc] = secret
    return f"secret rotated{' for ' + dc if dc else ''}"


@step("update_client", {"enabled_dcs": T.strings(T.enum(T.DCS)), "same_credentials_for_all_dcs": T.boolean(),
                        "redirect_uri": T.text("a literal URL, or exact / trailing_slash / http_scheme")})
def update_client(run: Run, **fields: Any) -> str:
    """Edit the client in the developer console (regions, same-credentials tick, redirect URI)."""
    if "redirect_uri" in fields:
        fields["redirect_uris"] = [redirect_uri_for(run, fields.pop("redirect_uri"))]
    updated = run.admin.update_client(run.client["client_id"], **fields)
    run.client.update({k: v for k, v in updated.items() if k != "client_secret"})
    return ", ".join(sorted(fields))


@step("mark", {"name": T.text()}, required=("name",), shorthand="name")
def mark(run: Run, name: str) -> str:
    """Remember this point of the journal: checks can then look only at what came after it."""
    run.marks[name] = run.last_journal_id()
    return f"mark {name} at journal #{run.marks[name]}"


@step("seed_records", {"org": T.ref("org"), "counts": {"type": "object", "additionalProperties": T.integer(0)}},
      required=("org", "counts"))
def seed_records(run: Run, org: str, counts: dict[str, int]) -> str:
    """Add seeded records to an organisation."""
    run.admin.seed_org(run.org_id(org), counts)
    return ", ".join(f"{n} {r}" for r, n in counts.items())


def _self_grant(run: Run, user: str) -> Any:
    """A token for ``user`` from another app (a self client of its own): traffic that is not ours."""
    grants = run.__dict__.setdefault("_other_app_grants", {})
    if user not in grants:
        grants[user] = run.target.token(run.users[user])
    return grants[user]


@step("other_app_calls", {"org": T.ref("org"), "user": T.ref("user"), "count": T.integer(1),
                          "path": T.text("Books path under /books/v3 (default /invoices)")},
      required=("org", "user", "count"))
def other_app_calls(run: Run, org: str, user: str, count: int, path: str = "/invoices") -> str:
    """Another app of the same customer calls Books for this organisation (it shares the quota).

    Keeps under the per-minute limit by moving the virtual clock a minute every 90 calls."""
    grant = _self_grant(run, user)
    dc = run.users[user]["dc"]
    url = f"{run.target.books_url(dc)}{path}"
    headers = {"Authorization": f"Zoho-oauthtoken {grant.access_token}"}
    for i in range(count):
        if i and i % 90 == 0:
            run.clock.advance(61)
        r = run.target.session.get(url, params={"organization_id": run.org_id(org)}, headers=headers, timeout=60)
        if r.status_code != 200:
            raise StepFailed(f"the other app's call {i + 1} of {count} answered HTTP {r.status_code}: {r.text[:200]}")
    return f"{count} calls by another app"


ID_FIELDS = {"invoices": "invoice_id", "bills": "bill_id", "contacts": "contact_id", "creditnotes": "creditnote_id"}


@step("edit_records", {"org": T.ref("org"), "resource": T.enum(tuple(ID_FIELDS)),
                       "count": T.integer(1), "user": T.ref("user")}, required=("org", "resource", "count", "user"))
def edit_records(run: Run, org: str, resource: str, count: int, user: str) -> str:
    """A person edits ``count`` records in Books (through the API, so last_modified_time moves)."""
    grant = _self_grant(run, user)
    dc = run.users[user]["dc"]
    base = f"{run.target.books_url(dc)}/{resource}"
    params = {"organization_id": run.org_id(org)}
    headers = {"Authorization": f"Zoho-oauthtoken {grant.access_token}"}
    listed = run.target.session.get(base, params={**params, "per_page": count}, headers=headers, timeout=60).json()
    key = next(k for k, v in listed.items() if isinstance(v, list))
    id_key = ID_FIELDS[resource]
    edited = 0
    for record in listed[key][:count]:
        r = run.target.session.put(f"{base}/{record[id_key]}", params=params, headers=headers, timeout=60,
                                   json={"notes": f"edited by the scenario at {run.clock.now():.0f}"})
        if r.status_code != 200:
            raise StepFailed(f"editing {resource} {record[id_key]} answered HTTP {r.status_code}: {r.text[:200]}")
        edited += 1
    return f"{edited} {resource} edited"


@step("books_call", {"user": T.ref("user"), "path": T.text("under /books/v3, e.g. /invoices; // is kept as typed"),
                     "org": T.ref("org", "sent as organization_id (none: no organization_id at all)"),
                     "auth": T.enum(("zoho", "bearer"), "Authorization scheme: Zoho-oauthtoken (default) or Bearer"),
                     "status": T.integer(100, "the HTTP status to expect (default 200)")},
      required=("user", "path"))
def books_call(run: Run, user: str, path: str, org: str | None = None, auth: str = "zoho", status: int = 200) -> str:
    """One raw Books call as another client would make it (its own token, its own quirks)."""
    grant = _self_grant(run, user)
    scheme = "Bearer" if auth == "bearer" else "Zoho-oauthtoken"
    url = f"{run.target.api_url(run.users[user]['dc'])}/books/v3{path}"
    r = run.target.session.get(url, params={"organization_id": run.org_id(org)} if org else None, timeout=60,
                               headers={"Authorization": f"{scheme} {grant.access_token}"})
    if r.status_code != status:
        raise StepFailed(f"GET /books/v3{path} ({scheme}) answered HTTP {r.status_code}, expected {status}: "
                         f"{r.text[:200]}")
    return f"HTTP {r.status_code}"


@step("third_party_client", {"client": T.enum(("pyzohoapi",)), "user": T.ref("user"), "org": T.ref("org")},
      required=("client", "user", "org"))
def third_party_client(run: Run, client: str, user: str, org: str) -> str:
    """An independent Zoho Books client from PyPI lists the organisation's contacts and invoices."""
    try:
        from pyzohoapi import ZohoBooks  # an optional test dependency: only this step needs it
    except ImportError:
        raise NotAvailable(f"{client} is not installed (pip install '.[test]')") from None
    grant = _self_grant(run, user)
    dc = run.users[user]["dc"]
    api = ZohoBooks(run.org_id(org), region=dc if dc != "us" else "com", client_id=grant.client["client_id"],
                    client_secret=grant.client["client_secret"], refresh_token=grant.refresh_token,
                    redirect_url="https://example.com/cb")
    if run.target.mode != "inprocess":  # pyzohoapi builds Zoho's hostnames itself: point it at the emulator
        api._endpoint = run.target.books_url(dc)
        api._oauth = f"{run.target.accounts_url(dc)}/oauth/v2"
    contacts, invoices = list(api.Contact()), list(api.Invoice())
    first = api.Invoice(invoices[0].ID) if invoices else None
    return f"{client}: {len(contacts)} contacts, {len(invoices)} invoices" + (f", read {first.ID}" if first else "")


@step("register_client", {"name": T.text("Client Name"), "home_dc": T.enum(T.DCS),
                          "enabled_dcs": T.strings(T.enum(T.DCS)), "same_credentials_for_all_dcs": T.boolean(),
                          "redirect_uri": T.text("exact (default), trailing_slash, http_scheme, or a literal URL")})
def register_client(run: Run, **spec: Any) -> str:
    """Register a (new) server-based client in the developer console; later steps use its keys."""
    register_in_console(run, spec)
    return f"client {run.client['client_id']} (home {run.client.get('home_dc', 'us')})"
