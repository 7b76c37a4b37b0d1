"""The registry of named steps and checks: what a scenario may say, with the arguments each takes.

A step changes the world (``advance_clock``, ``link``, ``sync``); a check asserts on it
(``connection``, ``journal``, ``max_calls_in_window``). Each is declared once, where it is written,
with ``@step`` / ``@check`` and a JSON Schema for its arguments: the loader validates scenarios with
it and the editor schema file (``scenario.schema.json``) is generated from it, so the two never
disagree. This module knows nothing of the steps themselves: ``vocabulary`` imports the modules that
register them, and is what the loader, runner and schema read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

__all__ = ["Entry", "REGISTRY", "step", "check", "Kind"]

Kind = Literal["step", "check"]


@dataclass(frozen=True)
class Entry:
    """One named step or check: its function ``fn(run, **args)`` and its argument schema."""

    name: str
    kind: Kind
    fn: Callable[..., Any]
    doc: str
    args: dict[str, Any]                       # JSON Schema of the argument object
    shorthand: str | None = None               # ``- advance_clock: 60`` means ``{seconds: 60}``
    needs_portal: bool = False
    needs_person: bool = False                 # against the real Zoho: someone must click
    examples: tuple[Any, ...] = field(default=())

    def normalise(self, raw: Any) -> Any:
        """The argument object from what the YAML gave (nothing, a shorthand scalar, or a mapping)."""
        if raw is None:
            return {}
        if self.shorthand is not None and not isinstance(raw, dict):
            return {self.shorthand: raw}
        return raw


REGISTRY: dict[str, Entry] = {}


def _register(kind: Kind, name: str, properties: dict[str, Any], required: tuple[str, ...],
              shorthand: str | None, needs_portal: bool, needs_person: bool, extra: Any = False) -> Callable:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in REGISTRY:
            raise ValueError(f"{kind} {name!r} is registered twice")
        schema = {"type": "object", "properties": properties, "additionalProperties": extra}
        if required:
            schema["required"] = list(required)
        doc = (fn.__doc__ or "").strip().split("\n")[0]
        REGISTRY[name] = Entry(name, kind, fn, doc, schema, shorthand, needs_portal, needs_person)
        return fn
    return wrap


def step(name: str, properties: dict[str, Any] | None = None, *, required: tuple[str, ...] = (),
         shorthand: str | None = None, portal: bool = False, person: bool = False, extra: Any = False) -> Callable:
    """Register a step; its docstring's first line is its help. ``extra``: the schema of keys
    besides ``properties`` (False: none allowed)."""
    return _register("step", name, properties or {}, required, shorthand, portal, person, extra)


def check(name: str, properties: dict[str, Any] | None = None, *, required: tuple[str, ...] = (),
          shorthand: str | None = None, portal: bool = False) -> Callable:
    """Register a check (an assertion); it raises ``CheckFailed`` with what went wrong."""
    return _register("check", name, properties or {}, required, shorthand, portal, False)

