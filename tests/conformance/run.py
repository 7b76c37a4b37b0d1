"""Send every documented operation to the emulator, classify it (served or not) and check a served
answer against the documented response schema, the errata applied.

Violation kinds: ``type`` / ``enum`` / ... (a jsonschema keyword the answer breaks), ``missing`` (a
documented field, of this edition, absent from every instance of its object in the answer),
``status`` (a 2xx other than the documented one), ``refused`` (a served operation answered the
documented request with an error), ``not-json`` (a JSON answer documented, something else sent).
Each violation has a stable ``key`` (operation id, kind, JSON path with array indexes folded to
``[]``): the known-violations file lists keys.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Iterable, Iterator

from jsonschema import Draft202012Validator

from .errata import apply_errata
from .filters import FilterResult, check_list
from .oas import Document, Operation, gated_out, to_json_schema
from .requests_gen import Unresolved, body_for, fit_to_records, headers_for, path_for, query_for
from .states import READS_AFTER_MAKE, UPLOAD_BYTES, UPLOAD_NAME, Prepared, Unprepared, prepare
from .world import EDITION, Answer, World

METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 2, "DELETE": 3}
# Actions that move a record's state, in the order a record can take them (submit before approve).
ACTION_ORDER = {"submit": 0, "approve": 1}
STATE_TRIES = 40  # other records of the collection an action is tried on when the first one's state refuses it
_INDEX = re.compile(r"\[\d+\]")


@dataclass
class Violation:
    operation_id: str
    kind: str
    path: str  # JSON path, array indexes folded: invoices[].total
    message: str

    @property
    def key(self) -> str:
        return f"{self.operation_id} {self.kind} {self.path}"


@dataclass
class OpResult:
    module: str
    operation_id: str
    method: str
    path: str  # the documented template
    sent: str = ""  # the concrete path sent
    status: int = 0
    code: Any = None
    served: bool = False
    errata: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["violations"] = [{**asdict(v), "key": v.key} for v in self.violations]
        return out


def order(ops: Iterable[Operation]) -> list[Operation]:
    """Reads first (plain lists before what needs their ids), then creates, updates and actions, deletes
    last and deepest first (a comment's delete before its invoice's): a delete never takes away a
    record another operation reads. A read of what a POST to the same path makes (a record's file, the
    org's opening balance: ``states.READS_AFTER_MAKE``) comes right after that POST."""
    ops = list(ops)
    made = {op.path for op in ops if op.method == "POST"}

    def rank(op: Operation) -> tuple[int, int, int, str]:
        depth = len(op.segments)
        if op.method == "DELETE":
            return METHOD_ORDER["DELETE"], -depth, 0, op.path
        needs = len(op.path_params) + any(p.get("required") for p in op.query_params)  # ids it takes from others
        if op.method == "GET" and op.path in made and op.segments[-1] in READS_AFTER_MAKE:
            return METHOD_ORDER["POST"], needs, depth, f"{ACTION_ORDER.get(op.segments[-1], 9)}{op.path}~"
        return METHOD_ORDER.get(op.method, 2), needs, depth, f"{ACTION_ORDER.get(op.segments[-1], 9)}{op.path}"
    return sorted(ops, key=rank)


def fold(json_path: str) -> str:
    return _INDEX.sub("[]", json_path).lstrip("$").lstrip(".") or "(root)"


def schema_violations(op: Operation, body: Any) -> list[Violation]:
    schema = to_json_schema(op.response_schema or {}, EDITION)
    out: dict[str, Violation] = {}
    for error in Draft202012Validator(schema).iter_errors(body):
        message = error.message[:200]
        if error.validator == "type":
            message = f"documented {error.validator_value}, answered {json_type(error.instance)}: {error.instance!r:.80}"
        v = Violation(op.operation_id, str(error.validator), fold(error.json_path), message)
        out.setdefault(v.key, v)
    for where in missing_fields(op.response_schema or {}, body):
        v = Violation(op.operation_id, "missing", where, "documented field absent from the answer")
        out.setdefault(v.key, v)
    return list(out.values())


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(type(value), type(value).__name__)


def missing_fields(schema: dict[str, Any], body: Any, where: str = "") -> list[str]:
    """Documented fields (of this edition) that no instance of their object in the answer carries."""
    instances = [body] if not isinstance(body, list) else body
    return sorted(set(_missing(schema, instances, where)))


def _missing(schema: dict[str, Any], instances: list[Any], where: str) -> Iterator[str]:
    kind = schema.get("type")
    if kind == "array" or "items" in schema:
        items = [x for inst in instances if isinstance(inst, list) for x in inst]
        if items:
            yield from _missing(schema.get("items") or {}, items, f"{where}[]")
        return
    objects = [inst for inst in instances if isinstance(inst, dict)]
    if not objects:
        return
    for name, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict) or gated_out(sub, EDITION):
            continue
        child = f"{where}.{name}" if where else name
        present = [o[name] for o in objects if name in o]
        if not present:
            yield child
        elif sub.get("properties") or sub.get("items"):
            yield from _missing(sub, present, child)


def run_operation(op: Operation, world: World) -> OpResult:
    result = OpResult(op.module, op.operation_id, op.method, op.path, errata=apply_errata(op))
    prepared = Prepared()
    try:
        prepared = prepare(op, world) or prepared
    except Unprepared as exc:
        result.note = f"world not prepared: {exc}"
    try:
        concrete = path_for(replace(op, path=prepared.fill(op.path)), world)
    except Unresolved as exc:
        concrete = op.path
        for p in op.path_params:  # still ask: an unserved path answers code 5 whatever its id
            concrete = concrete.replace("{%s}" % p["name"], "0")
        result.note = str(exc)
    result.sent = concrete
    body, files = None, None
    if op.request_media == "application/json":
        body = fit_to_records(body_for(op.request_schema, world) or {}, world, op, concrete)
        if isinstance(body, dict):
            body.update(prepared.body)
    elif op.request_media.startswith("multipart/"):
        names = op.upload_fields or [k for k in (op.request_schema or {}).get("properties", {})][:1] or ["attachment"]
        files = {name: (UPLOAD_NAME, UPLOAD_BYTES, "application/pdf") for name in names}
    query = {**query_for(op, world, concrete), **prepared.query}
    answer = world.call(op.method, concrete, query, json=body, files=files, headers=headers_for(op))
    if op.method == "POST" and 400 <= answer.status < 500 and not answer.unserved:
        answer, concrete = _in_another_state(op, world, concrete, answer, body, files)
        result.sent = concrete
    result.status, result.code = answer.status, answer.code
    result.served = not answer.unserved
    if result.served:
        result.violations = answer_violations(op, answer)
    return result


def _in_another_state(op: Operation, world: World, concrete: str, answer: Answer, body: Any,
                      files: Any) -> tuple[Answer, str]:
    """A state action (``/{id}/status/open``, ``/{id}/approve``) refused for the record's state is
    tried on the collection's other records: the documented request is right, the record was not
    in a state it applies to (an open order cannot be opened)."""
    segs = op.segments
    at = next((i for i, s in enumerate(segs) if s.startswith("{")), None)
    if at is None or at == len(segs) - 1 or any(s.startswith("{") for s in segs[at + 1:]):
        return answer, concrete
    parts = concrete.strip("/").split("/")
    collection = "/" + "/".join(parts[:at])
    tried = {parts[at]}
    for record in world.records(collection)[:STATE_TRIES]:
        rid = next((str(v) for k, v in record.items() if k.endswith("_id") and v), None)
        if not rid or rid in tried:
            continue
        tried.add(rid)
        other = "/" + "/".join(parts[:at] + [rid] + parts[at + 1:])
        again = world.call(op.method, other, query_for(op, world), json=body, files=files)
        if 200 <= again.status < 300:
            return again, other
    return answer, concrete


def answer_violations(op: Operation, answer: Answer) -> list[Violation]:
    if not 200 <= answer.status < 300:
        return [Violation(op.operation_id, "refused", "(status)",
                          f"answered {answer.status} code {answer.code}: {answer.message[:160]}")]
    out = []
    if str(answer.status) != op.response_status:
        out.append(Violation(op.operation_id, "status", "(status)",
                             f"documented {op.response_status}, answered {answer.status}"))
    if op.file_answer and answer.body is None:
        return out if answer.size else out + [Violation(op.operation_id, "empty-file", "(body)",
                                                        f"a download answered no bytes ({answer.media})")]
    if op.response_media == "application/json":
        if answer.body is None:
            return out + [Violation(op.operation_id, "not-json", "(body)",
                                    f"documented JSON, answered {answer.media or '(no type)'}")]
        out += schema_violations(op, answer.body)
    return out


@dataclass
class ModuleRun:
    module: str
    operations: list[OpResult]
    filters: list[FilterResult]


def is_collection_list(op: Operation) -> bool:
    return op.is_list and not op.path.endswith("}")


def run_document(doc: Document) -> ModuleRun:
    """Every operation of one document, in order, on one fresh world; each served list's documented
    query parameters checked right after it (before any write changes the records)."""
    world = World.open()
    run = ModuleRun(doc.module, [], [])
    try:
        for op in order(doc.operations()):
            try:
                result = run_operation(op, world)
            except Exception as exc:  # noqa: BLE001 - one operation's failure is reported, the run goes on
                result = OpResult(op.module, op.operation_id, op.method, op.path, served=True, note=repr(exc)[:300],
                                  violations=[Violation(op.operation_id, "crash", "(run)", repr(exc)[:200])])
            run.operations.append(result)
            if result.served and result.status == 200 and is_collection_list(op):
                run.filters += check_list(op, result.sent, world)
        return run
    finally:
        world.close()
