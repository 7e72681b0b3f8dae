"""Validation of every value the bot would write, before it touches a portal.

A value that fails here costs nothing: no dossier is injected (each injection costs the shop a
dossier fee) and no form is half saved. Each rule raises `ValidationError(field, value, reason)`
with a short English reason and the offending value cut to a readable length, so a batch report
names the cell to fix without being flooded by an oversized one.

The rules follow the project's domain notes (what is known of real Belgian data): VINs per
ISO 3779 (never judged on the check digit), Belgian formats (`dd/mm/yyyy`, point or thin-space
thousands), and an opdrachtnummer pattern that is a setting because the real format is not
public. Belgium is bilingual: values written in French read like the Dutch ones (`Oui`/`Non`,
`inconnu`, `84 512 km` with a no-break space).

Each kind of value is read in one place, here: `read_date`, `read_whole_number`, `read_yes_no`
and `is_unknown_word` know how people and both portals write a date, a number, yes/no and
"onbekend". The `parse_*` rules add what input must also satisfy (present, in range, named in the
error); the page objects add only what is the screen's own (`—` for nothing, `Ja`/`Nee`).
Which field takes which rule, and the limits of the portal's input for it (length, characters,
range), is declared once, in `bot.domain.fields`; `check_length`, `check_chars` and
`check_range` are how those limits are judged.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import Protocol

from bot.errors import ValidationError

DEFAULT_ASSIGNMENT_PATTERN = re.compile(r"^IX-\d{4}-\d{6}$")
SHOWN_VALUE_MAX = 60
"""Longest value quoted in an error message; longer values are cut and marked with `…`."""

VIN_LENGTH = 17
LEGACY_CHASSIS_MIN = 3
MILEAGE_MAX_KM = 2_000_000
EARLIEST_DATE = dt.date(1900, 1, 1)
DOSSIER_NUMBER_MAX = 40

ENGINE_TYPES = ("diesel", "benzine", "hybride", "elektrisch", "LPG", "CNG")
_ENGINE_SYNONYMS = {
    "diesel": "diesel",
    "gasoil": "diesel",
    "gazole": "diesel",
    "benzine": "benzine",
    "benzin": "benzine",
    "petrol": "benzine",
    "gasoline": "benzine",
    "essence": "benzine",
    "hybride": "hybride",
    "hybrid": "hybride",
    "elektrisch": "elektrisch",
    "electrisch": "elektrisch",
    "electric": "elektrisch",
    "electrique": "elektrisch",
    "électrique": "elektrisch",
    "ev": "elektrisch",
    "lpg": "LPG",
    "autogas": "LPG",
    "cng": "CNG",
    "aardgas": "CNG",
}

_TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "1", "x", "oui"})
_FALSE_WORDS = frozenset({"nee", "n", "no", "false", "0", "", "non"})
UNKNOWN_WORDS = frozenset({"onbekend", "unknown", "inconnu"})
"""How people and the portals say a value (the mileage) is unknown."""

_VIN_CHARS = re.compile(r"^[A-HJ-NPR-Z0-9]+$")
_ALNUM = re.compile(r"^[A-Z0-9]+$")
_VIN_SEPARATORS = re.compile(r"[\s.\-]+")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DMY_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Whole numbers as people type them: "84512", "84.512", "84 512" (also thin and no-break spaces).
_PLAIN_INT = re.compile(r"^\d+$")
_GROUPED_INT = re.compile(r"^\d{1,3}(?:[. \u00a0\u2009\u202f]\d{3})+$")
_UNIT_SUFFIX = re.compile(r"\s*(?:km|kw|cc|cm3|cm³|g/km)$", re.IGNORECASE)
_DOSSIER_CHARS = re.compile(r"^[A-Za-z0-9\-_./]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class ValidationRules:
    """The configurable part of validation, built once from the settings.

    `today` exists so tests can pin "not in the future" to a fixed date.
    """

    assignment_pattern: re.Pattern[str] = DEFAULT_ASSIGNMENT_PATTERN
    legacy_chassis: bool = False
    today: dt.date | None = None

    @classmethod
    def from_settings(cls, settings: _RuleSettings) -> ValidationRules:
        """Rules from the bot's settings (the pattern there is a string, checked at load time)."""
        return cls(
            assignment_pattern=re.compile(settings.assignment_pattern),
            legacy_chassis=settings.legacy_chassis,
        )

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()


class _RuleSettings(Protocol):
    assignment_pattern: str
    legacy_chassis: bool


def shown(value: object) -> object:
    """The value as an error message may quote it: strings longer than 60 characters are cut."""
    if isinstance(value, str) and len(value) > SHOWN_VALUE_MAX:
        return value[:SHOWN_VALUE_MAX] + "…"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def invalid(field: str, value: object, reason: str) -> ValidationError:
    """A ValidationError whose quoted value is cut to a readable length."""
    return ValidationError(field, shown(value), reason)


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


class AssignmentNumber(str):
    """An opdrachtnummer that passed `validate_assignment_number`: who receives one need not
    judge it again (it is still a plain string to everyone else: JSON, messages, comparisons)."""

    __slots__ = ()


# --- reading values as people and the portals write them -----------------------------------


def is_unknown_word(text: object) -> bool:
    """True for `onbekend`, `unknown` or `inconnu` (any case, surrounding spaces ignored)."""
    return isinstance(text, str) and text.strip().lower() in UNKNOWN_WORDS


def read_date(text: str, *, iso: bool = True, dotted: bool = False) -> dt.date | None:
    """The date `14/03/2019` or `4/3/2019` (with `iso`, also `2019-03-14`; with `dotted`, also
    `14.03.2019`, as some people type it in a cell) stands for.

    None when the text is not shaped like a date at all; ValueError when it is, but names no
    real day (`31/02/2019`): callers word each case for their reader.
    """
    text = text.strip()
    if (match := _DMY.match(text)) or (dotted and (match := _DMY_DOTTED.match(text))):
        day, month, year = (int(part) for part in match.groups())
    elif iso and (match := _ISO.match(text)):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    return dt.date(year, month, day)


def format_date(value: dt.date) -> str:
    """date(2019, 3, 4) → `04/03/2019`: how a Belgian writes a date, in a cell or a form."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def read_whole_number(text: str) -> int | None:
    """`84512`, `84.512`, `84 512` (thin or no-break spaces too) or `84.512 km` → 84512.

    None for text that is no whole number: decimals, a sign, words.
    """
    number = _UNIT_SUFFIX.sub("", text.strip())
    if not (_PLAIN_INT.match(number) or _GROUPED_INT.match(number)):
        return None
    return int(re.sub(r"\D", "", number))


def read_yes_no(text: str) -> bool | None:
    """ja/nee, oui/non, yes/no, true/false, 1/0, x/empty (any case) → True/False; None when
    neither."""
    word = text.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


# --- VIN and plate -------------------------------------------------------------------------


def normalize_vin(raw: str | None) -> str:
    """Upper case without spaces, dashes or dots, as people paste VINs from papers and mails."""
    return _VIN_SEPARATORS.sub("", raw or "").upper()


def normalize_plate(raw: str | None) -> str:
    """Upper case without dashes, spaces or dots: PlanManager stores `1AES624` for `1-AES-624`."""
    return _VIN_SEPARATORS.sub("", raw or "").upper()


def _looks_fake(chassis: str) -> bool:
    """All one character, or a plain run of consecutive digits (123456789…, 987654…)."""
    if len(set(chassis)) == 1:
        return True
    if not chassis.isdigit():
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(chassis)}
    return steps in ({1}, {9})


def validate_vin(raw: str | None, rules: ValidationRules, field: str = "vin") -> str:
    """The normalised VIN, or a ValidationError naming `field`.

    Strict: 17 characters from A–Z and 0–9 without I, O and Q. The check digit (9th position) is
    never judged: European makers need not use it. With `rules.legacy_chassis`, the chassis
    number of an older vehicle is accepted too: 3 to 16 letters and digits, any letter (the 2e
    circuit takes such a number, as Belgian rules allow; 17 characters must still be a VIN, as
    the 2e circuit requires). Obviously fake numbers are refused either way.
    """
    if _is_blank(raw):
        raise invalid(field, raw, "is missing")
    vin = normalize_vin(raw)
    if not _ALNUM.match(vin):
        raise invalid(field, raw, "may only contain letters A–Z and digits")
    if rules.legacy_chassis and LEGACY_CHASSIS_MIN <= len(vin) < VIN_LENGTH:
        return _not_fake(vin, raw, field)
    if len(vin) != VIN_LENGTH:
        expected = (
            f"{LEGACY_CHASSIS_MIN} to {VIN_LENGTH}" if rules.legacy_chassis else f"{VIN_LENGTH}"
        )
        raise invalid(field, raw, f"must be {expected} characters long, not {len(vin)}")
    if not _VIN_CHARS.match(vin):
        raise invalid(field, raw, "contains I, O or Q, which a VIN never uses")
    return _not_fake(vin, raw, field)


def _not_fake(vin: str, raw: str | None, field: str) -> str:
    if _looks_fake(vin):
        raise invalid(field, raw, "is an obviously fake chassis number")
    return vin


# --- dates -----------------------------------------------------------------------------------


def parse_date(raw: str | dt.date | None, field: str, rules: ValidationRules) -> dt.date:
    """A real calendar date from `dd/mm/yyyy`, `d/m/yyyy`, `dd.mm.yyyy` or ISO `yyyy-mm-dd`.

    Not in the future (relative to `rules.today`) and not before 1900.
    """
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return _date_in_range(raw, raw, field, rules)
    if _is_blank(raw):
        raise invalid(field, raw, "is missing")
    try:
        value = read_date(str(raw), dotted=True)
    except ValueError:
        raise invalid(field, raw, "is not a real calendar date") from None
    if value is None:
        raise invalid(field, raw, "is not a date (expected dd/mm/yyyy)")
    return _date_in_range(value, raw, field, rules)


def _date_in_range(value: dt.date, raw: object, field: str, rules: ValidationRules) -> dt.date:
    if value > rules.current_date():
        raise invalid(field, raw, "is in the future")
    if value < EARLIEST_DATE:
        raise invalid(field, raw, "is before 1900")
    return value


# --- numbers ---------------------------------------------------------------------------------


def _whole_number(raw: str | int, field: str, what: str) -> int:
    """An int from `84512`, `84.512`, `84 512` or `84.512 km`; sign and decimals are refused."""
    if isinstance(raw, bool):
        raise invalid(field, raw, f"is not {what}")
    if isinstance(raw, int):
        number = raw
    else:
        number_or_none = read_whole_number(raw)
        if number_or_none is None:
            text = raw.strip()
            if text.startswith("-") and read_whole_number(text[1:]) is not None:
                raise invalid(field, raw, "must not be negative")
            raise invalid(field, raw, f"is not {what}")
        number = number_or_none
    if number < 0:
        raise invalid(field, raw, "must not be negative")
    return number


def parse_mileage(
    raw: str | int | None,
    unknown: bool | None,
    field: str = "mileage_km",
    high: int = MILEAGE_MAX_KM,
) -> tuple[int | None, bool]:
    """`(km, unknown)`: a mileage from 0 to `high` (2,000,000) km, or `(None, True)` when unknown.

    `onbekend`/`inconnu`/`unknown` mean unknown whatever the flag says; an empty value is only
    accepted when `unknown` is set; a number together with `unknown` is a contradiction.
    """
    if is_unknown_word(raw):
        return None, True
    if _is_blank(raw):
        if unknown:
            return None, True
        raise invalid(field, raw, "is missing (give the mileage or mark it unknown)")
    text = raw if isinstance(raw, int) else str(raw)
    km = _whole_number(text, field, "a whole number of kilometres")
    if km > high:
        raise invalid(field, raw, f"is more than {high:,} km")
    if unknown:
        raise invalid(field, raw, "is given but the mileage is also marked unknown")
    return km, False


def parse_whole_number(raw: str | int | None, field: str) -> int | None:
    """A whole number (`1.598`, `110 kW`, `84\u202f512`), or None when empty (these specs are
    optional); sign and decimals are refused."""
    if _is_blank(raw):
        return None
    return _whole_number(raw if isinstance(raw, int) else str(raw), field, "a whole number")


def parse_int_in_range(raw: str | int | None, field: str, low: int, high: int) -> int | None:
    """A whole number within `low..high`, or None when empty (these specs are optional)."""
    number = parse_whole_number(raw, field)
    return None if number is None else check_range(number, raw, field, low, high)


# --- the limits of a portal's input ----------------------------------------------------------


@dataclass(frozen=True)
class Chars:
    """The characters a portal's input takes: a regular-expression character class, and how
    an error message names them."""

    char_class: str
    described: str

    def allows(self, text: str) -> bool:
        return re.fullmatch(f"[{self.char_class}]*", text) is not None


def check_range(number: int, raw: object, field: str, low: int, high: int) -> int:
    """`number` when within `low..high`, else a ValidationError quoting `raw`."""
    if not low <= number <= high:
        raise invalid(field, raw, f"is outside {low}..{high}")
    return number


def check_length(text: str, raw: object, field: str, low: int | None, high: int | None) -> str:
    """`text` when it is `low` to `high` characters long (None: no limit on that side).

    Too long is said the portal's way (its input takes at most `high`); too short names the
    length expected.
    """
    if high is not None and len(text) > high:
        raise invalid(
            field, raw, f"is {len(text)} characters long; the portal's field takes at most {high}"
        )
    if low is not None and len(text) < low:
        expected = str(low) if low == high else f"{low} to {high}" if high else f"at least {low}"
        raise invalid(field, raw, f"must be {expected} characters long, not {len(text)}")
    return text


def check_chars(text: str, raw: object, field: str, chars: Chars) -> str:
    """`text` when every character of it is one `chars` allows."""
    if not chars.allows(text):
        raise invalid(field, raw, f"may only contain {chars.described}")
    return text


# --- choices and flags -----------------------------------------------------------------------


def parse_engine_type(raw: str | None, field: str = "engine_type") -> str | None:
    """One of the form's Motortype options (diesel, benzine, hybride, elektrisch, LPG, CNG).

    Case-insensitive, with common English/French synonyms (petrol, essence → benzine; electric,
    électrique → elektrisch). Empty means not given.
    """
    if _is_blank(raw):
        return None
    engine = _ENGINE_SYNONYMS.get(str(raw).strip().lower())
    if engine is None:
        raise invalid(field, raw, f"is not an engine type ({', '.join(ENGINE_TYPES)})")
    return engine


def parse_bool(raw: str | bool | None, field: str) -> bool:
    """Yes/no as a CSV cell or CLI gives it: ja/nee, yes/no, true/false, 1/0, x/empty."""
    if isinstance(raw, bool):
        return raw
    value = read_yes_no(raw or "")
    if value is None:
        raise invalid(field, raw, "is not a yes/no value (ja/nee, yes/no, true/false, 1/0, x)")
    return value


# --- identifiers -----------------------------------------------------------------------------


def validate_assignment_number(
    raw: str | None, rules: ValidationRules, field: str = "assignment_number"
) -> AssignmentNumber:
    """The opdrachtnummer stripped and upper-cased; it must fully match the configured pattern."""
    if _is_blank(raw):
        raise invalid(field, raw, "is missing")
    number = str(raw).strip().upper()
    if not rules.assignment_pattern.fullmatch(number):
        pattern = rules.assignment_pattern.pattern
        raise invalid(field, raw, f"does not match the opdrachtnummer pattern {pattern}")
    return AssignmentNumber(number)


def validate_dossier_number(raw: str | None, field: str = "dossier") -> str:
    """A PlanManager dossier number safe to put in a URL and a folder name.

    Non-empty, at most 40 characters, only letters, digits and `-_./`; no control characters
    and no `.`/`..` path segments (the number names the dossier's evidence folder).
    """
    if _is_blank(raw):
        raise invalid(field, raw, "is missing")
    number = str(raw).strip()
    if _CONTROL.search(number):
        raise invalid(field, raw, "contains control characters")
    if len(number) > DOSSIER_NUMBER_MAX:
        raise invalid(field, raw, f"is longer than {DOSSIER_NUMBER_MAX} characters")
    if not _DOSSIER_CHARS.match(number):
        raise invalid(field, raw, "may only contain letters, digits and - _ . /")
    segments = number.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise invalid(field, raw, "must not contain empty, '.' or '..' path segments")
    return number
