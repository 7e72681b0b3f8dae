"""The data the bot reads, decides on and reports, as plain typed records.

Pages read screens into these records, steps pass them along, and the batch and the report write
them out. Keeping them free of Playwright means the rules about them (what an injection needs,
what goes into the 2e circuit form, what a result line holds) are tested without a browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from bot.domain.validation import (
    ValidationRules,
    invalid,
    parse_bool,
    parse_co2,
    parse_date,
    parse_displacement_cc,
    parse_engine_type,
    parse_mileage,
    parse_power_kw,
    validate_assignment_number,
    validate_dossier_number,
    validate_vin,
)
from bot.errors import ValidationError


class DossierStatus(str, Enum):
    """How one dossier ended, as results.json and the exit code see it."""

    LINKED = "linked"
    ALREADY_LINKED = "already_linked"
    BUSINESS_ERROR = "business_error"
    SYSTEM_ERROR = "system_error"
    DRY_RUN = "dry_run"

    @property
    def succeeded(self) -> bool:
        """True for the outcomes that leave nothing for a person to do."""
        return self in (DossierStatus.LINKED, DossierStatus.ALREADY_LINKED, DossierStatus.DRY_RUN)


SEED_STEPS: tuple[str, ...] = (
    "open_dossier",
    "check_complete",
    "find_assignment",
    "prepare_data",
    "inject",
    "open_imported",
    "link",
    "verify",
)
"""The seed's procedure as named steps, in order: the workflow runs them, the ledger records
them, the report shows them (so neither needs to import the workflow to know them)."""


REQUIRED_FOR_INJECTION: tuple[tuple[str, str], ...] = (
    ("customer", "Klant"),
    ("plate", "Nummerplaat"),
    ("vin", "Chassisnummer (VIN)"),
    ("make", "Merk"),
    ("model", "Model"),
    ("first_registration", "Eerste inschrijving"),
    ("insurer", "Verzekeraar"),
    ("claim_number", "Schadenummer"),
    ("damage_date", "Schadedatum"),
)
"""PlanManager refuses to inject without these: (attribute, Dutch label on the dossier page)."""


@dataclass
class PlanManagerDossier:
    """A PlanManager repair dossier as its dossier page shows it.

    The bot checks it before pressing "i" (an incomplete dossier is refused by PlanManager, and
    an injection costs a fee), matches it to an insurance assignment, and takes the vehicle data
    for the 2e circuit form from it. A value the page shows as `—` is None.
    """

    number: str
    customer: str | None = None
    plate: str | None = None
    vin: str | None = None
    make: str | None = None
    model: str | None = None
    first_registration: dt.date | None = None
    mileage_km: int | None = None
    mileage_unknown: bool = False
    power_kw: int | None = None
    displacement_cc: int | None = None
    co2: int | None = None
    engine_type: str | None = None
    particle_filter: bool | None = None
    insurer: str | None = None
    claim_number: str | None = None
    damage_date: dt.date | None = None
    previous_damage: bool = False
    burglary: bool = False
    photos: int = 0
    informex_dossier: str | None = None
    injection_pending: bool = False

    def missing_for_injection(self) -> list[str]:
        """Dutch labels of the required fields that are empty, in the dossier page's order."""
        return [
            label
            for attribute, label in REQUIRED_FOR_INJECTION
            if _is_empty(getattr(self, attribute))
        ]


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Assignment:
    """An insurance assignment (verzekeringsopdracht) as the Winformex inbox lists it.

    The bot looks for the one that belongs to a dossier (VIN, then plate, then claim number) and
    refuses one already linked to another Informex dossier.
    """

    number: str
    insurer: str | None = None
    claim_number: str | None = None
    plate: str | None = None
    vin: str | None = None
    date: dt.date | None = None
    linked_dossier: str | None = None


SECOND_CIRCUIT_FIELDS = (
    "assignment_number",
    "vin",
    "first_registration",
    "previous_damage",
    "burglary",
    "mileage_km",
    "mileage_unknown",
    "power_kw",
    "displacement_cc",
    "co2",
    "engine_type",
    "particle_filter",
)
"""The 2e circuit fields, in the form's order; also the keys an override may use."""


@dataclass(frozen=True)
class SecondCircuitData:
    """The validated values the bot writes into "Gegevens 2e circuit".

    Built only through `build`, so every value has passed validation before a form is touched;
    the page object fills exactly these values and the verification reads them back.
    """

    assignment_number: str
    vin: str
    first_registration: dt.date
    previous_damage: bool = False
    burglary: bool = False
    mileage_km: int | None = None
    mileage_unknown: bool = False
    power_kw: int | None = None
    displacement_cc: int | None = None
    co2: int | None = None
    engine_type: str | None = None
    particle_filter: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly values (the date in ISO), for dry runs and reports."""
        values = asdict(self)
        values["first_registration"] = self.first_registration.isoformat()
        return values

    @classmethod
    def build(
        cls,
        dossier: PlanManagerDossier,
        assignment_number: str,
        overrides: Mapping[str, str] | None,
        rules: ValidationRules,
    ) -> SecondCircuitData:
        """Values from the dossier, overridden by `overrides`, each validated.

        Override keys are the field names; values are text as a CSV cell or the CLI gives it
        (`14/03/2019`, `onbekend`, `ja`). An empty override means "not given". A mileage override
        clears the dossier's "unknown" flag unless `mileage_unknown` is overridden too. Raises
        ValidationError for the first bad field, or for an unknown override key.
        """
        given = check_override_keys(overrides)
        raw: dict[str, object] = {
            "assignment_number": assignment_number,
            "vin": dossier.vin,
            "first_registration": dossier.first_registration,
            "previous_damage": dossier.previous_damage,
            "burglary": dossier.burglary,
            "power_kw": dossier.power_kw,
            "displacement_cc": dossier.displacement_cc,
            "co2": dossier.co2,
            "engine_type": dossier.engine_type,
            "particle_filter": dossier.particle_filter,
        }
        raw.update({k: v for k, v in given.items() if k in _FIELD_PARSERS})
        values: dict[str, Any] = {}
        for name in SECOND_CIRCUIT_FIELDS:  # the form's order, so the first error is the topmost
            if name == "mileage_km":
                values["mileage_km"], values["mileage_unknown"] = _mileage(dossier, given)
            elif name in _FIELD_PARSERS:
                values[name] = _FIELD_PARSERS[name](raw[name], rules)
        return cls(**values)


_FIELD_PARSERS: dict[str, Callable[[Any, ValidationRules], Any]] = {
    "assignment_number": lambda raw, rules: validate_assignment_number(raw, rules),
    "vin": lambda raw, rules: validate_vin(raw, rules, field="vin"),
    "first_registration": lambda raw, rules: parse_date(raw, "first_registration", rules),
    "previous_damage": lambda raw, _: parse_bool(raw, "previous_damage"),
    "burglary": lambda raw, _: parse_bool(raw, "burglary"),
    "power_kw": lambda raw, _: parse_power_kw(raw),
    "displacement_cc": lambda raw, _: parse_displacement_cc(raw),
    "co2": lambda raw, _: parse_co2(raw),
    "engine_type": lambda raw, _: parse_engine_type(raw),
    "particle_filter": lambda raw, _: parse_bool(raw, "particle_filter"),
}
"""Validation per 2e circuit field (mileage is handled apart: two fields, one meaning)."""


def check_override_keys(overrides: Mapping[str, str] | None) -> dict[str, str]:
    """The non-empty overrides, or a ValidationError for a key that is no 2e circuit field."""
    given: dict[str, str] = {}
    for key, value in (overrides or {}).items():
        if key not in SECOND_CIRCUIT_FIELDS:
            known = ", ".join(SECOND_CIRCUIT_FIELDS)
            raise invalid(key, value, f"is not a 2e circuit field (known: {known})")
        if value is not None and str(value).strip():
            given[key] = value
    return given


def _mileage(dossier: PlanManagerDossier, given: Mapping[str, str]) -> tuple[int | None, bool]:
    raw: str | int | None = dossier.mileage_km
    unknown = dossier.mileage_unknown
    if "mileage_km" in given:
        raw, unknown = given["mileage_km"], False
    if "mileage_unknown" in given:
        unknown = parse_bool(given["mileage_unknown"], "mileage_unknown")
        if unknown and "mileage_km" not in given:
            raw = None
    return parse_mileage(raw, unknown)


@dataclass(frozen=True)
class DossierInput:
    """What a caller (CLI, batch line) asks the bot to do for one dossier.

    Built with `create`, which validates the identifiers and the override keys before any
    browser starts; `line` points a batch report back to the input line.
    """

    dossier: str
    assignment: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    line: int | None = None
    # A seed-style dossier object: create the PlanManager dossier from it if it does not exist.
    new_dossier: dict[str, Any] | None = None

    @classmethod
    def create(
        cls,
        dossier: str | None,
        assignment: str | None = None,
        overrides: Mapping[str, str] | None = None,
        rules: ValidationRules | None = None,
        *,
        line: int | None = None,
        new_dossier: Mapping[str, Any] | None = None,
    ) -> DossierInput:
        """A validated input: dossier number checked, opdrachtnummer normalised (empty → None).

        Raises ValidationError naming the field; the override values themselves are validated
        later, by `SecondCircuitData.build`, against the dossier they complete.
        """
        rules = rules or ValidationRules()
        number = validate_dossier_number(dossier)
        try:
            assignment_number = (
                validate_assignment_number(assignment, rules)
                if assignment is not None and assignment.strip()
                else None
            )
            check_override_keys(overrides)
        except ValidationError as error:
            raise error.located(dossier=number) from None
        return cls(
            dossier=number,
            assignment=assignment_number,
            overrides=dict(overrides or {}),
            line=line,
            new_dossier=dict(new_dossier) if new_dossier is not None else None,
        )


RESULT_KEYS = (
    "dossier",
    "assignment",
    "status",
    "informex_dossier",
    "attempts",
    "duration_s",
    "error",
    "screenshots",
    "trace",
)
"""The keys of one results.json entry every consumer may rely on, in this order."""


@dataclass
class DossierResult:
    """The outcome of one dossier: one entry of results.json and one row of the report.

    `step` is the last step completed (where a person picks up after an error); `values` holds
    what a dry run would have written.
    """

    dossier: str
    assignment: str | None
    status: DossierStatus
    informex_dossier: str | None = None
    attempts: int = 0
    duration_s: float = 0.0
    error: str | None = None
    screenshots: list[str] = field(default_factory=list)
    trace: str | None = None
    step: str | None = None
    values: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The results.json entry: the fixed keys first, then `step` and `values`."""
        return {
            "dossier": self.dossier,
            "assignment": self.assignment,
            "status": DossierStatus(self.status).value,
            "informex_dossier": self.informex_dossier,
            "attempts": self.attempts,
            "duration_s": round(self.duration_s, 2),
            "error": self.error,
            "screenshots": list(self.screenshots),
            "trace": self.trace,
            "step": self.step,
            "values": self.values,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DossierResult:
        """Read back an entry written by `to_dict` (for reports and reruns)."""
        return cls(
            dossier=data["dossier"],
            assignment=data.get("assignment"),
            status=DossierStatus(data["status"]),
            informex_dossier=data.get("informex_dossier"),
            attempts=int(data.get("attempts", 0)),
            duration_s=float(data.get("duration_s", 0.0)),
            error=data.get("error"),
            screenshots=list(data.get("screenshots") or []),
            trace=data.get("trace"),
            step=data.get("step"),
            values=data.get("values"),
        )
