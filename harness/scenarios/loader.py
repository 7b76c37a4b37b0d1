"""Load and validate scenario files: every problem is refused with its file, line and reason.

Three passes, each stopping at the first problem so the message is about one thing: YAML (line
from the parser), the document schema (line of the offending value), then each step and check by
name (unknown names get the nearest known one) with its own argument schema, and the aliases it
refers to (a user, organisation or company the scenario defines).
"""
from __future__ import annotations

import difflib
import functools
from pathlib import Path
from typing import Any, Iterable, Iterator

import jsonschema

from harness.connector.settings import ConnectorSettings, SettingsError

from .model import Call, Scenario
from .registry import Entry
from .schema import document_schema
from .vocabulary import VOCABULARY
from .yamlpos import Lines, YamlError, load

__all__ = ["ScenarioError", "load_scenario", "discover", "load_many"]

SUFFIXES = (".yaml", ".yml")


class ScenarioError(ValueError):
    """A malformed scenario: ``path``, ``line`` and what is wrong (``str()`` is ``file:line: reason``)."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = Path(path), line, reason
        super().__init__(f"{path}:{line}: {reason}")


def _where(path: Iterable[Any]) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "".join(parts).lstrip(".") or "the document"


def _schema_error(path: Path, lines: Lines, error: jsonschema.ValidationError, base: tuple = ()) -> ScenarioError:
    """The most specific error of a jsonschema failure, phrased for a person, with its line."""
    best = jsonschema.exceptions.best_match([error]) if error.context else error
    where = base + tuple(best.absolute_path)
    if best.validator == "additionalProperties":
        extra = sorted(set(best.instance) - set(best.schema.get("properties", {})))
        known = ", ".join(best.schema.get("properties", {})) or "none"
        name = extra[0] if extra else "?"
        hint = difflib.get_close_matches(str(name), list(best.schema.get("properties", {})), n=1)
        reason = f"unknown key {name!r} in {_where(where)}" + (f" (did you mean {hint[0]!r}?)" if hint
                                                               else f" (known: {known})")
        return ScenarioError(path, lines.key_of(where + (name,)), reason)
    if best.validator == "required":
        return ScenarioError(path, lines.of(where), f"{_where(where)}: {best.message}")
    return ScenarioError(path, lines.of(where), f"{_where(where)}: {best.message}")


@functools.lru_cache(maxsize=None)
def _validator(kind: str, name: str = "") -> jsonschema.protocols.Validator:
    """One compiled validator per schema (building one checks the schema, which is slow)."""
    schema = document_schema() if kind == "document" else VOCABULARY[name].args
    return jsonschema.Draft202012Validator(schema)


def _first_error(kind: str, instance: Any, name: str = "") -> jsonschema.ValidationError | None:
    return jsonschema.exceptions.best_match(_validator(kind, name).iter_errors(instance))


def _calls(path: Path, lines: Lines, section: str, raw: list[Any], registry: dict[str, Entry],
           checks_only: bool) -> list[Call]:
    out: list[Call] = []
    for i, item in enumerate(raw):
        at = (section, i)
        name, given = (item, None) if isinstance(item, str) else next(iter(item.items()))
        entry = registry.get(name)
        allowed = [n for n, e in registry.items() if not checks_only or e.kind == "check"]
        if entry is None or (checks_only and entry.kind != "check"):
            what = "check" if checks_only else "step"
            hint = difflib.get_close_matches(str(name), allowed, n=1)
            reason = f"unknown {what} {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
            if entry is not None:
                reason = f"{name!r} is a step, not a check: move it to steps"
            raise ScenarioError(path, lines.of(at), reason)
        args = entry.normalise(given)
        args_at = at + ((name,) if isinstance(item, dict) else ())
        error = _first_error("call", args, name)
        if error is not None:
            raise _schema_error(path, lines, error, args_at)
        out.append(Call(name, dict(args), lines.of(at)))
    return out


def _refs(schema: dict[str, Any], args: Any, at: tuple) -> Iterator[tuple[str, str, str, tuple]]:
    """(``x-ref`` or ``x-defines``, kind, value, path) for every alias in ``args``."""
    if not isinstance(schema, dict):
        return
    for key in ("x-ref", "x-defines"):
        if key in schema and isinstance(args, str):
            yield key, schema[key], args, at
    for sub in schema.get("anyOf", []):
        yield from _refs(sub, args, at)
    if isinstance(args, dict):
        for name, value in args.items():
            sub = schema.get("properties", {}).get(name) or schema.get("additionalProperties")
            if isinstance(sub, dict):
                yield from _refs(sub, value, at + (name,))
    elif isinstance(args, list) and isinstance(schema.get("items"), dict):
        for i, value in enumerate(args):
            yield from _refs(schema["items"], value, at + (i,))


def _check_aliases(path: Path, lines: Lines, doc: dict[str, Any], calls: list[tuple[str, list[Call]]],
                   registry: dict[str, Entry]) -> None:
    emu = doc.get("setup", {}).get("emulator", {})
    known = {"user": set(emu.get("users", {})), "org": set(emu.get("organizations", {})), "company": set()}
    for i, (alias, org) in enumerate(emu.get("organizations", {}).items()):
        owners = org["owner"] if isinstance(org["owner"], list) else [org["owner"]]
        for owner in owners:
            if owner not in known["user"]:
                raise ScenarioError(path, lines.of(("setup", "emulator", "organizations", alias, "owner")),
                                    f"organisation {alias!r}: owner {owner!r} is not a user in setup.emulator.users")
    for org in emu.get("limits", {}):
        if org not in known["org"]:
            raise ScenarioError(path, lines.key_of(("setup", "emulator", "limits", org)),
                                f"limits for {org!r}: no such organisation in setup.emulator.organizations")
    for i, rule in enumerate(emu.get("faults", [])):
        if "org" in rule and rule["org"] not in known["org"]:
            raise ScenarioError(path, lines.of(("setup", "emulator", "faults", i, "org")),
                                f"fault names organisation {rule['org']!r}, which setup does not define")
    for section, section_calls in calls:
        for call in section_calls:
            entry = registry[call.name]
            for key, kind, value, _ in _refs(entry.args, call.args, ()):
                if key == "x-defines":
                    known[kind].add(value)
                elif value not in known[kind]:
                    hint = f" (defined: {', '.join(sorted(known[kind]))})" if known[kind] else ""
                    raise ScenarioError(path, call.line, f"{call.name}: {kind} {value!r} is not defined "
                                                         f"before this {entry.kind}{hint}")


def _connector_settings(path: Path, lines: Lines, doc: dict[str, Any]) -> None:
    connector = doc.get("setup", {}).get("connector")
    if not connector:
        return
    try:
        ConnectorSettings.from_dict(connector)
    except SettingsError as exc:
        raise ScenarioError(path, lines.key_of(("setup", "connector", exc.field)), f"setup.connector.{exc}") from None


def load_scenario(path: Path | str) -> Scenario:
    """The scenario in ``path``, or ``ScenarioError`` naming file, line and reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, 1, f"cannot read the file: {exc}") from None
    try:
        doc, lines = load(text)
    except YamlError as exc:
        raise ScenarioError(path, exc.line, str(exc)) from None
    if not isinstance(doc, dict):
        raise ScenarioError(path, 1, "a scenario is a mapping with at least 'title' and 'steps'")
    error = _first_error("document", doc)
    if error is not None:
        raise _schema_error(path, lines, error)
    steps = _calls(path, lines, "steps", doc["steps"], VOCABULARY, checks_only=False)
    expect = _calls(path, lines, "expect", doc.get("expect", []), VOCABULARY, checks_only=True)
    _check_aliases(path, lines, doc, [("steps", steps), ("expect", expect)], VOCABULARY)
    setup = doc.get("setup", {})
    _connector_settings(path, lines, doc)
    return Scenario(path=path, name=doc.get("name") or path.stem, title=doc["title"],
                    description=doc.get("description", ""), catalogue=doc.get("catalogue"),
                    tags=list(doc.get("tags", [])), guards=list(doc.get("guards", [])), skip=doc.get("skip"),
                    live=bool(doc.get("live", False)), setup=setup, steps=steps, expect=expect,
                    needs_portal="portal" in setup or any(VOCABULARY[c.name].needs_portal for c in (*steps, *expect)))


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Scenario files under ``paths`` (files as given, directories searched recursively), sorted."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()))
        else:
            found.append(p)
    return found


def load_many(paths: Iterable[Path | str]) -> tuple[list[Scenario], list[ScenarioError]]:
    """Every scenario under ``paths``; a bad file is reported and does not stop the others."""
    good: list[Scenario] = []
    bad: list[ScenarioError] = []
    for f in discover(paths):
        try:
            good.append(load_scenario(f))
        except ScenarioError as exc:
            bad.append(exc)
    return good, bad
