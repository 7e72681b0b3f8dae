"""Reading and writing the portals' screen formats (dates, kilometres, Ja/Nee, `—`).

The reading itself is the domain's (one place per kind of value); these tests hold the screen's
own conventions on top: `—` is nothing, dates are never ISO, unreadable text is quoted.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.domain.fields import Kind
from bot.pages.formats import (
    MISSING,
    date_parts,
    format_screen_date,
    is_unknown_mileage,
    parse_screen_bool,
    parse_screen_date,
    parse_screen_int,
    parse_shown,
    shows_nothing,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/03/2019", dt.date(2019, 3, 14)),
        (" 4/3/2019 ", dt.date(2019, 3, 4)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        (MISSING, None),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_screen_date_is_read(text: str | None, expected: dt.date | None) -> None:
    assert parse_screen_date(text) == expected


@pytest.mark.parametrize("text", ["2019-03-14", "14.03.2019", "31/02/2019", "gisteren"])
def test_unreadable_screen_date_raises_quoting_the_text(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_screen_date(text)


def test_screen_date_is_written_day_first_with_zeros() -> None:
    assert format_screen_date(dt.date(2019, 3, 4)) == "04/03/2019"


def test_screen_date_round_trips() -> None:
    value = dt.date(2021, 11, 30)
    assert parse_screen_date(format_screen_date(value)) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2019, 3, 14), ("14", "03", "2019")),
        (dt.date(2001, 1, 2), ("02", "01", "2001")),
    ],
)
def test_date_parts_fill_the_dag_maand_jaar_boxes(
    value: dt.date, expected: tuple[str, str, str]
) -> None:
    assert date_parts(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("84.512 km", 84512),
        ("84\u2009512 km", 84512),
        ("84 512", 84512),
        ("84512", 84512),
        ("110 kW", 110),
        ("1.598 cc", 1598),
        ("128 g/km", 128),
        ("0", 0),
        (MISSING, None),
        ("", None),
        (None, None),
        ("onbekend", None),
        ("Onbekend", None),
    ],
)
def test_screen_number_is_read(text: str | None, expected: int | None) -> None:
    assert parse_screen_int(text) == expected


@pytest.mark.parametrize("text", ["84,5 km", "veel", "8.45 km", "-3"])
def test_unreadable_screen_number_raises(text: str) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        parse_screen_int(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ja", True), ("ja", True), ("Nee", False), (" NEE ", False), (MISSING, None), ("", None)],
)
def test_screen_yes_no_is_read(text: str, expected: bool | None) -> None:
    assert parse_screen_bool(text) is expected


def test_unreadable_screen_yes_no_raises() -> None:
    with pytest.raises(ValueError, match="'Misschien'"):
        parse_screen_bool("Misschien")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("onbekend", True),
        (" Onbekend ", True),
        ("84.512 km", False),
        (MISSING, False),
        (None, False),
    ],
)
def test_unknown_mileage_is_recognised(text: str | None, expected: bool) -> None:
    assert is_unknown_mileage(text) is expected


@pytest.mark.parametrize("text", [MISSING, "-", "–", "", "  ", None])
def test_every_way_a_portal_draws_nothing_is_nothing(text: str | None) -> None:
    assert shows_nothing(text)
    assert parse_shown(Kind.TEXT, text) is None


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (Kind.TEXT, " WVWZZZ1JZXW000001 ", "WVWZZZ1JZXW000001"),
        (Kind.CHOICE, "diesel", "diesel"),
        (Kind.DATE, "14/03/2019", dt.date(2019, 3, 14)),
        (Kind.NUMBER, "84.512 km", 84512),
        (Kind.NUMBER, "onbekend", None),
        (Kind.FLAG, "Ja", True),
        (Kind.FLAG, MISSING, None),
    ],
)
def test_a_shown_value_is_read_by_its_fields_kind(kind: Kind, text: str, expected: object) -> None:
    assert parse_shown(kind, text) == expected
