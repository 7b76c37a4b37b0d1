"""mock_zoho.testing: the public testing API (versioned with the package, ``API_VERSION``).

Everything a test suite or the harness needs to drive an emulator, in the same shape whatever the
emulator runs as: in this process (``inprocess()``, no port; Zoho's real hostnames answered through
``responses``), a threaded server on a free port (``server()``), ``serve --workers N`` in child
processes (``workers()``), or one already running elsewhere (``remote(url)``).

    from mock_zoho import testing

    with testing.inprocess() as zoho:                          # or testing.server(), testing.workers(2)
        user = zoho.admin.create_user("ada@example.com", dc="eu")
        org = zoho.admin.create_org(users=[user], edition="uk", counts={"invoices": 5})
        grant = zoho.token(user)                               # self-client flow, one call
        r = zoho.session.get(f"{zoho.books_url('eu')}/invoices",
                             params={"organization_id": org["organization_id"]},
                             headers={"Authorization": f"Zoho-oauthtoken {grant.access_token}"})
        zoho.clock.advance(3601)                               # the token has now expired
        zoho.admin.requests(path="/books/v3/invoices")         # the journal

Only HTTP reaches the emulator from here, except ``clock`` on an in-process or threaded target,
which reads the emulator's clock object directly (same value, no round trip).
"""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from .context import ADMIN_VERSIONED_PREFIX
from .dc import DATA_CENTERS, ZOHO_HOSTS
from .emulator import ADMIN_TOKEN_ENV, Emulator
from .serving.inprocess import InProcess
from .serving.ports import free_port
from .serving.werkzeug import start_in_thread

API_VERSION = "1"
FULL_ACCESS = ("ZohoBooks.fullaccess.all",)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_ACTION = re.compile(r'<form method="post" action="([^"]+)"')

__all__ = ["API_VERSION", "AdminClient", "AdminCallError", "UnservedZohoHost", "Grant", "VirtualClock", "ZohoTarget",
           "consent", "redirect_params", "stop_process", "wait_until_serving", "inprocess", "server", "workers", "remote", "FULL_ACCESS"]


class AdminCallError(Exception):
    """An admin call answered outside 2xx: ``status``, ``body`` and the ``field`` it names, if any."""

    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        self.status, self.body = status, body
        self.field = body.get("field") if isinstance(body, dict) else None
        message = body.get("error") if isinstance(body, dict) else str(body)[:300]
        super().__init__(f"{method} {ADMIN_VERSIONED_PREFIX}/{path} answered {status}: {message}")


class AdminClient:
    """The emulator's ``/__admin`` API as methods; each returns the decoded JSON answer's payload."""

    def __init__(self, base_url: str, session: requests.Session | None = None, admin_token: str | None = None) -> None:
        self.url = base_url.rstrip("/") + ADMIN_VERSIONED_PREFIX  # the version this client speaks
        self.session = session or requests.Session()
        self._headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}

    # -- plumbing --------------------------------------------------------------------------------
    def raw(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send one admin request as given and return the response unchecked (for asserting on
        the admin API's own errors). ``admin("POST", "users", json=...)`` is the same call."""
        kwargs.setdefault("timeout", 60)
        if self._headers:
            kwargs["headers"] = {**self._headers, **(kwargs.get("headers") or {})}
        return self.session.request(method, f"{self.url}/{path.lstrip('/')}", **kwargs)

    __call__ = raw

    def call(self, method: str, path: str, json: Any = None, params: Mapping[str, Any] | None = None) -> Any:
        kwargs: dict[str, Any] = {"params": {k: v for k, v in (params or {}).items() if v is not None}}
        if json is not None:
            kwargs["json"] = json
        r = self.raw(method, path, **kwargs)
        try:
            body = r.json()
        except ValueError:
            body = r.text
        if not 200 <= r.status_code < 300:
            raise AdminCallError(method, path, r.status_code, body)
        return body

    # -- emulator --------------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self.call("GET", "health")

    def reset(self, *, demo: bool | None = None, seed: int | None = None) -> dict[str, Any]:
        body = {k: v for k, v in {"demo": demo, "seed": seed}.items() if v is not None}
        return self.call("POST", "reset", json=body)

    def demo(self) -> dict[str, Any]:
        """The demo world's handles (users, client with its secret, organisations)."""
        return self.call("GET", "demo")["demo"]

    def clock(self) -> dict[str, Any]:
        return self.call("GET", "clock")["clock"]

    def advance(self, seconds: float) -> dict[str, Any]:
        return self.call("POST", "clock", json={"advance": seconds})["clock"]

    def set_clock(self, epoch: float | None = None, *, scale: float | None = None) -> dict[str, Any]:
        body = {k: v for k, v in {"set": epoch, "scale": scale}.items() if v is not None}
        return self.call("POST", "clock", json=body)["clock"]

    def config(self) -> dict[str, Any]:
        return self.call("GET", "config")["config"]

    def set_config(self, settings: Mapping[str, Any] | None = None, **dotted: Any) -> dict[str, Any]:
        """``set_config({"limits.per_minute": 50})``; returns the keys that changed."""
        return self.call("PATCH", "config", json={**(settings or {}), **dotted})["changed"]

    # -- accounts --------------------------------------------------------------------------------
    def create_user(self, email: str | None = None, dc: str = "us", **fields: Any) -> dict[str, Any]:
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
        return self.call("POST", "users", json={"email": email, "dc": dc, **fields})["user"]

    def users(self, dc: str | None = None) -> list[dict[str, Any]]:
        return self.call("GET", "users", params={"dc": dc})["users"]

    def user(self, user_id: str) -> dict[str, Any]:
        return self.call("GET", f"users/{user_id}")["user"]

    def create_client(self, client_name: str = "Test App", *, redirect_uris: Sequence[str] = (), home_dc: str = "us",
                      enabled_dcs: Sequence[str] | None = None, client_type: str = "server",
                      same_credentials_for_all_dcs: bool = True, **fields: Any) -> dict[str, Any]:
        """A client in the developer console; the answer carries ``client_id`` and ``client_secret``."""
        body = {"client_name": client_name, "redirect_uris": list(redirect_uris), "home_dc": home_dc,
                "client_type": client_type, "same_credentials_for_all_dcs": same_credentials_for_all_dcs, **fields}
        if enabled_dcs is not None:
            body["enabled_dcs"] = list(enabled_dcs)
        return self.call("POST", "clients", json=body)["client"]

    def clients(self) -> list[dict[str, Any]]:
        return self.call("GET", "clients")["clients"]

    def client(self, client_id: str) -> dict[str, Any]:
        return self.call("GET", f"clients/{client_id}")["client"]

    def update_client(self, client_id: str, **fields: Any) -> dict[str, Any]:
        """Console edits: ``redirect_uris``, ``enabled_dcs``, ``same_credentials_for_all_dcs``, ..."""
        return self.call("PATCH", f"clients/{client_id}", json=fields)["client"]

    def delete_client(self, client_id: str) -> dict[str, Any]:
        return self.call("DELETE", f"clients/{client_id}")

    def rotate_secret(self, client_id: str, dc: str | None = None) -> dict[str, Any]:
        return self.call("POST", f"clients/{client_id}/rotate-secret", json={"dc": dc} if dc else {})

    def self_client_code(self, client_id: str, scopes: Iterable[str] = FULL_ACCESS, *, ttl_s: int | None = None,
                         soid: str | None = None) -> str:
        body: dict[str, Any] = {"scopes": list(scopes)}
        if ttl_s is not None:
            body["ttl_s"] = ttl_s
        if soid is not None:
            body["soid"] = soid
        return self.call("POST", f"clients/{client_id}/self-client-code", json=body)["code"]

    def revoke_connection(self, user_id: str, client_id: str) -> dict[str, Any]:
        """The user removes the app in their Zoho account: every refresh token of the pair dies."""
        return self.call("DELETE", f"users/{user_id}/connections/{client_id}")

    def tokens(self, user_id: str | None = None, client_id: str | None = None) -> list[dict[str, Any]]:
        """Live refresh tokens (fingerprints only, never the tokens)."""
        return self.call("GET", "tokens", params={"user_id": user_id, "client_id": client_id})["tokens"]

    # -- books -----------------------------------------------------------------------------------
    def create_org(self, name: str | None = None, *, users: Sequence[Mapping[str, Any] | str] = (),
                   edition: str = "us", plan: str | None = None, counts: Mapping[str, int] | None = None,
                   **fields: Any) -> dict[str, Any]:
        """A Books organisation owned by ``users`` (user dicts or ids), seeded with ``counts`` records."""
        user_ids = [u if isinstance(u, str) else u["user_id"] for u in users]
        body = {"name": name or f"Org {uuid.uuid4().hex[:6]}", "edition": edition, "user_ids": user_ids,
                "counts": dict(counts or {}), **fields}
        if plan is not None:
            body["plan"] = plan
        return self.call("POST", "organizations", json=body)["organization"]

    def organizations(self) -> list[dict[str, Any]]:
        return self.call("GET", "organizations")["organizations"]

    def organization(self, org_id: str) -> dict[str, Any]:
        return self.call("GET", f"organizations/{org_id}")["organization"]

    def update_org(self, org_id: str, **fields: Any) -> dict[str, Any]:
        return self.call("PATCH", f"organizations/{org_id}", json=fields)

    def delete_org(self, org_id: str) -> dict[str, Any]:
        return self.call("DELETE", f"organizations/{org_id}")

    def put_records(self, org_id: str, resource: str, records: Sequence[Mapping[str, Any]]) -> list[str]:
        """Store records as given (no write rules); returns their ids."""
        return self.call("POST", f"organizations/{org_id}/records/{resource}", json={"records": list(records)})["ids"]

    def seed_org(self, org_id: str, counts: Mapping[str, int]) -> dict[str, Any]:
        return self.call("POST", f"organizations/{org_id}/seed", json={"counts": dict(counts)})

    # -- limits, faults, journal ------------------------------------------------------------------
    def limits(self, org_id: str | None = None) -> Any:
        """One org's counters and policy, or every org's when ``org_id`` is None."""
        return self.call("GET", f"limits/{org_id}")["limit"] if org_id else self.call("GET", "limits")["limits"]

    def set_limits(self, org_id: str, **fields: Any) -> Any:
        """Per-org overrides: ``per_minute``, ``daily``, ``concurrency``, ``plan`` (None clears one)."""
        return self.call("PATCH", f"limits/{org_id}", json=fields)["limit"]

    def reset_limits(self, org_id: str | None = None) -> Any:
        return self.call("POST", f"limits/{org_id}/reset" if org_id else "limits/reset")

    def add_fault(self, action: str | Mapping[str, Any], **rule: Any) -> dict[str, Any]:
        """``add_fault("rate_limit", path="/books/v3/invoices*", count=3)``; see the README's faults."""
        return self.call("POST", "faults", json={"action": action, **rule})["fault"]

    def release_fault(self, rule_id: str) -> int:
        """Let go the calls a ``hold`` rule keeps in flight; returns how many it held."""
        return self.call("POST", f"faults/{rule_id}/release")["held"]

    def fault(self, rule_id: str) -> dict[str, Any]:
        """One rule with its counters (``holding``: calls a hold rule keeps right now)."""
        return self.call("GET", f"faults/{rule_id}")["fault"]

    def faults(self) -> list[dict[str, Any]]:
        return self.call("GET", "faults")["faults"]

    def remove_fault(self, rule_id: str) -> Any:
        return self.call("DELETE", f"faults/{rule_id}")

    def clear_faults(self) -> Any:
        return self.call("DELETE", "faults")

    def requests(self, limit: int | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first; filters as the README lists (``path`` is a glob)."""
        return self.call("GET", "requests", params={**filters, "limit": limit})["requests"]

    def clear_requests(self) -> Any:
        return self.call("DELETE", "requests")


class VirtualClock:
    """The emulator's virtual clock as a time source: ``now()``, and ``sleep()`` that advances it.

    A connector handed this clock never waits on the wall clock: a rate-limit wait of 60 s costs one
    admin call. With a time scale set (``--time-scale``), use ``sleep_real`` semantics instead
    (``advance_on_sleep=False``): a virtual second then lasts ``1/scale`` real seconds.
    """

    def __init__(self, admin: AdminClient, emulator: Emulator | None = None, *, advance_on_sleep: bool = True) -> None:
        self._admin, self._emulator = admin, emulator
        self.advance_on_sleep = advance_on_sleep
        self._lock = threading.Lock()

    def now(self) -> float:
        if self._emulator is not None:
            return self._emulator.clock.now()
        return float(self._admin.clock()["now"])

    __call__ = now

    def scale(self) -> float:
        if self._emulator is not None:
            return float(self._emulator.clock.describe()["scale"])
        return float(self._admin.clock()["scale"])

    def advance(self, seconds: float) -> float:
        if seconds > 0:
            if self._emulator is not None:
                self._emulator.clock.advance(seconds)
            else:
                self._admin.advance(seconds)
        return self.now()

    def set(self, epoch: float) -> float:
        if self._emulator is not None:
            self._emulator.clock.set(epoch)
        else:
            self._admin.set_clock(epoch)
        return self.now()

    def sleep_until(self, epoch: float) -> None:
        """Move the clock to ``epoch`` unless it is already there: threads waiting for the same
        moment advance it once between them (a relative ``advance`` each would overshoot)."""
        if not self.advance_on_sleep:
            now = self.now()
            if epoch > now:
                time.sleep((epoch - now) / self.scale())
            return
        with self._lock:  # read-then-advance as one step for the threads sharing this clock
            now = self.now()
            if epoch > now:
                self.advance(epoch - now)

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of virtual time: each call advances the clock, so threads that sleep at
        once add up; several threads waiting for one moment should use ``sleep_until``."""
        if seconds <= 0:
            return
        if self.advance_on_sleep:
            self.advance(seconds)
        else:
            time.sleep(seconds / self.scale())


@dataclass
class Grant:
    """A token answer from the accounts server, with the client and user it was minted for."""

    client: dict[str, Any]
    user: dict[str, Any]
    body: dict[str, Any]

    @property
    def access_token(self) -> str:
        return self.body["access_token"]

    @property
    def refresh_token(self) -> str | None:
        return self.body.get("refresh_token")

    @property
    def api_domain(self) -> str:
        return self.body["api_domain"]

    def __repr__(self) -> str:  # never print the tokens
        return f"Grant(client_id={self.client['client_id']!r}, user={self.user.get('email')!r})"


@dataclass
class ZohoTarget:
    """One emulator as a test reaches it. URLs follow the mode: a server's ``<base>/dc/<dc>``, or
    Zoho's real hostnames in process. ``emulator`` is the object itself where it lives in this
    process (``inprocess``, ``server``), else None."""

    mode: str
    base: str
    emulator: Emulator | None = None
    session: requests.Session = field(default_factory=requests.Session)
    _closers: list[Any] = field(default_factory=list, repr=False)
    admin_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.admin = AdminClient(self.base, self.session, self.admin_token)
        self.clock = VirtualClock(self.admin, self.emulator)

    # -- URLs ------------------------------------------------------------------------------------
    @property
    def admin_url(self) -> str:
        return f"{self.base}{ADMIN_VERSIONED_PREFIX}"

    def accounts_url(self, dc: str = "us") -> str:
        """The accounts server of ``dc`` (where /oauth/v2/auth and /oauth/v2/token live)."""
        return DATA_CENTERS[dc].accounts_url if self.mode == "inprocess" else f"{self.base}/dc/{dc}"

    def api_url(self, dc: str = "us") -> str:
        """The API domain of ``dc`` (what token answers call ``api_domain``)."""
        return DATA_CENTERS[dc].api_url if self.mode == "inprocess" else f"{self.base}/dc/{dc}"

    def books_url(self, dc: str = "us") -> str:
        return f"{self.api_url(dc)}/books/v3"

    # -- shortcuts -------------------------------------------------------------------------------
    def token(self, user: Mapping[str, Any], scopes: Iterable[str] = FULL_ACCESS, *, soid: str | None = None,
              client: Mapping[str, Any] | None = None) -> Grant:
        """Tokens for ``user`` through the self-client flow in one call (a self client is registered
        for the user unless ``client`` is given)."""
        dc = user["dc"]
        if client is None:
            client = self.admin.create_client("testing self client", client_type="self", home_dc=dc,
                                              user_id=user["user_id"])
        code = self.admin.self_client_code(client["client_id"], scopes, soid=soid)
        r = self.session.post(f"{self.accounts_url(dc)}/oauth/v2/token", timeout=60,
                              data={"grant_type": "authorization_code", "client_id": client["client_id"],
                                    "client_secret": client["client_secret"], "code": code})
        body = r.json()
        if "access_token" not in body:
            raise AdminCallError("POST", "oauth/v2/token", r.status_code, body)
        return Grant(dict(client), dict(user), body)

    def consent(self, authorize_url: str, email: str, decision: str = "accept") -> requests.Response:
        return consent(self.session, authorize_url, email, decision)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, url, **kwargs)

    # -- lifecycle -------------------------------------------------------------------------------
    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    def __enter__(self) -> "ZohoTarget":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def consent(session: requests.Session, authorize_url: str, email: str, decision: str = "accept") -> requests.Response:
    """What a person does at Zoho's consent pages, over plain HTTP: open ``authorize_url``, sign in
    as ``email``, then Accept (or ``decision="deny"``). Returns the accounts server's last answer:
    a 302 to the client's redirect URI unless something failed (then an error page, as Zoho shows).
    Only the emulator can be driven this way; the real Zoho needs a person."""
    page = session.get(authorize_url, allow_redirects=False, timeout=60)
    if page.status_code != 200:
        return page
    for fields_extra in ({"email": email}, {"decision": decision}):
        action = _ACTION.search(page.text)
        if not action:
            return page  # an error page: Zoho's own, with no form to go on
        fields = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
        page = session.post(urljoin(page.url, html.unescape(action.group(1))), data={**fields, **fields_extra},
                            allow_redirects=False, timeout=60)
        if page.status_code != 200:
            return page  # the redirect (consent skipped or given), or an error
    return page


def redirect_params(response: requests.Response) -> dict[str, str]:
    """The query of a redirect's ``Location`` (what the OAuth callback receives)."""
    location = response.headers.get("Location", "")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


# ---- the four ways to have an emulator --------------------------------------------------------------
def _token(emu: Emulator, admin_token: str | None) -> str | None:
    """The token the target's AdminClient sends: the one given (also set on the emulator), else
    the emulator's own (it lives in this process)."""
    if admin_token:
        emu.admin_token = admin_token
    return emu.admin_token


def _emulator(emulator: Emulator | None, kwargs: dict[str, Any]) -> Emulator:
    if emulator is not None and kwargs:
        raise TypeError("pass an Emulator or its arguments, not both")
    return emulator or Emulator(**{"demo": False, **kwargs})


class UnservedZohoHost(requests.exceptions.ConnectionError):
    """A call in in-process mode to a Zoho host the emulator does not serve (it would otherwise go
    out to the network, and perhaps to the real Zoho)."""


_ZOHO_DOMAIN = r"(?:[a-z0-9-]+\.)*(?:zoho|zohoapis|zohocloud|zohostatic|zohocdn)\.[a-z.]+"


def _refuse_unserved_hosts(ip: Any) -> None:
    """Answer calls to Zoho hosts outside the served set with ``UnservedZohoHost`` naming the host.
    The pattern excludes the served hosts: ``responses`` pops a callback when two of them match."""
    hosts = ZOHO_HOSTS | {urlsplit(ip.local_base).netloc}
    served = "|".join(re.escape(h) for h in sorted(hosts, key=len, reverse=True))
    pattern = re.compile(r"^https?://(?!(?:%s)(?::\d+)?(?:[/?#]|$))(%s)(?::\d+)?(?:[/?#]|$)" % (served, _ZOHO_DOMAIN),
                         re.I)

    def refuse(request: requests.PreparedRequest) -> Any:
        host = urlsplit(request.url or "").hostname
        raise UnservedZohoHost(f"mock_zoho.testing: {host} is a Zoho host the emulator does not serve "
                               f"(served: {', '.join(sorted(hosts))})")

    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"):
        ip._mock.add_callback(method, pattern, callback=refuse)


def inprocess(emulator: Emulator | None = None, *, strict_hosts: bool = True, admin_token: str | None = None,
              **emulator_kwargs: Any) -> ZohoTarget:
    """An emulator in this process behind ``responses``: Zoho's real hostnames and the local base
    ``http://zoho.emulator`` are answered while the target is open. ``Emulator(**emulator_kwargs)``
    (demo world off unless ``demo=True``) when no emulator is given. With ``strict_hosts`` (the
    default) a ``requests`` call to any other Zoho host raises ``UnservedZohoHost`` instead of
    leaving the process."""
    emu = _emulator(emulator, emulator_kwargs)
    ip = InProcess(emu).start()
    if strict_hosts:
        _refuse_unserved_hosts(ip)
    target = ZohoTarget("inprocess", ip.local_base, emu, admin_token=_token(emu, admin_token))
    target._closers.append(ip.stop)
    return target


def server(emulator: Emulator | None = None, host: str = "127.0.0.1", *, admin_token: str | None = None,
           **emulator_kwargs: Any) -> ZohoTarget:
    """A threaded HTTP server on a free port in this process."""
    emu = _emulator(emulator, emulator_kwargs)
    handle = start_in_thread(emu, host=host)
    target = ZohoTarget("server", handle.url, emu, admin_token=_token(emu, admin_token))
    target._closers.append(handle.stop)
    return target


def remote(url: str, *, admin_token: str | None = None) -> ZohoTarget:
    """An emulator already running at ``url`` (``python -m mock_zoho serve``, docker, ...).
    ``admin_token``: the server's ``--admin-token``, if it has one (default: ``MOCK_ZOHO_ADMIN_TOKEN``)."""
    target = ZohoTarget("remote", url.rstrip("/"), admin_token=admin_token or os.environ.get(ADMIN_TOKEN_ENV) or None)
    target.admin.health()
    return target


def workers(n: int = 2, *, store: str = "auto", args: Sequence[str] = (), demo: bool = False,
            timeout: float = 60.0, env: Mapping[str, str] | None = None, admin_token: str | None = None) -> ZohoTarget:
    """``python -m mock_zoho serve --workers n`` in child processes on a free port; closing the
    target stops them. ``args`` are extra ``serve`` options (``--server gunicorn``, ``--threads 8``)."""
    port = free_port()
    cmd = [sys.executable, "-m", "mock_zoho", "serve", "--workers", str(n), "--port", str(port), "--store", store,
           *args]
    if not demo:
        cmd.append("--no-demo")
    root = str(Path(__file__).resolve().parents[1])
    child_env = {**os.environ, **(env or {})}
    child_env["PYTHONPATH"] = os.pathsep.join(p for p in (root, child_env.get("PYTHONPATH", "")) if p)
    if admin_token:
        child_env[ADMIN_TOKEN_ENV] = admin_token  # the environment, not argv: ps shows argv
    proc = subprocess.Popen(cmd, env=child_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, base, timeout)
    target = ZohoTarget("workers", base, admin_token=admin_token or child_env.get(ADMIN_TOKEN_ENV) or None)
    target.process = proc  # type: ignore[attr-defined]

    target._closers.append(lambda: stop_process(proc))
    return target


def stop_process(proc: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a child ``serve`` (or any process): SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def wait_until_serving(proc: subprocess.Popen, base: str, timeout: float = 60.0,
                       health: str = "/__admin/health") -> None:
    """Poll a child server (``serve``, or the portal with ``health="/api/health"``) until its health
    route answers; raise with the end of its stderr if it dies or never answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{base}{health}", timeout=1).status_code == 200:
                return
        except requests.exceptions.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"{proc.args!r} did not start: {err[-2000:]}")
        time.sleep(0.05)
