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

from .filter_setups import prepared
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
    "purchaseorder_id": (("purchaseorder_id",), ("purchaseorders", "purchaseorder_id")),
}
# Where one document says a parameter filters a field of another name: (operation, parameter) -> paths.
# Used for the value tried and for the records compared with it.
RECORD_FIELDS: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    # bank-rules.yml: "ID of the bank account" the rules belong to (the rule's target_account_id; its own
    # account_id is the account it records to)
    ("list_bank_account_rules", "account_id"): (("target_account_id",),),
    ("list_vendor_credits", "customer_name"): (("vendor_name",),),  # "Filter vendor credits by vendor name"
    # "Transaction status wise list view - All, uncategorized, manually_added, ...": the record's status
    ("list_bank_transactions", "transaction_status"): (("status",),),
    # a payment has no notes field (customer-payments.yml, vendor-payments.yml): its description is its note
    ("list_customer_payments", "notes"): (("description",),),
    ("list_vendor_payments", "notes"): (("description",),),
    # an account transaction lists its amount as a debit or a credit
    ("list_chart_of_account_transactions", "amount"): (("debit_amount",), ("credit_amount",)),
    ("list_bills", "description"): (("line_items", "description"),),  # "by line item descriptions or vendor notes"
    ("list_time_entries", "from_date"): (("log_date",),), ("list_time_entries", "to_date"): (("log_date",),),
    ("list_exchange_rates", "from_date"): (("effective_date",),),
}
# Ids of another resource's records that a list's records do not show (an expense keeps the recurring
# expense that made it, and its documents answer no such field): the org's ids are read from that list.
ID_SOURCES = {"recurring_expense_id": "/recurringexpenses"}
# Rows of a list that stand for their parent records' state: (operation, parameter) -> the parent list whose
# records carry the value (vendor-credits.yml: refunds searched "by vendor credit last modified time").
PARENT_VALUES = {("list_vendor_credit_refunds", "last_modified_time"): "/vendorcredits"}
# Range parameters: a real record's value returns it; past the other end of every record's value, fewer.
RANGE_PARAMS = {"from_date": "2999-12-31", "to_date": "1999-01-01"}
DETAIL_SCAN = 30  # records whose detail is read, in list order, for a value no list item carries
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
        self.op, self.world = op, world
        self.path = prepared(op.operation_id, world, path)  # what the check needs, made through the API
        self.base = query_for(op, world)  # required parameters (``/itemdetails?item_ids=``) go with every call
        self.full = self.fetch({})
        self.first = (self.full or [None])[0]
        self._details: dict[int, dict[str, Any]] = {}

    def fetch(self, params: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The records listed with ``params`` (None when the list refuses them)."""
        answer = self.world.call("GET", self.path, {"per_page": 200, **self.base, **params})
        return records_of(answer.body) if answer.status == 200 else None

    def detail(self, index: int = 0) -> dict[str, Any]:
        """A listed record's detail (line items, addresses, emails live there): the first by default."""
        if index not in self._details:
            self._details[index] = {}
            rid = _ids([self.full[index]])[0] if index < len(self.full) else None
            if rid:
                seen = {k: list(v) for k, v in self.world.ids.items()}
                answer = self.world.call("GET", f"{self.path}/{rid}")
                if index:  # ids read past the first record are not offered to the module's later requests
                    self.world.ids = seen
                if answer.status == 200 and isinstance(answer.body, dict):
                    self._details[index] = next((v for k, v in answer.body.items() if isinstance(v, dict)), {})
        return self._details[index]

    def paths_of(self, name: str) -> tuple[tuple[str, ...], ...]:
        return RECORD_FIELDS.get((self.op.operation_id, name)) or VALUE_PATHS.get(name, ((name,),))

    def value_for(self, name: str) -> Any:
        """A real value: the first listed record that carries the field, else the first record's detail
        that does (up to DETAIL_SCAN records), else the parent list's latest. An amount of zero tells
        nothing apart: never tried."""
        parent = PARENT_VALUES.get((self.op.operation_id, name))
        if parent:
            seen = {k: list(v) for k, v in self.world.ids.items()}
            values = [r.get(name) for r in self.world.records(parent) if r.get(name)]
            self.world.ids = seen
            return max(values) if values else None
        def usable(value: Any) -> bool:
            return value not in (None, "", [], {}) and not (AMOUNT_PARAMS.search(name) and value == 0)
        for sources in (lambda: self.full, lambda: (self.detail(i) for i in range(min(DETAIL_SCAN, len(self.full))))):
            for source in sources():
                for path in self.paths_of(name):
                    value = _deep(source, path)
                    if usable(value):
                        return value
        return None

    def compared(self, name: str) -> list[str]:
        """The list item fields a parameter's value is compared with (none: only the narrowing is checked)."""
        if name == "last_modified_time" or name in RANGE_PARAMS:
            return []
        named = RECORD_FIELDS.get((self.op.operation_id, name))
        fields = [p[0] for p in named if len(p) == 1] if named else [name]
        return [f for f in fields if any(f in r for r in self.full)]

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
        if value is None and (param.get("schema") or {}).get("type") == "boolean":
            return self.flag(name)
        if value is None and name == "sort_order":
            return self.sort_order()
        if value is None and name in ID_SOURCES:
            return self.made_by(name)
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
        fields = self.compared(name)
        if fields:
            wrong = [[r.get(f) for f in fields] for r in hits
                     if any(f in r for f in fields) and not any(_same(name, r.get(f), value) for f in fields if f in r)]
            if wrong:
                return self.verdict(name, "ignored", f"{name}={value!r} returns records with {'/'.join(fields)}="
                                                     f"{wrong[0]!r}")
        kind = "date" if DATE_PARAMS.search(name) else "amount" if AMOUNT_PARAMS.search(name) else \
            "id" if name.endswith("_id") else "text"
        other = RANGE_PARAMS.get(name) or (NO_MATCH[kind] if name != "last_modified_time" else "2999-01-01T00:00:00+0000")
        misses = self.fetch({name: other})
        if misses is not None and len(misses) >= len(self.full):
            return self.verdict(name, "ignored", f"{name}={other!r} (no record's value) returns the whole list "
                                                 f"({len(misses)} of {len(self.full)})")
        return self.verdict(name, "honoured", f"{name}={value!r}: {len(hits)} of {len(self.full)}")

    def flag(self, name: str) -> FilterResult:
        """A documented boolean no record shows: ``true`` must keep some records and fewer than all."""
        hits = self.fetch({name: "true"})
        if hits is None:
            return self.verdict(name, "refused", f"{name}=true is refused")
        if not hits or len(hits) >= len(self.full):
            return self.verdict(name, "ignored" if hits else "untested",
                                f"{name}=true returns {len(hits)} of {len(self.full)}")
        return self.verdict(name, "honoured", f"{name}=true: {len(hits)} of {len(self.full)}")

    def made_by(self, name: str) -> FilterResult:
        """An id the records do not show: one of the org's ids must find records, and fewer than all."""
        seen = {k: list(v) for k, v in self.world.ids.items()}
        owners = [str(r.get(name)) for r in self.world.records(ID_SOURCES[name]) if r.get(name)]
        self.world.ids = seen
        for owner in owners:
            hits = self.fetch({name: owner})
            if hits is None:
                return self.verdict(name, "refused", f"{name}={owner!r} (a real id) is refused")
            if hits:
                if len(hits) >= len(self.full):
                    return self.verdict(name, "ignored", f"{name}={owner!r} returns the whole list")
                return self.verdict(name, "honoured", f"{name}={owner!r}: {len(hits)} of {len(self.full)}")
        return self.verdict(name, "untested", f"none of the {len(owners)} ids of {ID_SOURCES[name]} finds a record")

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

    def sort_order(self) -> FilterResult:
        """No documented value: ``D`` must answer the records of ``A`` in the reverse order."""
        if len(self.full) < 2:
            return self.verdict("sort_order", "untested", "fewer than two records")
        up, down = self.fetch({"sort_order": "A"}), self.fetch({"sort_order": "D"})
        if up is None or down is None:
            return self.verdict("sort_order", "refused", "sort_order=A or D is refused")
        if _ids(up) != _ids(down)[::-1]:
            return self.verdict("sort_order", "ignored", "sort_order=D does not reverse sort_order=A")
        return self.verdict("sort_order", "honoured", "D answers the records of A in reverse")

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
