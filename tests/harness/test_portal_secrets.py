"""No client secret, access token, refresh token or grant code in anything a run produces: log lines
(every logger, DEBUG and up, and the process's output), pages, API answers, events, webhook bodies,
and the SQLite file's bytes (the secrets there are sealed)."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from harness.portal.testing import PortalWorld
from mock_zoho import testing


def test_a_full_run_leaks_no_secret(tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "portal.sqlite3"
    answers: list[str] = []
    keep = lambda r, *a, **k: answers.append(r.text)  # noqa: E731 (every answer the test sees)
    secrets: set[str] = set()
    with testing.server(seed=9) as zoho, PortalWorld.start(zoho, db=str(db)) as world:
        world.api.hooks["response"].append(keep)
        secrets.add(world.client["client_secret"])
        user = zoho.admin.create_user(dc="eu")
        zoho.admin.create_org(users=[user], edition="uk", counts={"invoices": 3, "contacts": 2})
        india = zoho.admin.create_user(dc="in")
        zoho.admin.create_org(users=[india], edition="in")
        customer = requests.Session()
        customer.hooks["response"].append(keep)
        company = world.company("Leak Check", redirect_url="https://customer.example/done")
        landed = world.link(company["redirect"], user["email"], customer=customer)
        assert landed.params["statusCode"] == "200"
        secrets.add(parse_qs(urlsplit(landed.steps[1].headers["Location"]).query)["code"][0])
        connection = world.call("GET", f"/api/companies/{company['id']}/connections")["results"][0]
        secrets.add(world.platform.store.refresh_token(world.platform.store.connection_row(connection["id"])))
        world.call("POST", f"/api/companies/{company['id']}/data/all?wait=true")
        secrets.add(world.platform.sync_store.load_token(connection["id"]).access_token)
        refused = world.company("Refused")
        assert world.link(refused["redirect"], india["email"]).params["statusCode"] == "501"
        denied = world.company("Denied")
        assert world.link(denied["redirect"], user["email"], "deny").params["statusCode"] == "403"
        for path in ("/settings", "/companies", f"/companies/{company['id']}",
                     f"/companies/{company['id']}/connections/{connection['id']}", "/api/events", "/api/settings",
                     "/api/integrations/zoho-books", f"/api/companies/{company['id']}", "/api/webhooks/deliveries",
                     f"/api/companies/{company['id']}/datasets", f"/api/companies/{company['id']}/data/invoices?raw=true"):
            answers.append(world.api.get(f"{world.url}{path}").text)
        world.call("PATCH", f"/api/companies/{company['id']}/connections/{connection['id']}", json={"status": "Unlinked"})
        answers.append(world.api.get(f"{world.url}/api/events").text)
    assert all(s and len(s) > 20 for s in secrets) and len(secrets) == 4
    produced = {
        "logs": "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records),
        "output": "".join(capfd.readouterr()),
        "answers": "\n".join(answers),
        "sqlite": b"".join(p.read_bytes() for p in Path(tmp_path).iterdir() if p.is_file()).decode("latin-1"),
    }
    assert "harness.portal" in produced["logs"] and "POST /dc/eu/oauth/v2/token" in produced["logs"]
    for where, text in produced.items():
        for secret in secrets:
            assert secret not in text, f"a secret ({secret[:6]}...) appears in {where}"
