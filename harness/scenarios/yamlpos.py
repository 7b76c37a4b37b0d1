"""YAML with line numbers: a scenario's errors must name the line, not only the key.

``load(text)`` returns the plain Python value and a ``Lines`` map from a path (a tuple of keys and
list indexes, as jsonschema reports them) to the 1-based line where that value starts.
"""
from __future__ import annotations

from typing import Any, Sequence

import yaml

__all__ = ["Lines", "YamlError", "load"]

Path = tuple[Any, ...]


class YamlError(ValueError):
    """Text that is not YAML (or has a duplicate key): ``line`` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class Lines:
    """Where each value of a document starts; ``of(path)`` falls back to the nearest parent."""

    def __init__(self) -> None:
        self._lines: dict[Path, int] = {}
        self._key_lines: dict[Path, int] = {}

    def of(self, path: Sequence[Any]) -> int:
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 1)

    def key_of(self, path: Sequence[Any]) -> int:
        """The line of the key that introduces ``path`` (a mapping's own line is its first key's)."""
        return self._key_lines.get(tuple(path)) or self.of(path)


def _build(node: yaml.Node, path: Path, lines: Lines) -> Any:
    lines._lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("a mapping key must be a plain value", key_node.start_mark.line + 1)
            key = _scalar(key_node)
            if key in out:
                raise YamlError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            lines._key_lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if node.tag == "tag:yaml.org,2002:timestamp":  # 2026-03-02T09:00:00Z stays the text it was written as
        return node.value
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def load(text: str) -> tuple[Any, Lines]:
    """Parse one YAML document; ``YamlError`` with the line for anything that is not plain YAML."""
    lines = Lines()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(f"not valid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}", 1) from None
    if node is None:
        return None, lines
    try:
        return _build(node, (), lines), lines
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlError(f"not valid YAML: {exc.problem}", mark.line + 1 if mark else 1) from None
