"""The locust side: command-line options of every load profile, and ``ZohoSyncUser``, one simulated
customer organisation whose integration (``load.sync.integration``) runs one HTTP call per task.

Pacing and waits happen in ``wait_time``, between calls, so when a bounded run stops (``--run-time``,
``--stop-timeout``) no call is cut in half: every call locust counts is one the emulator journaled.
"""
from __future__ import annotations

import threading
import uuid
from typing import Any
from urllib.parse import urlencode

from locust import events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.runners import MasterRunner, WorkerRunner

from mock_zoho.testing import ZohoTarget

from .options import parse_counts, parse_dcs
from .pacing import RollingBudget
from .sync import RESOURCES, Call, Reply, SyncOptions, SyncState, Wait, integration
from .tally import Tally, TallyCollector, record_call
from .tenants import pick_dc, provision

TALLY = Tally()  # this process's counts (see load.tally)
_scale_lock = threading.Lock()
_scale: dict[str, float] = {}


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    g = parser.add_argument_group("Zoho load profile (load/)")
    g.add_argument("--run-id", default="", help="Tag of this run's orgs (default: one made by the master)")
    g.add_argument("--dcs", default="us,eu,in,au,jp,ca,sa,uk", help="Data centers the customers are spread over")
    g.add_argument("--records", default="contacts=30,invoices=90",
                   help="Records seeded per org, resource=count (synced: contacts, invoices, items, bills)")
    g.add_argument("--budget", type=float, default=0.9,
                   help="Share of the per-minute limit the integration allows itself (0: no pacing, react to 429s)")
    g.add_argument("--per-minute", type=int, default=0,
                   help="Override each org's per-minute limit on the emulator (0: Zoho's, 100)")
    g.add_argument("--poll-vmin", type=float, default=2.0, help="Virtual minutes between sync jobs of an org")
    g.add_argument("--writes", type=int, default=1, help="Contacts each sync job creates (read back by the next)")
    g.add_argument("--refresh", choices=["job", "cached"], default="job",
                   help="job: refresh the access token at each job's start; cached: only when it runs out")
    g.add_argument("--tally-out", default="", help="Write the per-org client-side counts here (JSON) at the end")
    g.add_argument("--steps", default="4:10,8:10,16:10",
                   help="ceiling profile: users:seconds stages of rising load")


@events.init.add_listener
def _init(environment: Any, **_: Any) -> None:
    options = environment.parsed_options
    if options is None:
        return
    if not options.run_id and not isinstance(environment.runner, WorkerRunner):
        options.run_id = uuid.uuid4().hex[:8]
    TallyCollector(environment, TALLY, options.tally_out or None)
    if not isinstance(environment.runner, MasterRunner):
        parse_counts(options.records), parse_dcs(options.dcs)  # fail fast, naming the option


def time_scale(target: ZohoTarget) -> float:
    """The emulator's virtual seconds per real second (read once per process)."""
    with _scale_lock:
        if target.base not in _scale:
            _scale[target.base] = float(target.admin.clock()["scale"])
        return _scale[target.base]


class ZohoSyncUser(FastHttpUser):
    """One customer organisation and the integration syncing it. Subclasses set the profile."""

    abstract = True
    paced = True  # the integration keeps to its own per-minute budget
    unlimited = False  # lift the org's limits (measuring the emulator, not the integration)
    poll_vmin: float | None = None  # overrides --poll-vmin (the ceiling profile syncs back to back)
    refresh: str | None = None  # overrides --refresh (back-to-back jobs would hit Zoho's token limit)
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        o = self.environment.parsed_options
        target = ZohoTarget("remote", self.host.rstrip("/"))
        scale = time_scale(target)
        dcs = parse_dcs(o.dcs)
        runner = self.environment.runner
        self.tenant = provision(target, o.run_id, pick_dc(dcs, int(getattr(runner, "worker_index", 0) or 0)),
                                parse_counts(o.records),
                                unlimited=self.unlimited, per_minute=o.per_minute)
        capacity = int(self.tenant.per_minute * o.budget) if self.paced and o.budget > 0 else 0
        self.budget = RollingBudget(capacity, 60.0 / scale)
        resources = tuple(r for r in parse_counts(o.records) if r in RESOURCES) or ("contacts",)
        poll_vmin = o.poll_vmin if self.poll_vmin is None else self.poll_vmin
        self.options = SyncOptions(resources=resources, poll_s=poll_vmin * 60.0 / scale, writes_per_job=o.writes,
                                   refresh=self.refresh or o.refresh, scale=scale)
        self.state = SyncState()
        self.flow = integration(self.tenant, self.options, self.budget, self.state)
        self._reply: Reply | None = None
        self._wait = 0.0
        TALLY.org(self.tenant.org_id, dc=self.tenant.dc, user=self.tenant.user, client_id=self.tenant.client_id,
                  per_minute=self.tenant.per_minute, worker=int(getattr(runner, "worker_index", 0) or 0))

    def wait_time(self) -> float:
        wait, self._wait = max(self._wait, self.budget.delay()), 0.0
        return wait

    @task
    def step(self) -> None:
        item = self.flow.send(self._reply)
        self._reply = None
        TALLY.org(self.tenant.org_id, records=self.state.records, jobs=self.state.jobs)
        if isinstance(item, Wait):
            self._wait = item.seconds
            return
        self._reply = self.call(item)

    def call(self, call: Call) -> Reply:
        headers, data = dict(call.headers), None
        if call.form is not None:
            data = urlencode(call.form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if call.area == "books":
            self.budget.spend()
        with self.client.request(call.method, call.url, name=call.name, data=data, json=call.json, headers=headers,
                                 catch_response=True) as resp:
            status = int(resp.status_code or 0)
            body = None
            if status and (call.parse or status >= 400):
                try:
                    body = resp.json()
                except Exception:  # a body that is not JSON is judged by its status alone
                    body = None
            code = body.get("code") if isinstance(body, dict) and isinstance(body.get("code"), int) else None
            error = body.get("error") if isinstance(body, dict) and call.area == "accounts" else None
            if 200 <= status < 400 and not error:
                resp.success()
            else:
                resp.failure(f"HTTP {status}" + (f" code {code}" if code is not None else "") +
                             (f" {error}" if error else ""))
            reset = resp.headers.get("X-Rate-Limit-Reset") if status == 429 and resp.headers else None
        record_call(TALLY, self.tenant.org_id, call.area, status, code)
        if call.creates and status == 201 and isinstance(body, dict):  # counted here: the run may stop next
            TALLY.created(self.tenant.org_id, str(body.get(call.creates, {}).get(f"{call.creates}_id", "")))
        return Reply(status, code, body, {"X-Rate-Limit-Reset": reset} if reset else {})
