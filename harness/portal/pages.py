"""The portal's server-rendered pages: settings, companies, a connection, and the customer's Link pages.

The pages use the same services as the JSON API (one code path for each action); forms post back
and redirect (post/redirect/get). The Link pages and the OAuth callback are what a customer's
browser sees; a journey cookie binds the OAuth state to the browser that started it.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, make_response, redirect, render_template, request, url_for

from harness.connector.datatypes import DATA_TYPES

from .api import check_redirect_url, company_or_404, connection_or_404
from .errors import ApiError
from .integration import EDITIONS, describe
from .journey import MESSAGES, Go, Show, carried
from .store import LINKED, STATUSES, clean_name

pages = Blueprint("pages", __name__, template_folder="templates")
BROWSER_COOKIE = "portal_link"
STATUS_COLOURS = dict(zip(STATUSES, ("purple", "green", "red", "grey")))


def platform() -> Any:
    return current_app.extensions["platform"]


@pages.app_context_processor
def globals_for_templates() -> dict[str, Any]:
    return {"status_colours": STATUS_COLOURS}


def respond(outcome: Show | Go) -> Response:
    """A journey step's outcome as a response (the journey cookie set when a journey starts)."""
    if isinstance(outcome, Show):
        return make_response(render_template(outcome.template, **outcome.context), outcome.status)
    response = redirect(outcome.url, code=302)
    if outcome.browser and outcome.browser != request.cookies.get(BROWSER_COOKIE):
        response.set_cookie(BROWSER_COOKIE, outcome.browser, httponly=True, samesite="Lax", path="/",
                            secure=request.scheme == "https")
    return response


# -- settings --------------------------------------------------------------------------------------
@pages.get("/")
def home():  # type: ignore[no-untyped-def]
    return redirect(url_for("pages.settings_page"))


def _settings_context(**extra: Any) -> dict[str, Any]:
    p = platform()
    values = p.settings.public()
    rows = [{**d, "value": values[d["key"]]} for d in p.settings.describe()]
    return {"integration": describe(p.integrations.get(), p.redirect_uri), "data_types": DATA_TYPES,
            "editions": EDITIONS, "whitespace": p.settings["portal.key_whitespace"], "platform_settings": rows,
            **extra}


@pages.get("/settings")
def settings_page():  # type: ignore[no-untyped-def]
    return render_template("settings.html", **_settings_context(saved=request.args.get("saved") == "1"))


@pages.post("/settings")
def save_settings():  # type: ignore[no-untyped-def]
    p = platform()
    form = request.form
    body: dict[str, Any] = {"client_id": form.get("client_id", "")}
    if form.get("client_secret", "") != "" or p.integrations.get() is None:
        body["client_secret"] = form.get("client_secret", "")  # blank keeps the stored secret
    chosen = [t for t in form.getlist("data_types") if t in DATA_TYPES]
    editions = [e for e in form.getlist("editions") if e in EDITIONS]
    if not chosen:
        return _settings_error(ApiError(400, "Choose at least one data type", "data_types"), form)
    if not editions:
        return _settings_error(ApiError(400, "Choose at least one supported edition", "editions"), form)
    body["data_types"] = chosen
    body["complete_datasets"] = [t for t in DATA_TYPES if form.get(f"pull_{t}") == "complete"]
    body["editions"] = editions
    try:
        p.integrations.save(body, p.settings["portal.key_whitespace"], p.clock.now())
    except ApiError as exc:
        return _settings_error(exc, form)
    return redirect(url_for("pages.settings_page", saved="1"), code=303)


def _settings_error(exc: ApiError, form: Any) -> Response:
    """The form again, the fault named beside its field; the typed Client ID kept, never the secret."""
    ctx = _settings_context(error=exc.message, error_field=exc.field, typed_client_id=form.get("client_id", ""))
    return make_response(render_template("settings.html", **ctx), exc.status)


@pages.post("/settings/enable")
def enable_page():  # type: ignore[no-untyped-def]
    p = platform()
    choice = request.form.get("choice")
    if choice not in ("now", "later", "disable"):
        raise ApiError(400, "choose now, later or disable", "choice")
    if choice != "later":
        p.integrations.set_enabled(choice == "now", p.clock.now())
    return redirect(url_for("pages.settings_page"), code=303)


# -- companies and connections ---------------------------------------------------------------------
@pages.get("/companies")
def companies_page():  # type: ignore[no-untyped-def]
    p = platform()
    return render_template("companies.html", companies=p.store.companies(), integration=p.integrations.get())


@pages.post("/companies")
def create_company_page():  # type: ignore[no-untyped-def]
    p = platform()
    name = clean_name(request.form.get("name", ""))[:200]
    try:
        if not name:
            raise ApiError(400, "A company needs a name (letters or digits)", "name")
        redirect_url = check_redirect_url(request.form.get("redirect_url", "").strip() or None)
        org = request.form.get("organization_id", "").strip() or None
        if org is not None and not (org.isdigit() and len(org) <= 40):
            raise ApiError(400, "The organization id must be digits", "organization_id")
    except ApiError as exc:
        return make_response(render_template("companies.html", companies=p.store.companies(),
                                             integration=p.integrations.get(), error=exc.message), exc.status)
    company = p.create_company(name, None, redirect_url, org)
    return redirect(url_for("pages.company_page", company_id=company["id"]), code=303)


@pages.get("/companies/<company_id>")
def company_page(company_id: str):  # type: ignore[no-untyped-def]
    p = platform()
    company = company_or_404(company_id)
    return render_template("company.html", company=company, events=p.events.list(company_id=company_id)[-50:],
                           datasets=[d.to_dict() for d in p.sync_store.datasets(company_id)][-50:])


@pages.post("/companies/<company_id>/link-url")
def new_link_page(company_id: str):  # type: ignore[no-untyped-def]
    p = platform()
    company_or_404(company_id)
    p.store.new_company_link(company_id, p.clock.now(), float(p.settings["link.otp_ttl_s"]))
    return redirect(url_for("pages.company_page", company_id=company_id), code=303)


@pages.get("/companies/<company_id>/connections/<connection_id>")
def connection_page(company_id: str, connection_id: str):  # type: ignore[no-untyped-def]
    p = platform()
    connection = connection_or_404(company_id, connection_id)
    events = [e for e in p.events.list(company_id=company_id)
              if (e["payload"].get("connection") or {}).get("id") == connection_id
              or e["payload"].get("connectionId") == connection_id]
    return render_template("connection.html", company=p.store.company(company_id), connection=connection,
                           events=events)


@pages.post("/companies/<company_id>/connections/<connection_id>/<action>")
def connection_action(company_id: str, connection_id: str, action: str):  # type: ignore[no-untyped-def]
    p = platform()
    connection = connection_or_404(company_id, connection_id)
    if action == "unlink":
        if connection["status"] != LINKED:
            raise ApiError(409, "Only a Linked connection can be unlinked", "status")
        p.connections.unlink(company_id, connection_id)
    elif action == "delete":
        p.connections.delete(company_id, connection_id)
        return redirect(url_for("pages.company_page", company_id=company_id), code=303)
    elif action == "link-url":
        p.store.new_connection_link(connection_id, company_id, p.clock.now(), float(p.settings["link.otp_ttl_s"]))
    else:
        raise ApiError(404, "No such action", "action")
    return redirect(url_for("pages.connection_page", company_id=company_id, connection_id=connection_id), code=303)


# -- the customer's Link pages and the OAuth callback -----------------------------------------------
@pages.get("/link/company/<company_id>")
def link_company(company_id: str):  # type: ignore[no-untyped-def]
    return respond(platform().journey.open_company_link(company_id, request.args.get("otp"),
                                                        request.args.get("platform"),
                                                        request.cookies.get(BROWSER_COOKIE), carried(request.args)))


@pages.post("/link/company/<company_id>/choose")
def link_choose(company_id: str):  # type: ignore[no-untyped-def]
    return respond(platform().journey.choose(company_id, request.form.get("choice"), request.form.get("platform"),
                                             request.cookies.get(BROWSER_COOKIE)))


@pages.get("/link/companies/<company_id>/connections/<connection_id>/start")
def link_connection(company_id: str, connection_id: str):  # type: ignore[no-untyped-def]
    return respond(platform().journey.open_connection_link(company_id, connection_id, request.args.get("otp"),
                                                           request.cookies.get(BROWSER_COOKIE), carried(request.args)))


@pages.post("/link/pick")
def link_pick():  # type: ignore[no-untyped-def]
    return respond(platform().journey.picked(request.form.get("pick"), request.form.get("organization_id")))


@pages.get("/oauth/callback")
def oauth_callback():  # type: ignore[no-untyped-def]
    params = {k: request.args.get(k, "") for k in ("state", "code", "location", "accounts-server", "error")}
    return respond(platform().journey.callback(params, request.cookies.get(BROWSER_COOKIE)))


@pages.get("/link/result")
def link_result():  # type: ignore[no-untyped-def]
    args = request.args
    code = args.get("statusCode", "")
    connection = platform().store.connection(args.get("connectionId", "")) if args.get("connectionId") else None
    status = int(code) if code.isdigit() and int(code) in MESSAGES else 500
    return render_template("result.html", statusCode=status, errorMessage=args.get("errorMessage", ""),
                           statusText=args.get("statusText", ""), connection=connection)
