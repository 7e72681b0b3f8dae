"""The declaration of the 2e circuit's fields is the one list: everything else follows it.

A field added to `bot.domain.fields` must reach the records, the validation, the batch columns
and every screen's label mapping; these tests fail until it does (or until a screen says why it
has no label of its own for it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from bot.domain import batch_input
from bot.domain.fields import (
    ASSIGNMENT_NUMBER,
    DIGITS,
    FIELD_NAMES,
    FIELDS,
    LETTERS_DIGITS,
    PLANMANAGER_FIELDS,
    SECOND_CIRCUIT,
    UNKNOWN_FLAGS,
    FieldSpec,
    Kind,
    fill_order,
    left_empty,
)
from bot.domain.models import (
    REQUIRED_FOR_INJECTION,
    PlanManagerDossier,
    SecondCircuitData,
    check_override_keys,
)
from bot.domain.new_dossier import NewDossierData
from bot.domain.validation import ValidationRules
from bot.errors import ValidationError
from bot.pages.planmanager import dossier as planmanager_dossier
from bot.pages.planmanager import dossier_form
from bot.pages.winformex import second_circuit

RULES = ValidationRules(today=dt.date(2026, 3, 1))
PLANMANAGER_NAMES = {spec.name for spec in PLANMANAGER_FIELDS}


def names(record: type) -> list[str]:
    return [f.name for f in dataclasses.fields(record)]


def test_field_names_are_unique_and_in_the_forms_order() -> None:
    assert len(set(FIELD_NAMES)) == len(FIELD_NAMES)
    assert FIELD_NAMES[:3] == (ASSIGNMENT_NUMBER, "vin", "first_registration")


def test_second_circuit_data_holds_exactly_the_declared_fields_in_order() -> None:
    assert names(SecondCircuitData) == list(FIELD_NAMES)


def test_planmanager_records_hold_every_field_planmanager_keeps() -> None:
    assert set(FIELD_NAMES) - {ASSIGNMENT_NUMBER} == PLANMANAGER_NAMES
    assert set(names(PlanManagerDossier)) >= PLANMANAGER_NAMES
    assert set(names(NewDossierData)) >= PLANMANAGER_NAMES


def test_required_fields_have_no_default_and_flags_default_to_no() -> None:
    fields = {f.name: f for f in dataclasses.fields(SecondCircuitData)}
    for spec in SECOND_CIRCUIT:
        default = fields[spec.name].default
        if spec.required:
            assert default is dataclasses.MISSING, spec.name
        else:
            assert default is (False if spec.kind is Kind.FLAG else None), spec.name


def test_every_declared_field_is_an_accepted_override_key() -> None:
    assert check_override_keys(dict.fromkeys(FIELD_NAMES, "x")) == dict.fromkeys(FIELD_NAMES, "x")


def test_an_undeclared_override_key_is_refused_listing_the_declared_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        check_override_keys({"colour": "rood"})
    assert ", ".join(FIELD_NAMES) in caught.value.reason


def test_every_declared_field_has_batch_columns_and_no_column_feeds_two_fields() -> None:
    columns = [column for spec in SECOND_CIRCUIT for column in spec.columns]
    assert all(spec.columns for spec in SECOND_CIRCUIT)
    assert len(columns) == len(set(columns))
    assert not set(columns) & set(batch_input.DOSSIER_COLUMNS)
    for column in columns:  # already in the form a header is compared in
        assert batch_input.normalize_column_name(column) == column


def test_the_batch_reads_each_declared_field_from_its_columns() -> None:
    aliases = batch_input.COLUMN_ALIASES
    assert aliases["assignment"] == FIELDS[ASSIGNMENT_NUMBER].columns
    assert set(batch_input.OVERRIDE_FIELDS) == set(FIELD_NAMES) - {ASSIGNMENT_NUMBER}
    for name in batch_input.OVERRIDE_FIELDS:
        assert aliases[name] == FIELDS[name].columns
    assert {FIELDS[n].kind for n in batch_input.NUMERIC_FIELDS} == {Kind.NUMBER}


def test_a_new_dossier_document_holds_each_field_planmanager_keeps() -> None:
    for spec in PLANMANAGER_FIELDS:
        if spec.name in UNKNOWN_FLAGS:  # an unknown mileage is written as null
            assert spec.document is None
        else:
            assert spec.document is not None and spec.document.endswith(spec.name), spec.name


@pytest.mark.parametrize("spec", SECOND_CIRCUIT, ids=lambda spec: spec.name)
def test_every_rule_names_its_field_and_quotes_the_value(spec: FieldSpec) -> None:
    with pytest.raises(ValidationError) as caught:
        spec.validate("?bad?", RULES, field=f"where.{spec.name}")
    assert caught.value.field == f"where.{spec.name}"
    assert "?bad?" in str(caught.value)


def test_an_unknown_flag_comes_just_before_its_field_when_filling() -> None:
    order = fill_order(FIELD_NAMES)
    assert sorted(order) == sorted(FIELD_NAMES)
    for flag, field in UNKNOWN_FLAGS.items():
        assert order.index(flag) == order.index(field) - 1


def test_an_unknown_value_is_left_empty() -> None:
    known = SecondCircuitData(
        assignment_number="IX-2026-004711",
        vin="WVWZZZ1JZXW000001",
        first_registration=dt.date(2019, 3, 14),
        mileage_km=84512,
    )
    unknown = dataclasses.replace(known, mileage_km=None, mileage_unknown=True)
    assert not left_empty("mileage_km", known)
    assert left_empty("mileage_km", unknown)
    assert not left_empty("vin", unknown)


# --- the screens' label mappings cover exactly the declared fields ---------------------------


def test_the_2e_circuit_form_labels_every_declared_field_in_the_forms_order() -> None:
    assert tuple(second_circuit.LABELS) == FIELD_NAMES


def test_the_planmanager_dossier_page_labels_every_field_it_shows() -> None:
    shown = PLANMANAGER_NAMES - set(UNKNOWN_FLAGS)  # an unknown mileage reads `onbekend`
    assert set(planmanager_dossier.LABELS) & set(FIELD_NAMES) == shown
    assert set(planmanager_dossier.LABELS) <= set(names(PlanManagerDossier))


def test_the_planmanager_form_labels_every_attribute_of_a_new_dossier() -> None:
    assert set(dossier_form.LABELS) & set(FIELD_NAMES) == PLANMANAGER_NAMES
    assert set(dossier_form.LABELS) == set(names(NewDossierData))


def test_injection_labels_come_from_the_dossier_page() -> None:
    assert set(REQUIRED_FOR_INJECTION) <= set(planmanager_dossier.LABELS)


# --- the limits of each field's input: declared here, judged before anything is written ------


def _text_field(**limits: object) -> FieldSpec:
    """A text field whose rule keeps the value as typed, so only its declared limits judge it."""
    return FieldSpec("code", Kind.TEXT, lambda raw, judging: str(raw), columns=(), **limits)  # type: ignore[arg-type]


def test_a_declared_range_fits_the_declared_length_of_its_field() -> None:
    for spec in SECOND_CIRCUIT:
        if spec.value_range is not None:
            low, high = spec.value_range
            assert spec.kind is Kind.NUMBER and 0 <= low < high, spec.name
            assert spec.max_length is not None and len(str(high)) <= spec.max_length, spec.name
            assert spec.chars is not None and spec.chars.allows(str(high)), spec.name


@pytest.mark.parametrize(
    "spec", [s for s in SECOND_CIRCUIT if s.value_range], ids=lambda spec: spec.name
)
def test_each_end_of_a_declared_range_is_taken_and_beyond_it_is_refused(spec: FieldSpec) -> None:
    low, high = spec.value_range or (0, 0)
    assert spec.validate(str(low), RULES) == low
    assert spec.validate(str(high), RULES) == high
    with pytest.raises(ValidationError) as caught:
        spec.validate(str(high + 1), RULES)
    assert caught.value.field == spec.name and str(high + 1) in str(caught.value)


def test_a_range_is_judged_on_the_number_however_it_was_written() -> None:
    with pytest.raises(ValidationError) as caught:
        FIELDS["power_kw"].validate("1.501 kW", RULES)
    assert str(caught.value) == "power_kw: is outside 1..1500 (value '1.501 kW')"


def test_too_long_and_too_short_are_refused_naming_the_field_and_value() -> None:
    spec = _text_field(min_length=3, max_length=5)
    assert spec.validate("ABC", RULES) == "ABC"
    with pytest.raises(ValidationError, match="is 6 characters long; the portal's field takes"):
        spec.validate("ABCDEF", RULES)
    with pytest.raises(ValidationError) as caught:
        spec.validate("AB", RULES)
    assert str(caught.value) == "code: must be 3 to 5 characters long, not 2 (value 'AB')"


def test_characters_the_input_does_not_take_are_refused() -> None:
    spec = _text_field(chars=LETTERS_DIGITS)
    assert spec.validate("AB12", RULES) == "AB12"
    with pytest.raises(ValidationError, match=r"may only contain letters A–Z and digits"):
        spec.validate("AB-12", RULES)
    with pytest.raises(ValidationError, match=r"code: may only contain digits \(value '1O'\)"):
        _text_field(chars=DIGITS).validate("1O", RULES)


def test_the_chassis_takes_a_vin_or_with_the_legacy_setting_3_to_16_letters_and_digits() -> None:
    vin, legacy = FIELDS["vin"], ValidationRules(legacy_chassis=True, today=RULES.today)
    assert vin.length_limits(RULES) == (17, 17)
    assert vin.length_limits(legacy) == (3, 17)
    assert vin.chars is LETTERS_DIGITS
    assert vin.validate("ch-4711", legacy) == "CH4711"
    assert vin.validate("OLDI4711Q", legacy) == "OLDI4711Q"
    refused = [
        ("CH4711", RULES),
        ("AB", legacy),
        ("WVWZZZ1JZXW0000011", legacy),
        ("WVWZZZ1JZOW000001", legacy),  # 17 characters: a VIN, or refused
    ]
    for raw, rules in refused:
        with pytest.raises(ValidationError) as caught:
            vin.validate(raw, rules)
        assert caught.value.field == "vin" and raw in str(caught.value)


def test_an_opdrachtnummer_longer_than_its_box_is_refused_whatever_the_pattern() -> None:
    loose = ValidationRules(assignment_pattern=re.compile(r"IX-\d+"), today=RULES.today)
    number = "IX-" + "1" * 18
    with pytest.raises(ValidationError) as caught:
        FIELDS[ASSIGNMENT_NUMBER].validate(number, loose)
    assert caught.value.field == ASSIGNMENT_NUMBER
    assert "21 characters long; the portal's field takes at most 20" in str(caught.value)


# --- a Walloon or Brussels shop's list names its columns in French ---------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("N° dossier", "dossier"),
        ("Numéro de mission", "assignment"),
        ("Numéro de châssis", "vin"),
        ("Châssis", "vin"),
        ("Date de première mise en circulation", "first_registration"),
        ("Dégâts antérieurs", "previous_damage"),
        ("Vol", "burglary"),
        ("Kilométrage", "mileage_km"),
        ("Kilométrage inconnu", "mileage_unknown"),
        ("Puissance (kW)", "power_kw"),
        ("Cylindrée (cm³)", "displacement_cc"),
        ("Émissions CO2", "co2"),
        ("Type de moteur", "engine_type"),
        ("Carburant", "engine_type"),
        ("Filtre à particules", "particle_filter"),
    ],
)
def test_french_column_names_feed_their_fields(header: str, field: str) -> None:
    normalised = batch_input.normalize_column_name(header)
    assert normalised in batch_input.COLUMN_ALIASES[field], (header, normalised)


def test_a_french_csv_is_read_into_jobs_with_its_values_as_written(tmp_path: Path) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(
        "N° dossier;Numéro de mission;Kilométrage;Filtre à particules;Remarque\n"
        "PM-2026-0101;IX-2026-004711;84\u202f512 km;Oui;=à rappeler\n",
        encoding="utf-8",
    )
    read = batch_input.read_batch_input(source, RULES)
    assert read.rejected == []
    [job] = read.jobs
    assert (job.dossier, job.assignment) == ("PM-2026-0101", "IX-2026-004711")
    assert job.overrides == {"mileage_km": "84\u202f512 km", "particle_filter": "Oui"}
    dossier = PlanManagerDossier(number="PM-2026-0101", vin="WVWZZZ1JZXW000001")
    data = SecondCircuitData.build(
        dataclasses.replace(dossier, first_registration=dt.date(2019, 3, 14)),
        job.assignment or "",
        job.overrides,
        RULES,
    )
    assert (data.mileage_km, data.particle_filter) == (84512, True)
