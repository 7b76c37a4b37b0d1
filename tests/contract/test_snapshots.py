"""Every snapshot (the shape of a documented, or recorded, Zoho answer) against each target.

Emulator: the answer must carry every documented field with a compatible type, except the known
gaps listed with their reasons in ``emulator_gaps.json``. Live: the answer is compared the same way,
or recorded over the snapshot with ``--record-contract`` / ZOHO_CONTRACT_RECORD=1.
"""
from __future__ import annotations

import pytest

from .conftest import recording
from .shapes import load_snapshot, snapshot_names, write_snapshot
from .snapshot_check import known_gaps, recorded, snapshot_problems


@pytest.mark.parametrize("name", snapshot_names())
def test_answer_matches_snapshot(zoho_api, name, request):
    doc = load_snapshot(name)
    if zoho_api.mode == "live" and recording(request.config):
        path = write_snapshot(recorded(zoho_api, doc))
        print(f"recorded {path.name}")
        return
    gaps = known_gaps().get(name, {}) if zoho_api.mode == "emulator" else {}
    try:
        problems = snapshot_problems(zoho_api, doc, gaps)
    except LookupError as exc:
        pytest.skip(f"{name}: {exc}")
    assert not problems, f"{name} ({doc['source']}):\n  " + "\n  ".join(problems)
