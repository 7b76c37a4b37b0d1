"""Custom modules (custom-modules.yml): records of an org's own modules at ``/cm_<name>``.

A custom module's records are free-form: ``record_name`` (required on create) and any number of
custom fields ``cf_<name>`` holding text, a number, a flag or null; each field is also answered
``<field>_formatted`` (numbers with two decimals and thousands separators). Choices (README
"Custom modules"): a module exists once it has a record (no module definitions are kept); names are
``cm_`` plus lower-case letters, digits and underscores (anything else is code 5, as an unknown
path); ``DELETE /cm_<name>`` deletes every record of the module; records are kept beside the
Books records (``books:{org}:_custommodules``) and never seeded.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping

from .. import literals as L
from ..errors import BooksError, invalid_value
from .keys import parse_offset, record_ns
from .resources import ResourceSpec

MODULE_NAME = re.compile(r"cm_[a-z0-9_]+")
CUSTOM_FIELD = re.compile(r"cf_[a-z0-9_]+")
CUSTOM_NS = "_custommodules"
RECORD_FIELDS = ("module_record_id", "module_api_name", "last_modified_time", "last_modified_time_formatted",
                 "created_time", "created_time_formatted", "created_by_id", "last_modified_by_id", "record_name",
                 "record_name_formatted")
# Not a listed resource (no fixed path): the description of what the gateway checks (scope, journal name).
CUSTOM_SPEC = ResourceSpec(name="custommodules", path="cm_*", list_key="module_record", detail_key="module_record",
                           id_field="module_record_id", label="Module record", scope="custommodules",
                           list_fields=RECORD_FIELDS, detail_fields=RECORD_FIELDS, report_name="Custom Module")


def module_name(segment: str) -> str:
    """The module's API name from the path; code 5 (an unknown path) unless it is ``cm_<name>``."""
    if not MODULE_NAME.fullmatch(segment):
        raise BooksError(L.INVALID_URL)
    return segment


def namespace(org_id: str) -> str:
    return record_ns(org_id, CUSTOM_NS)


def formatted(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def custom_values(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body's custom fields (``cf_*``: text, number, flag or null; code 2 naming any other)."""
    out = {}
    for key, value in body.items():
        if not isinstance(key, str) or not CUSTOM_FIELD.fullmatch(key):
            continue
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise invalid_value(key)
        out[key] = value
    return out


def write_record(rec: dict[str, Any], body: Mapping[str, Any], *, creating: bool) -> None:
    """Apply a create or update body to a record (its record_name and custom fields)."""
    name = body.get("record_name")
    if creating and (not isinstance(name, str) or not name.strip()):
        raise invalid_value("record_name")
    if name is not None:
        if not isinstance(name, str) or not name.strip():
            raise invalid_value("record_name")
        rec["record_name"] = rec["record_name_formatted"] = name
    for key, value in custom_values(body).items():
        rec[key], rec[f"{key}_formatted"] = value, formatted(value)


def stamp(rec: dict[str, Any], now: float, offset: str, user_id: str, *, creating: bool) -> None:
    local = datetime.fromtimestamp(now, tz=timezone(parse_offset(offset)))
    iso = local.strftime("%Y-%m-%dT%H:%M:%S") + offset.replace(":", "")
    shown = local.strftime("%d/%m/%Y %I:%M %p")
    if creating:
        rec.update(created_time=iso, created_time_formatted=shown, created_by_id=user_id, _ct=now)
    rec.update(last_modified_time=iso, last_modified_time_formatted=shown, last_modified_by_id=user_id, _lmt=now)


def render(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A record as lists and writes answer it: its fields and custom fields, never bookkeeping keys."""
    return {k: v for k, v in rec.items() if not k.startswith("_")}


def render_detail(rec: Mapping[str, Any], users: list[Mapping[str, Any]] = (), me: str = "") -> dict[str, Any]:
    """``GET /cm_<name>/{id}``: the module's view of the record (its fields described), the record, and
    the org's users it names (who made and last changed it), as custom-modules.yml answers them."""
    name = rec["module_api_name"][3:]
    fields = [{"field_id": str(i), "is_active": True, "is_mandatory": key == "record_name",
               "label": f"{name} Name" if key == "record_name" else key[3:].replace("_", " ").title(),
               "api_name": key, "data_type": _data_type(rec[key]),
               "data_type_formatted": DATA_TYPE_LABELS[_data_type(rec[key])], "value": rec[key],
               "value_formatted": formatted(rec[key]), "pii_type": "non_pii",
               "max_length": MAX_LENGTH[_data_type(rec[key])], "help_text": ""}
              for i, key in enumerate(["record_name"] + sorted(k for k in rec if CUSTOM_FIELD.fullmatch(k)
                                                               and not k.endswith("_formatted")), 1)]
    return {"module_record": {"module_record_id": rec["module_record_id"], "module_api_name": rec["module_api_name"],
                              "module_name": name, "module_plural_name": f"{name}s", "shared_type": "read_write",
                              "can_submit": False, "can_approve": False, "approvers_list": "",
                              "module_fields": fields, "shared_to": [], "comments": []},
            "module_record_hash": render(rec),
            "users": [user_row(u, me) for u in users]}


# custom-modules.yml's field descriptions: a text box's label and length (the documented 255), a number's, a flag's.
DATA_TYPE_LABELS = {"string": "Text Box (Single Line)", "decimal": "Decimal", "check_box": "Checkbox"}
MAX_LENGTH = {"string": 255, "decimal": 16, "check_box": 1}


def record_user_ids(rec: Mapping[str, Any]) -> list[str]:
    """The users a record names (its maker, then its last editor), each once."""
    return list(dict.fromkeys(u for u in (rec.get("created_by_id"), rec.get("last_modified_by_id")) if u))


def user_row(user: Mapping[str, Any], me: str) -> dict[str, Any]:
    """A user as custom-modules.yml lists it: ``id`` a number (as documented), ``text`` the name."""
    uid = str(user.get("user_id") or "")
    return {"id": int(uid) if uid.isdigit() else uid, "text": user.get("name", ""), "name": user.get("name", ""),
            "email": user.get("email", ""), "photo_url": user.get("photo_url", ""), "is_current_user": uid == me}


def _data_type(value: Any) -> str:
    if isinstance(value, bool):
        return "check_box"
    if isinstance(value, (int, float)):
        return "decimal"
    return "string"


def created_message(module: str) -> str:
    return f"{module[3:]} is created successfully"


def updated_message(module: str) -> str:
    return f"{module[3:]} is updated successfully."


BULK_UPDATED_MESSAGE = "Bulk update successfull"  # sic, as documented
MODULE_DELETED_MESSAGE = "Module record deleted"
