"""Check one HTTP answer against the description: is its operation, status, media type, body and
rate headers described? Used by the contract suite on every emulator answer it sees.

    checker = ResponseChecker(build_description())
    problems = checker.check("GET", "/books/v3/invoices", 200, headers, body_bytes)   # [] when described
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT_URI = "urn:mock-zoho:openapi"
_DC_PREFIX = re.compile(r"^/dc/[a-z]{2}(?=/)")


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class _Template:
    path: str
    regex: re.Pattern[str]
    literal_segments: int


class ResponseChecker:
    """Matches a concrete request to its described operation and validates the answer."""

    def __init__(self, description: Mapping[str, Any]) -> None:
        self.description = description
        self.registry = Registry().with_resource(ROOT_URI, Resource(contents=dict(description), specification=DRAFT202012))
        templates = []
        for path in description["paths"]:
            regex = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
            templates.append(_Template(path, regex, sum(1 for s in path.split("/") if s and "{" not in s)))
        self.templates = sorted(templates, key=lambda t: -t.literal_segments)

    @staticmethod
    def normalise(url_or_path: str) -> str:
        """``/dc/eu/books/v3/x``, ``https://www.zohoapis.eu/books/v3/x``, ``/api/v3/x`` -> ``/books/v3/x``."""
        path = urlsplit(url_or_path).path or "/"
        path = _DC_PREFIX.sub("", re.sub(r"/{2,}", "/", path))
        if path.startswith("/api/v3"):
            path = "/books/v3" + path[len("/api/v3"):]
        return path.rstrip("/") or "/"

    def template(self, path: str) -> str | None:
        for t in self.templates:
            if t.regex.match(path):
                return t.path
        return None

    def _resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        while "$ref" in node:
            target: Any = self.description
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def check(self, method: str, url: str, status: int, headers: Mapping[str, str], body: bytes | str | None) -> list[str]:
        """Problems with this answer, each naming where it departs from the description ([] if none)."""
        path = self.normalise(url)
        template = self.template(path)
        where = f"{method.upper()} {path} -> {status}"
        if template is None:
            return [f"{where}: path not described"]
        op = self.description["paths"][template].get(method.lower())
        if op is None:
            return [f"{where}: {method.upper()} {template} not described"]
        responses = op["responses"]
        key = str(status) if str(status) in responses else "default" if "default" in responses else None
        if key is None:
            return [f"{where}: status {status} not described for {method.upper()} {template} "
                    f"(described: {', '.join(responses)})"]
        response = self._resolve(responses[key])
        problems = self._check_headers(where, response, headers)
        content = response.get("content")
        if not content:
            return problems
        mime = (headers.get("Content-Type") or headers.get("content-type") or "").split(";")[0].strip().lower()
        if mime not in content:
            return problems + [f"{where}: content type {mime or '(none)'} not described ({', '.join(content)})"]
        if mime != "application/json":
            return problems
        try:
            data = json.loads(body or b"")
        except ValueError:
            return problems + [f"{where}: body is not JSON"]
        pointer = _pointer("paths", template, method.lower(), "responses", key)
        if "$ref" in responses[key]:
            pointer = responses[key]["$ref"].lstrip("#/")
        schema = {"$ref": f"{ROOT_URI}#/{pointer}/content/application~1json/schema"}
        validator = Draft202012Validator(schema, registry=self.registry)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
            problems.append(f"{where}: body{error.json_path[1:]}: {error.message[:300]}")
        return problems

    def _check_headers(self, where: str, response: Mapping[str, Any], headers: Mapping[str, str]) -> list[str]:
        problems = []
        lower = {k.lower(): v for k, v in headers.items()}
        for name, spec in (response.get("headers") or {}).items():
            spec = self._resolve(spec)
            value = lower.get(name.lower())
            if value is None:
                if spec.get("required"):
                    problems.append(f"{where}: header {name} missing")
                continue
            pattern = (spec.get("schema") or {}).get("pattern")
            if pattern and not re.search(pattern, value):
                problems.append(f"{where}: header {name}={value!r} does not match {pattern}")
        return problems
