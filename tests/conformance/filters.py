"""Does every documented query parameter of a served list change the result as documented?

For each parameter a value is taken from a real record (a listed record that carries it, else the
first record's detail: line item names, emails; else a documented enum value), then: that value
must return records and, where list items carry the field, only records with that value (Zoho's
exact match: amounts within half a cent, dates by day, text case-insensitively); a value no record
has must return fewer records than the unfiltered list (or be refused). An id of the org that no
listed record carries must shrink the list. Families with their own rule: ``sort_column`` (every
documented column answers; records come sorted ascending with ``sort_order=A``), ``filter_by``
(every documented value answers, one narrows the list), ``search_text``, ``<record>_ids``,
``page`` and ``per_page``. A parameter with no value to try is ``untested``.
Verdicts: honoured, ignored, refused, untested.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterator

from .oas import Operation, gated_out
from .requests_gen import query_for, real_id
from .world import EDITION, World, records_of

_CODE = re.compile(r"<code>\s*([^<]+?)\s*</code>")
NO_MATCH = {"date": "1999-01-01", "amount": 0.013, "text": "zz-conformance-no-such", "id": "1"}
DATE_PARAMS = re.compile(r"(^|_)date$|^last_modified_time$")
AMOUNT_PARAMS = re.compile(r"^(total|balance|amount|rate)$")
# Where a parameter's value lives in a record when not under its own name (alternatives, in order).
VALUE_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "item_name": (("line_items", "name"),), "item_description": (("line_items", "description"),),
    "item_id": (("item_id",), ("line_items", "item_id")), "line_item_id": (("line_items", "line_item_id"),),
    "tax_id": (("tax_id",), ("line_items", "tax_id")), "address": (("billing_address", "address"),),
    "custom_field": (("custom_fields", "value"),),
    "email": (("email",), ("contact_persons", "email"), ("contact_persons_associated", "contact_person_email")),
    "date": (("date",), ("journal_date",), ("transaction_date",)), "amount": (("amount",), ("total",)),
    "created_date": (("created_date",), ("created_time",)),
}
# Ids a list's records may not carry, yet the org has (another resource's records): only the
# narrowing half of the check applies to them.
POOLED = re.compile(r"_id$")
SEARCH_FIELDS = ("invoice_number", "bill_number", "estimate_number", "salesorder_number", "purchaseorder_number",
                 "creditnote_number", "vendor_credit_number", "payment_number", "entry_number", "reference_number",
                 "contact_name", "customer_name", "vendor_name", "name", "account_name", "description")


@dataclass
class FilterResult:
    operation_id: str
    path: str
    param: str
    verdict: str  # honoured / ignored / refused / untested
    detail: str

    @property
    def key(self) -> str:
        return f"{self.operation_id} filter {self.param}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "key": self.key}


def documented_values(param: dict[str, Any]) -> list[str]:
    """The values a parameter's schema enumerates, else those its description lists in <code>."""
    schema = param.get("schema") or {}
    if schema.get("enum"):
        return [str(v) for v in schema["enum"]]
    name = param.get("name", "")
    found = [part.strip() for code in _CODE.findall(param.get("description") or "")
             for part in re.split(r",\s*|\s+and\s+", code)]
    values = [v for v in found
              if v and v not in ("true", "false") and "*" not in v and ":" not in v
              and not v.startswith((name, name.split("_")[0] + "_")) and " " not in v.strip()]
    return list(dict.fromkeys(values))


def _deep(record: Any, path: tuple[str, ...]) -> Any:
    if not path:
        return record
    if isinstance(record, list):
        for item in record:
            found = _deep(item, path)
            if found not in (None, "", []):
                return found
        return None
    if isinstance(record, dict):
        return _deep(record.get(path[0]), path[1:])
    return None


def _norm(value: Any) -> str:
    return str(value).strip().lower()


def _same(name: str, got: Any, wanted: Any) -> bool:
    """Zoho's exact match: amounts within half a cent, dates by day, text case-insensitively."""
    if AMOUNT_PARAMS.search(name):
        try:
            return abs(float(got) - float(wanted)) < 0.005
        except (TypeError, ValueError):
            return False
    if DATE_PARAMS.search(name):
        return str(got)[:10] == str(wanted)[:10]
    return _norm(got) == _norm(wanted)


def _ids(records: list[dict[str, Any]]) -> list[Any]:
    return [next((v for k, v in r.items() if k.endswith("_id")), None) for r in records]


class FilterCheck:
    """The checks of one served list operation in one world."""

    def __init__(self, op: Operation, path: str, world: World) -> None:
        self.op, self.path, self.world = op, path, world
        self.base = query_for(op, world)  # required parameters (``/itemdetails?item_ids=``) go with every call
        self.full = self.fetch({})
        self.first = (self.full or [None])[0]
        self._detail: dict[str, Any] | None = None

    def fetch(self, params: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The records listed with ``params`` (None when the list refuses them)."""
        answer = self.world.call("GET", self.path, {"per_page": 200, **self.base, **params})
        return records_of(answer.body) if answer.status == 200 else None

    def detail(self) -> dict[str, Any]:
        """The first record's detail (line items, addresses, emails live there)."""
        if self._detail is None:
            self._detail = {}
            rid = _ids([self.first])[0] if self.first else None
            if rid:
                answer = self.world.call("GET", f"{self.path}/{rid}")
                if answer.status == 200 and isinstance(answer.body, dict):
                    self._detail = next((v for k, v in answer.body.items() if isinstance(v, dict)), {})
        return self._detail

    def value_for(self, name: str) -> Any:
        """A real value: the first listed record that carries the field, else the first record's detail."""
        for path in VALUE_PATHS.get(name, ((name,),)):
            for source in [*self.full, self.detail()]:
                value = _deep(source, path)
                if value not in (None, "", [], {}):
                    return value
        return None

    def results(self) -> Iterator[FilterResult]:
        """Every documented parameter of the list, but those of other editions (Mexico's SAT codes)."""
        for param in self.op.query_params:
            if not (gated_out(param, EDITION) or gated_out(param.get("schema") or {}, EDITION)):
                yield self.check(param)

    def verdict(self, name: str, verdict: str, detail: str) -> FilterResult:
        return FilterResult(self.op.operation_id, self.op.path, name, verdict, detail)

    def check(self, param: dict[str, Any]) -> FilterResult:
        name = param["name"]
        if self.full is None:
            return self.verdict(name, "untested", "the unfiltered list is refused")
        if not self.full:
            return self.verdict(name, "untested", "the list has no records to filter")
        if name.endswith("_ids"):
            return self.id_list(param)
        special = {"sort_column": self.sort_column, "filter_by": self.filter_by, "search_text": self.search_text,
                   "page": self.page, "per_page": self.per_page}.get(name)
        if special:
            return special(param)
        return self.match(param)

    # -- one value taken from a record ------------------------------------------------------------
    def match(self, param: dict[str, Any]) -> FilterResult:
        name = param["name"]
        value = self.value_for(name)
        if value is None:
            enum = documented_values(param)
            value = enum[0] if enum else None
        if value is None and POOLED.search(name) and real_id(name, self.world):
            return self.narrows(name, real_id(name, self.world))
        if value is None or isinstance(value, (dict, list)):
            return self.verdict(name, "untested", "no record carries a value for it")
        if isinstance(value, bool):
            value = str(value).lower()
        if DATE_PARAMS.search(name) and isinstance(value, str) and name != "last_modified_time":
            value = value[:10]
        hits = self.fetch({name: value})
        if hits is None:
            return self.verdict(name, "refused", f"{name}={value!r} (a real record's value) is refused")
        if not hits:
            return self.verdict(name, "ignored", f"{name}={value!r} (a real record's value) returns nothing")
        if name != "last_modified_time" and any(name in r for r in self.full):
            wrong = [r.get(name) for r in hits if name in r and not _same(name, r[name], value)]
            if wrong:
                return self.verdict(name, "ignored", f"{name}={value!r} returns records with {name}={wrong[0]!r}")
        kind = "date" if DATE_PARAMS.search(name) else "amount" if AMOUNT_PARAMS.search(name) else \
            "id" if name.endswith("_id") else "text"
        other = NO_MATCH[kind] if name != "last_modified_time" else "2999-01-01T00:00:00+0000"
        misses = self.fetch({name: other})
        if misses is not None and len(misses) >= len(self.full):
            return self.verdict(name, "ignored", f"{name}={other!r} (no record's value) returns the whole list "
                                                 f"({len(misses)} of {len(self.full)})")
        return self.verdict(name, "honoured", f"{name}={value!r}: {len(hits)} of {len(self.full)}")

    def narrows(self, name: str, value: Any) -> FilterResult:
        """An id of the org's that no listed record carries: the list must shrink (Zoho: to nothing)."""
        hits = self.fetch({name: value})
        if hits is not None and len(hits) >= len(self.full):
            return self.verdict(name, "ignored", f"{name}={value!r} (a real id no listed record carries) returns "
                                                 f"the whole list ({len(hits)} of {len(self.full)})")
        return self.verdict(name, "honoured", f"{name}={value!r} (an id no listed record carries): "
                                              f"{'refused' if hits is None else len(hits)} of {len(self.full)}")

    def id_list(self, param: dict[str, Any]) -> FilterResult:
        """``<record>_ids=a,b``: exactly the records named (one real id, then two)."""
        name, field = param["name"], param["name"][:-1]
        ids = [str(r[field]) for r in self.full if r.get(field)][:2]
        if not ids:
            return self.verdict(name, "untested", f"no listed record carries {field}")
        for wanted in (ids[:1], ids):
            hits = self.fetch({name: ",".join(wanted)})
            got = sorted(str(r.get(field)) for r in hits or [])
            if hits is None or got != sorted(wanted):
                return self.verdict(name, "ignored" if hits is not None else "refused",
                                    f"{name}={','.join(wanted)} returns {got[:4]}{'...' if len(got) > 4 else ''}")
        return self.verdict(name, "honoured", f"{name}: one id, then two, return exactly those records")

    # -- families ---------------------------------------------------------------------------------
    def sort_column(self, param: dict[str, Any]) -> FilterResult:
        columns = documented_values(param)
        if not columns:
            return self.verdict("sort_column", "untested", "no documented columns")
        refused, unordered = [], []
        for column in columns:
            up = self.fetch({"sort_column": column, "sort_order": "A"})
            down = self.fetch({"sort_column": column, "sort_order": "D"})
            if up is None or down is None:
                refused.append(column)
                continue
            values = [r.get(column) for r in up if r.get(column) not in (None, "")]
            if len(values) == len(up) and len(set(map(str, values))) > 1:
                keyed = [float(v) if isinstance(v, (int, float)) else _norm(v) for v in values]
                if keyed != sorted(keyed):
                    unordered.append(column)
        if refused:
            return self.verdict("sort_column", "refused", f"documented columns refused: {', '.join(refused)}")
        if unordered:
            return self.verdict("sort_column", "ignored", f"not sorted ascending by: {', '.join(unordered)}")
        return self.verdict("sort_column", "honoured", f"{len(columns)} documented columns")

    def filter_by(self, param: dict[str, Any]) -> FilterResult:
        values = documented_values(param)
        if not values:
            return self.verdict("filter_by", "untested", "no documented values")
        refused, narrowed = [], 0
        for value in values:
            hits = self.fetch({"filter_by": value})
            if hits is None:
                refused.append(value)
            elif len(hits) < len(self.full):
                narrowed += 1
        if refused:
            return self.verdict("filter_by", "refused", f"documented values refused: {', '.join(refused[:6])}")
        if not narrowed and len(values) > 1:
            return self.verdict("filter_by", "ignored", f"none of {len(values)} documented values narrows the list")
        return self.verdict("filter_by", "honoured", f"{narrowed} of {len(values)} documented values narrow the list")

    def search_text(self, param: dict[str, Any]) -> FilterResult:
        field = next((f for f in SEARCH_FIELDS if isinstance(self.first.get(f), str) and self.first.get(f)), None)
        if field is None:
            return self.verdict("search_text", "untested", "no searchable text in the first record")
        text = self.first[field]
        hits = self.fetch({"search_text": text})
        if not hits:
            return self.verdict("search_text", "ignored" if hits == [] else "refused",
                                f"search_text={text!r} (the first record's {field}) finds nothing")
        misses = self.fetch({"search_text": NO_MATCH["text"]})
        if misses is not None and len(misses) >= len(self.full):
            return self.verdict("search_text", "ignored", "a text no record holds returns the whole list")
        return self.verdict("search_text", "honoured", f"{field}: {len(hits)} of {len(self.full)}")

    def per_page(self, param: dict[str, Any]) -> FilterResult:
        one = self.fetch_raw({"per_page": 1})
        if one is None or len(one) != 1:
            return self.verdict("per_page", "ignored", f"per_page=1 returns {None if one is None else len(one)} records")
        return self.verdict("per_page", "honoured", "per_page=1 returns one record")

    def page(self, param: dict[str, Any]) -> FilterResult:
        if len(self.full) < 2:
            return self.verdict("page", "untested", "fewer than two records")
        first, second = self.fetch_raw({"per_page": 1, "page": 1}), self.fetch_raw({"per_page": 1, "page": 2})
        if not first or not second or first == second:
            return self.verdict("page", "ignored", "page=2 with per_page=1 does not return the second record")
        return self.verdict("page", "honoured", "page=2 returns the next record")

    def fetch_raw(self, params: dict[str, Any]) -> list[dict[str, Any]] | None:
        answer = self.world.call("GET", self.path, {**self.base, **params})
        return records_of(answer.body) if answer.status == 200 else None


def check_list(op: Operation, path: str, world: World) -> list[FilterResult]:
    """Every documented query parameter of one served list (``path``: the concrete path listed)."""
    return list(FilterCheck(op, path, world).results())
