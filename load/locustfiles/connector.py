"""Profile "connector": the reference connector's own sync (``harness.connector.SyncEngine``) for many
linked companies at once. Each locust user is one customer org (spread over ``--dcs``) linked to
the platform's OAuth app through Zoho's consent pages, then synced by the engine every
``--poll-vmin`` virtual minutes (complete reads of the seeded resources: list pages and detail
GETs), under the connector's own per-org budget. ``python -m load run connector`` runs it bounded
and checks the emulator's journal afterwards.

    locust -f load/locustfiles/connector.py --headless -u 20 -r 10 -t 60s --host http://127.0.0.1:8080
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project root: `load`, `harness`, `mock_zoho`

from locust import User, task  # noqa: E402

from harness.connector import ConnectorSettings, MemorySyncStore, SyncEngine  # noqa: E402
from harness.connector.emulated import endpoints_for, link  # noqa: E402
from load.connector import DATA_TYPE_OF, CountingSession, ScaledClock, journal_baseline, platform_client  # noqa: E402
from load.options import parse_counts, parse_dcs  # noqa: E402
from load.tenants import DC_EDITIONS, org_name, pick_dc  # noqa: E402
from load.users import TALLY  # noqa: E402  (also registers the profiles' command-line options)
from mock_zoho.testing import ZohoTarget  # noqa: E402


class LinkedCompany(User):
    """One company: link once, then a sync job per task, ``--poll-vmin`` apart."""

    def on_start(self) -> None:
        o = self.environment.parsed_options
        target = ZohoTarget("remote", self.host.rstrip("/"))
        dcs = parse_dcs(o.dcs)
        worker = int(getattr(self.environment.runner, "worker_index", 0) or 0)
        dc = pick_dc(dcs, worker)
        counts = parse_counts(o.records)
        self.data_types = [DATA_TYPE_OF[r] for r in counts if r in DATA_TYPE_OF] or ["customers"]
        user = target.admin.create_user(dc=dc)
        org = target.admin.create_org(org_name(o.run_id, dc), users=[user], edition=DC_EDITIONS[dc], counts=counts)
        if o.per_minute:
            target.admin.set_limits(org["organization_id"], per_minute=o.per_minute)
        client = platform_client(target, o.run_id, dcs)
        endpoints = endpoints_for(target)
        self.clock = ScaledClock(target.admin)
        self.conn, _, _ = link(target, client, user, endpoints=endpoints, data_types=self.data_types, clock=self.clock)
        self.org_id = org["organization_id"]
        TALLY.org(self.org_id, dc=dc, user={k: user[k] for k in ("user_id", "email", "dc")}, worker=worker,
                  per_minute=int(target.admin.limits(self.org_id)["per_minute"]["limit"]),
                  baseline=journal_baseline(target.admin, self.org_id))
        session = CountingSession(self.host, self.environment.events.request, self, TALLY, self.org_id)
        self.store = MemorySyncStore(self.clock)
        settings = ConnectorSettings.from_dict({"complete_datasets": self.data_types})
        self.engine = SyncEngine(self.store, endpoints, settings, self.clock, session=session)
        self.poll_s = o.poll_vmin * 60.0 / self.clock.scale
        self.jobs = 0

    def wait_time(self) -> float:
        return self.poll_s if self.jobs else 0.0

    @task
    def sync(self) -> None:
        datasets = self.engine.run(self.conn, self.data_types)
        self.jobs += 1
        records = sum(len(self.store.list_records(self.conn.company_id, dt)) for dt in self.data_types)
        TALLY.org(self.org_id, records=records, jobs=self.jobs,
                  statuses={d.data_type: d.status for d in datasets})
