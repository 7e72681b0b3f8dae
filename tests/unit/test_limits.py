"""Every value the bot writes fits the portal's field: a longer one is refused before any write.

Each limit is declared once (`FieldSpec.max_length` for a 2e circuit field, `MAX_LENGTHS` for a
new dossier's own text); `tests/portal/test_field_limits.py` holds the mock's forms to the same
numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from bot.domain.fields import ASSIGNMENT_NUMBER, SECOND_CIRCUIT
from bot.domain.models import DossierInput
from bot.domain.new_dossier import MAX_LENGTHS, NewDossierData
from bot.domain.validation import ValidationRules
from bot.errors import ValidationError
from tests import seeds

# A pattern as a setting may give it, longer than the portal's field allows.
RULES = ValidationRules(
    assignment_pattern=re.compile(r"^IX-\d{4}-\d+$"), today=dt.date(2026, 12, 1)
)

# Declared field -> (a value exactly at its limit, one a character longer).
AT_AND_OVER: dict[str, tuple[str, str]] = {
    ASSIGNMENT_NUMBER: ("IX-2026-" + "1" * 12, "IX-2026-" + "1" * 13),
    "vin": ("WVWZZZ1KZ8W123456", "WVWZZZ1KZ8W1234567"),
    "mileage_km": ("2000000", "20000000"),
    "power_kw": ("1500", "15000"),
    "displacement_cc": ("10000", "100000"),
    "co2": ("1000", "10000"),
}
LIMITED = [spec for spec in SECOND_CIRCUIT if spec.max_length is not None]


def test_every_declared_limit_has_a_case_here() -> None:
    assert {spec.name for spec in LIMITED} == set(AT_AND_OVER)


@pytest.mark.parametrize("spec", LIMITED, ids=lambda spec: spec.name)
def test_a_2e_circuit_value_at_its_limit_is_taken_and_one_longer_is_refused(spec: Any) -> None:
    at_limit, over = AT_AND_OVER[spec.name]
    assert len(at_limit) == spec.max_length

    assert spec.written_text(spec.validate(at_limit, RULES)) is not None

    with pytest.raises(ValidationError) as caught:
        spec.validate(over, RULES)
    assert caught.value.field == spec.name
    assert over in str(caught.value)


def test_an_opdrachtnummer_the_pattern_allows_but_the_field_cannot_hold_says_so() -> None:
    number = "IX-2026-" + "1" * 52  # 60 characters

    with pytest.raises(ValidationError) as caught:
        DossierInput.create("PM-2026-0101", number, rules=RULES)

    error = caught.value
    assert (error.field, error.dossier) == (ASSIGNMENT_NUMBER, "PM-2026-0101")
    assert "60 characters long" in error.reason and "at most 20" in error.reason
    assert number in str(error)


# --- a new dossier's own fields --------------------------------------------------------------

# NewDossierData attribute -> where a --create-from document holds it.
DOCUMENT_PATHS = {
    "customer": ("customer", "name"),
    "phone": ("customer", "phone"),
    "plate": ("vehicle", "plate"),
    "make": ("vehicle", "make"),
    "model": ("vehicle", "model"),
    "insurer": ("insurer",),
    "claim_number": ("claim_number",),
}


def document_with(name: str, text: str) -> tuple[str, dict[str, Any]]:
    """The dossier number and a good document, with attribute `name` set to `text`."""
    document = seeds.dossier("PM-2026-0777")
    if name == "number":
        return text, document
    *parents, key = DOCUMENT_PATHS[name]
    node = document
    for parent in parents:
        node = node[parent]
    node[key] = text
    return "PM-2026-0777", document


def test_every_limit_of_the_new_dossier_form_has_a_place_in_the_document() -> None:
    assert set(MAX_LENGTHS) == set(DOCUMENT_PATHS) | {"number"}


@pytest.mark.parametrize(("name", "limit"), MAX_LENGTHS.items())
def test_a_new_dossier_value_at_its_limit_is_taken_and_one_longer_is_refused(
    name: str, limit: int
) -> None:
    def text(length: int) -> str:
        return ("PM-" + "7" * length)[:length] if name == "number" else "K" * length

    number, document = document_with(name, text(limit))
    created = NewDossierData.from_document(number, document, RULES)
    assert getattr(created, name) == text(limit)

    number, document = document_with(name, text(limit + 1))
    with pytest.raises(ValidationError) as caught:
        NewDossierData.from_document(number, document, RULES)
    where = "number" if name == "number" else ".".join(DOCUMENT_PATHS[name])
    assert caught.value.field == where
    assert f"at most {limit}" in caught.value.reason
    assert text(limit + 1) in str(caught.value)


def test_a_60_character_claim_number_is_refused_before_any_browser() -> None:
    claim = "AG-26-" + "1" * 54
    document = seeds.dossier("PM-2026-0777", claim_number=claim)

    with pytest.raises(ValidationError) as caught:
        DossierInput.create("PM-2026-0777", new_dossier=document, rules=RULES)

    assert caught.value.field == "claim_number"
    assert claim in str(caught.value)


def test_a_new_dossiers_vehicle_values_meet_the_declared_limits_too() -> None:
    document = seeds.dossier("PM-2026-0777", vehicle={"power_kw": 15000})
    with pytest.raises(ValidationError) as caught:
        NewDossierData.from_document("PM-2026-0777", document, RULES)
    assert caught.value.field == "vehicle.power_kw"
