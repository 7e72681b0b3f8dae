"""What is the portals' own in how they write values on screen, in either of their languages.

PlanManager and Winformex write a missing value as `—`, dates as `dd/mm/yyyy` (never ISO), and in
the screen's language yes/no (`Ja`/`Nee`, `Oui`/`Non`), an unknown value (`onbekend`, `inconnu`)
and kilometres (`84.512 km`, `84 512 km`). How a date, a number, yes/no or an unknown word is read
is the domain's (`bot.domain.validation`: the same reading serves a CSV cell and a screen, in
Dutch and French); this module adds only the screen's conventions, and turns text that fits no
format into a ValueError quoting it, rather than guessing. Nothing here depends on which language
the screen speaks: a value reads the same whichever it is.
"""

from __future__ import annotations

import datetime as dt

from bot.domain.fields import Kind
from bot.domain.validation import (
    format_date,
    is_unknown_word,
    read_date,
    read_whole_number,
    read_yes_no,
)

MISSING = "—"
"""What both portals show for an empty value, in every language."""

_EMPTY = frozenset({"", MISSING, "-", "–"})


def shows_nothing(text: str | None) -> bool:
    """True for an empty value, however the portal draws it (`—`, a dash, nothing)."""
    return text is None or text.strip() in _EMPTY


def parse_screen_date(text: str | None) -> dt.date | None:
    """`14/03/2019` → date(2019, 3, 14); `—` or empty → None."""
    if text is None or shows_nothing(text):
        return None
    try:
        value = read_date(text, iso=False)
    except ValueError:
        raise ValueError(f"not a calendar date on screen: {text!r}") from None
    if value is None:
        raise ValueError(f"not a dd/mm/yyyy date on screen: {text!r}")
    return value


def format_screen_date(value: dt.date) -> str:
    """date(2019, 3, 14) → `14/03/2019`, as typed into a portal's date field."""
    return format_date(value)


def date_parts(value: dt.date) -> tuple[str, str, str]:
    """The day, month and year boxes of the 2e circuit form: `("14", "03", "2019")`."""
    day, month, year = format_date(value).split("/")
    return day, month, year


def is_unknown_mileage(text: str | None) -> bool:
    """True when the screen says the mileage is unknown (`onbekend`, `inconnu`)."""
    return is_unknown_word(text)


def parse_screen_int(text: str | None) -> int | None:
    """`84.512 km` or `84 512 km` → 84512, `110 kW` → 110; `—`, empty or an unknown word
    (`onbekend`, `inconnu`) → None."""
    if text is None or shows_nothing(text) or is_unknown_word(text):
        return None
    number = read_whole_number(text)
    if number is None:
        raise ValueError(f"not a whole number on screen: {text!r}")
    return number


def parse_screen_bool(text: str | None) -> bool | None:
    """`Ja`/`Oui` → True, `Nee`/`Non` → False, `—` or empty → None."""
    if text is None or shows_nothing(text):
        return None
    value = read_yes_no(text)
    if value is None:
        raise ValueError(f"not a yes/no value on screen: {text!r}")
    return value


def parse_shown(kind: Kind, text: str | None) -> object:
    """A value as a read-only page shows it, typed by its field's kind; None when empty."""
    if kind is Kind.DATE:
        return parse_screen_date(text)
    if kind is Kind.NUMBER:
        return parse_screen_int(text)
    if kind is Kind.FLAG:
        return parse_screen_bool(text)
    return None if text is None or shows_nothing(text) else text.strip()
