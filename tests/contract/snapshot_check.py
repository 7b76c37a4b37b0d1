"""Ask a target the question a snapshot documents, and compare the answer's shape with it.

The emulator's known gaps (``emulator_gaps.json``: documented fields it does not serve yet, each
with its reason) are expected mismatches; a gap that stops being one must be removed from the list.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Mapping

from .shapes import compare, shape_of
from .targets import ContractClient, list_key

GAPS_FILE = Path(__file__).parent / "emulator_gaps.json"


def answer_for(client: ContractClient, request: Mapping[str, Any]) -> tuple[int, Any, Mapping[str, str]]:
    """(status, JSON body, headers) of the snapshot's request on ``client``."""
    if request.get("kind") == "oauth_refresh":
        return 200, client.refresh_answer, {}
    path = request["path"]
    if "id_from" in request:
        listing = client.ok(request["id_from"], {})
        items = listing[list_key(listing)]
        if not items:
            raise LookupError(f"no records at {request['id_from']} to take an id from")
        id_field = path.split("{", 1)[1].split("}", 1)[0]
        path = path.replace(f"{{{id_field}}}", str(items[0][id_field]))
    r = client.books(path, request.get("params") or {})
    return r.status_code, r.json(), r.headers


def known_gaps(path: Path = GAPS_FILE) -> dict[str, dict[str, str]]:
    data = json.loads(path.read_text())
    return {name: gaps for name, gaps in data.items() if not name.startswith("_")}


def field_of(problem: str) -> str:
    return problem.split(": ", 1)[0]


def snapshot_problems(client: ContractClient, doc: Mapping[str, Any],
                      gaps: Mapping[str, str] | None = None) -> list[str]:
    """What the target's answer departs from in the snapshot, minus the target's known gaps; and
    every known gap that is no longer a mismatch (so the list only shrinks)."""
    status, body, _ = answer_for(client, doc["request"])
    if status != doc.get("status", 200):
        return [f"(status): documented {doc.get('status', 200)}, answered {status}"]
    problems = compare(doc["shape"], shape_of(body))
    gaps = dict(gaps or {})
    out = [p for p in problems if field_of(p) not in gaps]
    stale = sorted(set(gaps) - {field_of(p) for p in problems})
    out += [f"{f}: listed in emulator_gaps.json but now served as documented: remove it" for f in stale]
    return out


def recorded(client: ContractClient, doc: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot of what ``client`` (the live Zoho) answered: shapes and header names, no values;
    refused if a secret of the run shows up anywhere in it (a key named after one, say)."""
    status, body, headers = answer_for(client, doc["request"])
    host = client.accounts_server.split("://", 1)[-1]
    out = {
        "name": doc["name"],
        "source": f"live Zoho ({host}), recorded {time.strftime('%Y-%m-%d', time.gmtime())} by the contract suite",
        "request": dict(doc["request"]),
        "status": status,
        "headers": sorted(h for h in headers if h.lower().startswith(("x-rate-limit", "content-type", "retry-after"))),
        "shape": shape_of(body),
    }
    text = json.dumps(out)
    secrets = [s for s in (client.credentials.get("client_secret"), client.credentials.get("refresh_token"),
                           client.access_token, client.organization_id) if s]
    leaked = [s[-4:] for s in secrets if s in text]
    if leaked:
        raise ValueError(f"{doc['name']}: refusing to record, the answer's keys hold a secret ending {leaked}")
    return out
