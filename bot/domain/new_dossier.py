"""Data for a PlanManager dossier the bot creates itself, validated before anything is written.

Most shops already have the dossier (an appointment, photos). When they don't, `informex-bot run
DOSSIER --create-from FILE.json` gives the bot what PlanManager's "Nieuw dossier" form needs; the
file uses the seed's dossier layout (customer, vehicle, insurer…), so an export or a seed entry
can be used as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.validation import (
    ValidationRules,
    parse_bool,
    parse_co2,
    parse_date,
    parse_displacement_cc,
    parse_engine_type,
    parse_mileage,
    parse_power_kw,
    validate_dossier_number,
    validate_vin,
)
from bot.errors import ValidationError

MAX_TEXT = 120


@dataclass(frozen=True)
class NewDossierData:
    """Everything PlanManager's form asks for, typed and validated."""

    number: str
    customer: str
    phone: str
    plate: str
    vin: str
    make: str
    model: str
    first_registration: dt.date
    mileage_km: int | None
    mileage_unknown: bool
    power_kw: int | None
    displacement_cc: int | None
    co2: int | None
    engine_type: str | None
    particle_filter: bool
    insurer: str
    claim_number: str
    damage_date: dt.date
    previous_damage: bool
    burglary: bool

    @classmethod
    def from_document(
        cls, number: str, document: Mapping[str, Any], rules: ValidationRules
    ) -> NewDossierData:
        """Validate a seed-style dossier object; ValidationError names the field and value."""
        vehicle = document.get("vehicle") or {}
        customer = document.get("customer") or {}
        if not isinstance(vehicle, Mapping) or not isinstance(customer, Mapping):
            raise ValidationError("vehicle", vehicle, "vehicle and customer must be objects")
        mileage = vehicle.get("mileage_km")
        km, unknown = parse_mileage("" if mileage is None else mileage, mileage is None)
        return cls(
            number=validate_dossier_number(number),
            customer=_text(customer.get("name"), "customer.name"),
            phone=_text(customer.get("phone"), "customer.phone", required=False),
            plate=_text(vehicle.get("plate"), "vehicle.plate"),
            vin=validate_vin(vehicle.get("vin"), rules, field="vehicle.vin"),
            make=_text(vehicle.get("make"), "vehicle.make"),
            model=_text(vehicle.get("model"), "vehicle.model"),
            first_registration=parse_date(
                vehicle.get("first_registration"), "vehicle.first_registration", rules
            ),
            mileage_km=km,
            mileage_unknown=unknown,
            power_kw=parse_power_kw(vehicle.get("power_kw")),
            displacement_cc=parse_displacement_cc(vehicle.get("displacement_cc")),
            co2=parse_co2(vehicle.get("co2")),
            engine_type=parse_engine_type(vehicle.get("engine_type")),
            particle_filter=parse_bool(vehicle.get("particle_filter"), "vehicle.particle_filter"),
            insurer=_text(document.get("insurer"), "insurer"),
            claim_number=_text(document.get("claim_number"), "claim_number"),
            damage_date=parse_date(document.get("damage_date"), "damage_date", rules),
            previous_damage=parse_bool(document.get("previous_damage"), "previous_damage"),
            burglary=parse_bool(document.get("burglary"), "burglary"),
        )


def _text(value: object, field: str, *, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError(field, value, "is required to create the dossier")
    if len(text) > MAX_TEXT:
        raise ValidationError(field, text, f"is longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in text):
        raise ValidationError(field, text, "contains control characters")
    return text


def read_new_dossier(path: Path) -> dict[str, Any]:
    """The JSON object of `--create-from FILE` (validated later, against the dossier number)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError("create-from", str(path), f"cannot be read as JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ValidationError("create-from", str(path), "must hold one JSON object")
    return document
