"""Build a scenario's world: a fresh emulator (or a reset remote one), its users, organisations,
limits and faults through the admin API; then the portal on a free port with the client's keys.

Defaults follow the scenario catalogue's default world: a server-based client registered in ``us``
with the DCs of the scenario's users enabled and "same credentials for all DCs" ticked; the portal
with the keys saved and Zoho Books enabled.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from harness.connector.emulated import endpoints_for
from harness.portal import Platform, serve
from mock_zoho import testing

from .errors import NotAvailable
from .world import DEFAULT_REDIRECT, Run, RunOptions

DEFAULT_START = "2026-03-02T09:00:00Z"  # the scenarios' virtual clock starts here (setup.emulator.start)

__all__ = ["open_target", "build_emulator", "start_portal", "redirect_uri_for", "register_client", "add_fault"]

DEFAULT_SEED = 1234


def open_target(options: RunOptions, seed: int) -> testing.ZohoTarget:
    """The scenario's own emulator: in-process (no port), or a remote one reset to empty."""
    if options.target == "live":
        raise NotAvailable("the real Zoho cannot be set up by a scenario: run it against the emulator")
    if options.target == "inprocess":
        return testing.inprocess(seed=seed)
    target = testing.remote(options.target)
    target.admin.reset(demo=False, seed=seed)
    return target


def build_emulator(run: Run) -> None:
    """Settings, clock, users, organisations, limits and faults from ``setup.emulator``."""
    emu: dict[str, Any] = run.scenario.setup.get("emulator", {})
    admin = run.admin
    # One fixed moment unless the scenario names another: what a sync reaches before the UTC midnight
    # reset (a daily quota, a throttled token) must not depend on when the run started.
    admin.set_clock(datetime.strptime(emu.get("start", DEFAULT_START), "%Y-%m-%dT%H:%M:%SZ")
                    .replace(tzinfo=timezone.utc).timestamp())
    if emu.get("config"):
        admin.set_config(emu["config"])
    if emu.get("time_scale"):
        admin.set_clock(scale=emu["time_scale"])
    for alias, spec in emu.get("users", {}).items():
        run.users[alias] = admin.create_user(spec.get("email") or f"{alias}@example.com", dc=spec["dc"])
    for alias, spec in emu.get("organizations", {}).items():
        owners = spec["owner"] if isinstance(spec["owner"], list) else [spec["owner"]]
        fields: dict[str, Any] = {}
        if "default" in spec:
            fields["is_default"] = spec["default"]
        run.orgs[alias] = admin.create_org(spec.get("name") or f"{alias.title()} Ltd",
                                           users=[run.users[o] for o in owners], edition=spec.get("edition", "us"),
                                           plan=spec.get("plan"), counts=spec.get("counts", {}), **fields)
    for alias, overrides in emu.get("limits", {}).items():
        admin.set_limits(run.org_id(alias), **overrides)
    for rule in emu.get("faults", []):
        add_fault(run, rule)


def add_fault(run: Run, rule: dict[str, Any]) -> dict[str, Any]:
    """Add an emulator fault rule (``org`` names an organisation alias; a named rule can be cleared
    later): the one way, whether setup lists it or the ``inject_fault`` step asks."""
    body = dict(rule)
    if "org" in body:
        body["organization_id"] = run.org_id(body.pop("org"))
    added = run.admin.add_fault(**body)
    if rule.get("name"):
        run.faults[rule["name"]] = added["id"]
    return added


def redirect_uri_for(run: Run, spec: str | None) -> str:
    """The console's redirect URI: the portal's exact callback, a near miss, or a literal URL."""
    exact = run.platform.redirect_uri if run.platform is not None else DEFAULT_REDIRECT
    if spec in (None, "exact"):
        return exact
    if spec == "trailing_slash":
        return exact + "/"
    if spec == "http_scheme":
        return exact.replace("http://", "https://", 1) if exact.startswith("http://") else \
            exact.replace("https://", "http://", 1)
    return spec


def register_client(run: Run, spec: dict[str, Any] | None = None) -> None:
    """The server-based client in the developer console (home ``us``, the users' DCs enabled)."""
    spec = run.scenario.setup.get("emulator", {}).get("client", {}) if spec is None else spec
    home = spec.get("home_dc", "us")
    enabled = spec.get("enabled_dcs") or sorted({home, *(u["dc"] for u in run.users.values())})
    run.client = run.admin.create_client(spec.get("name", "Reference platform"),
                                         redirect_uris=[redirect_uri_for(run, spec.get("redirect_uri"))],
                                         home_dc=home, enabled_dcs=enabled,
                                         same_credentials_for_all_dcs=spec.get("same_credentials_for_all_dcs", True))


def connector_settings(run: Run) -> dict[str, Any]:
    """``setup.connector`` with the run's mistakes switched on."""
    settings = dict(run.scenario.setup.get("connector", {}))
    for mistake in run.options.mistakes:
        settings[mistake] = True
    return settings


def start_portal(run: Run) -> None:
    """The platform on a free port, following the emulator's virtual clock; keys saved and enabled
    unless setup says otherwise."""
    portal_spec: dict[str, Any] = run.scenario.setup.get("portal", {})
    home = run.scenario.setup.get("emulator", {}).get("client", {}).get("home_dc", "us")
    run.platform = Platform(endpoints_for(run.target, home), db=":memory:", clock=run.clock,
                            settings=portal_spec.get("settings", {}), connector=connector_settings(run))
    run.closers.append(run.platform.close)   # after the server stops (closers run last first)
    run.portal = serve(run.platform)
    run.closers.append(run.portal.stop)
    register_client(run)
    if portal_spec.get("keys", "saved") == "saved":
        body: dict[str, Any] = {"client_id": run.client["client_id"], "client_secret": run.client["client_secret"],
                                "enable": portal_spec.get("enable", "now")}
        body.update(portal_spec.get("integration", {}))
        run.portal_call("PUT", "/api/integrations/zoho-books", json=body)
