"""Scenario files: the library loads, and every malformed file is refused with file, line and reason."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from harness.scenarios.loader import ScenarioError, load_many, load_scenario
from harness.scenarios.schema import SCHEMA_FILE, editor_schema_text

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"

# A small scenario that needs only the emulator (used by the other runner tests too).
EMULATOR_ONLY = """\
title: Another app's calls show in the journal and the counters
tags: [emulator, quota]
setup:
  emulator:
    users:
      ada: {dc: eu}
    organizations:
      acme: {owner: ada, edition: uk, plan: free, counts: {invoices: 3}}
steps:
  - other_app_calls: {org: acme, user: ada, count: 12}
  - mark: after
  - advance_clock: 60
expect:
  - limits: {org: acme, daily_used: 12}
  - journal: {where: {path: /books/v3/invoices, org: acme}, count: 12}
  - journal: {where: {since: after}, count: 0}
  - max_calls_in_window: {org: acme, max: 12}
"""


def write_scenario(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> ScenarioError:
    path = write_scenario(tmp_path / "scenarios", "bad", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.path == path
    assert str(info.value).startswith(f"{path}:{info.value.line}: ")
    return info.value


def test_an_emulator_only_scenario_loads_with_its_lines(tmp_path):
    s = load_scenario(write_scenario(tmp_path, "ok", EMULATOR_ONLY))
    assert s.name == "ok" and s.tags == ["emulator", "quota"]
    assert [(c.name, c.line) for c in s.steps] == [("other_app_calls", 10), ("mark", 11), ("advance_clock", 12)]
    assert s.steps[2].args == {"seconds": 60}  # a shorthand scalar becomes the named argument
    assert s.expect[0].line == 14


def test_bad_yaml_names_its_line(tmp_path):
    err = refused(tmp_path, "title: x\nsteps:\n  - mark: [a\n  - advance_clock: 1\n")
    assert err.line in (3, 4) and "not valid YAML" in err.reason


def test_a_duplicate_key_is_refused(tmp_path):
    err = refused(tmp_path, "title: twice\ntitle: again\nsteps: []\n")
    assert (err.line, err.reason) == (2, "duplicate key 'title'")


def test_an_unknown_step_names_its_line_and_the_nearest_name(tmp_path):
    err = refused(tmp_path, "title: typo\nsteps:\n  - mark: a\n  - advance_clok: 60\n")
    assert err.line == 4
    assert err.reason == "unknown step 'advance_clok' (did you mean 'advance_clock'?)"


def test_a_wrong_type_names_the_argument_and_its_line(tmp_path):
    err = refused(tmp_path, "title: type\nsteps:\n  - advance_clock:\n      seconds: soon\n")
    assert err.line == 4 and "steps[0].advance_clock.seconds" in err.reason and "'soon' is not of type" in err.reason


def test_an_unknown_argument_is_named(tmp_path):
    err = refused(tmp_path, "title: arg\nsteps:\n  - advance_clock: {secs: 5}\n")
    assert err.line == 3 and "unknown key 'secs'" in err.reason


def test_an_unknown_setup_key_is_named_at_its_line(tmp_path):
    err = refused(tmp_path, "title: setup\nsetup:\n  emulator:\n    usres: {}\nsteps: []\n")
    assert err.line == 4 and "unknown key 'usres'" in err.reason and "did you mean 'users'" in err.reason


def test_a_missing_title_is_refused(tmp_path):
    err = refused(tmp_path, "steps: []\n")
    assert err.line == 1 and "'title' is a required property" in err.reason


def test_a_step_in_expect_is_refused(tmp_path):
    err = refused(tmp_path, "title: misplaced\nsteps: []\nexpect:\n  - advance_clock: 5\n")
    assert err.line == 4 and "is a step, not a check" in err.reason


def test_an_undefined_alias_is_refused_before_anything_runs(tmp_path):
    err = refused(tmp_path, "title: alias\nsteps:\n  - link: {company: shop, user: ada}\n")
    assert err.line == 3 and "company 'shop' is not defined before this step" in err.reason


def test_an_org_owned_by_an_unknown_user_is_refused(tmp_path):
    err = refused(tmp_path, "title: owner\nsetup:\n  emulator:\n    organizations:\n      acme: {owner: ada}\n"
                            "steps: []\n")
    assert err.line == 5 and "owner 'ada' is not a user" in err.reason


def test_an_unknown_connector_setting_is_refused(tmp_path):
    err = refused(tmp_path, "title: knob\nsetup:\n  connector:\n    ignore_everything: true\nsteps: []\n")
    assert err.line == 4 and "ignore_everything" in err.reason


def test_an_unknown_mistake_in_guards_is_refused(tmp_path):
    err = refused(tmp_path, "title: guard\nguards: [forget_tokens]\nsteps: []\n")
    assert err.line == 2 and "forget_tokens" in err.reason


def test_one_bad_file_does_not_hide_the_others(tmp_path):
    d = tmp_path / "scenarios"
    write_scenario(d, "a-good", EMULATOR_ONLY)
    write_scenario(d, "b-bad", "title: bad\nsteps:\n  - no_such_step\n")
    good, bad = load_many([d])
    assert [s.name for s in good] == ["a-good"]
    assert [(e.path.name, e.line) for e in bad] == [("b-bad.yaml", 3)]


def test_the_library_loads_and_covers_the_catalogue():
    good, bad = load_many([LIBRARY])
    assert bad == []
    assert sorted({s.catalogue for s in good}) == list(range(1, 31))
    assert len({s.name for s in good}) == len(good)
    assert all(s.title and len(s.title) < 160 for s in good)


def test_the_editor_schema_file_is_current_and_accepts_the_library():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == editor_schema_text(), "run: zoho-harness schema > " + str(SCHEMA_FILE)
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(LIBRARY.glob("*.yaml")):
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_editor_schema_refuses_what_the_loader_refuses(tmp_path):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"title": "t", "steps": [{"advance_clok": 5}]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"title": "t", "steps": [{"advance_clock": {"seconds": "soon"}}]})


def test_the_readme_example_is_a_valid_scenario_and_its_reference_is_current(tmp_path):
    from harness.scenarios.schema import reference_markdown

    readme = (LIBRARY / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = load_scenario(write_scenario(tmp_path / "scenarios", "example", example))
    assert scenario.name == "uk-edition-on-eu-dc" and len(scenario.expect) == 9
    table = readme.split("<!-- steps:start -->\n", 1)[1].split("<!-- steps:end -->", 1)[0]
    assert table == reference_markdown(), "run: zoho-harness steps, and paste it into scenarios/README.md"
