"""Data for a PlanManager dossier the bot creates itself, validated before anything is written.

Most shops already have the dossier (an appointment, photos). When they don't, `informex-bot run
DOSSIER --create-from FILE.json` gives the bot what PlanManager's "Nieuw dossier" form needs; the
file uses the seed's dossier layout (customer, vehicle, insurer…), so an export or a seed entry
can be used as it is.

Every value must fit PlanManager's form: each of the dossier's own text fields has the form's
limit here (`MAX_LENGTHS`), each 2e circuit field has its own in the declaration
(`bot.domain.fields`), so a value the form would cut short or refuse is a ValidationError naming
the field before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.fields import PLANMANAGER_FIELDS, UNKNOWN_FLAGS, FieldSpec, record_base
from bot.domain.validation import ValidationRules, invalid, parse_date, validate_dossier_number
from bot.errors import ValidationError

MAX_LENGTHS: Mapping[str, int] = {
    "number": 20,
    "customer": 50,
    "phone": 20,
    "plate": 12,
    "make": 30,
    "model": 40,
    "insurer": 50,
    "claim_number": 30,
}
"""NewDossierData's own text attributes → the most characters PlanManager's "Nieuw dossier"
form takes in each (its `maxlength`; the portal refuses more)."""


@dataclass(frozen=True, kw_only=True)
class NewDossierData(record_base("NewDossierVehicle", PLANMANAGER_FIELDS, frozen=True)):
    """Everything PlanManager's form asks for, typed and validated: the dossier's own data
    below, and one attribute per field of `fields.PLANMANAGER_FIELDS` (vin, mileage_km…)."""

    number: str
    customer: str
    phone: str
    plate: str
    make: str
    model: str
    insurer: str
    claim_number: str
    damage_date: dt.date

    @classmethod
    def from_document(
        cls, number: str, document: Mapping[str, Any], rules: ValidationRules
    ) -> NewDossierData:
        """Validate a seed-style dossier object; ValidationError names the field and value.

        A field is named by where the document holds it (`vehicle.vin`, `burglary`).
        """
        vehicle = document.get("vehicle") or {}
        customer = document.get("customer") or {}
        if not isinstance(vehicle, Mapping) or not isinstance(customer, Mapping):
            raise ValidationError("vehicle", vehicle, "vehicle and customer must be objects")
        return cls(
            number=_fits(validate_dossier_number(number), "number", "number"),
            customer=_text(customer.get("name"), "customer", "customer.name"),
            phone=_text(customer.get("phone"), "phone", "customer.phone", required=False),
            plate=_text(vehicle.get("plate"), "plate", "vehicle.plate"),
            make=_text(vehicle.get("make"), "make", "vehicle.make"),
            model=_text(vehicle.get("model"), "model", "vehicle.model"),
            insurer=_text(document.get("insurer"), "insurer", "insurer"),
            claim_number=_text(document.get("claim_number"), "claim_number", "claim_number"),
            damage_date=parse_date(document.get("damage_date"), "damage_date", rules),
            **_declared_fields(document, rules),
        )


def _declared_fields(document: Mapping[str, Any], rules: ValidationRules) -> dict[str, Any]:
    """The 2e circuit fields of the document, each judged by its declared rule."""
    values: dict[str, Any] = {}
    for spec in PLANMANAGER_FIELDS:
        if spec.name in UNKNOWN_FLAGS:
            continue  # judged with the field it marks unknown
        raw = _at(document, spec)
        where = spec.document or spec.name
        if spec.unknown_flag:  # the document writes an unknown value as null
            values[spec.name] = spec.validate(
                "" if raw is None else raw, rules, field=where, unknown=raw is None
            )
            values[spec.unknown_flag] = values[spec.name] is None
        else:
            values[spec.name] = spec.validate(raw, rules, field=where)
    return values


def _at(document: Mapping[str, Any], spec: FieldSpec) -> object:
    """The value at the field's place in the document (`vehicle.vin`), None when absent."""
    node: object = document
    for key in (spec.document or spec.name).split("."):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def _text(value: object, name: str, field: str, *, required: bool = True) -> str:
    """Attribute `name`'s text, held at `field` in the document."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError(field, value, "is required to create the dossier")
    if any(ord(c) < 32 for c in text):
        raise invalid(field, text, "contains control characters")
    return _fits(text, name, field)


def _fits(text: str, name: str, field: str) -> str:
    """`text` if PlanManager's input for attribute `name` takes it, else a ValidationError."""
    limit = MAX_LENGTHS[name]
    if len(text) > limit:
        reason = f"is {len(text)} characters long; PlanManager's field takes at most {limit}"
        raise invalid(field, text, reason)
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
