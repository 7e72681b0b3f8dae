"""The data the bot reads, decides on and reports, as plain typed records.

Pages read screens into these records, steps pass them along, and the batch and the report write
them out. Keeping them free of Playwright means the rules about them (what an injection needs,
what goes into the 2e circuit form, what a result line holds) are tested without a browser.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from bot.domain.fields import (
    ASSIGNMENT_NUMBER,
    FIELD_NAMES,
    FIELDS,
    PLANMANAGER_FIELDS,
    SECOND_CIRCUIT,
    UNKNOWN_FLAGS,
    record_base,
)
from bot.domain.new_dossier import NewDossierData
from bot.domain.validation import (
    ValidationRules,
    invalid,
    validate_dossier_number,
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


REQUIRED_FOR_INJECTION: tuple[str, ...] = (
    "customer",
    "plate",
    "vin",
    "make",
    "model",
    "first_registration",
    "insurer",
    "claim_number",
    "damage_date",
)
"""PlanManager refuses to inject without these attributes (in the dossier page's order)."""


@dataclass(kw_only=True)
class PlanManagerDossier(record_base("PlanManagerVehicle", PLANMANAGER_FIELDS, as_shown=True)):
    """A PlanManager repair dossier as its dossier page shows it.

    The bot checks it before pressing "i" (an incomplete dossier is refused by PlanManager, and
    an injection costs a fee), matches it to an insurance assignment, and takes the vehicle data
    for the 2e circuit form from it: one attribute per field of `fields.PLANMANAGER_FIELDS`
    (vin, first_registration, mileage_km…), as shown, besides the dossier's own below. A value
    the page shows as `—` is None.

    `labels` is how the screen that was read names each attribute (given by that page object,
    which alone knows the portal's words), so messages can speak the portal's language.
    """

    number: str
    customer: str | None = None
    plate: str | None = None
    make: str | None = None
    model: str | None = None
    insurer: str | None = None
    claim_number: str | None = None
    damage_date: dt.date | None = None
    photos: int = 0
    informex_dossier: str | None = None
    injection_pending: bool = False
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def missing_fields(self) -> list[str]:
        """Attributes PlanManager needs for an injection that are empty, in the page's order."""
        return [name for name in REQUIRED_FOR_INJECTION if _is_empty(getattr(self, name))]

    def missing_for_injection(self) -> list[str]:
        """`missing_fields` as the dossier page labels them (the names when read elsewhere)."""
        return [self.labels.get(name, name) for name in self.missing_fields()]


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


class Overrides(dict[str, str]):
    """Override values whose keys `check_override_keys` accepted, blank values left out: what
    holds one (a DossierInput) need not have its keys judged again."""


@dataclass(frozen=True, kw_only=True)
class SecondCircuitData(record_base("SecondCircuitValues", SECOND_CIRCUIT, frozen=True)):
    """The validated values the bot writes into "Gegevens 2e circuit", one per declared field.

    Built only through `build`, so every value has passed validation before a form is touched;
    the page object fills exactly these values and the verification reads them back.
    """

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly values in the form's order (dates in ISO), for dry runs and reports."""
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in asdict(self).items()
        }

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
        ValidationError for the first bad field (in the form's order), or for an unknown override
        key. An opdrachtnummer validated before (as DossierInput.create does) is not judged again.
        """
        given = overrides if isinstance(overrides, Overrides) else check_override_keys(overrides)
        values: dict[str, Any] = {}
        for spec in SECOND_CIRCUIT:  # the form's order, so the first error is the topmost
            if spec.name in UNKNOWN_FLAGS:
                continue  # judged with the field it marks unknown
            if spec.unknown_flag:
                raw, unknown = _value_or_unknown(
                    spec.name, spec.unknown_flag, dossier, given, rules
                )
                values[spec.name] = spec.validate(raw, rules, unknown=unknown)
                values[spec.unknown_flag] = values[spec.name] is None
            else:
                source = (
                    assignment_number
                    if spec.name == ASSIGNMENT_NUMBER
                    else getattr(dossier, spec.name)
                )
                values[spec.name] = spec.validate(given.get(spec.name, source), rules)
        return cls(**values)


def check_override_keys(overrides: Mapping[str, str] | None) -> Overrides:
    """The non-empty overrides, or a ValidationError for a key that is no 2e circuit field."""
    given = Overrides()
    for key, value in (overrides or {}).items():
        if key not in FIELDS:
            known = ", ".join(FIELD_NAMES)
            raise invalid(key, value, f"is not a 2e circuit field (known: {known})")
        if value is not None and str(value).strip():
            given[key] = value
    return given


def _value_or_unknown(
    name: str,
    flag: str,
    dossier: PlanManagerDossier,
    given: Mapping[str, str],
    rules: ValidationRules,
) -> tuple[object, bool]:
    """The raw value and its unknown flag, from the dossier, overridden as a person means it:
    a value given clears the dossier's flag; a flag given set drops the dossier's value."""
    raw: object = getattr(dossier, name)
    unknown = bool(getattr(dossier, flag))
    if name in given:
        raw, unknown = given[name], False
    if flag in given:
        unknown = FIELDS[flag].validate(given[flag], rules)
        if unknown and name not in given:
            raw = None
    return raw, unknown


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
    # That object validated (by `create`): the typed data PlanManager's form receives.
    creation: NewDossierData | None = field(default=None, compare=False, repr=False)
    # The shop the dossier belongs to: a profile in BOT_PROFILES_DIR ("": the installation's own
    # portals). It says which portals and credentials serve the dossier (docs/scale-out.md).
    profile: str = ""

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
        profile: str | None = None,
    ) -> DossierInput:
        """A validated input: dossier number checked, opdrachtnummer normalised (empty → None).

        A dossier to create (`new_dossier`) is validated whole, here, before any browser starts.
        Raises ValidationError naming the field; the override values themselves are validated
        later, by `SecondCircuitData.build`, against the dossier they complete. The opdrachtnummer
        and the override keys are judged here once: what is kept says so by its type
        (AssignmentNumber, Overrides, blank overrides left out), so `build` takes them as they are.
        """
        rules = rules or ValidationRules()
        number = validate_dossier_number(dossier)
        try:
            assignment_number = (
                FIELDS[ASSIGNMENT_NUMBER].validate(assignment, rules)  # pattern and length
                if assignment is not None and assignment.strip()
                else None
            )
            checked = check_override_keys(overrides)
            shop = validate_profile_name(profile) if profile else ""
            creation = (
                NewDossierData.from_document(number, new_dossier, rules)
                if new_dossier is not None
                else None
            )
        except ValidationError as error:
            raise error.located(dossier=number) from None
        return cls(
            dossier=number,
            assignment=assignment_number,
            overrides=checked,
            line=line,
            new_dossier=dict(new_dossier) if new_dossier is not None else None,
            creation=creation,
            profile=shop,
        )


PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")
"""A shop's profile name: its file BOT_PROFILES_DIR/NAME.env, its lease keys, its report pages."""


def validate_profile_name(name: str | None) -> str:
    """A profile name as given, or ValidationError (letters, digits, `-` and `_`; no path)."""
    text = (name or "").strip()
    if not PROFILE_NAME.match(text):
        raise invalid(
            "profile", name, "must be a shop's profile name (letters, digits, - and _, at most 63)"
        )
    return text


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
    profile: str = ""  # the shop (DossierInput.profile); in results.json only when there is one

    def to_dict(self) -> dict[str, Any]:
        """The results.json entry: the fixed keys first, then `step` and `values` (and the
        dossier's shop as `profile` when it has one: the report's shop lines read it)."""
        entry: dict[str, Any] = {
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
        if self.profile:
            entry["profile"] = self.profile
        return entry

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
            profile=str(data.get("profile") or ""),
        )
