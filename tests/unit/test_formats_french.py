"""French screens' values read like the Dutch ones (`84 512 km`, `Oui`/`Non`, `inconnu`), and the
screen formats' messages name no language's words."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.fields import Kind
from bot.pages.formats import (
    MISSING,
    is_unknown_mileage,
    parse_screen_bool,
    parse_screen_date,
    parse_screen_int,
    parse_shown,
)


@pytest.mark.parametrize(
    ("dutch", "french", "expected"),
    [
        ("84.512 km", "84 512 km", 84512),
        ("84.512 km", "84\u00a0512 km", 84512),
        ("84.512 km", "84\u202f512 km", 84512),
        ("1.498 cc", "1 498 cc", 1498),
        ("110 kW", "110 kW", 110),
        ("onbekend", "inconnu", None),
        (MISSING, MISSING, None),
    ],
)
def test_numbers_read_alike_in_both_languages(dutch: str, french: str, expected: int | None):
    assert parse_screen_int(dutch) == parse_screen_int(french) == expected


@pytest.mark.parametrize(
    ("dutch", "french", "expected"),
    [("Ja", "Oui", True), ("Nee", "Non", False), (MISSING, MISSING, None)],
)
def test_yes_and_no_read_alike_in_both_languages(dutch: str, french: str, expected: bool | None):
    assert parse_screen_bool(dutch) == parse_screen_bool(french) == expected
    assert parse_shown(Kind.FLAG, french) == expected


def test_an_unknown_mileage_reads_alike_in_both_languages():
    assert is_unknown_mileage("onbekend") and is_unknown_mileage("inconnu")
    assert not is_unknown_mileage("84 512 km")


def test_dates_are_day_first_in_both_languages():
    assert parse_screen_date("14/03/2019") == dt.date(2019, 3, 14)
    assert parse_shown(Kind.DATE, "14/03/2019") == dt.date(2019, 3, 14)


@pytest.mark.parametrize(
    ("parse", "text"),
    [(parse_screen_bool, "Peut-être"), (parse_screen_int, "beaucoup"), (parse_screen_date, "hier")],
)
def test_a_value_that_fits_no_format_is_quoted_in_words_of_no_portal_language(parse, text: str):
    with pytest.raises(ValueError) as raised:
        parse(text)

    message = str(raised.value)
    assert repr(text) in message
    for word in ("Ja", "Nee", "Oui", "Non", "onbekend", "inconnu"):
        assert word not in message.replace(repr(text), "")
