"""The customer's browser: follows the portal's Link pages and Zoho's consent pages over plain HTTP.

A ``requests`` session keeps cookies (the portal binds the OAuth state to the browser that started
the journey). Pages are read with the standard library's HTML parser: a form's action, its hidden
fields and its submit buttons, which is all a person's clicks amount to here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

__all__ = ["Form", "forms", "page_text", "Outcome", "query_of"]


@dataclass
class Form:
    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)   # (name, value, label)

    def button(self, value: str | None = None, label: str | None = None) -> tuple[str, str] | None:
        for name, v, text in self.buttons:
            if (value is None or v == value) and (label is None or label.lower() in text.lower()):
                return name, v
        return None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif self.forms and tag == "input" and a.get("type") == "hidden":
            self.forms[-1].hidden[a.get("name", "")] = a.get("value", "")
        elif self.forms and tag == "button":
            self._button = [a.get("name", ""), a.get("value", ""), ""]

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            name, value, text = self._button
            self.forms[-1].buttons.append((name, value, text.strip()))
            self._button = None


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def page_text(html: str, limit: int = 400) -> str:
    """The visible words of a page (for messages and ``page_contains`` checks)."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:limit]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


@dataclass
class Outcome:
    """Where a customer's journey stopped: a redirect to the company (``redirect``), a page of the
    portal's own (``portal_page``), Zoho's error page (``zoho_page``), or the organisation picker."""

    kind: str
    http_status: int
    url: str = ""
    params: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def describe(self) -> str:
        if self.kind == "redirect":
            shown = {k: self.params.get(k) for k in ("statusCode", "errorMessage", "statusText") if k in self.params}
            return f"redirect to the company with {shown}"
        return f"{self.kind.replace('_', ' ')} (HTTP {self.http_status}): {self.text[:160]}"


def submit(session: requests.Session, page: requests.Response, form: Form, extra: dict[str, str]) -> requests.Response:
    """Post ``form`` as a browser would (hidden fields plus the clicked button)."""
    url = urljoin(page.url, form.action)
    data: dict[str, Any] = {**form.hidden, **extra}
    if form.method == "post":
        return session.post(url, data=data, allow_redirects=False, timeout=120)
    return session.get(url, params=data, allow_redirects=False, timeout=120)
