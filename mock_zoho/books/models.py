"""Zoho Books state: organisations, their users and their records, all kept in ``emulator.store``.

Namespaces (the data contract with the seeder, ``seed/``): ``books:orgs`` holds organisation documents keyed
by ``organization_id``; ``books:{org}:{resource}`` holds full detail records keyed by their id.
Keys starting with ``_`` are bookkeeping (``_ct`` created and ``_lmt`` last-modified epochs) and
never rendered. Nothing lives in module globals, so a Redis store can replace the memory one.
"""
from __future__ import annotations

import copy
import random
import re
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import ids
from .. import literals as L
from ..errors import InvalidInput, NotFound, UnknownRecord
from .editions import EDITIONS, MONTHS, PLAN_NAMES
from .keys import documents_ns, id_counter, parse_offset, record_ns
from ..http import dumps
from .seed import resolve_counts, seed_organization
from .resources import CONTACT_PERSON_EMBEDDED, RECORD_RESOURCES, SPECS, ResourceSpec, default_for

ORGS_NS = "books:orgs"
ORG_SEQ = "books:org_seq"


def _checked_counts(counts: Mapping[str, int] | None) -> Mapping[str, int] | None:
    """Validate seed counts up front so a bad count never leaves a half-made org behind."""
    try:
        resolve_counts(counts)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="counts") from None
    return counts


def format_ts(epoch: float, offset: str = "+0000") -> str:
    """Zoho's timestamp: ``YYYY-MM-DDTHH:MM:SS±hhmm`` in the org's offset."""
    tz = timezone(parse_offset(offset))
    return datetime.fromtimestamp(epoch, tz=tz).strftime("%Y-%m-%dT%H:%M:%S") + offset.replace(":", "")


def local_date(epoch: float, offset: str = "+0000") -> str:
    return format_ts(epoch, offset)[:10]


class BooksBackend:
    """Organisations and the record repository the HTTP handlers and the seeder share."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator
        # "org:resource" -> record id -> (stored record object, its list-item JSON). Only with stores
        # whose reads return the same object until a write replaces it, so identity proves freshness.
        self._rendered: dict[str, dict[str, tuple[Mapping[str, Any], bytes]]] = {}
        self._cache_rendered = emulator.store.stable_docs
        # A write request's changes are staged here (namespace -> key -> record, None: deleted) and
        # reach the store only when the whole request succeeded (``staged``).
        self._staging = threading.local()
        # The app's hook that takes a request's staged changes to commit them with the request's
        # journal entry once its answer is made (``mock_zoho.serving.journaling``); it answers
        # False outside a request (the seeder, the admin API): the changes are then written here.
        self.take_write: Callable[[Mapping[str, Mapping[str, Any]]], bool] | None = None
        emulator.config.on_change(lambda _changed: self._rendered.clear())

    @property
    def store(self):
        return self.emulator.store

    def reset(self) -> None:
        """State lives in the store, which the emulator clears; only the render cache is here."""
        self._rendered.clear()

    def forget_rendered(self, org_id: str) -> None:
        """Drop an org's cached list items (the seeder edits some stored records in place)."""
        for key in [k for k in self._rendered if k.startswith(f"{org_id}:")]:
            self._rendered.pop(key, None)

    # ---- time --------------------------------------------------------------------------------
    def now(self) -> float:
        return self.emulator.clock.now()

    @staticmethod
    def org_offset(org: Mapping[str, Any]) -> str:
        return org.get("_utc_offset") or EDITIONS.get(org.get("_edition", ""), EDITIONS["global"]).utc_offset

    def timestamp(self, org: Mapping[str, Any], epoch: float | None = None) -> str:
        return format_ts(self.now() if epoch is None else epoch, self.org_offset(org))

    def today(self, org: Mapping[str, Any]) -> str:
        return local_date(self.now(), self.org_offset(org))

    # ---- organisations -------------------------------------------------------------------------
    def create_organization(
        self,
        name: str,
        edition: str,
        plan: str = "professional",
        user_ids: Iterable[str] = (),
        is_default: bool = True,
        currency_code: str | None = None,
        time_zone: str | None = None,
        organization_id: str | None = None,
        counts: Mapping[str, int] | None = None,
        *,
        seed: bool = True,
        rng: random.Random | None = None,
    ) -> dict[str, Any]:
        """Create an org in its users' DC, add its Books users, and seed it (``counts={}``: no records)."""
        if edition not in EDITIONS:
            raise InvalidInput(f"unknown edition {edition!r} (known: {', '.join(EDITIONS)})", field="edition")
        if plan not in PLAN_NAMES:
            raise InvalidInput(f"unknown plan {plan!r} (known: {', '.join(PLAN_NAMES)})", field="plan")
        user_ids = list(user_ids)
        if not user_ids:
            raise InvalidInput("user_ids must name at least one user", field="user_ids")
        if seed and counts != {}:
            _checked_counts(counts)  # refuse bad counts before anything is created
        users = []
        for uid in user_ids:
            try:
                user = self.emulator.accounts.get_user(uid)
            except Exception:  # the accounts backend may raise its own not-found error
                user = None
            if not user:
                raise InvalidInput(f"unknown user {uid!r}", field="user_ids")
            users.append(user)
        dcs = {u["dc"] for u in users}
        if len(dcs) != 1:
            raise InvalidInput("all users of an organization must be in one data center", field="user_ids")
        dc = dcs.pop()
        ed = EDITIONS[edition]
        if organization_id is not None:
            if not re.fullmatch(r"[1-9][0-9]{0,14}", str(organization_id)):  # Zoho's are 9-11 digits
                raise InvalidInput("organization_id must be a numeric string of 1 to 15 digits, not starting with 0",
                                   field="organization_id")
            if self.store.get(ORGS_NS, str(organization_id)):
                raise InvalidInput(f"organization {organization_id} already exists", field="organization_id")
            org_id = str(organization_id)
        else:
            org_id = ids.org_id(self.store.incr(ORG_SEQ))
            while self.store.get(ORGS_NS, org_id):
                org_id = ids.org_id(self.store.incr(ORG_SEQ))
        offset = ed.utc_offset
        if time_zone:
            offset = _zone_offset(time_zone, self.now())
        now = self.now()
        owner = users[0]
        cur = currency_code or ed.currency_code
        org: dict[str, Any] = {
            "organization_id": org_id,
            "name": name,
            "contact_name": owner.get("name") or owner.get("email", ""),
            "email": owner.get("email", ""),
            "is_default_org": False,
            "plan_type": L.ORG_PLAN_TYPES[plan],
            "tax_group_enabled": ed.tax_model != "none",
            "zi_migration_status": 0,
            "plan_name": PLAN_NAMES[plan],
            "plan_period": "monthly",
            "language_code": ed.language_code,
            "fiscal_year_start_month": ed.fiscal_year_start_month,
            "account_created_date": local_date(now, offset),
            "account_created_date_formatted": _format_date(local_date(now, offset), ed.date_format),
            "time_zone": time_zone or ed.time_zone,
            "is_org_active": True,
            "currency_id": "",
            "currency_code": cur,
            "currency_symbol": ed.currency_symbol if cur == ed.currency_code else cur,
            "currency_format": ed.currency_format,
            "price_precision": 2,
            "version": edition,  # our value: the edition's code (Zoho's is undocumented)
            "date_format": ed.date_format,
            "field_separator": "/" if "/" in ed.date_format else "-",
            "industry_type": "",
            "industry_size": "",
            "company_id_label": ed.company_id_label,
            "company_id_value": "",
            "tax_id_label": ed.tax_id_label,
            "tax_id_value": "",
            "org_address": "",
            "remit_to_address": "",
            "phone": "",
            "fax": "",
            "website": "",
            "address": {"street_address1": "", "street_address2": "", "city": "", "state": "",
                        "country": ed.country, "zip": ""},
            "custom_fields": [],
            "country": ed.country,
            "_dc": dc,
            "_edition": edition,
            "_plan": plan,
            "_utc_offset": offset,
            "_members": list(dict.fromkeys(user_ids)),
            "_defaults": {},
            "_ct": now,
            "_lmt": now,
        }
        with self.store.lock("books:orgs"):
            org["currency_id"] = self.new_id(org_id)
            if is_default:
                for uid in org["_members"]:
                    self._clear_default(uid, dc)
                    org["_defaults"][uid] = True
            self.store.put(ORGS_NS, org_id, org)
        for user in users:
            self._add_books_user(org, user)
        if seed and counts != {}:  # a new org: the default world overlaid with its counts
            self.seed(org_id, resolve_counts(counts), rng=rng)
        return self.get_org(org_id)  # type: ignore[return-value]

    def _add_books_user(self, org: Mapping[str, Any], user: Mapping[str, Any]) -> dict[str, Any]:
        org_id = org["organization_id"]
        existing = self.books_user_for(org_id, user["user_id"])
        if existing:
            return existing
        first = not self.store.count(record_ns(org_id, "users"))
        now = self.now()
        rec = {
            "user_id": self.new_id(org_id), "role_id": self.new_id(org_id),
            "name": user.get("name") or user.get("email", ""), "email": user.get("email", ""),
            "email_ids": [{"email": user.get("email", ""), "is_selected": True}],
            "user_role": "admin", "status": "active", "is_current_user": False, "photo_url": "",
            "is_customer_segmented": False, "is_vendor_segmented": False, "user_type": "zoho",
            "cost_rate": 0, "is_employee": False, "created_time": self.timestamp(org, now), "custom_fields": [],
            "_zuid": user["user_id"], "_owner": first, "_ct": now, "_lmt": now,
        }
        self.store.put(record_ns(org_id, "users"), rec["user_id"], rec)
        return rec

    def books_user_for(self, org_id: str, account_user_id: str) -> dict[str, Any] | None:
        for rec in self.store.values(record_ns(org_id, "users")):
            if rec.get("_zuid") == account_user_id:
                return rec
        return None

    def _clear_default(self, user_id: str, dc: str) -> None:
        for other in self.store.values(ORGS_NS):
            if other.get("_dc") == dc and other.get("_defaults", {}).get(user_id):
                doc = copy.deepcopy(other)
                doc["_defaults"][user_id] = False
                self.store.put(ORGS_NS, doc["organization_id"], doc)

    def get_org(self, org_id: str) -> dict[str, Any] | None:
        return self.store.get(ORGS_NS, str(org_id))

    def all_orgs(self) -> list[dict[str, Any]]:
        return sorted(self.store.values(ORGS_NS), key=lambda o: (o.get("_ct", 0), o["organization_id"]))

    def orgs_for_user(self, user_id: str, dc: str | None = None) -> list[dict[str, Any]]:
        """The user's orgs, oldest first; only those in ``dc`` when given."""
        return [o for o in self.all_orgs() if user_id in o.get("_members", ()) and (dc is None or o["_dc"] == dc)]

    def default_org(self, user_id: str, dc: str) -> dict[str, Any] | None:
        """The org flagged default for this user in this DC, else the oldest (our choice, §3.3)."""
        orgs = self.orgs_for_user(user_id, dc)
        for org in orgs:
            if org.get("_defaults", {}).get(user_id):
                return org
        return orgs[0] if orgs else None

    def is_default_for(self, org: Mapping[str, Any], user_id: str) -> bool:
        default = self.default_org(user_id, org["_dc"])
        return default is not None and default["organization_id"] == org["organization_id"]

    def update_org(self, org_id: str, *, name: str | None = None, plan: str | None = None,
                   default_for: str | None = None) -> dict[str, Any]:
        with self.store.lock("books:orgs"):
            org = self.get_org(org_id)
            if org is None:
                raise UnknownRecord(f"organization {org_id} does not exist", field="organization_id")
            org = copy.deepcopy(org)
            if name is not None:
                org["name"] = name
            if plan is not None:
                if plan not in PLAN_NAMES:
                    raise InvalidInput(f"unknown plan {plan!r} (known: {', '.join(PLAN_NAMES)})", field="plan")
                org["_plan"] = plan
                org["plan_name"] = PLAN_NAMES[plan]
                org["plan_type"] = L.ORG_PLAN_TYPES[plan]
            if default_for is not None:
                if default_for not in org["_members"]:
                    raise InvalidInput(f"user {default_for!r} is not a member of this organization", field="is_default")
                self._clear_default(default_for, org["_dc"])
                org["_defaults"][default_for] = True
            org["_lmt"] = self.now()
            self.store.put(ORGS_NS, org_id, org)
            return org

    @staticmethod
    def spec(name: str) -> ResourceSpec:
        """A resource's description (the write rules reach other resources through the backend)."""
        return SPECS[name]

    def zone_offset(self, time_zone: str) -> str:
        """±hhmm of an IANA zone now (InvalidInput naming time_zone when unknown)."""
        return _zone_offset(time_zone, self.now())

    def replace_org(self, org: dict[str, Any]) -> None:
        """Store an organisation written through the API (PUT /organizations/{id}): last write wins."""
        org["_lmt"] = self.now()
        with self.store.lock("books:orgs"):
            self.store.put(ORGS_NS, org["organization_id"], org)
        self.forget_rendered(org["organization_id"])

    def delete_org(self, org_id: str) -> bool:
        if not self.store.delete(ORGS_NS, str(org_id)):
            return False
        self.forget_rendered(str(org_id))
        for ns in self.store.namespaces(f"books:{org_id}:"):
            self.store.drop(ns)
        return True

    def seed(self, org_id: str, counts: Mapping[str, int] | None = None, *, rng: random.Random | None = None) -> dict[str, int]:
        """Add generated records (seed/) to an org; returns how many of each were written. ``counts``
        names exactly what to add (a resource it does not name gets none); None adds the default world."""
        org = self.get_org(org_id)
        if org is None:
            raise UnknownRecord(f"organization {org_id} does not exist")
        rng = rng or self.emulator.rng(f"books:{org_id}:{self.store.get_counter(id_counter(org_id))}")
        self.forget_rendered(org_id)
        try:
            written = seed_organization(self.emulator, org, _checked_counts(counts), rng=rng, only_asked=True)
        except ValueError as exc:  # e.g. invoices asked for while the org has no customers
            raise InvalidInput(str(exc), field="counts") from None
        self._sync_base_currency(org_id)
        return written

    def _sync_base_currency(self, org_id: str) -> None:
        """Point the org's currency_id at its base-currency record once one exists."""
        for cur in self.store.values(record_ns(org_id, "currencies")):
            if cur.get("is_base_currency"):
                org = self.get_org(org_id)
                if org and org.get("currency_id") != cur.get("currency_id"):
                    org = copy.deepcopy(org)
                    org["currency_id"] = cur["currency_id"]
                    self.store.put(ORGS_NS, org_id, org)
                return

    # ---- records -----------------------------------------------------------------------------
    def new_id(self, org_id: str) -> str:
        """A fresh 19-digit record id unique within the org: the seeder (seed/) reserves from the same counter."""
        return ids.record_id(int(org_id), self.store.incr(id_counter(org_id)))

    def _stage(self) -> dict[str, dict[str, dict[str, Any] | None]] | None:
        return getattr(self._staging, "changes", None)

    @contextmanager
    def staged(self, request_write: bool = True) -> Iterator[None]:
        """Run one write request's reads and writes against a private overlay of the store, then
        commit every change at once; any exception (a Zoho refusal, a bug) discards them all.
        The commit checks first that every record serialises, so nothing unrenderable is stored."""
        if self._stage() is not None:  # nested: the outer request commits
            yield
            return
        self._staging.changes = changes = {}
        try:
            yield
            for docs in changes.values():
                for doc in docs.values():
                    if doc is not None:
                        dumps(doc)  # raises on what no answer could render (ints past 64 bits)
        finally:
            self._staging.changes = None
        # a request's write commits with its journal entry (take_write); the emulator's own scheduled work
        # (request_write=False: recurring profiles catching up) is written at once
        if changes and (not request_write or self.take_write is None or not self.take_write(changes)):
            self.store.write_batch(changes)

    def get_record(self, org_id: str, resource: str, record_id: str) -> dict[str, Any] | None:
        ns, key = record_ns(org_id, resource), str(record_id)
        stage = self._stage()
        if stage is not None and key in stage.get(ns, {}):
            return stage[ns][key]
        return self.store.get(ns, key)

    def records(self, org_id: str, resource: str) -> list[dict[str, Any]]:
        ns = record_ns(org_id, resource)
        stored = self.store.values(ns)
        staged = (self._stage() or {}).get(ns)
        if not staged:
            return stored
        id_field = SPECS[resource].id_field
        out = [staged.get(str(r.get(id_field)), r) if str(r.get(id_field)) in staged else r for r in stored]
        out = [r for r in out if r is not None]
        known = {str(r.get(id_field)) for r in stored}
        return out + [d for k, d in staged.items() if d is not None and k not in known]

    def put_record(self, org_id: str, resource: str, record: dict[str, Any]) -> dict[str, Any]:
        spec = SPECS[resource]
        rid = record.get(spec.id_field)
        if not rid:
            raise ValueError(f"{resource} record lacks {spec.id_field}")
        stage = self._stage()
        if stage is not None:
            stage.setdefault(record_ns(org_id, resource), {})[str(rid)] = record
        else:
            self.store.put(record_ns(org_id, resource), str(rid), record)
        return record

    def delete_record(self, org_id: str, resource: str, record_id: str) -> bool:
        """Delete a record, its attached files with it (as Zoho does), and its cached list item."""
        rec = self.get_record(org_id, resource, record_id)
        for doc in (rec or {}).get("documents") or []:
            if isinstance(doc, dict) and doc.get("document_id"):
                self.put_doc(documents_ns(org_id), doc["document_id"], None)
        self._rendered.get(f"{org_id}:{resource}", {}).pop(str(record_id), None)
        stage = self._stage()
        if stage is not None:
            stage.setdefault(record_ns(org_id, resource), {})[str(record_id)] = None
            return rec is not None
        return self.store.delete(record_ns(org_id, resource), str(record_id))

    # ---- side documents (facets: the outbox, attached files), staged like records ----------------
    def put_doc(self, ns: str, key: str, doc: dict[str, Any] | None) -> None:
        """Store (None: delete) a document outside the record namespaces, within the write's staging."""
        stage = self._stage()
        if stage is not None:
            stage.setdefault(ns, {})[str(key)] = doc
        elif doc is None:
            self.store.delete(ns, str(key))
        else:
            self.store.put(ns, str(key), doc)

    def get_doc(self, ns: str, key: str) -> dict[str, Any] | None:
        stage = self._stage()
        if stage is not None and str(key) in stage.get(ns, {}):
            return stage[ns][str(key)]
        return self.store.get(ns, str(key))

    @staticmethod
    def specs() -> list[ResourceSpec]:
        return list(SPECS.values())

    def require(self, org_id: str, spec: ResourceSpec, record_id: str) -> dict[str, Any]:
        """The record, or Zoho's 1002 "<Resource> does not exist." (HTTP per books.not_found_http_status)."""
        rec = self.get_record(org_id, spec.name, record_id)
        if rec is None:
            raise not_found(spec.label)
        return rec

    # ---- rendering ---------------------------------------------------------------------------
    def render_list_item(self, spec: ResourceSpec, org: Mapping[str, Any], rec: Mapping[str, Any]) -> dict[str, Any]:
        return {f: _value(rec, f) for f in spec.list_keys(org.get("_edition", ""))}

    def list_item_json(self, spec: ResourceSpec, org: Mapping[str, Any], rec: Mapping[str, Any]) -> bytes:
        """One list item as JSON, cached per stored record: a 200-item page is then mostly a join."""
        if not self._cache_rendered:
            return dumps(self.render_list_item(spec, org, rec))
        bucket = self._rendered.setdefault(f"{org['organization_id']}:{spec.name}", {})
        rid = rec.get(spec.id_field)
        hit = bucket.get(rid)
        if hit is not None and hit[0] is rec:
            return hit[1]
        data = dumps(self.render_list_item(spec, org, rec))
        bucket[rid] = (rec, data)
        return data

    def render_detail(self, spec: ResourceSpec, org: Mapping[str, Any], rec: Mapping[str, Any]) -> dict[str, Any]:
        out = {f: _value(rec, f) for f in spec.detail_keys(org.get("_edition", ""))}
        if spec.name == "contacts":
            out["contact_persons"] = [{k: _value(p, k) for k in CONTACT_PERSON_EMBEDDED}
                                      for p in rec.get("contact_persons") or []]
        return out

    def render_org(self, org: Mapping[str, Any], user_id: str, *, detail: bool) -> dict[str, Any]:
        spec = SPECS["organizations"]
        fields = spec.detail_fields if detail else spec.list_fields
        out = {f: _value(org, f) for f in fields}
        if not detail and self.emulator.config["books.org_country_in_list"]:
            out["country"] = org.get("country")
        out["is_default_org"] = self.is_default_for(org, user_id)
        if detail:
            out.update(self.caller_in_org(org, user_id))
        if self.emulator.config["books.fiscal_month_as"] == "int":
            month = str(org.get("fiscal_year_start_month", "january"))
            out["fiscal_year_start_month"] = MONTHS.index(month) if month in MONTHS else 0
        return out

    def caller_in_org(self, org: Mapping[str, Any], user_id: str) -> dict[str, str]:
        """``user_role`` and ``user_status`` of the caller's Books user in ``org`` ("" when they have none)."""
        me = self.books_user_for(org["organization_id"], user_id) or {}
        return {"user_role": str(me.get("user_role", "")), "user_status": str(me.get("status", ""))}

    def public_org(self, org: Mapping[str, Any]) -> dict[str, Any]:
        """The admin view of an org: Zoho's detail fields plus where it lives and who is in it."""
        out = {f: _value(org, f) for f in SPECS["organizations"].detail_fields}
        out.update({"dc": org["_dc"], "edition": org["_edition"], "plan": org["_plan"], "user_ids": org["_members"],
                    "default_for": sorted(u for u, v in org.get("_defaults", {}).items() if v),
                    "record_counts": {r: self.store.count(record_ns(org["organization_id"], r))
                                      for r in RECORD_RESOURCES}})
        for caller_field in ("is_default_org", "user_role", "user_status"):
            out.pop(caller_field, None)
        return out


def _value(rec: Mapping[str, Any], name: str) -> Any:
    return rec[name] if name in rec else default_for(name)


def not_found(label: str) -> NotFound:
    """A Books record is missing (the Books edge answers it with ``books.not_found_http_status``)."""
    return NotFound(label)


def _format_date(iso: str, fmt: str) -> str:
    y, m, d = iso.split("-")
    return fmt.replace("yyyy", y).replace("MM", m).replace("dd", d)


def _zone_offset(time_zone: str, epoch: float) -> str:
    """±hhmm of an IANA zone at ``epoch``; admin input is validated by the caller."""
    try:
        off = datetime.fromtimestamp(epoch, tz=ZoneInfo(time_zone)).utcoffset() or timedelta(0)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time_zone {time_zone!r}", field="time_zone") from None
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
