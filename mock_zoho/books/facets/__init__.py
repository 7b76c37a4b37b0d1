"""Generic record facets: the sub-operations Zoho repeats across Books modules, built once.

``declare.FACETS`` says which resource offers which (comments, email, attachment, approval,
active/inactive and reminder toggles, custom fields, addresses, templates, PDF), ``options`` holds
the facet kinds and their routes, and one module per kind holds the handlers, which take the
gateway's ``Call`` and the resource's declaration. ``views`` appends the routes (``facet_routes``)
and registers the handlers (``FACET_HANDLERS``); every facet call goes through the same gateway
as the rest of Books (auth, scopes, limits, journal, faults, replay) and writes through
``call.writing()`` (``views._writing``: staged, all or nothing). The facet modules use the gateway
only through the ``Call`` they are given, so they never import ``views``.
"""
from __future__ import annotations

from functools import partial
from types import ModuleType
from typing import Any, Callable, Mapping

from . import (address, addressbook, applied, approval, attachment, bulkdelete, comments, customfields, email, pdf,
               portal, refunds, templates, toggle)
from .declare import FACETS, facet_routes, handler_name, pdf_facet

__all__ = ["FACETS", "FACET_HANDLERS", "facet_routes", "detail_answer", "detail_facets"]

MODULES: dict[str, ModuleType] = {m.__name__.rsplit(".", 1)[-1]: m for m in (
    address, addressbook, approval, attachment, comments, customfields, email, pdf, portal, templates, toggle,
    applied, bulkdelete, refunds)}


def _handlers() -> dict[str, Callable[[Any], Any]]:
    """Handler name -> handler bound to its declaration, for every declared facet operation."""
    out: dict[str, Callable[[Any], Any]] = {}
    for resource, facets in FACETS.items():
        for index, facet in enumerate(facets):
            module = MODULES[facet.module]
            for _, _, op in facet.routes():
                out[handler_name(resource, index, op)] = partial(getattr(module, f"h_{op}"), facet=facet)
    return out


FACET_HANDLERS = _handlers()


def detail_answer(call: Any, rec: Mapping[str, Any]) -> Any | None:
    """The detail route's answer in another format (``accept=pdf|html``) where the resource has the
    PDF facet; None: the usual JSON."""
    if pdf_facet(call.spec.name) is None:
        return None
    fmt = pdf.wanted_format()
    return None if fmt == "json" else pdf.record_answer(call, rec, fmt)


def detail_facets(call: Any, rec: Mapping[str, Any], body: dict[str, Any]) -> None:
    """What a facet keeps in the record's detail (a fixed asset's ``comments``: its comment rows)."""
    rows = comments.detail_rows(call, rec)
    if rows is not None and "comments" in body:
        body["comments"] = rows
