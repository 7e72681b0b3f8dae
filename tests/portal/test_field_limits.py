"""The portal's field limits are the ones the bot declares: each text box's `maxlength` is the
declared limit, and a save with one character more is refused with a Dutch message naming it.

The bot's page objects give the labels, the domain gives the limits (`FieldSpec.max_length`,
`new_dossier.MAX_LENGTHS`), so a limit changed on one side only fails here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.domain.fields import FIELDS, SECOND_CIRCUIT, Kind
from bot.domain.new_dossier import MAX_LENGTHS
from bot.domain.validation import format_date
from bot.pages.formats import date_parts
from bot.pages.planmanager import dossier_form
from bot.pages.winformex import second_circuit
from tests.portal.helpers import Client, Html, good_form

CIRCUIT_FORM = "/winformex/dossiers/WX-2026-000017/2e-circuit"
NEW_DOSSIER = "/planmanager/dossiers/nieuw"
A_DATE = dt.date(2019, 3, 14)


def maxlengths(page: Html) -> dict[str, int]:
    """Every input of the page that has a maxlength, by its id."""
    return {
        node.attrs["id"]: int(node.attrs["maxlength"])
        for node in page.root.find_all("input")
        if "maxlength" in node.attrs
    }


def new_dossier_limits() -> dict[str, int]:
    """NewDossierData attribute -> the limit the bot holds its value to."""
    declared = {
        name: FIELDS[name].max_length
        for name in dossier_form.LABELS
        if name in FIELDS and FIELDS[name].max_length is not None
    }
    return {**MAX_LENGTHS, **declared}  # type: ignore[dict-item]


def test_the_2e_circuit_form_takes_exactly_the_declared_lengths(wx: Client) -> None:
    page = Html(wx.get(CIRCUIT_FORM).text)
    expected: dict[str, int] = {}
    for spec in SECOND_CIRCUIT:
        if spec.kind is Kind.DATE:  # Dag, Maand, Jaar: the parts a date is written in
            for box, part in zip(second_circuit.DATE_BOXES, date_parts(A_DATE), strict=True):
                expected[page.the(box).attrs["id"]] = len(part)
        elif spec.max_length is not None:
            expected[page.the(second_circuit.LABELS[spec.name]).attrs["id"]] = spec.max_length
    assert maxlengths(page) == expected


def test_the_new_dossier_form_takes_exactly_the_declared_lengths(pm: Client) -> None:
    page = Html(pm.get(NEW_DOSSIER).text)
    expected = {
        page.the(dossier_form.LABELS[name]).attrs["id"]: limit
        for name, limit in new_dossier_limits().items()
    }
    for name in ("first_registration", "damage_date"):  # typed as dd/mm/yyyy
        expected[page.the(dossier_form.LABELS[name]).attrs["id"]] = len(format_date(A_DATE))
    assert maxlengths(page) == expected


CIRCUIT = {
    "assignment_number": "IX-2026-004711",
    "vin": "WVWZZZ1KZ8W123456",
    "first_registration_day": "14",
    "first_registration_month": "03",
    "first_registration_year": "2019",
    "mileage_km": "84512",
    "power_kw": "85",
    "displacement_cc": "1498",
    "co2": "118",
}


@pytest.mark.parametrize(
    ("field", "label", "message"),
    [
        ("mileage_km", "Kilometerstand", "Kilometerstand: te lang, hoogstens 7 tekens."),
        ("power_kw", "Vermogen", "Vermogen: te lang, hoogstens 4 tekens."),
        ("displacement_cc", "Cilinderinhoud", "Cilinderinhoud: te lang, hoogstens 5 tekens."),
        ("co2", "CO2", "CO2: te lang, hoogstens 4 tekens."),
    ],
)
def test_a_2e_circuit_value_one_longer_than_its_box_is_refused(
    wx: Client, field: str, label: str, message: str
) -> None:
    limit = FIELDS[field].max_length
    assert limit is not None
    before = wx.get("/_mock/state").json()

    response = wx.post_form(CIRCUIT_FORM, {**CIRCUIT, field: "1" * (limit + 1)})

    assert response.status_code == 200
    page = Html(response.text)
    assert message in page.alert()
    assert page.field(label)["aria-invalid"] == "true"
    assert wx.get("/_mock/state").json() == before


def test_an_unknown_mileage_is_not_held_to_the_mileage_box(wx: Client) -> None:
    response = wx.post_form(
        CIRCUIT_FORM, {**CIRCUIT, "mileage_km": "1" * 8, "mileage_unknown": "1"}
    )
    assert response.status_code == 303


# The dossier form's own text fields: (form field, NewDossierData attribute, label).
OWN_TEXT = [
    ("customer_name", "customer", "Klant"),
    ("customer_phone", "phone", "Telefoon"),
    ("plate", "plate", "Nummerplaat"),
    ("make", "make", "Merk"),
    ("model", "model", "Model"),
    ("insurer", "insurer", "Verzekeraar"),
    ("claim_number", "claim_number", "Schadenummer"),
]


@pytest.mark.parametrize(("field", "attribute", "label"), OWN_TEXT)
def test_a_new_dossier_value_one_longer_than_its_box_is_refused(
    pm: Client, field: str, attribute: str, label: str
) -> None:
    limit = MAX_LENGTHS[attribute]
    before = pm.get("/_mock/state").json()

    response = pm.post_form("/planmanager/dossiers", good_form(**{field: "A" * (limit + 1)}))

    assert response.status_code == 200
    page = Html(response.text)
    assert f"{label}: te lang, hoogstens {limit} tekens." in page.alert()
    assert page.field(label)["aria-invalid"] == "true"
    assert pm.get("/_mock/state").json() == before


def test_a_new_dossier_value_at_its_limit_is_stored(pm: Client) -> None:
    values: dict[str, Any] = {field: "A" * MAX_LENGTHS[attr] for field, attr, _ in OWN_TEXT}
    response = pm.post_form("/planmanager/dossiers", good_form(**values))
    assert response.status_code == 303
