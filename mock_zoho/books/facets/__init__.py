"""Generic record facets: the sub-operations Zoho repeats across Books modules, built once.

``declare.FACETS`` says which resource offers which (comments, email, attachment, approval,
active/inactive and reminder toggles, custom fields, addresses, templates, PDF), ``options`` holds
the facet kinds and their routes, and one module per kind holds the handlers, which take the
gateway's ``Call`` and the resource's declaration. ``views`` appends the routes (``facet_routes``)
and registers the handlers (``facet_handlers``); every facet call goes through the same gateway
as the rest of Books (auth, scopes, limits, journal, faults, replay) and writes through
``views._writing``.
"""
from __future__ import annotations

import importlib
from functools import partial
from typing import Any, Callable, Mapping

from .declare import FACETS, facet_routes, handler_name, pdf_facet

__all__ = ["FACETS", "facet_routes", "facet_handlers", "detail_answer"]


def facet_handlers() -> dict[str, Callable[[Any], Any]]:
    """Handler name -> handler bound to its declaration, for every declared facet operation.
    Called once ``views`` is loaded (the facet modules import its ``Call``, ``ok`` and ``_writing``)."""
    out: dict[str, Callable[[Any], Any]] = {}
    for resource, facets in FACETS.items():
        for index, facet in enumerate(facets):
            module = importlib.import_module(f"{__name__}.{facet.module}")
            for _, _, op in facet.routes():
                out[handler_name(resource, index, op)] = partial(getattr(module, f"h_{op}"), facet=facet)
    return out


def detail_answer(call: Any, rec: Mapping[str, Any]) -> Any | None:
    """The detail route's answer in another format (``accept=pdf|html``) where the resource has the
    PDF facet; None: the usual JSON."""
    if pdf_facet(call.spec.name) is None:
        return None
    from .pdf import record_answer, wanted_format

    fmt = wanted_format()
    return None if fmt == "json" else record_answer(call, rec, fmt)
