"""PlanManager: the repair shop's dossiers, their forms, and the small "i" that injects one.

Every confirmed injection counts and queues a job; the job turns into a new Winformex dossier
after the `injection_delay_s` fault knob. Nothing stops a second click: the real system makes a
duplicate (and bills it), so the mock does too; not clicking twice is the bot's job.
Labels and messages come from mock_portal/i18n.py in the user's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from mock_portal.db import Session
from mock_portal.i18n import message
from mock_portal.models import ENGINE_TYPES, PmDossier, missing_for_injection
from mock_portal.web import (
    context,
    form_checked,
    form_text,
    guarded,
    input_date,
    not_found,
)

PORTAL = "planmanager"
_PM_NUMBER = re.compile(r"^PM-\d{4}-\d{4}$")
_CHASSIS = re.compile(r"^[A-Z0-9]{1,17}$")
_WHOLE = re.compile(r"^\d+$")
_SCREEN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Field:
    """One labelled input of the dossier form; `label` is its catalogue key (i18n.py),
    `max_length` its `maxlength` (the save refuses a longer value)."""

    name: str
    label: str
    kind: str = "text"  # text, date, number, checkbox, select
    unit: str = ""
    max_length: int | None = None


DATE_LENGTH = len("dd/mm/jjjj")

FORM_SECTIONS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    (
        "field.customer",
        (
            Field("customer_name", "field.customer", max_length=50),
            Field("customer_phone", "field.phone", max_length=20),
        ),
    ),
    (
        "field.vehicle",
        (
            Field("plate", "field.plate", max_length=12),
            Field("vin", "field.chassis_vin", max_length=17),
            Field("make", "field.make", max_length=30),
            Field("model", "field.model", max_length=40),
            Field("first_registration", "field.first_registration", "date", max_length=DATE_LENGTH),
            Field("mileage_km", "field.mileage", "number", "km", max_length=7),
            Field("mileage_unknown", "field.mileage_unknown", "checkbox"),
            Field("power_kw", "field.power_kw", "number", max_length=4),
            Field("displacement_cc", "field.displacement_cc", "number", max_length=5),
            Field("co2", "field.co2_g_km", "number", max_length=4),
            Field("engine_type", "field.engine_type", "select"),
            Field("particle_filter", "field.particle_filter", "checkbox"),
        ),
    ),
    (
        "field.insurance",
        (
            Field("insurer", "field.insurer", max_length=50),
            Field("claim_number", "field.claim_number", max_length=30),
            Field("damage_date", "field.damage_date", "date", max_length=DATE_LENGTH),
        ),
    ),
    (
        "field.damage",
        (
            Field("previous_damage", "field.previous_damage", "checkbox"),
            Field("burglary", "field.burglary", "checkbox"),
        ),
    ),
)
NUMBER_FIELD = Field("number", "field.dossier_number", max_length=20)
_FIELDS = {f.name: f for _, fields in FORM_SECTIONS for f in fields} | {"number": NUMBER_FIELD}


def routes() -> list[Route]:
    return [
        Route("/planmanager", home, methods=["GET"]),
        Route("/planmanager/", home, methods=["GET"]),
        Route("/planmanager/dossiers", dossier_list, methods=["GET"]),
        Route("/planmanager/dossiers", create_dossier, methods=["POST"]),
        Route("/planmanager/dossiers/nieuw", new_dossier_form, methods=["GET"]),
        Route("/planmanager/dossiers/{nr}", dossier_page, methods=["GET"]),
        Route("/planmanager/dossiers/{nr}/bewerken", edit_form, methods=["GET"]),
        Route("/planmanager/dossiers/{nr}/bewerken", save_edit, methods=["POST"]),
        Route("/planmanager/dossiers/{nr}/inject", inject, methods=["POST"]),
        Route("/planmanager/dossiers/{nr}/informex-status", informex_status, methods=["GET"]),
        Route("/planmanager/photos/{file}", photo, methods=["GET"]),
    ]


@guarded(PORTAL)
async def home(request: Request, session: Session) -> Response:
    return RedirectResponse("/planmanager/dossiers", 303)


@guarded(PORTAL)
async def dossier_list(request: Request, session: Session) -> Response:
    ctx = context(request)
    query = request.query_params.get("q", "").strip()
    dossiers = ctx.db.pm_dossiers(query)
    return ctx.render(
        request,
        "pm_dossiers.html",
        {"dossiers": dossiers, "q": query},
        session=session,
        portal=PORTAL,
    )


@guarded(PORTAL)
async def dossier_page(request: Request, session: Session) -> Response:
    number = request.path_params["nr"]
    dossier = context(request).db.pm_dossier(number)
    if dossier is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    saved = request.query_params.get("opgeslagen") == "1"
    return _render_dossier(
        request,
        session,
        dossier,
        status_message=message("pm.dossier.saved", session.language) if saved else None,
    )


def _render_dossier(
    request: Request,
    session: Session,
    dossier: PmDossier,
    *,
    error: str | None = None,
    status_message: str | None = None,
) -> Response:
    ctx = context(request)
    return ctx.render(
        request,
        "pm_dossier.html",
        {
            "d": dossier,
            "pending": ctx.db.injection_pending(dossier.number),
            "pending_text": message("pm.dossier.pending", session.language),
            "error": error,
            "status_message": status_message,
        },
        session=session,
        portal=PORTAL,
    )


@guarded(PORTAL)
async def inject(request: Request, session: Session) -> Response:
    """The confirmed "i": refuse an incomplete dossier, else queue one more injection job."""
    ctx = context(request)
    number = request.path_params["nr"]
    dossier = ctx.db.pm_dossier(number)
    if dossier is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    missing = missing_for_injection(dossier)
    if missing:
        names = ", ".join(message(key, session.language) for key in missing)
        refusal = message("pm.dossier.incomplete", session.language, missing=names)
        return _render_dossier(request, session, dossier, error=refusal)
    ctx.db.start_injection(number, ctx.now() + ctx.faults.injection_delay_s())
    return RedirectResponse(f"/planmanager/dossiers/{number}", 303)


@guarded(PORTAL)
async def informex_status(request: Request, session: Session) -> Response:
    """What the dossier page polls while an injection runs."""
    ctx = context(request)
    number = request.path_params["nr"]
    dossier = ctx.db.pm_dossier(number)
    if dossier is None:
        return JSONResponse({"error": "onbekend dossier"}, 404)
    if ctx.db.injection_pending(number):
        state = "pending"
    else:
        state = "done" if dossier.informex_dossier else "none"
    return JSONResponse(
        {"state": state, "informex_dossier": dossier.informex_dossier},
        headers={"cache-control": "no-store"},
    )


@guarded(PORTAL)
async def photo(request: Request, session: Session) -> Response:
    ctx = context(request)
    name = request.path_params["file"]
    path = ctx.config.photos_dir / name
    if not ctx.db.pm_photo_exists(name) or not path.is_file():
        return not_found(
            request, PORTAL, message("error.photo_file_not_found", session.language, name=name)
        )
    return FileResponse(path, media_type="image/jpeg")


# -- create and edit ---------------------------------------------------------------------------
@guarded(PORTAL)
async def new_dossier_form(request: Request, session: Session) -> Response:
    ctx = context(request)
    values: dict[str, Any] = {"number": ctx.db.next_pm_number(ctx.today().year)}
    return _render_form(request, session, values, {}, creating=True)


@guarded(PORTAL)
async def create_dossier(request: Request, session: Session) -> Response:
    ctx = context(request)
    form = await request.form()
    raw = _raw_values(form, creating=True)
    parsed, errors = parse_dossier_form(raw, ctx.today(), creating=True, language=session.language)
    if not errors:
        dossier = PmDossier(**parsed)
        if ctx.db.create_pm_dossier(dossier):
            return RedirectResponse(f"/planmanager/dossiers/{dossier.number}", 303)
        errors["number"] = message("pm.form.number_exists", session.language, number=dossier.number)
    return _render_form(request, session, raw, errors, creating=True)


@guarded(PORTAL)
async def edit_form(request: Request, session: Session) -> Response:
    number = request.path_params["nr"]
    dossier = context(request).db.pm_dossier(number)
    if dossier is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    return _render_form(request, session, _values_of(dossier), {}, creating=False)


@guarded(PORTAL)
async def save_edit(request: Request, session: Session) -> Response:
    ctx = context(request)
    number = request.path_params["nr"]
    if ctx.db.pm_dossier(number) is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    raw = _raw_values(await request.form(), creating=False)
    raw["number"] = number
    parsed, errors = parse_dossier_form(raw, ctx.today(), creating=False, language=session.language)
    if errors:
        return _render_form(request, session, raw, errors, creating=False)
    ctx.db.update_pm_dossier(number, parsed)
    return RedirectResponse(f"/planmanager/dossiers/{number}?opgeslagen=1", 303)


def _render_form(
    request: Request,
    session: Session,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    creating: bool,
) -> Response:
    return context(request).render(
        request,
        "pm_form.html",
        {
            "sections": FORM_SECTIONS,
            "number_field": NUMBER_FIELD,
            "values": values,
            "errors": errors,
            "creating": creating,
            "engine_types": ENGINE_TYPES,
        },
        session=session,
        portal=PORTAL,
    )


def _raw_values(form: Any, *, creating: bool) -> dict[str, Any]:
    """The submitted form as typed (strings and checkbox states), for validation and redisplay."""
    raw: dict[str, Any] = {}
    for name, field in _FIELDS.items():
        if name == "number" and not creating:
            continue
        raw[name] = form_checked(form, name) if field.kind == "checkbox" else form_text(form, name)
    return raw


def _values_of(dossier: PmDossier) -> dict[str, Any]:
    """A stored dossier as the edit form shows it."""
    values: dict[str, Any] = {"number": dossier.number}
    for name, field in _FIELDS.items():
        if name in ("number", "mileage_unknown"):
            continue
        value = getattr(dossier, name)
        if field.kind == "checkbox":
            values[name] = bool(value)
        elif field.kind == "date":
            values[name] = input_date(value)
        else:
            values[name] = "" if value is None else str(value)
    values["mileage_unknown"] = dossier.mileage_km is None
    return values


def parse_dossier_form(
    raw: dict[str, Any], today: dt.date, *, creating: bool, language: str = "nl"
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate a submitted dossier form: (typed values, {field: message naming it, in
    `language`})."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def say(key: str, **values: object) -> str:
        return message(key, language, **values)

    if creating:
        number = raw["number"].upper()
        if not number:
            errors["number"] = say("pm.form.number_required")
        elif not _PM_NUMBER.match(number):
            errors["number"] = say("pm.form.number_format")
        values["number"] = number
    for name, field in _FIELDS.items():
        if name in ("number", "mileage_unknown"):
            continue
        text = raw[name]
        if field.kind == "checkbox":
            values[name] = bool(text)
        elif field.kind == "date":
            values[name], problem = _parse_date(text, today)
            if problem:
                errors[name] = say(problem, label=say(field.label))
        elif field.kind == "number":
            if text and not _WHOLE.match(text):
                errors[name] = say("pm.form.bad_number", label=say(field.label))
            values[name] = int(text) if text and _WHOLE.match(text) else None
        elif field.kind == "select":
            if text and text not in ENGINE_TYPES:
                errors[name] = say("pm.form.bad_engine", label=say(field.label))
            values[name] = text or None
        else:
            values[name] = text or None
    if values.get("vin"):
        values["vin"] = values["vin"].upper()
        if not _CHASSIS.match(values["vin"]):
            errors["vin"] = say("pm.form.bad_chassis")
    if values.get("plate"):
        values["plate"] = values["plate"].upper()
    for name, field in _FIELDS.items():  # a message given above for the field comes first
        text = raw.get(name)
        if field.max_length and isinstance(text, str) and len(text) > field.max_length:
            errors.setdefault(
                name, say("pm.form.too_long", label=say(field.label), limit=field.max_length)
            )
    if raw["mileage_unknown"]:
        values["mileage_km"] = None
        errors.pop("mileage_km", None)
    return values, errors


def _parse_date(text: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """(date, None), or (None, the catalogue key of what is wrong with it)."""
    if not text:
        return None, None
    match = _SCREEN_DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        day, month, year = (int(part) for part in match.groups())
        value = dt.date(year, month, day)
    except ValueError:
        return None, "pm.form.bad_date"
    if value > today:
        return None, "pm.form.future_date"
    return value, None
