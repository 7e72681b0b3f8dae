"""The records the bot reads, writes and reports: what they require and how they serialise."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from bot.domain.models import (
    RESULT_KEYS,
    DossierInput,
    DossierResult,
    DossierStatus,
    PlanManagerDossier,
    SecondCircuitData,
)
from bot.domain.validation import AssignmentNumber, ValidationRules
from bot.errors import ValidationError
from bot.pages.planmanager.dossier import LABELS as PLANMANAGER_LABELS

TODAY = dt.date(2026, 3, 1)
RULES = ValidationRules(today=TODAY)
ASSIGNMENT = "IX-2026-004711"


def complete_dossier(**changes: object) -> PlanManagerDossier:
    dossier = PlanManagerDossier(
        number="PM-2026-0101",
        customer="Françoise Van den Brœck",
        plate="1AES624",
        vin="WVWZZZ1JZXW000001",
        make="Volkswagen",
        model="Golf",
        first_registration=dt.date(2019, 3, 14),
        mileage_km=84512,
        mileage_unknown=False,
        power_kw=110,
        displacement_cc=1968,
        co2=128,
        engine_type="diesel",
        particle_filter=True,
        insurer="AG Insurance",
        claim_number="AG/2026/12345",
        damage_date=dt.date(2026, 2, 20),
        previous_damage=False,
        burglary=False,
        photos=4,
        labels=PLANMANAGER_LABELS,  # as the dossier page gives them
    )
    return dataclasses.replace(dossier, **changes)


# --- PlanManagerDossier ----------------------------------------------------------------------


def test_complete_dossier_misses_nothing_for_injection() -> None:
    assert complete_dossier().missing_for_injection() == []


@pytest.mark.parametrize(
    ("attribute", "label"),
    [
        ("customer", "Klant"),
        ("plate", "Nummerplaat"),
        ("vin", "Chassisnummer (VIN)"),
        ("make", "Merk"),
        ("model", "Model"),
        ("first_registration", "Eerste inschrijving"),
        ("insurer", "Verzekeraar"),
        ("claim_number", "Schadenummer"),
        ("damage_date", "Schadedatum"),
    ],
)
def test_missing_required_field_is_named_by_its_dutch_label(attribute: str, label: str) -> None:
    assert complete_dossier(**{attribute: None}).missing_for_injection() == [label]


def test_blank_text_counts_as_missing_and_labels_keep_the_page_order() -> None:
    dossier = complete_dossier(damage_date=None, vin="  ", customer="")
    assert dossier.missing_for_injection() == ["Klant", "Chassisnummer (VIN)", "Schadedatum"]


def test_without_a_screen_the_missing_fields_are_named_by_attribute() -> None:
    dossier = complete_dossier(plate=None, labels={})
    assert dossier.missing_fields() == ["plate"]
    assert dossier.missing_for_injection() == ["plate"]


def test_the_labels_do_not_make_two_dossiers_differ() -> None:
    assert complete_dossier() == complete_dossier(labels={})


def test_optional_specs_are_not_required_for_injection() -> None:
    dossier = complete_dossier(
        mileage_km=None, power_kw=None, displacement_cc=None, co2=None, engine_type=None
    )
    assert dossier.missing_for_injection() == []


# --- SecondCircuitData -----------------------------------------------------------------------


def test_second_circuit_data_is_taken_from_the_dossier() -> None:
    data = SecondCircuitData.build(complete_dossier(), ASSIGNMENT, None, RULES)
    assert data == SecondCircuitData(
        assignment_number=ASSIGNMENT,
        vin="WVWZZZ1JZXW000001",
        first_registration=dt.date(2019, 3, 14),
        previous_damage=False,
        burglary=False,
        mileage_km=84512,
        mileage_unknown=False,
        power_kw=110,
        displacement_cc=1968,
        co2=128,
        engine_type="diesel",
        particle_filter=True,
    )


def test_overrides_from_a_csv_row_win_over_the_dossier() -> None:
    overrides = {
        "vin": "wvw zzz 1jz xw 000002",
        "first_registration": "4/5/2018",
        "previous_damage": "ja",
        "burglary": "x",
        "mileage_km": "91.000 km",
        "power_kw": "85",
        "displacement_cc": "1.598",
        "co2": "0",
        "engine_type": "petrol",
        "particle_filter": "nee",
    }
    data = SecondCircuitData.build(complete_dossier(), " ix-2026-004711 ", overrides, RULES)
    assert data.assignment_number == ASSIGNMENT
    assert data.vin == "WVWZZZ1JZXW000002"
    assert data.first_registration == dt.date(2018, 5, 4)
    assert (data.previous_damage, data.burglary, data.particle_filter) == (True, True, False)
    assert (data.mileage_km, data.mileage_unknown) == (91000, False)
    assert (data.power_kw, data.displacement_cc, data.co2) == (85, 1598, 0)
    assert data.engine_type == "benzine"


def test_empty_override_cells_keep_the_dossier_values() -> None:
    overrides = {"vin": "", "mileage_km": "  ", "engine_type": ""}
    data = SecondCircuitData.build(complete_dossier(), ASSIGNMENT, overrides, RULES)
    assert (data.vin, data.mileage_km, data.engine_type) == ("WVWZZZ1JZXW000001", 84512, "diesel")


def test_mileage_override_onbekend_marks_the_mileage_unknown() -> None:
    data = SecondCircuitData.build(
        complete_dossier(), ASSIGNMENT, {"mileage_km": "onbekend"}, RULES
    )
    assert (data.mileage_km, data.mileage_unknown) == (None, True)


def test_mileage_unknown_override_drops_the_dossier_mileage() -> None:
    data = SecondCircuitData.build(complete_dossier(), ASSIGNMENT, {"mileage_unknown": "ja"}, RULES)
    assert (data.mileage_km, data.mileage_unknown) == (None, True)


def test_mileage_override_replaces_an_unknown_mileage() -> None:
    dossier = complete_dossier(mileage_km=None, mileage_unknown=True)
    data = SecondCircuitData.build(dossier, ASSIGNMENT, {"mileage_km": "12 000"}, RULES)
    assert (data.mileage_km, data.mileage_unknown) == (12000, False)


def test_dossier_with_unknown_mileage_keeps_it_unknown() -> None:
    dossier = complete_dossier(mileage_km=None, mileage_unknown=True)
    data = SecondCircuitData.build(dossier, ASSIGNMENT, None, RULES)
    assert (data.mileage_km, data.mileage_unknown) == (None, True)


def test_dossier_without_particle_filter_info_writes_no_filter() -> None:
    data = SecondCircuitData.build(complete_dossier(particle_filter=None), ASSIGNMENT, {}, RULES)
    assert data.particle_filter is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vin", "WVWZZZ1JZOW000001"),
        ("first_registration", "31/02/2019"),
        ("first_registration", "14/03/2030"),
        ("previous_damage", "misschien"),
        ("burglary", "soms"),
        ("mileage_km", "-10"),
        ("mileage_km", "veel"),
        ("mileage_unknown", "wellicht"),
        ("power_kw", "0"),
        ("displacement_cc", "20000"),
        ("co2", "abc"),
        ("engine_type", "stoom"),
        ("particle_filter", "2"),
        ("assignment_number", "IX-1"),
    ],
)
def test_bad_override_is_refused_naming_the_field_and_value(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SecondCircuitData.build(complete_dossier(), ASSIGNMENT, {field: value}, RULES)
    assert caught.value.field == field
    assert value in str(caught.value)


def test_unknown_override_key_is_refused_naming_the_key() -> None:
    with pytest.raises(ValidationError) as caught:
        SecondCircuitData.build(complete_dossier(), ASSIGNMENT, {"kilometerstand": "1"}, RULES)
    assert caught.value.field == "kilometerstand"
    assert "not a 2e circuit field" in caught.value.reason
    assert "mileage_km" in caught.value.reason


def test_an_assignment_number_validated_before_is_not_judged_again() -> None:
    strict = ValidationRules(assignment_pattern=re.compile(r"NEVER"), today=TODAY)
    checked = AssignmentNumber(ASSIGNMENT)  # as DossierInput.create leaves it
    data = SecondCircuitData.build(complete_dossier(), checked, None, strict)
    assert data.assignment_number == ASSIGNMENT


def test_override_keys_checked_by_the_input_are_not_checked_again() -> None:
    job = DossierInput.create("PM-2026-0101", ASSIGNMENT, {"vin": "", "co2": "99"}, RULES)
    assert job.overrides == {"co2": "99"}  # blank cells mean "not given"
    data = SecondCircuitData.build(complete_dossier(), job.assignment or "", job.overrides, RULES)
    assert data.co2 == 99
    assert data.vin == "WVWZZZ1JZXW000001"


def test_bad_assignment_number_is_refused_before_anything_is_filled() -> None:
    with pytest.raises(ValidationError) as caught:
        SecondCircuitData.build(complete_dossier(), "IX-2026-47", None, RULES)
    assert caught.value.field == "assignment_number"
    assert "IX-2026-47" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vin": None}, "vin"),
        ({"vin": "WVWZZZ1JZXW00001"}, "vin"),
        ({"first_registration": None}, "first_registration"),
        ({"first_registration": dt.date(2027, 1, 1)}, "first_registration"),
        ({"mileage_km": None, "mileage_unknown": False}, "mileage_km"),
        ({"mileage_km": 2_500_000}, "mileage_km"),
        ({"power_kw": 4000}, "power_kw"),
        ({"engine_type": "steam"}, "engine_type"),
    ],
)
def test_bad_dossier_data_is_refused_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        SecondCircuitData.build(complete_dossier(**changes), ASSIGNMENT, None, RULES)
    assert caught.value.field == field


def test_first_error_is_the_topmost_field_of_the_form() -> None:
    overrides = {"co2": "-1", "vin": "bad"}
    with pytest.raises(ValidationError) as caught:
        SecondCircuitData.build(complete_dossier(), ASSIGNMENT, overrides, RULES)
    assert caught.value.field == "vin"


def test_legacy_chassis_rule_reaches_the_vin() -> None:
    legacy = ValidationRules(legacy_chassis=True, today=TODAY)
    data = SecondCircuitData.build(complete_dossier(vin="AB1234"), ASSIGNMENT, None, legacy)
    assert data.vin == "AB1234"


def test_second_circuit_data_serialises_to_json_with_an_iso_date() -> None:
    data = SecondCircuitData.build(
        complete_dossier(), ASSIGNMENT, {"mileage_km": "onbekend"}, RULES
    )
    values = data.to_dict()
    assert values["first_registration"] == "2019-03-14"
    assert values["mileage_km"] is None
    assert values["mileage_unknown"] is True
    assert list(values) == [f.name for f in dataclasses.fields(SecondCircuitData)]
    assert json.loads(json.dumps(values)) == values


# --- DossierInput ----------------------------------------------------------------------------


def test_dossier_input_is_validated_and_normalised() -> None:
    request = DossierInput.create(
        " PM-2026-0101 ", " ix-2026-004711 ", {"mileage_km": "onbekend"}, RULES, line=7
    )
    assert request == DossierInput(
        dossier="PM-2026-0101",
        assignment=ASSIGNMENT,
        overrides={"mileage_km": "onbekend"},
        line=7,
    )


@pytest.mark.parametrize("assignment", [None, "", "   "])
def test_dossier_input_without_assignment_leaves_it_to_matching(assignment: str | None) -> None:
    request = DossierInput.create("PM-2026-0101", assignment)
    assert request.assignment is None
    assert request.overrides == {}


@pytest.mark.parametrize("dossier", ["", "PM 2026", "../x", "P" * 41, "PM\x07"])
def test_dossier_input_with_bad_dossier_number_is_refused(dossier: str) -> None:
    with pytest.raises(ValidationError) as caught:
        DossierInput.create(dossier, ASSIGNMENT, rules=RULES)
    assert caught.value.field == "dossier"


def test_dossier_input_with_bad_assignment_names_field_value_and_dossier() -> None:
    with pytest.raises(ValidationError) as caught:
        DossierInput.create("PM-2026-0101", "IX-2026-12", rules=RULES)
    assert caught.value.field == "assignment_number"
    assert caught.value.dossier == "PM-2026-0101"
    assert "IX-2026-12" in str(caught.value)
    assert "dossier PM-2026-0101" in str(caught.value)


def test_dossier_input_applies_the_configured_pattern() -> None:
    rules = ValidationRules(assignment_pattern=re.compile(r"AB\d{4}"))
    assert DossierInput.create("PM-1", "ab1234", None, rules).assignment == "AB1234"
    with pytest.raises(ValidationError):
        DossierInput.create("PM-1", ASSIGNMENT, None, rules)


def test_dossier_input_with_unknown_override_key_is_refused_early() -> None:
    with pytest.raises(ValidationError) as caught:
        DossierInput.create("PM-2026-0101", None, {"chassis": "WVWZZZ1JZXW000001"})
    assert caught.value.field == "chassis"


# --- DossierResult ---------------------------------------------------------------------------


def test_result_dict_starts_with_the_documented_keys_in_order() -> None:
    result = DossierResult(
        dossier="PM-2026-0101",
        assignment=ASSIGNMENT,
        status=DossierStatus.LINKED,
        informex_dossier="WX-2026-000001",
        attempts=1,
        duration_s=12.3456,
        screenshots=["PM-2026-0101/001-open-navigate.png"],
        trace=None,
        step="verify",
    )
    values = result.to_dict()
    assert tuple(values)[: len(RESULT_KEYS)] == RESULT_KEYS
    assert RESULT_KEYS == (
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
    assert values["status"] == "linked"
    assert type(values["status"]) is str
    assert values["duration_s"] == 12.35
    assert values["step"] == "verify"
    assert values["values"] is None


def test_result_dict_is_json_and_reads_back() -> None:
    result = DossierResult(
        dossier="PM-2026-0102",
        assignment=None,
        status=DossierStatus.BUSINESS_ERROR,
        attempts=1,
        duration_s=0.004,
        error="vin: contains I, O or Q (value 'X')",
        values={"vin": "X"},
    )
    text = json.dumps(result.to_dict())
    assert '"status": "business_error"' in text
    again = DossierResult.from_dict(json.loads(text))
    assert again.status is DossierStatus.BUSINESS_ERROR
    assert again.duration_s == 0.0
    assert dataclasses.replace(again, duration_s=0.004) == result


def test_result_screenshots_list_is_copied_not_shared() -> None:
    result = DossierResult(dossier="PM-1", assignment=None, status=DossierStatus.DRY_RUN)
    result.to_dict()["screenshots"].append("x.png")
    assert result.screenshots == []


@pytest.mark.parametrize(
    ("status", "value", "succeeded"),
    [
        (DossierStatus.LINKED, "linked", True),
        (DossierStatus.ALREADY_LINKED, "already_linked", True),
        (DossierStatus.DRY_RUN, "dry_run", True),
        (DossierStatus.BUSINESS_ERROR, "business_error", False),
        (DossierStatus.SYSTEM_ERROR, "system_error", False),
    ],
)
def test_status_values_and_success(status: DossierStatus, value: str, succeeded: bool) -> None:
    assert status.value == value
    assert DossierStatus(value) is status
    assert status == value
    assert status.succeeded is succeeded
