"""Zoho's Books OpenAPI documents as operations to try: where they are, what each operation takes and
what it answers, as JSON Schema (OpenAPI 3.0's dialect translated: ``nullable``, ``readOnly``,
``example``, ``x-node_available_in``).

The documents live outside the project (``../shared/zoho-oas`` beside the repository, or
``ZOHO_OAS_DIR``); ``oas_dir()`` says why when they are absent, so a test can skip with that reason.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

OAS_ENV = "ZOHO_OAS_DIR"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO_ROOT.parent / "shared" / "zoho-oas"
METHODS = ("get", "post", "put", "delete", "patch")
EXPECTED_OPERATIONS = 515  # what Zoho's 37 Books files held when this test was written
EDITION_KEY = "x-node_available_in"
EDITION_OFF_KEY = "x-node_unavailable_in"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def oas_dir() -> tuple[Path | None, str]:
    """(the documents' folder, "") or (None, why they are not there)."""
    where = Path(os.environ.get(OAS_ENV) or DEFAULT_DIR)
    if not where.is_dir():
        return None, (f"Zoho's Books OpenAPI documents are not at {where} (a fresh clone has no ../shared): "
                      f"set {OAS_ENV} to the folder of Zoho's openapi-all.zip, unzipped")
    if not any(where.glob("*.yml")):
        return None, f"no *.yml OpenAPI documents in {where} ({OAS_ENV})"
    return where, ""


@dataclass
class Operation:
    """One documented operation, its parameters and schemas already resolved (no ``$ref`` left)."""

    module: str  # the document's stem: "invoices", "bank-rules"
    method: str  # upper case
    path: str  # "/invoices/{invoice_id}/comments"
    operation_id: str
    path_params: list[dict[str, Any]] = field(default_factory=list)
    query_params: list[dict[str, Any]] = field(default_factory=list)
    header_params: list[dict[str, Any]] = field(default_factory=list)  # X-Unique-Identifier-Key, X-Upsert
    request_schema: dict[str, Any] | None = None  # OpenAPI 3.0 dialect, resolved
    request_media: str = ""
    response_status: str = "200"
    response_schema: dict[str, Any] | None = None  # OpenAPI 3.0 dialect, resolved
    response_media: str = ""
    file_answer: bool = False  # errata: a download answers the file itself, not the documented JSON
    upload_fields: list[str] = field(default_factory=list)  # errata: binary fields sent as multipart files

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def segments(self) -> list[str]:
        return [s for s in self.path.split("/") if s]

    @property
    def is_list(self) -> bool:
        """A GET whose documented answer holds an array of records beside code and message: a page_context,
        or one array and no record object (a bill offered from orders beside its order ids, or an email's
        content with its templates and recipients, is one record, not a list to filter)."""
        if self.method != "GET" or not self.response_schema:
            return False
        props = self.response_schema.get("properties") or {}
        rest = [sub or {} for k, sub in props.items() if k not in ("code", "message")]
        arrays = [sub for sub in rest if sub.get("type") == "array"]
        return "page_context" in props or len(arrays) == 1 and not any(sub.get("type") == "object" for sub in rest)


class Document:
    """One OpenAPI file: ``$ref`` resolution (with a guard against cycles) and its operations."""

    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.module = path.stem
        self.data = data if data is not None else yaml.load(path.read_text(), Loader=_LOADER)

    def target(self, ref: str) -> Any:
        node: Any = self.data
        for part in ref.lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """A copy of ``node`` with every local ``$ref`` replaced by what it names (sibling keys of a
        ``$ref``, such as ``x-node_available_in``, are kept)."""
        if depth > 40:
            return {}
        if isinstance(node, list):
            return [self.resolve(v, depth + 1) for v in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            target = self.resolve(self.target(node["$ref"]), depth + 1)
            return {**target, **siblings} if isinstance(target, dict) else target
        return {k: self.resolve(v, depth + 1) for k, v in node.items()}

    def operations(self) -> Iterator[Operation]:
        for path, item in (self.data.get("paths") or {}).items():
            shared = [self.resolve(p) for p in item.get("parameters") or []]
            for method in METHODS:
                if method not in item:
                    continue
                op = item[method]
                params = {(p["in"], p["name"]): p for p in shared}
                params.update({(p["in"], p["name"]): p for p in (self.resolve(x) for x in op.get("parameters") or [])})
                out = Operation(self.module, method.upper(), path, op.get("operationId") or f"{method}_{path}",
                                path_params=[p for (kind, _), p in params.items() if kind == "path"],
                                query_params=[p for (kind, name), p in params.items()
                                              if kind == "query" and name != "organization_id"],
                                header_params=[p for (kind, _), p in params.items() if kind == "header"])
                content = ((op.get("requestBody") or {}).get("content")) or {}
                if content:
                    out.request_media = next(iter(content))
                    out.request_schema = self.resolve(content[out.request_media].get("schema") or {})
                for status, answer in (op.get("responses") or {}).items():
                    if str(status).startswith("2"):
                        answer = self.resolve(answer)
                        media = next(iter(answer.get("content") or {}), "")
                        out.response_status, out.response_media = str(status), media
                        if media:
                            out.response_schema = answer["content"][media].get("schema") or {}
                        break
                yield out


def load_documents(where: Path) -> list[Document]:
    return [Document(p) for p in sorted(where.glob("*.yml"))]


# ---- OpenAPI 3.0 schema -> JSON Schema (draft 2020-12) ---------------------------------------------------
def gated_out(node: dict[str, Any], edition: str) -> bool:
    """A field Zoho documents for some editions only, and not for ``edition`` (or documents as
    unavailable in it)."""
    editions = node.get(EDITION_KEY)
    return (bool(editions) and edition not in editions) or edition in (node.get(EDITION_OFF_KEY) or ())


def to_json_schema(node: Any, edition: str) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: ``nullable`` joins ``null`` to the type, documentation-only
    keys go, and fields of other editions are dropped (the answer may not carry them: any extra key
    is allowed, as Zoho's schemas never close an object). No key is required: Zoho's documents mark
    none on answers; missing documented fields are counted apart (``missing_fields``)."""
    if isinstance(node, list):
        return [to_json_schema(v, edition) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("example", "examples", "readOnly", "writeOnly", "description", "nullable", "required",
                   "deprecated", "format", "xml", "externalDocs") or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: to_json_schema(sub, edition) for name, sub in (value or {}).items()
                        if not (isinstance(sub, dict) and gated_out(sub, edition))}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = to_json_schema(value, edition) if isinstance(value, dict) else value
        elif key in ("allOf", "oneOf", "anyOf"):
            out[key] = [to_json_schema(v, edition) for v in value]
        else:
            out[key] = value
    if node.get("nullable") and "type" in out:
        kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*kinds, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out
