"""Matchers: the values a check compares with, and the sentence it says when they differ."""
from __future__ import annotations

import re
from typing import Any

from .argtypes import MATCH_OPS

__all__ = ["matches", "describe"]


def _is_ops(spec: Any) -> bool:
    return isinstance(spec, dict) and bool(spec) and set(spec) <= set(MATCH_OPS)


def _one(op: str, want: Any, got: Any) -> bool:
    if op == "eq":
        return matches(want, got)
    if op == "ne":
        return not matches(want, got)
    if op == "present":
        return (got is not None) == bool(want)
    if got is None:
        return False
    try:
        if op == "min":
            return got >= want
        if op == "max":
            return got <= want
        if op == "lt":
            return got < want
        if op == "gt":
            return got > want
    except TypeError:
        return False
    if op == "in":
        return got in want
    if op == "not_in":
        return got not in want
    if op == "contains":
        return want in got if isinstance(got, (str, list, tuple, dict)) else False
    if op == "not_contains":
        return want not in got if isinstance(got, (str, list, tuple, dict)) else True
    if op == "matches":
        return re.search(str(want), str(got)) is not None
    if op == "len":
        return hasattr(got, "__len__") and matches(want, len(got))
    raise ValueError(f"unknown matcher {op!r}")


def matches(spec: Any, got: Any) -> bool:
    """True when ``got`` satisfies ``spec`` (a plain value to equal, or a dict of operators)."""
    if _is_ops(spec):
        return all(_one(op, want, got) for op, want in spec.items())
    if isinstance(spec, float) or isinstance(got, float):
        try:
            return abs(float(spec) - float(got)) < 1e-9
        except (TypeError, ValueError):
            return False
    if isinstance(spec, (int, str)) and isinstance(got, (int, str)) and not isinstance(spec, bool) \
            and not isinstance(got, bool) and type(spec) is not type(got):
        return str(spec) == str(got)  # "403" and 403 are the same status code in a scenario
    return spec == got


def describe(spec: Any) -> str:
    """``at least 1 and at most 3``, ``'Linked'``: the expectation as words."""
    if not _is_ops(spec):
        return repr(spec)
    words = {"eq": "equal to {!r}", "ne": "not {!r}", "min": "at least {}", "max": "at most {}", "lt": "below {}",
             "gt": "above {}", "in": "one of {!r}", "not_in": "none of {!r}", "contains": "containing {!r}",
             "not_contains": "not containing {!r}", "matches": "matching /{}/", "len": "of length {}"}
    parts = []
    for op, want in spec.items():
        if op == "present":
            parts.append("present" if want else "absent")
        elif op == "len":
            parts.append(f"of length {describe(want)}")
        else:
            parts.append(words[op].format(want))
    return " and ".join(parts)
