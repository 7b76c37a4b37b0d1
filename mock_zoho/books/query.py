"""List queries of the Books API (reference §3.6-§3.8): filters, search, sort and pages.

Driven entirely by a ``ResourceSpec``: which ``filter_by`` values exist, which columns sort, which
fields search, and its filter parameters in four families, each with Zoho's documented variants:
text (``f``, ``f_startswith``, ``f_contains``, ``f_in``, ``f_not_in``; case-insensitive), ids and
enums (``f``), amounts (``f``, ``f_less_than``, ``_less_equals``, ``_greater_than``,
``_greater_equals``, ``_start``, ``_end``) and dates (``f``, ``f_start``, ``_end``, ``_before``,
``_after``; also with a dot). A parameter may read a nested place (``item_name`` -> every line's
``name``; ``ResourceSpec.field_paths``). Every bad value is code 2 naming the parameter, never a 500.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Mapping

from ..http import invalid_value
from .dates import parse_date
from .resources import ACCOUNT_TYPE_GROUPS, ResourceSpec

PER_PAGE_DEFAULT = 200
PER_PAGE_MAX = 200
STRICT_TS = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2})(\d{2})$")
LENIENT_TS = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(?:(Z)|([+\- ])(\d{2}):?(\d{2}))?$", re.I)
DATE_SUFFIXES = {"": "==", "start": ">=", "end": "<=", "after": ">", "before": "<"}
# <field>=v is an exact match (case-insensitive, our choice), then Zoho's documented variants;
# _in / _not_in take a comma-separated list (sales orders document them).
TEXT_OPS: dict[str, Callable[[str, Any], bool]] = {
    "": lambda have, want: have == want,
    "_startswith": lambda have, want: have.startswith(want),
    "_contains": lambda have, want: want in have,
    "_in": lambda have, want: have in want,
    "_not_in": lambda have, want: have in want,  # negated over all values by _text_pred
}
# amounts: <field>=n exact, then the documented comparisons; _start / _end are inclusive bounds.
AMOUNT_OPS: dict[str, Callable[[float, float], bool]] = {
    "": lambda a, b: abs(a - b) < 0.005, "_less_than": lambda a, b: a < b, "_less_equals": lambda a, b: a <= b,
    "_greater_than": lambda a, b: a > b, "_greater_equals": lambda a, b: a >= b,
    "_start": lambda a, b: a >= b, "_end": lambda a, b: a <= b,
}
# Parameters that never filter: a request naming only these skips the filter scan (the hot path).
PLAIN_PARAMS = frozenset({"organization_id", "page", "per_page", "sort_column", "sort_order", "filter_by"})


def parse_timestamp(value: str, *, strict: bool, default_offset: str, param: str = "last_modified_time") -> float:
    """``YYYY-MM-DDTHH:MM:SS±hhmm``; leniently also a '+' decoded as space, ±hh:mm, Z, no zone."""
    m = STRICT_TS.match(value)
    if m:
        day, hh, mm, ss, sign, oh, om = m.groups()
    elif strict:
        raise invalid_value(param)
    else:
        m = LENIENT_TS.match(value.strip())
        if not m:
            raise invalid_value(param)
        day, hh, mm, ss, zulu, sign, oh, om = m.groups()
        if zulu:
            sign, oh, om = "+", "00", "00"
        elif sign is None:
            sign, oh, om = default_offset[0], default_offset[1:3], default_offset[3:5]
        elif sign == " ":
            sign = "+"
    try:
        tz = timezone((1 if sign == "+" else -1) * timedelta(hours=int(oh), minutes=int(om)))
        return datetime.fromisoformat(f"{day}T{hh}:{mm}:{ss}").replace(tzinfo=tz).timestamp()
    except ValueError:
        raise invalid_value(param) from None


PAGE_NUMBER_MAX = 2 ** 31 - 1  # our bound on page numbers (Zoho publishes none)


def parse_positive_int(value: str | None, param: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except ValueError:
        raise invalid_value(param) from None
    if not 1 <= n <= PAGE_NUMBER_MAX:  # past it a page is empty anyway, and sqlite/slices need a bound
        raise invalid_value(param)
    return n


def record_epoch(rec: Mapping[str, Any], key: str, ts_field: str) -> float:
    """The bookkeeping epoch, or the rendered timestamp parsed when a raw record lacks it."""
    if isinstance(rec.get(key), (int, float)):
        return float(rec[key])
    raw = rec.get(ts_field)
    if isinstance(raw, str):
        try:
            return parse_timestamp(raw, strict=False, default_offset="+0000")
        except Exception:
            return 0.0
    return 0.0


class Query:
    """One list request against one resource."""

    def __init__(self, spec: ResourceSpec, args: Mapping[str, str], *, config, today: str, offset: str) -> None:
        self.spec = spec
        self.args = {k: v for k, v in args.items()}
        self.config = config
        self.today = today
        self.offset = offset

    # -- paging ---------------------------------------------------------------------------------
    def paging(self) -> tuple[int, int]:
        page = parse_positive_int(self.args.get("page"), "page", 1)
        per_page = parse_positive_int(self.args.get("per_page"), "per_page", PER_PAGE_DEFAULT)
        if per_page > PER_PAGE_MAX:
            if self.config["books.per_page_max"] == "reject":
                raise invalid_value("per_page")
            per_page = PER_PAGE_MAX
        return page, per_page

    # -- filters --------------------------------------------------------------------------------
    def filter_name(self) -> str:
        value = self.args.get("filter_by")
        if value in (None, ""):
            return self.spec.default_filter
        if value not in self.spec.filter_rules:
            raise invalid_value("filter_by")
        return value

    def predicates(self) -> list:
        """One predicate per filter the request names; none (the hot path) when it names none."""
        spec, args = self.spec, self.args
        preds: list = []
        fname = self.filter_name()
        if fname:
            field, expected = self.spec.filter_rules[fname]
            if field is not None:
                preds.append(self._rule(field, expected))
        if all(k in PLAIN_PARAMS for k in args):
            return preds
        search = args.get("search_text")
        if search:
            needle = search.lower()
            getters = [value_getter(spec.path_of(f)) for f in (spec.search_fields or spec.text_fields)]
            preds.append(lambda r: any(needle in str(v or "").lower() for g in getters for v in g(r)))
        table = filter_params(spec)
        for param, value in args.items():
            entry = table.get(param)
            if entry is None or value in (None, ""):
                continue
            family, name, op = entry
            if family == "text":
                preds.append(_text_pred(spec.path_of(name), op, value))
            elif family == "eq":
                if name in spec.eq_all and value.lower() == "all":
                    continue
                if name == "contact_type" and value not in ("customer", "vendor"):
                    raise invalid_value("contact_type")
                preds.append(_eq_pred(spec.path_of(name), value, alias=name == "status"))
            elif family == "amount":
                preds.append(lambda r, g=value_getter(spec.path_of(name)), op=op, n=_number(value, param):
                             any(op(_as_float(x), n) for x in g(r) if x not in (None, "")))
            else:  # date: name is the record's date field
                day = parse_date(value, param)
                preds.append(lambda r, f=name, d=day, op=op: _cmp_date(r.get(f), op, d))
        lmt = args.get("last_modified_time")
        if lmt not in (None, "") and self._lmt_applies():
            since = parse_timestamp(lmt, strict=self.config["books.strict_params"], default_offset=self.offset)
            preds.append(lambda r, s=since: record_epoch(r, "_lmt", "last_modified_time") >= s)
        elif lmt not in (None, "") and self.config["books.strict_params"]:
            parse_timestamp(lmt, strict=True, default_offset=self.offset)
        if spec.batch_param and args.get(spec.batch_param):
            wanted = {x.strip() for x in args[spec.batch_param].split(",") if x.strip()}
            preds.append(lambda r: str(r.get(spec.id_field)) in wanted)
        return preds

    def _lmt_applies(self) -> bool:
        if self.config["books.lmt_scope"] == "declared_only":
            return self.spec.lmt_declared
        return self.spec.has_lmt_field or self.spec.lmt_declared

    def _rule(self, field: str, expected: Any):
        if not (isinstance(expected, str) and expected.startswith("#")):
            return lambda r: r.get(field) == expected
        name = expected[1:]
        if name.startswith("mode:"):
            mode = name[5:]
            return lambda r: re.sub(r"[^a-z0-9]", "", str(r.get("payment_mode") or "").lower()) == mode
        if field == "account_type":
            group = ACCOUNT_TYPE_GROUPS[name]
            return lambda r: r.get("account_type") in group
        if name == "set":
            return lambda r: bool(r.get(field))
        if name.startswith(("this_", "previous_")) or name == "today":
            start, end = _period(name, self.today)
            return lambda r: start <= str(r.get(field) or "")[:10] <= end
        flags = {
            "duplicate": lambda r: bool(r.get("_duplicate")),
            "portal_enabled": lambda r: any(p.get("is_added_in_portal") or p.get("enable_portal")
                                            for p in r.get("contact_persons") or []),
            "portal_disabled": lambda r: not any(p.get("is_added_in_portal") or p.get("enable_portal")
                                                 for p in r.get("contact_persons") or []),
            "credit_limit_exceeded": lambda r: bool(r.get("credit_limit")) and
            float(r.get("outstanding_receivable_amount") or 0) > float(r.get("credit_limit") or 0),
            "crm": lambda r: bool(r.get("is_linked_with_zohocrm")),
            "has_overdue": lambda r: bool(r.get("_has_overdue")),
            "has_unpaid": lambda r: float(r.get("outstanding_receivable_amount") or 0) > 0,
            "unpaid": lambda r: _status_alias(r, "unpaid"),  # every open (sent, unpaid) state
        }
        return flags[name]

    # -- sorting --------------------------------------------------------------------------------
    def sorting(self) -> tuple[str, str]:
        column = self.args.get("sort_column") or "created_time"
        if column != "created_time" and column not in self.spec.sort_columns:
            raise invalid_value("sort_column")
        # our choice: created_time descending by default; an explicit column sorts ascending
        order = self.args.get("sort_order") or ("A" if self.args.get("sort_column") else "D")
        if order not in ("A", "D"):
            raise invalid_value("sort_order")
        return column, order

    def run(self, records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Filter, sort and slice; returns (raw records of the page, page_context)."""
        page, per_page = self.paging()
        column, order = self.sorting()
        fname = self.filter_name()
        preds = self.predicates()
        rows = [r for r in records if all(p(r) for p in preds)]
        id_field = self.spec.id_field

        def tiebreak(r: Mapping[str, Any]) -> tuple:
            return (record_epoch(r, "_ct", "created_time"), str(r.get(id_field) or ""))

        if column in ("created_time", "last_modified_time"):
            key_name = "_ct" if column == "created_time" else "_lmt"
            rows.sort(key=lambda r: (record_epoch(r, key_name, column),) + tiebreak(r), reverse=order == "D")
        else:
            present = [r for r in rows if r.get(column) not in (None, "")]
            missing = [r for r in rows if r.get(column) in (None, "")]
            present.sort(key=lambda r: (_sort_value(r.get(column)),) + tiebreak(r), reverse=order == "D")
            missing.sort(key=tiebreak)
            rows = present + missing
        if self.spec.single_page and "page" not in self.args and "per_page" not in self.args:
            # one page of everything unless the client pages (Zoho documents page/per_page here too)
            page, per_page = 1, max(len(rows), 1)
            chunk, more = rows, False
        else:
            start = (page - 1) * per_page
            chunk = rows[start:start + per_page]
            more = start + per_page < len(rows)
        ctx: dict[str, Any] = {"page": page, "per_page": per_page, "has_more_page": more}
        if not self.spec.minimal_page_context:
            ctx["report_name"] = self.spec.report_name
            ctx["applied_filter"] = fname
        for param in self.spec.page_context_echo:  # the applied filter_by, the search text ("" when none)
            ctx[param] = fname if param == "filter_by" else self.args.get(param, "")
        ctx["sort_column"] = column
        ctx["sort_order"] = order
        return chunk, ctx


def _status_alias(rec: Mapping[str, Any], value: str) -> bool:
    """status=unpaid matches every open invoice state (sent, overdue, partially_paid, viewed); status=billable
    every billable expense."""
    return (value == "unpaid" and rec.get("status") in ("sent", "overdue", "partially_paid", "viewed", "unpaid")) \
        or (value == "billable" and rec.get("is_billable") is True)  # expenses: unbilled or invoiced


def _cmp_date(raw: Any, op: str, day: str) -> bool:
    if not raw:
        return False
    value = str(raw)[:10]
    return {"==": value == day, ">=": value >= day, "<=": value <= day, ">": value > day, "<": value < day}[op]


def value_getter(path: str) -> Callable[[Mapping[str, Any]], tuple]:
    """A record's values at ``path``: ``field``, ``list.field`` (every row of a list, e.g. line items),
    ``object.field``; ``a|b`` joins several paths. Always a tuple, so one predicate fits them all."""
    if "|" in path:
        parts = [value_getter(p) for p in path.split("|")]
        return lambda r: tuple(v for g in parts for v in g(r))
    if "." not in path:
        def top(r: Mapping[str, Any]) -> tuple:
            v = r.get(path)
            return tuple(v) if isinstance(v, list) else (v,)
        return top
    head, tail = path.split(".", 1)

    def get(r: Mapping[str, Any]) -> tuple:
        v = r.get(head)
        if isinstance(v, list):
            return tuple(x.get(tail) for x in v if isinstance(x, dict))
        if isinstance(v, dict):
            return (v.get(tail),)
        return ()
    return get


_FILTER_TABLES: dict[str, dict[str, tuple[str, str, Any]]] = {}


def filter_params(spec: ResourceSpec) -> dict[str, tuple[str, str, Any]]:
    """Every filter parameter a resource takes -> (family, field, operator), built once per resource
    from its description: a request then costs one dict lookup per parameter it names."""
    table = _FILTER_TABLES.get(spec.name)
    if table is not None:
        return table
    table = {}
    for name in spec.text_fields:
        for suffix, op in TEXT_OPS.items():
            table[name + suffix] = ("text", name, op)
    for name in spec.eq_filters:
        table.setdefault(name, ("eq", name, None))
    for name in spec.amount_fields:
        for suffix, op in AMOUNT_OPS.items():
            for param in ((name + suffix, name + "." + suffix[1:]) if suffix else (name,)):
                table.setdefault(param, ("amount", name, op))
    for prefix, field in ((("date", spec.date_field),) if spec.date_field else ()) + spec.date_filters:
        for suffix, op in DATE_SUFFIXES.items():
            for param in ((f"{prefix}_{suffix}", f"{prefix}.{suffix}") if suffix else (prefix,)):
                table.setdefault(param, ("date", field, op))
    _FILTER_TABLES[spec.name] = table
    return table


def _eq_pred(path: str, value: str, *, alias: bool):
    """``param=value`` on an id or enum: a plain field compares directly (the common case), else any of
    the values at ``path``; ``alias`` lets status=unpaid match every open state."""
    if "." in path or "|" in path:
        get = value_getter(path)
        return lambda r: any(str(x) == value for x in get(r))

    def pred(r: Mapping[str, Any]) -> bool:
        x = r.get(path)
        if isinstance(x, list):
            return any(str(y) == value for y in x)
        return str(x) == value or (alias and _status_alias(r, value))
    return pred


def _text_pred(path: str, op: Callable[[str, Any], bool], value: str):
    """A text filter, case-insensitive; a plain field is read directly (the common case)."""
    want: Any = value.lower()
    if op in (TEXT_OPS["_in"], TEXT_OPS["_not_in"]):
        want = {x.strip().lower() for x in value.split(",") if x.strip()}
    get = value_getter(path)
    if op is TEXT_OPS["_not_in"]:
        return lambda r: not any(str(v).lower() in want for v in get(r) if v not in (None, ""))
    if "." not in path and "|" not in path:
        return lambda r: (v := r.get(path)) not in (None, "") and not isinstance(v, list) and op(str(v).lower(), want)
    return lambda r: any(op(str(v).lower(), want) for v in get(r) if v not in (None, ""))


def _number(value: str, param: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise invalid_value(param) from None


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _sort_value(value: Any) -> tuple:
    """Numbers sort numerically, text case-insensitively; the two never compare with each other."""
    if isinstance(value, (bool, int, float)):
        return (0, float(value), "")
    return (1, 0.0, str(value).lower())


def _period(name: str, today: str) -> tuple[str, str]:
    d = date.fromisoformat(today)
    if name == "today":
        return today, today
    if name.startswith("previous_"):  # the period before this one: the day, week, month, quarter or year before
        if name == "previous_day":
            day = (d - timedelta(days=1)).isoformat()
            return day, day
        this_start = date.fromisoformat(_period("this_" + name[9:], today)[0])
        return _period("this_" + name[9:], (this_start - timedelta(days=1)).isoformat())
    if name == "this_week":
        start = d - timedelta(days=d.weekday())
        return start.isoformat(), (start + timedelta(days=6)).isoformat()
    if name == "this_month":
        start = d.replace(day=1)
        nxt = (start + timedelta(days=32)).replace(day=1)
        return start.isoformat(), (nxt - timedelta(days=1)).isoformat()
    if name == "this_quarter":
        q0 = 3 * ((d.month - 1) // 3) + 1
        start = d.replace(month=q0, day=1)
        nxt = (start + timedelta(days=95)).replace(day=1)
        return start.isoformat(), (nxt - timedelta(days=1)).isoformat()
    return d.replace(month=1, day=1).isoformat(), d.replace(month=12, day=31).isoformat()
