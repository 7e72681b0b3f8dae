"""Verification compares every value the bot wrote with what the form holds, read back the same
way; the end-to-end proof against the mock is `tests/e2e/test_proof.py`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from bot.domain.fields import FIELDS, written
from bot.domain.models import PlanManagerDossier, SecondCircuitData
from bot.errors import VerificationError
from bot.steps.verify import verify_link

DATA = SecondCircuitData(
    assignment_number="IX-2026-004711",
    vin="WVWZZZ1KZ8W123456",
    first_registration=dt.date(2019, 3, 14),
    mileage_km=51290,
    power_kw=85,
    displacement_cc=1498,
    co2=118,
    engine_type="benzine",
    burglary=True,
)
# The form as SecondCircuitPage.read gives it after a good save of DATA.
SHOWN: dict[str, Any] = {
    "assignment_number": "IX-2026-004711",
    "vin": "WVWZZZ1KZ8W123456",
    "first_registration": "14/03/2019",
    "previous_damage": False,
    "burglary": True,
    "mileage_km": "51290",
    "mileage_unknown": False,
    "power_kw": "85",
    "displacement_cc": "1498",
    "co2": "118",
    "engine_type": "benzine",
    "particle_filter": False,
}


class FakeForm:
    """The 2e circuit form showing `shown` (typed text, as the page object reads it)."""

    screen = "Winformex Gegevens 2e circuit"

    def __init__(self, shown: dict[str, Any], *, stored: bool = True) -> None:
        self.shown = shown
        self.stored = stored  # the page is a fresh read of what Winformex stored
        self.opened: list[str] = []

    def shows_stored(self, informex_dossier: str) -> bool:
        return self.stored

    def open(self, informex_dossier: str) -> None:
        self.opened.append(informex_dossier)

    def values(self) -> dict[str, Any]:
        return {name: FIELDS[name].read_back(text) for name, text in self.shown.items()}


def verify(
    shown: dict[str, Any], *, linked_before: bool = False, data: Any = DATA, stored: bool = True
) -> FakeForm:
    form = FakeForm(shown, stored=stored)
    screens: Any = SimpleNamespace(wx_second_circuit=form, wx_dossier=None)
    dossier = PlanManagerDossier(number="PM-2026-0101", photos=2)
    verify_link(screens, "WX-2026-000001", data, dossier, 2, linked_before=linked_before)
    return form


def test_the_page_after_the_save_is_read_where_it_stands() -> None:
    assert verify(SHOWN, stored=True).opened == []


def test_a_form_that_is_not_a_fresh_read_is_opened_again_first() -> None:
    assert verify(SHOWN, stored=False).opened == ["WX-2026-000001"]


def test_a_form_holding_what_was_written_verifies() -> None:
    verify(SHOWN)


def test_the_form_may_show_values_as_a_person_writes_them() -> None:
    verify({**SHOWN, "vin": "wvwzzz1kz8w123456 ", "mileage_km": "51.290", "co2": " 118"})


def test_a_truncated_and_dropped_value_are_named_with_what_was_written_and_read() -> None:
    with pytest.raises(VerificationError) as caught:
        verify({**SHOWN, "mileage_km": "512", "power_kw": "", "co2": ""})

    message = str(caught.value)
    assert "mileage_km: wrote 51290, read 512" in message
    assert "power_kw: wrote 85, read nothing" in message
    assert "co2: wrote 118, read nothing" in message
    assert "vin" not in message
    assert "not reported linked" in message
    assert caught.value.screen == "Winformex Gegevens 2e circuit"


@pytest.mark.parametrize(
    ("field", "shown", "expected"),
    [
        ("assignment_number", "IX-2026-004712", "assignment_number: wrote IX-2026-004711"),
        ("vin", "WVWZZZ1KZ8W12345", "vin: wrote WVWZZZ1KZ8W123456, read WVWZZZ1KZ8W12345"),
        ("first_registration", "14/03/2018", "wrote 14/03/2019, read 14/03/2018"),
        ("first_registration", "//", "wrote 14/03/2019, read nothing"),
        ("burglary", False, "burglary: wrote yes, read no"),
        ("engine_type", "diesel", "engine_type: wrote benzine, read diesel"),
        ("displacement_cc", "1.5", "displacement_cc: wrote 1498, read 1.5"),
    ],
)
def test_every_written_field_is_compared(field: str, shown: object, expected: str) -> None:
    with pytest.raises(VerificationError) as caught:
        verify({**SHOWN, field: shown})
    assert expected in str(caught.value)


def test_a_field_the_bot_left_alone_is_not_compared() -> None:
    unknown = dataclasses.replace(DATA, mileage_km=None, mileage_unknown=True, engine_type=None)
    assert "mileage_km" not in written(unknown) and "engine_type" not in written(unknown)

    verify({**SHOWN, "mileage_km": "", "mileage_unknown": True, "engine_type": "LPG"}, data=unknown)


def test_a_link_made_before_the_run_is_judged_on_its_opdrachtnummer_only() -> None:
    older = {**SHOWN, "vin": "", "mileage_km": "12", "power_kw": ""}
    verify(older, linked_before=True)

    with pytest.raises(VerificationError) as caught:
        verify({**older, "assignment_number": "IX-2026-000001"}, linked_before=True)
    assert "assignment_number: wrote IX-2026-004711, read IX-2026-000001" in str(caught.value)
    assert "vin" not in str(caught.value)


# --- reading a form back as the values were written ------------------------------------------


@pytest.mark.parametrize(
    ("field", "shown", "value"),
    [
        ("assignment_number", " ix-2026-004711 ", "IX-2026-004711"),
        ("assignment_number", "", None),
        ("vin", "WVW-ZZZ 1KZ8W123456", "WVWZZZ1KZ8W123456"),
        ("first_registration", "14/03/2019", dt.date(2019, 3, 14)),
        ("first_registration", "//", None),
        ("first_registration", "31/02/2019", "31/02/2019"),
        ("mileage_km", "84.512", 84512),
        ("mileage_km", "", None),
        ("mileage_km", "8x", "8x"),
        ("burglary", True, True),
        ("burglary", False, False),
        ("engine_type", "", None),
        ("engine_type", "LPG", "LPG"),
    ],
)
def test_a_shown_value_reads_back_typed_as_written(field: str, shown: object, value: object):
    assert FIELDS[field].read_back(shown) == value


def test_what_is_written_reads_back_as_itself() -> None:
    for name, value in written(DATA).items():
        assert FIELDS[name].read_back(SHOWN[name]) == value, name
