"""Issue 13's conformance test (and issue 16's measure): every operation of Zoho's Books OpenAPI
documents sent to the emulator, served answers validated against the documented schemas (errata
applied), every documented list parameter of a served list checked, against the known list.

In-process mode only (``mock_zoho.testing.inprocess``), on purpose: the check is of the Books
handlers' answers, which the real-server mode serves identically (the contract and Books suites
prove both modes); in process the whole run takes seconds. Skipped, saying why, when the documents
(``../shared/zoho-oas`` or ``ZOHO_OAS_DIR``) are absent, as in a fresh clone.
"""
from __future__ import annotations

import fnmatch
import json
import re

import pytest

from .oas import EXPECTED_OPERATIONS, REPO_ROOT, oas_dir
from .report import CHOICES_FILE, KNOWN_FILE, Conformance, measure

@pytest.fixture(scope="module")
def conformance() -> Conformance:
    where, why = oas_dir()
    if where is None:
        pytest.skip(why)
    return measure()


def test_every_documented_operation_is_tried(conformance: Conformance):
    """Each operation of every document is sent once and classified (served or not)."""
    assert len(conformance.operations) == EXPECTED_OPERATIONS, \
        f"Zoho's documents hold {len(conformance.operations)} operations, not {EXPECTED_OPERATIONS}: a newer set? " \
        "Update oas.EXPECTED_OPERATIONS and review known_violations.json"
    assert len({(r.method, r.path, r.module) for r in conformance.operations}) == len(conformance.operations)
    assert all(r.status for r in conformance.operations)


def test_no_new_violation(conformance: Conformance):
    """A served answer that departs from the documented schema, or a documented filter of a served list
    not honoured, must be fixed or listed (with why) in known_violations.json."""
    new = conformance.new()
    assert not new, f"{len(new)} new violations ({conformance.summary()}); fix them or list them in " \
                    f"{KNOWN_FILE.name}:\n" + "\n".join(f"{k}: {v}" for k, v in sorted(new.items())[:60])


def test_no_stale_known_violation(conformance: Conformance):
    """A listed violation that no longer happens must leave the list (it only shrinks)."""
    stale = conformance.stale()
    assert not stale, f"{len(stale)} entries of {KNOWN_FILE.name} no longer happen: remove them\n" + "\n".join(stale[:60])


def test_known_and_choices_files_give_a_reason_each():
    for path, section in ((KNOWN_FILE, "violations"), (CHOICES_FILE, "choices")):
        entries = json.loads(path.read_text())[section]
        assert all(isinstance(why, str) and len(why) > 20 for why in entries.values()), path.name


def test_every_filter_choice_is_in_the_readme_table_of_choices():
    """A documented parameter accepted without Zoho's semantics is a choice only once the README says so."""
    names = set(re.findall(r"`([^`\s]+)`", (REPO_ROOT / "README.md").read_text()))
    params = {key.split(" ", 1)[1] for key in json.loads(CHOICES_FILE.read_text())["choices"]}
    missing = sorted(p for p in params if not any(fnmatch.fnmatchcase(p, n) for n in names))
    assert not missing, f"filter_choices.json lists parameters the README's choices table does not name: {missing}"
