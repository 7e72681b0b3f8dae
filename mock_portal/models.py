"""The mock portal's records: what a seed describes and what the database hands back.

Plain dataclasses shared by the seed loader, the database and the screens, so a field has one
name everywhere (the names of `docs/seed-format.md` and of `/_mock/state`). Dates are
`datetime.date`; the screens format them, SQLite stores them as ISO text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PORTALS = ("planmanager", "winformex")
ENGINE_TYPES = ("diesel", "benzine", "hybride", "elektrisch", "LPG", "CNG")


@dataclass
class User:
    """A login of one portal; `password` is plaintext only while a seed is being loaded.

    `language` (`nl` or `fr`, Dutch when the seed says nothing) is the language of every
    screen the user sees once logged in (mock_portal/i18n.py).
    """

    portal: str
    username: str
    name: str
    password: str = field(default="", repr=False)
    language: str = "nl"


@dataclass
class PmDossier:
    """A PlanManager repair dossier (customer, vehicle, insurance, damage, photos)."""

    number: str
    title: str = ""
    status: str = "nieuw"
    customer_name: str | None = None
    customer_phone: str | None = None
    plate: str | None = None
    vin: str | None = None
    make: str | None = None
    model: str | None = None
    first_registration: dt.date | None = None
    mileage_km: int | None = None
    power_kw: int | None = None
    displacement_cc: int | None = None
    co2: int | None = None
    engine_type: str | None = None
    particle_filter: bool | None = None
    insurer: str | None = None
    claim_number: str | None = None
    damage_date: dt.date | None = None
    previous_damage: bool | None = None
    burglary: bool | None = None
    photos: list[str] = field(default_factory=list)
    informex_dossier: str | None = None
    injections: int = 0


@dataclass
class Assignment:
    """An insurer's assignment (verzekeringsopdracht) received in Winformex."""

    number: str
    insurer: str | None
    claim_number: str | None
    plate: str | None
    vin: str | None
    date: dt.date | None


@dataclass
class SecondCircuit:
    """The "Gegevens 2e circuit" of an Informex dossier; empty until someone saves it."""

    assignment_number: str | None = None
    vin: str | None = None
    first_registration: dt.date | None = None
    previous_damage: bool = False
    burglary: bool = False
    mileage_km: int | None = None
    mileage_unknown: bool = False
    power_kw: int | None = None
    displacement_cc: int | None = None
    co2: int | None = None
    engine_type: str | None = None
    particle_filter: bool = False
    saves: int = 0


@dataclass
class WxDossier:
    """An Informex dossier in Winformex, usually created by a PlanManager injection."""

    number: str
    planmanager_dossier: str | None
    plate: str | None
    vin: str | None
    created_at: str
    photos: list[str] = field(default_factory=list)
    second_circuit: SecondCircuit = field(default_factory=SecondCircuit)


@dataclass
class Seed:
    """A whole seed document, validated and typed (see docs/seed-format.md)."""

    users: list[User]
    pm_dossiers: list[PmDossier]
    assignments: list[Assignment]
    wx_dossiers: list[WxDossier]


# Fields PlanManager needs before it sends a dossier to Informex, with the catalogue key
# (mock_portal/i18n.py) of the name the refusal message uses ("Dossier onvolledig: ontbrekende
# gegevens: VIN, Eerste inschrijving").
REQUIRED_FOR_INJECTION: tuple[tuple[str, str], ...] = (
    ("customer_name", "field.customer"),
    ("plate", "field.plate"),
    ("vin", "field.vin"),
    ("make", "field.make"),
    ("model", "field.model"),
    ("first_registration", "field.first_registration"),
    ("insurer", "field.insurer"),
    ("claim_number", "field.claim_number"),
    ("damage_date", "field.damage_date"),
)


def missing_for_injection(dossier: PmDossier) -> list[str]:
    """The catalogue keys of the required fields this dossier lacks (empty list: it may be
    injected)."""
    return [
        name
        for attr, name in REQUIRED_FOR_INJECTION
        if getattr(dossier, attr) in (None, "")  # a date or text that is absent
    ]
