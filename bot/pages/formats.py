"""How the portals write values on screen, and how to read them back.

PlanManager and Winformex show dates as `dd/mm/yyyy`, kilometres as `84.512 km` (point or thin
space thousands), yes/no as `Ja`/`Nee` and a missing value as `—`. That is a fact about the
portals, so it lives next to the page objects; a page reads text with these helpers and hands
typed values to the steps. Text that fits no format raises ValueError: the page turns it into a
domain error naming its screen, rather than guessing.
"""

from __future__ import annotations

import datetime as dt
import re

MISSING = "—"
"""What both portals show for an empty value."""

_EMPTY = frozenset({"", MISSING, "-", "–"})
_UNKNOWN_MILEAGE = frozenset({"onbekend", "unknown", "inconnu"})
_SCREEN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UNIT_SUFFIX = re.compile(r"\s*(?:km|kw|cc|cm3|cm³|g/km)$", re.IGNORECASE)
_THOUSANDS = re.compile(r"[. \u00a0\u2009\u202f]")
_SCREEN_INT = re.compile(r"^\d{1,3}(?:[. \u00a0\u2009\u202f]\d{3})+$|^\d+$")


def _is_empty(text: str | None) -> bool:
    return text is None or text.strip() in _EMPTY


def parse_screen_date(text: str | None) -> dt.date | None:
    """`14/03/2019` → date(2019, 3, 14); `—` or empty → None."""
    if _is_empty(text):
        return None
    stripped = (text or "").strip()
    match = _SCREEN_DATE.match(stripped)
    if match is None:
        raise ValueError(f"not a dd/mm/yyyy date on screen: {text!r}")
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"not a calendar date on screen: {text!r}") from None


def format_screen_date(value: dt.date) -> str:
    """date(2019, 3, 14) → `14/03/2019`, as typed into a portal's date field."""
    return value.strftime("%d/%m/%Y")


def date_parts(value: dt.date) -> tuple[str, str, str]:
    """The Dag, Maand and Jaar boxes of the 2e circuit form: `("14", "03", "2019")`."""
    return f"{value.day:02d}", f"{value.month:02d}", f"{value.year:04d}"


def is_unknown_mileage(text: str | None) -> bool:
    """True when the screen says the mileage is unknown (`onbekend`)."""
    return (text or "").strip().lower() in _UNKNOWN_MILEAGE


def parse_screen_int(text: str | None) -> int | None:
    """`84.512 km` → 84512, `110 kW` → 110; `—`, empty or `onbekend` → None."""
    if _is_empty(text) or is_unknown_mileage(text):
        return None
    number = _UNIT_SUFFIX.sub("", (text or "").strip())
    if not _SCREEN_INT.match(number):
        raise ValueError(f"not a whole number on screen: {text!r}")
    return int(_THOUSANDS.sub("", number))


def parse_screen_bool(text: str | None) -> bool | None:
    """`Ja` → True, `Nee` → False, `—` or empty → None."""
    if _is_empty(text):
        return None
    word = (text or "").strip().lower()
    if word == "ja":
        return True
    if word == "nee":
        return False
    raise ValueError(f"not Ja/Nee on screen: {text!r}")
