"""Many links of one Zoho user (the 20-refresh-token cap), and one refresh at a time across processes."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path


from harness.connector import MemorySyncStore, SyncEngine
from harness.connector.emulated import endpoints_for, link, register_client
from mock_zoho import testing

ROOT = Path(__file__).resolve().parents[2]


def test_the_21st_link_deauthorizes_the_first_connection_and_the_other_20_keep_syncing(caplog):
    caplog.set_level(logging.DEBUG)
    with testing.inprocess(seed=21) as zoho:
        client = register_client(zoho)
        user = zoho.admin.create_user(dc="eu")
        zoho.admin.create_org(users=[user], edition="uk", counts={"invoices": 3})
        endpoints = endpoints_for(zoho)
        store = MemorySyncStore(zoho.clock)
        engine = SyncEngine(store, endpoints, None, zoho.clock)
        connections = []
        for n in range(21):
            if n and n % 10 == 0:
                zoho.clock.advance(601)        # Zoho issues 10 grant codes per user per 10 minutes
            conn, _, _ = link(zoho, client, user, endpoints=endpoints, connection_id=f"conn{n + 1:02d}")
            connections.append(conn)
            if n == 0:
                assert engine.run(conn, ["company"])[0].status == "Complete"
        assert len(zoho.admin.tokens(client_id=client["client_id"])) == 20
        results = {c.connection_id: engine.run(c, ["company", "invoices"]) for c in connections}
        first = results.pop("conn01")
        assert [d.status for d in first] == ["AuthError", "AuthError"]
        assert store.deauthorized == {"conn01": "invalid_code"}
        assert [e for e in store.events if e["eventType"] == "connection.disconnected"][0]["payload"][
            "connectionId"] == "conn01"
        assert all([d.status for d in ds] == ["Complete", "Complete"] for ds in results.values())
        assert len(results) == 20
        secrets = [c.client_secret for c in connections] + [c.refresh_token for c in connections]
        text = caplog.text + json.dumps(store.events) + repr(store.datasets())
        assert not [s for s in secrets if s in text]


CHILD = textwrap.dedent("""
    import json, sys
    from harness.connector import ConnectionAuth, ConnectorSettings, MemorySyncStore, OAuthClient, TokenManager
    from harness.connector.endpoints import ZohoEndpoints
    from mock_zoho import testing
    args = json.loads(sys.argv[1])
    target = testing.remote(args["base"])
    conn = ConnectionAuth(**args["conn"])
    endpoints = ZohoEndpoints(args["base"])
    store = MemorySyncStore(target.clock, lock_dir=args["dir"])
    oauth = OAuthClient(conn.client_id, conn.client_secret, "", endpoints, clock=target.clock)
    manager = TokenManager(oauth, store, conn, target.clock, ConnectorSettings())
    print(manager.token().access_token[-4:], manager.refreshes)
""")


def test_processes_sharing_a_token_cache_refresh_one_at_a_time(tmp_path):
    with testing.server(seed=22) as zoho:
        client = register_client(zoho)
        user = zoho.admin.create_user(dc="us")
        zoho.admin.create_org(users=[user])
        conn, _, _ = link(zoho, client, user)
        zoho.admin.clear_requests()
        arg = json.dumps({"base": zoho.base, "conn": asdict(conn), "dir": str(tmp_path)})
        procs = [subprocess.Popen([sys.executable, "-c", CHILD, arg], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outs = [p.communicate(timeout=60) for p in procs]
        assert all(p.returncode == 0 for p in procs), [o[1][-500:] for o in outs]
        tails = {o[0].split()[0] for o in outs}
        assert len(tails) == 1                                  # all three use the one token
        assert sorted(int(o[0].split()[1]) for o in outs) == [0, 0, 1]
        assert len(zoho.admin.requests(path="/oauth/v2/token")) == 1
        assert conn.refresh_token not in "".join(p.read_text() for p in tmp_path.glob("*.lock"))
