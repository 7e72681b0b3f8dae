"""Winformex: the inbox of insurance assignments, the Informex dossiers, the 2e circuit form.

The 2e circuit form is where the link is made: its opdrachtnummer ties a PlanManager-injected
dossier to the insurer's assignment. It validates as a real portal does (unknown opdrachtnummer,
malformed VIN, impossible date, non-numeric values, a value longer than its box takes) and, like
the real one, lets a user overwrite an existing opdrachtnummer: refusing that is the bot's job,
not the portal's. The chassis box takes a 17-character VIN, or the legacy chassis number of an
older car (3 to 17 letters and digits, Belgian rules for pre-1981 vehicles).

How a dossier reaches the form depends on the instance's `winformex_layout` (config.py): the
button "Gegevens 2e circuit" at the bottom left, or the menu Bewerken → 2e circuit → expertise.
Labels and messages come from mock_portal/i18n.py in the user's language.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from mock_portal.db import Session
from mock_portal.i18n import message
from mock_portal.models import ENGINE_TYPES, SecondCircuit, WxDossier
from mock_portal.web import context, form_checked, form_text, guarded, not_found

PORTAL = "winformex"
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_LEGACY_CHASSIS = re.compile(r"^[A-Z0-9]{3,17}$")
"""An older car's chassis number (Belgian rules: 3 to 17 letters and digits); a 17-character
value must be a valid VIN."""
_WHOLE = re.compile(r"^\d+$")

# The left navigation of a dossier, exactly as the how-to shows it: (group, ((label, sectie))).
# The labels are the Dutch ones; screens show `wx.nav.group.*` / `wx.nav.<sectie>` of i18n.py.
NAVIGATION: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Identificatie",
        (
            ("Maatschappijen", "maatschappijen"),
            ("Makelaar", "makelaar"),
            ("Deskundigen", "deskundigen"),
            ("Schadelijder & leaser", "schadelijder-leaser"),
            ("Hersteller", "hersteller"),
            ("Voertuig", "voertuig"),
            ("Nota aanstelling", "nota-aanstelling"),
        ),
    ),
    (
        "Expertise",
        (("Expertise gegevens", "expertise-gegevens"), ("Totaal verlies", "totaal-verlies")),
    ),
    (
        "Audatex gegevens",
        (
            ("Type & opties", "type-opties"),
            ("Standaard bewerkingen", "standaard-bewerkingen"),
            ("Globale codes", "globale-codes"),
            ("Niet standaard bewerkingen", "niet-standaard-bewerkingen"),
            ("Smart Repair bewerkingen", "smart-repair-bewerkingen"),
            ("Aanmerkingen", "aanmerkingen"),
        ),
    ),
    ("Fotoalbums", (("Algemeen", "algemeen"), ("Ongevalsaanrijding", "ongevalsaanrijding"))),
    ("2e circuit", (("Gegevens 2e circuit", "2e-circuit"),)),
)
NAV_GROUP_KEYS = {
    "Identificatie": "wx.nav.group.identification",
    "Expertise": "wx.nav.group.expertise",
    "Audatex gegevens": "wx.nav.group.audatex",
    "Fotoalbums": "wx.nav.group.photo_albums",
    "2e circuit": "wx.nav.group.second_circuit",
}
"""A navigation group's catalogue key (i18n.py); a link's is `wx.nav.<sectie>`."""
SECTIONS = {slug: (group, label) for group, items in NAVIGATION for label, slug in items}
DEFAULT_SECTION = "algemeen"

# Text box → (its label's catalogue key, the most characters it takes: its `maxlength`; the
# save refuses more).
MAX_LENGTHS: dict[str, tuple[str, int]] = {
    "assignment_number": ("sc.limit.assignment_number", 20),
    "vin": ("sc.vin", 17),
    "mileage_km": ("sc.mileage", 7),
    "power_kw": ("sc.power", 4),
    "displacement_cc": ("sc.displacement", 5),
    "co2": ("sc.co2", 4),
}

# Number field → the catalogue key of its message when invalid, in the order of the form.
NUMBER_FIELDS = {
    "power_kw": "sc.error.power_kw",
    "displacement_cc": "sc.error.displacement_cc",
    "co2": "sc.error.co2",
}


def routes() -> list[Route]:
    return [
        Route("/winformex", to_inbox, methods=["GET"]),
        Route("/winformex/", inbox, methods=["GET"]),
        Route("/winformex/opdrachten/{nr}", assignment_page, methods=["GET"]),
        Route("/winformex/dossiers/{nr}", dossier_page, methods=["GET"]),
        Route("/winformex/dossiers/{nr}/2e-circuit", second_circuit_form, methods=["GET"]),
        Route("/winformex/dossiers/{nr}/2e-circuit", save_second_circuit, methods=["POST"]),
        Route("/winformex/dossiers/{nr}/fotos/{index:int}", photo, methods=["GET"]),
    ]


async def to_inbox(request: Request) -> Response:
    return RedirectResponse("/winformex/", 303)


@guarded(PORTAL)
async def inbox(request: Request, session: Session) -> Response:
    ctx = context(request)
    query = request.query_params.get("q", "").strip()
    return ctx.render(
        request,
        "wx_inbox.html",
        {
            "q": query,
            "assignments": ctx.db.assignments(query),
            "dossiers": ctx.db.wx_dossiers(query),
        },
        session=session,
        portal=PORTAL,
    )


@guarded(PORTAL)
async def assignment_page(request: Request, session: Session) -> Response:
    ctx = context(request)
    number = request.path_params["nr"]
    found = ctx.db.assignment(number)
    if found is None:
        return not_found(
            request, PORTAL, message("error.assignment_not_found", session.language, number=number)
        )
    assignment, linked = found
    return ctx.render(
        request,
        "wx_assignment.html",
        {"a": assignment, "linked": linked},
        session=session,
        portal=PORTAL,
    )


@guarded(PORTAL)
async def dossier_page(request: Request, session: Session) -> Response:
    ctx = context(request)
    number = request.path_params["nr"]
    dossier = ctx.db.wx_dossier(number)
    if dossier is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    section = request.query_params.get("sectie", DEFAULT_SECTION)
    if section not in SECTIONS or section == "2e-circuit":
        section = DEFAULT_SECTION
    return ctx.render(
        request,
        "wx_dossier.html",
        {
            "d": dossier,
            "navigation": NAVIGATION,
            "section": section,
            "nav_group_keys": NAV_GROUP_KEYS,
            "section_group": NAV_GROUP_KEYS[SECTIONS[section][0]],
        },
        session=session,
        portal=PORTAL,
    )


@guarded(PORTAL)
async def photo(request: Request, session: Session) -> Response:
    ctx = context(request)
    number = request.path_params["nr"]
    index = request.path_params["index"]
    dossier = ctx.db.wx_dossier(number)
    if dossier is None or not 1 <= index <= len(dossier.photos):
        return not_found(request, PORTAL, message("error.photo_not_found", session.language))
    path = ctx.config.photos_dir / dossier.photos[index - 1]
    if not path.is_file():
        return not_found(request, PORTAL, message("error.photo_not_found", session.language))
    return FileResponse(path, media_type="image/jpeg")


# -- the 2e circuit form -----------------------------------------------------------------------
@guarded(PORTAL)
async def second_circuit_form(request: Request, session: Session) -> Response:
    number = request.path_params["nr"]
    dossier = context(request).db.wx_dossier(number)
    if dossier is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    saved = request.query_params.get("opgeslagen") == "1"
    return _render_form(
        request,
        session,
        dossier,
        _values_of(dossier.second_circuit),
        {},
        status_message=message("sc.saved", session.language) if saved else None,
    )


@guarded(PORTAL)
async def save_second_circuit(request: Request, session: Session) -> Response:
    ctx = context(request)
    number = request.path_params["nr"]
    dossier = ctx.db.wx_dossier(number)
    if dossier is None:
        return not_found(
            request, PORTAL, message("error.dossier_not_found", session.language, number=number)
        )
    form = await request.form()
    raw = {
        name: form_text(form, name)
        for name in (
            "assignment_number",
            "vin",
            "first_registration_day",
            "first_registration_month",
            "first_registration_year",
            "mileage_km",
            "power_kw",
            "displacement_cc",
            "co2",
            "engine_type",
        )
    } | {
        name: form_checked(form, name)
        for name in ("previous_damage", "burglary", "mileage_unknown", "particle_filter")
    }
    circuit, errors = parse_second_circuit(
        raw, ctx.today(), ctx.db.assignment_exists, session.language
    )
    if errors:
        return _render_form(request, session, dossier, raw, errors)
    ctx.db.save_second_circuit(number, ctx.faults.spoil_save(circuit))
    return RedirectResponse(f"/winformex/dossiers/{number}/2e-circuit?opgeslagen=1", 303)


def valid_chassis(value: str) -> bool:
    """A 17-character VIN (ISO 3779 characters), or an older car's 3 to 17 letters and digits."""
    return bool(_VIN.match(value)) if len(value) == 17 else bool(_LEGACY_CHASSIS.match(value))


def parse_second_circuit(
    raw: dict[str, Any], today: dt.date, assignment_exists: Any, language: str = "nl"
) -> tuple[SecondCircuit, dict[str, str]]:
    """Validate the submitted form: (what to store, {field: message in `language`})."""
    errors: dict[str, str] = {}

    def say(key: str, **values: object) -> str:
        return message(key, language, **values)

    assignment = raw["assignment_number"].upper()
    if assignment and not assignment_exists(assignment):
        errors["assignment_number"] = say(
            "sc.error.unknown_assignment", number=raw["assignment_number"]
        )
    vin = raw["vin"].upper()
    if vin and not valid_chassis(vin):
        errors["vin"] = say("sc.error.vin")
    first_registration, date_ok = _parse_date(
        raw["first_registration_day"],
        raw["first_registration_month"],
        raw["first_registration_year"],
        today,
    )
    if not date_ok:
        errors["first_registration"] = say("sc.error.first_registration")
    mileage: int | None = None
    if not raw["mileage_unknown"] and raw["mileage_km"]:
        if _WHOLE.match(raw["mileage_km"]):
            mileage = int(raw["mileage_km"])
        else:
            errors["mileage_km"] = say("sc.error.mileage")
    numbers: dict[str, int | None] = {}
    for name, key in NUMBER_FIELDS.items():
        text = raw[name]
        if text and not _WHOLE.match(text):
            errors[name] = say(key)
        numbers[name] = int(text) if text and _WHOLE.match(text) else None
    engine = raw["engine_type"]
    if engine and engine not in ENGINE_TYPES:
        errors["engine_type"] = say("sc.error.engine_type")
    for name, (label, limit) in MAX_LENGTHS.items():
        ignored = name == "mileage_km" and raw["mileage_unknown"]
        if name not in errors and not ignored and len(raw[name]) > limit:
            errors[name] = say("sc.error.too_long", label=say(label), limit=limit)
    circuit = SecondCircuit(
        assignment_number=assignment or None,
        vin=vin or None,
        first_registration=first_registration,
        previous_damage=bool(raw["previous_damage"]),
        burglary=bool(raw["burglary"]),
        mileage_km=mileage,
        mileage_unknown=bool(raw["mileage_unknown"]),
        power_kw=numbers["power_kw"],
        displacement_cc=numbers["displacement_cc"],
        co2=numbers["co2"],
        engine_type=engine or None,
        particle_filter=bool(raw["particle_filter"]),
    )
    return circuit, errors


def _parse_date(day: str, month: str, year: str, today: dt.date) -> tuple[dt.date | None, bool]:
    """(date, valid): all three boxes empty is valid (no date); a partial date is not."""
    if not (day or month or year):
        return None, True
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        return None, False
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None, False
    return (value, True) if value <= today else (None, False)


def _values_of(circuit: SecondCircuit) -> dict[str, Any]:
    """The saved data as the form shows it (empty boxes for what was never saved)."""
    date = circuit.first_registration

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "assignment_number": text(circuit.assignment_number),
        "vin": text(circuit.vin),
        "first_registration_day": f"{date.day:02d}" if date else "",
        "first_registration_month": f"{date.month:02d}" if date else "",
        "first_registration_year": f"{date.year:04d}" if date else "",
        "previous_damage": circuit.previous_damage,
        "burglary": circuit.burglary,
        "mileage_km": text(circuit.mileage_km),
        "mileage_unknown": circuit.mileage_unknown,
        "power_kw": text(circuit.power_kw),
        "displacement_cc": text(circuit.displacement_cc),
        "co2": text(circuit.co2),
        "engine_type": text(circuit.engine_type),
        "particle_filter": circuit.particle_filter,
    }


def _render_form(
    request: Request,
    session: Session,
    dossier: WxDossier,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_message: str | None = None,
) -> Response:
    return context(request).render(
        request,
        "wx_second_circuit.html",
        {
            "d": dossier,
            "navigation": NAVIGATION,
            "nav_group_keys": NAV_GROUP_KEYS,
            "section": "2e-circuit",
            "values": values,
            "errors": errors,
            "engine_types": ENGINE_TYPES,
            "max_lengths": {name: limit for name, (_, limit) in MAX_LENGTHS.items()},
            "status_message": status_message,
        },
        session=session,
        portal=PORTAL,
    )
