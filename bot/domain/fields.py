"""The fields of "Gegevens 2e circuit", declared once, in the form's order.

Every other place that deals with these fields reads this table instead of naming them again:
the records in `models` (`PlanManagerDossier`, `SecondCircuitData`) and `new_dossier`
(`NewDossierData`) get one attribute per field from it, `SecondCircuitData.build` and
`NewDossierData.from_document` validate each field with its rule from it, the batch reader takes
its column names from it, and the page objects fill and read each field with the widget its kind
implies, under the label their own screen gives it (labels are screen facts: they stay in
`bot/pages/`, one mapping per screen, keyed by these names). Adding a field is one entry here plus
its label on each screen that shows it.

What a field's entry says:

- `name`: the attribute on every record, the override key of `--set name=value` and of a batch
  row, and the key of the form's read-back;
- `kind`: the type of the validated value and the widget that takes it (text box, date, checkbox,
  select), and how PlanManager's dossier page shows it (`14/03/2019`, `84.512 km`, `Ja`/`Nee`);
- `rule`: how a raw value (a cell, a CLI value, what PlanManager shows) becomes a validated one,
  raising a ValidationError that names the field and quotes the value;
- `columns`: the batch-file column names that feed it, Dutch, English and French (normalised:
  lower case, without accents, single spaces: `Cylindrée` is `cylindree`);
- `document`: where a `--create-from` dossier document (the seed's layout) holds it;
- `unknown_flag`: the flag that says this value is unknown ("onbekend"), for the mileage;
- the limits of the portals' input for it, judged on the text the form receives (`written_text`)
  after the rule has read the value: `max_length`, the most characters it takes (both forms that
  take the field give it the same `maxlength`); `min_length`, the fewest, and
  `legacy_min_length`, the fewest with `BOT_LEGACY_CHASSIS` (an old car's chassis number);
  `chars`, the characters it takes; `value_range`, the numbers it takes. A value outside them is
  refused before anything is written (before the injection, which costs a fee), instead of being
  cut short by the browser or refused by the portal after the fee was paid;
- `normalise`: how a code typed as text is written, for reading a form back the same way
  (`read_back`), so that what verification reads compares with what the bot meant to write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.domain.validation import (
    LEGACY_CHASSIS_MIN,
    MILEAGE_MAX_KM,
    VIN_LENGTH,
    AssignmentNumber,
    Chars,
    ValidationRules,
    check_chars,
    check_length,
    check_range,
    normalize_vin,
    parse_bool,
    parse_date,
    parse_engine_type,
    parse_mileage,
    parse_whole_number,
    read_date,
    read_whole_number,
    validate_assignment_number,
    validate_vin,
)

LETTERS_DIGITS = Chars("A-Z0-9", "letters A–Z and digits")
"""What a chassis box takes: a VIN, or with BOT_LEGACY_CHASSIS an old car's chassis number."""
DIGITS = Chars("0-9", "digits")
"""What a number box takes: digits only (no sign, no separators, no unit)."""


class Kind(str, Enum):
    """What a field holds, which decides its Python type and the widget a form gives it."""

    TEXT = "text"  # a code typed as text (opdrachtnummer, VIN): a text box
    DATE = "date"  # dd/mm/yyyy on screen; Winformex splits it into Dag, Maand and Jaar boxes
    FLAG = "flag"  # yes/no: `Ja`/`Nee` on PlanManager's page, a checkbox in the forms
    NUMBER = "number"  # a whole number: `84.512 km` on PlanManager's page, digits in the forms
    CHOICE = "choice"  # one option of a fixed list: a select in the forms


_VALUE_TYPES: dict[Kind, type] = {
    Kind.TEXT: str,
    Kind.DATE: dt.date,
    Kind.FLAG: bool,
    Kind.NUMBER: int,
    Kind.CHOICE: str,
}


@dataclass(frozen=True)
class Judging:
    """What a rule needs besides the raw value: the rules in force, the name to put in an error
    (`vin`, or `vehicle.vin` for a dossier document), for a field with an unknown flag whether
    that flag is set, and the field's declared `value_range` (for a rule that words it itself)."""

    rules: ValidationRules
    field: str
    unknown: bool = False
    value_range: tuple[int, int] | None = None


Rule = Callable[[Any, Judging], Any]
"""Raw value (text as typed, or a value already typed by a page) → validated value."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of the 2e circuit form; see the module's docstring for what each part means."""

    name: str
    kind: Kind
    rule: Rule
    columns: tuple[str, ...]
    required: bool = False
    document: str | None = None
    unknown_flag: str | None = None
    from_planmanager: bool = True
    max_length: int | None = None
    min_length: int | None = None
    legacy_min_length: int | None = None
    chars: Chars | None = None
    value_range: tuple[int, int] | None = None
    normalise: Callable[[str], str] = str.strip

    @property
    def value_type(self) -> object:
        """The type of the validated value (a required or yes/no field is never None)."""
        base = _VALUE_TYPES[self.kind]
        return base if self.required or self.kind is Kind.FLAG else base | None

    @property
    def default(self) -> object:
        """The validated value when nothing is given; MISSING for a required field."""
        if self.required:
            return dataclasses.MISSING
        return False if self.kind is Kind.FLAG else None

    def validate(
        self,
        raw: object,
        rules: ValidationRules,
        *,
        field: str | None = None,
        unknown: bool = False,
    ) -> Any:
        """`raw` judged by this field's rule, then by its declared limits; the error names
        `field` (default: the name) and quotes `raw`.

        For a field with an unknown flag the result is None exactly when the value is unknown.
        A value the portals' input would not take (range, length, characters) is refused.
        """
        where = field or self.name
        value = self.rule(raw, Judging(rules, where, unknown, self.value_range))
        self.check_limits(value, raw, rules, where)
        return value

    def length_limits(self, rules: ValidationRules) -> tuple[int | None, int | None]:
        """(fewest, most) characters the input takes under `rules` (None: no limit)."""
        low = self.min_length
        if rules.legacy_chassis and self.legacy_min_length is not None:
            low = self.legacy_min_length
        return low, self.max_length

    def check_limits(self, value: object, raw: object, rules: ValidationRules, field: str) -> None:
        """A ValidationError naming `field` when `value` (as validated from `raw`) lies outside
        the declared range, or its written text outside the declared length or characters."""
        if self.value_range is not None and type(value) is int:
            check_range(value, raw, field, *self.value_range)
        text = self.written_text(value)
        if text is None:
            return
        check_length(text, raw, field, *self.length_limits(rules))
        if self.chars is not None:
            check_chars(text, raw, field, self.chars)

    def written_text(self, value: object) -> str | None:
        """The text a form's text box receives for `value` (None for a flag or a date, which
        are ticked or split into boxes, and for no value)."""
        if value is None or self.kind in (Kind.FLAG, Kind.DATE):
            return None
        return str(value)

    def read_back(self, shown: str | bool | None) -> Any:
        """What a form shows for this field, typed as the validated value it was written from.

        Empty is None (no for a flag); a code is normalised as the rule normalises it; a text
        that is no date or number is returned as it is, so it differs from any written value.
        """
        if self.kind is Kind.FLAG:
            return bool(shown)
        text = "" if shown is None else str(shown).strip()
        if not text.strip("/"):  # a date group shows `//` when all its boxes are empty
            return None
        if self.kind is Kind.DATE:
            try:
                return read_date(text, iso=False) or text
            except ValueError:
                return text
        if self.kind is Kind.NUMBER:
            number = read_whole_number(text)
            return text if number is None else number
        return self.normalise(text)


# --- the rules -------------------------------------------------------------------------------


def _opdrachtnummer(raw: object, judging: Judging) -> AssignmentNumber:
    if isinstance(raw, AssignmentNumber):  # validated where it entered (DossierInput.create)
        return raw
    return validate_assignment_number(_text_or_none(raw), judging.rules, judging.field)


def _vin(raw: object, judging: Judging) -> str:
    return validate_vin(_text_or_none(raw), judging.rules, field=judging.field)


def _date(raw: object, judging: Judging) -> dt.date:
    return parse_date(
        raw if isinstance(raw, dt.date) else _text_or_none(raw), judging.field, judging.rules
    )


def _yes_no(raw: object, judging: Judging) -> bool:
    return parse_bool(raw if isinstance(raw, bool) else _text_or_none(raw), judging.field)


def _mileage(raw: Any, judging: Judging) -> int | None:
    high = judging.value_range[1] if judging.value_range else MILEAGE_MAX_KM
    km, _ = parse_mileage(raw, judging.unknown, judging.field, high)
    return km


def _whole_number(raw: Any, judging: Judging) -> int | None:
    """A whole number; its range is the field's declared `value_range`."""
    return parse_whole_number(raw, judging.field)


def _engine_type(raw: object, judging: Judging) -> str | None:
    return parse_engine_type(_text_or_none(raw), judging.field)


def _text_or_none(raw: object) -> str | None:
    return None if raw is None else str(raw)


def _code(text: str) -> str:
    """An opdrachtnummer as written: stripped and upper case (as its rule keeps it)."""
    return text.strip().upper()


# --- the declaration -------------------------------------------------------------------------

ASSIGNMENT_NUMBER = "assignment_number"
"""The field that makes the link: it comes from the insurer's assignment, not from PlanManager."""

SECOND_CIRCUIT: tuple[FieldSpec, ...] = (
    FieldSpec(
        ASSIGNMENT_NUMBER,
        Kind.TEXT,
        _opdrachtnummer,
        required=True,
        from_planmanager=False,
        # Characters: the configured pattern decides (the real format is not public).
        max_length=20,
        normalise=_code,
        # In a batch file this column names the job's assignment (DossierInput.assignment).
        columns=(
            "assignment",
            "assignment number",
            "opdrachtnummer",
            "opdracht",
            "opdracht nr",
            "opdrachtnr",
            "opdrachtnummer 2e circuit",
            "numero de mission",
            "numero mission",
            "n mission",
            "mission",
        ),
    ),
    FieldSpec(
        "vin",
        Kind.TEXT,
        _vin,
        required=True,
        document="vehicle.vin",
        # A 17-character VIN (its rule refuses I, O and Q and fake numbers); with
        # BOT_LEGACY_CHASSIS, also an old car's chassis number of 3 to 16 letters and digits.
        min_length=VIN_LENGTH,
        legacy_min_length=LEGACY_CHASSIS_MIN,
        max_length=VIN_LENGTH,
        chars=LETTERS_DIGITS,
        normalise=normalize_vin,
        columns=(
            "vin",
            "chassis",
            "chassisnummer",
            "chassisnummer vin",
            "chassis nr",
            "chassisnr",
            "numero de chassis",
            "n chassis",
        ),
    ),
    FieldSpec(
        "first_registration",
        Kind.DATE,
        _date,
        required=True,
        document="vehicle.first_registration",
        columns=(
            "first registration",
            "eerste inschrijving",
            "datum eerste inschrijving",
            "inschrijving",
            "date de premiere mise en circulation",
            "premiere mise en circulation",
            "mise en circulation",
            "premiere immatriculation",
        ),
    ),
    FieldSpec(
        "previous_damage",
        Kind.FLAG,
        _yes_no,
        document="previous_damage",
        columns=(
            "previous damage",
            "voorgaande schade",
            "vorige schade",
            "eerdere schade",
            "degats anterieurs",
            "dommages anterieurs",
        ),
    ),
    FieldSpec(
        "burglary",
        Kind.FLAG,
        _yes_no,
        document="burglary",
        columns=("burglary", "inbraak", "vol", "effraction"),
    ),
    FieldSpec(
        "mileage_km",
        Kind.NUMBER,
        _mileage,
        document="vehicle.mileage_km",  # null there means unknown
        unknown_flag="mileage_unknown",
        value_range=(0, MILEAGE_MAX_KM),
        max_length=7,  # up to 2.000.000 km
        chars=DIGITS,
        columns=(
            "mileage km",
            "mileage",
            "kilometerstand",
            "km stand",
            "kmstand",
            "km",
            "kilometrage",
        ),
    ),
    FieldSpec(
        "mileage_unknown",
        Kind.FLAG,
        _yes_no,
        columns=(
            "mileage unknown",
            "onbekend",
            "kilometerstand onbekend",
            "km onbekend",
            "kilometrage inconnu",
            "km inconnu",
            "inconnu",
        ),
    ),
    FieldSpec(
        "power_kw",
        Kind.NUMBER,
        _whole_number,
        document="vehicle.power_kw",
        value_range=(1, 1500),
        max_length=4,
        chars=DIGITS,
        columns=("power kw", "power", "vermogen", "vermogen kw", "kw", "puissance", "puissance kw"),
    ),
    FieldSpec(
        "displacement_cc",
        Kind.NUMBER,
        _whole_number,
        document="vehicle.displacement_cc",
        value_range=(0, 10_000),  # 0: an electric car
        max_length=5,
        chars=DIGITS,
        columns=(
            "displacement cc",
            "displacement",
            "cilinderinhoud",
            "cilinderinhoud cc",
            "cylindree",
            "cylindree cc",
            "cylindree cm3",
        ),
    ),
    FieldSpec(
        "co2",
        Kind.NUMBER,
        _whole_number,
        document="vehicle.co2",
        value_range=(0, 1000),
        max_length=4,
        chars=DIGITS,
        columns=("co2", "co2 uitstoot", "co2 g km", "emission co2", "emissions co2"),
    ),
    FieldSpec(
        "engine_type",
        Kind.CHOICE,
        _engine_type,
        document="vehicle.engine_type",
        columns=(
            "engine type",
            "motortype",
            "type motor",
            "brandstof",
            "type de moteur",
            "carburant",
        ),
    ),
    FieldSpec(
        "particle_filter",
        Kind.FLAG,
        _yes_no,
        document="vehicle.particle_filter",
        columns=(
            "particle filter",
            "partikelfilter",
            "roetfilter",
            "deeltjesfilter",
            "dpf",
            "filtre a particules",
            "fap",
        ),
    ),
)

# --- what follows from it --------------------------------------------------------------------

FIELDS: Mapping[str, FieldSpec] = {spec.name: spec for spec in SECOND_CIRCUIT}
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS)
"""The field names in the form's order: the keys an override may use."""

PLANMANAGER_FIELDS: tuple[FieldSpec, ...] = tuple(s for s in SECOND_CIRCUIT if s.from_planmanager)
"""The fields a PlanManager dossier holds (all but the opdrachtnummer)."""

UNKNOWN_FLAGS: Mapping[str, str] = {
    spec.unknown_flag: spec.name for spec in SECOND_CIRCUIT if spec.unknown_flag
}
"""Flag → the field it marks unknown. Such a flag is judged with its field, and a screen that
writes the value as `onbekend` shows no value of its own for it."""


def fill_order(names: Iterable[str]) -> list[str]:
    """`names` in the order a person fills them: as given, except that an unknown flag comes just
    before its field (a form may lock the mileage box while "onbekend" is ticked)."""
    ordered = list(names)
    for flag, field in UNKNOWN_FLAGS.items():
        if flag in ordered and field in ordered:
            ordered.remove(flag)
            ordered.insert(ordered.index(field), flag)
    return ordered


def left_empty(name: str, record: object) -> bool:
    """True when `record`'s unknown flag for field `name` is set: a form leaves that box empty."""
    spec = FIELDS.get(name)
    return bool(spec and spec.unknown_flag and getattr(record, spec.unknown_flag))


_KEPT_WHEN_EMPTY = frozenset({Kind.DATE, Kind.CHOICE})
"""Kinds whose widget is left as it is when there is no value (a text box is emptied)."""


def written(record: object) -> dict[str, Any]:
    """What a form is given of `record`, field by field in the order a person fills them.

    Every declared field, except a value left empty because it is unknown (only its flag is
    ticked) and a date or a choice without a value (its boxes or its select are left as they
    are). The 2e circuit page fills exactly these, and verification reads exactly these back.
    """
    values: dict[str, Any] = {}
    for name in fill_order(FIELD_NAMES):
        value = getattr(record, name)
        if left_empty(name, record) or (value is None and FIELDS[name].kind in _KEPT_WHEN_EMPTY):
            continue
        values[name] = value
    return values


def record_base(
    class_name: str,
    specs: Iterable[FieldSpec],
    *,
    as_shown: bool = False,
    frozen: bool = False,
) -> type:
    """A dataclass with one keyword-only attribute per spec, for a record to inherit from.

    Validated types and defaults (`SecondCircuitData`), or, `as_shown`, each value as a screen
    gave it: optional, None when the screen shows nothing (`PlanManagerDossier`). A static type
    checker does not see attributes made at run time; `tests/unit/test_fields.py` holds every
    record to the declaration instead.
    """
    attributes = [
        (
            spec.name,
            spec.value_type if not as_shown else _VALUE_TYPES[spec.kind] | None,
            dataclasses.field(default=None if as_shown else spec.default),
        )
        for spec in specs
    ]
    return dataclasses.make_dataclass(
        class_name,
        attributes,
        frozen=frozen,
        kw_only=True,
        namespace={"__module__": __name__, "__doc__": f"The declared fields of {class_name}."},
    )
