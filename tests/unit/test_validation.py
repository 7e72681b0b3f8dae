"""The validation rules that stand between input data and any portal write."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from bot.domain.fields import FIELDS
from bot.domain.validation import (
    AssignmentNumber,
    ValidationRules,
    format_date,
    is_unknown_word,
    normalize_plate,
    normalize_vin,
    parse_bool,
    parse_date,
    parse_engine_type,
    parse_int_in_range,
    parse_mileage,
    read_date,
    read_whole_number,
    read_yes_no,
    validate_assignment_number,
    validate_dossier_number,
    validate_vin,
)
from bot.errors import BusinessError, ValidationError

TODAY = dt.date(2026, 3, 1)
RULES = ValidationRules(today=TODAY)
LEGACY = ValidationRules(legacy_chassis=True, today=TODAY)


def assert_names(error: ValidationError, field: str, value: str) -> None:
    assert error.field == field
    assert value in str(error), f"{value!r} not in {error}"


# --- VIN -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001"),
        ("wvwzzz1jzxw000001", "WVWZZZ1JZXW000001"),
        (" WVW ZZZ 1JZ XW000001 ", "WVWZZZ1JZXW000001"),
        ("WVW-ZZZ-1JZ.XW000001", "WVWZZZ1JZXW000001"),
        ("WBA8E9C50GK123456", "WBA8E9C50GK123456"),
        ("VF1RFB00X56789012", "VF1RFB00X56789012"),
    ],
)
def test_valid_vin_is_normalised(raw: str, expected: str) -> None:
    assert validate_vin(raw, RULES) == expected


def test_vin_with_wrong_check_digit_is_accepted() -> None:
    # 1M8GDM9AXKP042788 is the textbook valid VIN; a different 9th character breaks its check
    # digit, which European makers need not honour.
    assert validate_vin("1M8GDM9A1KP042788", RULES) == "1M8GDM9A1KP042788"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("WVWZZZ1JZXWO00001", "I, O or Q"),
        ("WVWZZZ1JZXWI00001", "I, O or Q"),
        ("WVWZZZ1JZXWQ00001", "I, O or Q"),
        ("WVWZZZ1JZXW00000", "17 characters long, not 16"),
        ("WVWZZZ1JZXW0000012", "17 characters long, not 18"),
        ("WVWZZZ1JZXW00000!", "letters A–Z and digits"),
        ("WVWZZZ1JZXW0000É1", "letters A–Z and digits"),
        ("WVWZZZ_JZXW000001", "letters A–Z and digits"),
        ("AAAAAAAAAAAAAAAAA", "obviously fake"),
        ("11111111111111111", "obviously fake"),
        ("12345678901234567", "obviously fake"),
        ("01234567890123456", "obviously fake"),
        ("98765432109876543", "obviously fake"),
        ("AB123", "17 characters long, not 5"),
    ],
)
def test_bad_vin_is_refused_naming_the_field_and_value(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vin(raw, RULES)
    assert_names(caught.value, "vin", raw)
    assert reason in caught.value.reason


def test_vin_with_letter_o_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vin("WVWZZZ1JZOW000001", RULES, field="Chassis (VIN)")
    assert_names(caught.value, "Chassis (VIN)", "WVWZZZ1JZOW000001")


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_missing_vin_is_refused(raw: str | None) -> None:
    with pytest.raises(ValidationError, match="vin: is missing") as caught:
        validate_vin(raw, RULES)
    assert caught.value.field == "vin"


@pytest.mark.smoke
def test_validation_error_is_a_business_error_never_retried() -> None:
    with pytest.raises(BusinessError) as caught:
        validate_vin("X", RULES)
    assert caught.value.retryable is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AB123", "AB123"),
        ("abc", "ABC"),
        ("OLD4711Q", "OLD4711Q"),
        ("ch 1234-56", "CH123456"),
        ("OLDI4711Q0", "OLDI4711Q0"),  # shorter than a VIN: any letter
        ("WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001"),
    ],
)
def test_legacy_mode_accepts_chassis_numbers_of_3_to_17_letters_and_digits(
    raw: str, expected: str
) -> None:
    assert validate_vin(raw, LEGACY) == expected


@pytest.mark.parametrize("raw", ["OLD4711Q", "AB123"])
def test_without_legacy_mode_only_a_17_character_vin_is_accepted(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vin(raw, RULES)
    assert_names(caught.value, "vin", raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("AB", "3 to 17 characters long, not 2"),
        ("WVWZZZ1JZXW0000012", "3 to 17 characters long, not 18"),
        ("WVWZZZ1JZOW000001", "I, O or Q"),  # 17 characters must still be a VIN
        ("OLD_4711", "letters A–Z and digits"),
        ("CHÂSSIS47", "letters A–Z and digits"),
        ("123456789", "obviously fake"),
        ("ZZZZ", "obviously fake"),
    ],
)
def test_legacy_mode_still_refuses_bad_chassis_numbers(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_vin(raw, LEGACY)
    assert_names(caught.value, "vin", raw)
    assert reason in caught.value.reason


def test_oversized_value_is_cut_in_the_message() -> None:
    raw = "W" + "X" * 4999
    with pytest.raises(ValidationError) as caught:
        validate_vin(raw, RULES)
    message = str(caught.value)
    assert raw[:60] in message
    assert raw[:61] not in message
    assert "…" in message
    assert len(message) < 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1-AES-624", "1AES624"),
        ("1 aes 624", "1AES624"),
        ("1.AES.624", "1AES624"),
        ("1AES624", "1AES624"),
        ("ABC-123", "ABC123"),
        (None, ""),
    ],
)
def test_plates_compare_without_dashes_spaces_dots_or_case(raw: str | None, expected: str) -> None:
    assert normalize_plate(raw) == expected


def test_vin_normalisation_removes_separators_and_upper_cases() -> None:
    assert normalize_vin(" wvw-zzz.1jz\txw000001\n") == "WVWZZZ1JZXW000001"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14/03/2019", dt.date(2019, 3, 14)),
        ("4/3/2019", dt.date(2019, 3, 4)),
        (" 14/03/2019 ", dt.date(2019, 3, 14)),
        ("2019-03-14", dt.date(2019, 3, 14)),
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("01/01/1900", dt.date(1900, 1, 1)),
        ("01/03/2026", TODAY),
        (dt.date(2019, 3, 14), dt.date(2019, 3, 14)),
        (dt.datetime(2019, 3, 14, 10, 30), dt.date(2019, 3, 14)),
    ],
)
def test_valid_date_is_parsed(raw: str | dt.date, expected: dt.date) -> None:
    assert parse_date(raw, "first_registration", RULES) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/02/2019", "not a real calendar date"),
        ("29/02/2023", "not a real calendar date"),
        ("14/13/2019", "not a real calendar date"),
        ("00/01/2019", "not a real calendar date"),
        ("2019-02-30", "not a real calendar date"),
        ("14-03-2019", "not a date"),
        ("2019/03/14", "not a date"),
        ("14/03/19", "not a date"),
        ("14 maart 2019", "not a date"),
        ("02/03/2026", "in the future"),
        ("2030-01-01", "in the future"),
        ("31/12/1899", "before 1900"),
    ],
)
def test_bad_date_is_refused_naming_the_field_and_value(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(raw, "first_registration", RULES)
    assert_names(caught.value, "first_registration", raw)
    assert reason in caught.value.reason


def test_future_date_object_is_refused() -> None:
    with pytest.raises(ValidationError, match="in the future") as caught:
        parse_date(dt.date(2026, 3, 2), "first_registration", RULES)
    assert_names(caught.value, "first_registration", "2026-03-02")


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_missing_date_is_refused(raw: str | None) -> None:
    with pytest.raises(ValidationError, match="is missing") as caught:
        parse_date(raw, "first_registration", RULES)
    assert caught.value.field == "first_registration"


def test_without_a_pinned_today_the_real_date_is_the_limit() -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="in the future"):
        parse_date(tomorrow.isoformat(), "first_registration", ValidationRules())


# --- mileage and numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "unknown", "expected"),
    [
        ("84512", False, (84512, False)),
        ("84.512", False, (84512, False)),
        ("84 512", False, (84512, False)),
        ("84\u202f512", False, (84512, False)),
        ("84.512 km", False, (84512, False)),
        ("84512km", False, (84512, False)),
        ("1.234.567", False, (1234567, False)),
        ("0", False, (0, False)),
        ("2000000", False, (2_000_000, False)),
        (84512, False, (84512, False)),
        ("onbekend", False, (None, True)),
        ("Onbekend", True, (None, True)),
        ("unknown", False, (None, True)),
        ("", True, (None, True)),
        (None, True, (None, True)),
    ],
)
def test_mileage_is_read_as_people_write_it(
    raw: str | int | None, unknown: bool, expected: tuple[int | None, bool]
) -> None:
    assert parse_mileage(raw, unknown) == expected


@pytest.mark.parametrize(
    ("raw", "unknown", "reason"),
    [
        ("-5", False, "negative"),
        ("- 5", False, "negative"),
        ("84,5", False, "not a whole number"),
        ("84.51", False, "not a whole number"),
        ("8.4512", False, "not a whole number"),
        ("veel", False, "not a whole number"),
        ("2000001", False, "more than 2,000,000 km"),
        ("", False, "is missing"),
        ("84512", True, "also marked unknown"),
    ],
)
def test_bad_mileage_is_refused_naming_the_field_and_value(
    raw: str, unknown: bool, reason: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_mileage(raw, unknown)
    assert_names(caught.value, "mileage_km", raw)
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("power_kw", "110", 110),
        ("power_kw", "110 kW", 110),
        ("power_kw", "1", 1),
        ("power_kw", "1500", 1500),
        ("power_kw", "", None),
        ("power_kw", None, None),
        ("displacement_cc", "1.598", 1598),
        ("displacement_cc", "1598 cc", 1598),
        ("displacement_cc", "0", 0),
        ("displacement_cc", 1968, 1968),
        ("co2", "128 g/km", 128),
        ("co2", "0", 0),
        ("co2", "1000", 1000),
    ],
)
def test_specification_numbers_are_parsed(field: str, raw: str | None, expected: int) -> None:
    assert FIELDS[field].validate(raw, RULES) == expected


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        ("power_kw", "0", "outside 1..1500"),
        ("power_kw", "1501", "outside 1..1500"),
        ("power_kw", "-90", "negative"),
        ("power_kw", "90,5", "not a whole number"),
        ("power_kw", "honderd", "not a whole number"),
        ("displacement_cc", "10001", "outside 0..10000"),
        ("displacement_cc", "1.6", "not a whole number"),
        ("co2", "1001", "outside 0..1000"),
        ("co2", "-1", "negative"),
    ],
)
def test_bad_specification_number_is_refused_naming_the_field_and_value(
    field: str, raw: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        FIELDS[field].validate(raw, RULES)
    assert_names(caught.value, field, raw)
    assert reason in caught.value.reason


def test_int_range_names_the_given_field() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_int_in_range("12", "doors", 2, 5)
    assert_names(caught.value, "doors", "12")


def test_a_boolean_is_not_taken_for_a_number() -> None:
    with pytest.raises(ValidationError):
        parse_int_in_range(True, "power_kw", 0, 10)  # type: ignore[arg-type]


# --- engine type and flags -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("diesel", "diesel"),
        ("Diesel", "diesel"),
        ("benzine", "benzine"),
        ("petrol", "benzine"),
        ("Essence", "benzine"),
        ("hybride", "hybride"),
        ("hybrid", "hybride"),
        ("elektrisch", "elektrisch"),
        ("electric", "elektrisch"),
        ("Électrique", "elektrisch"),
        ("lpg", "LPG"),
        ("LPG", "LPG"),
        ("cng", "CNG"),
        (" CNG ", "CNG"),
        ("", None),
        (None, None),
    ],
)
def test_engine_type_maps_to_the_form_option(raw: str | None, expected: str | None) -> None:
    assert parse_engine_type(raw) == expected


@pytest.mark.parametrize("raw", ["kerosine", "stoom", "diesel/benzine"])
def test_unknown_engine_type_is_refused_naming_the_field_and_value(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_engine_type(raw)
    assert_names(caught.value, "engine_type", raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True),
        ("Ja", True),
        ("yes", True),
        ("TRUE", True),
        ("1", True),
        ("x", True),
        ("X", True),
        (True, True),
        ("nee", False),
        ("no", False),
        ("false", False),
        ("0", False),
        ("", False),
        (None, False),
        (False, False),
    ],
)
def test_yes_no_values_are_understood(raw: str | bool | None, expected: bool) -> None:
    assert parse_bool(raw, "burglary") is expected


@pytest.mark.parametrize("raw", ["misschien", "2", "jaa", "ok"])
def test_unclear_yes_no_value_is_refused_naming_the_field_and_value(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_bool(raw, "burglary")
    assert_names(caught.value, "burglary", raw)


# --- reading: one place per kind of value ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso", "expected"),
    [
        ("14/03/2019", True, dt.date(2019, 3, 14)),
        (" 4/3/2019 ", False, dt.date(2019, 3, 4)),
        ("2019-03-14", True, dt.date(2019, 3, 14)),
        ("2019-03-14", False, None),
        ("14.03.2019", True, None),
        ("gisteren", True, None),
    ],
)
def test_dates_are_read_day_first_and_iso_only_when_allowed(
    text: str, iso: bool, expected: dt.date | None
) -> None:
    assert read_date(text, iso=iso) == expected


def test_a_date_shaped_text_naming_no_real_day_raises() -> None:
    with pytest.raises(ValueError):
        read_date("31/02/2019")


def test_dates_are_written_day_first_with_zeros() -> None:
    assert format_date(dt.date(2019, 3, 4)) == "04/03/2019"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("84.512 km", 84512),
        ("84\u2009512", 84512),
        ("1.598 cc", 1598),
        ("128 g/km", 128),
        ("84,5", None),
        ("-3", None),
        ("veel", None),
    ],
)
def test_whole_numbers_are_read_with_thousands_and_units(text: str, expected: int | None) -> None:
    assert read_whole_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Ja", True), (" NEE ", False), ("x", True), ("", False), ("misschien", None)],
)
def test_yes_no_words_are_read(text: str, expected: bool | None) -> None:
    assert read_yes_no(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("onbekend", True), (" Unknown ", True), ("inconnu", True), ("84.512", False), (None, False)],
)
def test_unknown_is_recognised_in_each_language(text: str | None, expected: bool) -> None:
    assert is_unknown_word(text) is expected


# --- identifiers -----------------------------------------------------------------------------


def test_a_validated_assignment_number_says_so_by_its_type_and_stays_a_string() -> None:
    number = validate_assignment_number(" ix-2026-004711 ", RULES)
    assert isinstance(number, AssignmentNumber)
    assert number == "IX-2026-004711"
    assert repr(number) == "'IX-2026-004711'"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IX-2026-004711", "IX-2026-004711"),
        (" ix-2026-004711 ", "IX-2026-004711"),
    ],
)
def test_assignment_number_is_normalised(raw: str, expected: str) -> None:
    assert validate_assignment_number(raw, RULES) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "IX-2026-4711",
        "IX-2026-0047110",
        "IX-26-004711",
        "IX-2026-004711 extra",
        "xIX-2026-004711",
        "IX2026004711",
        "IX-2026-004711\n2",
    ],
)
def test_malformed_assignment_number_is_refused_naming_the_field_and_value(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_assignment_number(raw, RULES)
    assert caught.value.field == "assignment_number"
    assert repr(raw) in str(caught.value)
    assert "pattern" in caught.value.reason


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_missing_assignment_number_is_refused(raw: str | None) -> None:
    with pytest.raises(ValidationError, match="is missing"):
        validate_assignment_number(raw, RULES)


def test_assignment_pattern_is_configurable() -> None:
    rules = ValidationRules(assignment_pattern=re.compile(r"[A-Z]{2}\d{8}"))
    assert validate_assignment_number("ab12345678", rules) == "AB12345678"
    with pytest.raises(ValidationError) as caught:
        validate_assignment_number("IX-2026-004711", rules)
    assert r"[A-Z]{2}\d{8}" in str(caught.value)


def test_assignment_pattern_without_anchors_must_still_match_fully() -> None:
    rules = ValidationRules(assignment_pattern=re.compile(r"IX-\d{4}-\d{6}"))
    with pytest.raises(ValidationError):
        validate_assignment_number("IX-2026-0047119", rules)


def test_rules_are_built_from_the_settings() -> None:
    settings = SimpleNamespace(assignment_pattern=r"^AB\d+$", legacy_chassis=True)
    rules = ValidationRules.from_settings(settings)
    assert rules.legacy_chassis is True
    assert validate_assignment_number("ab42", rules) == "AB42"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PM-2026-0101", "PM-2026-0101"),
        (" PM-2026-0101 ", "PM-2026-0101"),
        ("shop_7/2026.12", "shop_7/2026.12"),
        ("X" * 40, "X" * 40),
    ],
)
def test_valid_dossier_number_is_accepted(raw: str, expected: str) -> None:
    assert validate_dossier_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("X" * 41, "longer than 40"),
        ("PM 2026 0101", "letters, digits"),
        ("PM-2026-0101;rm", "letters, digits"),
        ("PM-é", "letters, digits"),
        ("PM-2026\x000101", "control characters"),
        ("PM-\x1b[31m", "control characters"),
        ("../etc/passwd", "path segments"),
        ("PM//0101", "path segments"),
        ("/PM-0101", "path segments"),
        ("PM-0101/", "path segments"),
    ],
)
def test_bad_dossier_number_is_refused_naming_the_field(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_dossier_number(raw)
    assert caught.value.field == "dossier"
    assert repr(raw) in str(caught.value)  # control characters shown escaped
    assert reason in caught.value.reason


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_missing_dossier_number_is_refused(raw: str | None) -> None:
    with pytest.raises(ValidationError, match="is missing"):
        validate_dossier_number(raw)


# --- values written in French read like the Dutch ones ---------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Oui", True), ("NON", False), ("oui ", True), ("Ja", True), ("Nee", False)],
)
def test_yes_no_reads_french_and_dutch(raw: str, expected: bool) -> None:
    assert parse_bool(raw, "burglary") is expected
    assert FIELDS["particle_filter"].validate(raw, RULES) is expected


@pytest.mark.parametrize("raw", ["inconnu", "Inconnu", " INCONNU ", "onbekend", "Onbekend"])
def test_unknown_mileage_reads_french_and_dutch(raw: str) -> None:
    assert parse_mileage(raw, False) == (None, True)
    assert FIELDS["mileage_km"].validate(raw, RULES) is None


@pytest.mark.parametrize(
    "raw",
    [
        "84 512 km",  # a normal space
        "84\u00a0512 km",  # a no-break space, as French typography writes thousands
        "84\u202f512 km",  # a narrow no-break space
        "84\u00a0512\u00a0km",
        "84.512 km",
        "84.512",
        "84512",
    ],
)
def test_whole_numbers_read_with_every_thousands_separator(raw: str) -> None:
    assert read_whole_number(raw) == 84512
    assert parse_mileage(raw, False) == (84512, False)
    assert FIELDS["mileage_km"].validate(raw, RULES) == 84512


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("14.03.2019", dt.date(2019, 3, 14)), ("4.3.2019", dt.date(2019, 3, 4))],
)
def test_an_input_date_may_be_written_with_dots(raw: str, expected: dt.date) -> None:
    assert parse_date(raw, "first_registration", RULES) == expected
    assert FIELDS["first_registration"].validate(raw, RULES) == expected


def test_dotted_dates_are_read_only_when_asked() -> None:
    assert read_date("14.03.2019") is None  # a screen writes dd/mm/yyyy
    assert read_date("14.03.2019", dotted=True) == dt.date(2019, 3, 14)
    with pytest.raises(ValueError):
        read_date("31.02.2019", dotted=True)


@pytest.mark.parametrize(("raw", "reason"), [("14.03.19", "not a date"), ("31.02.2019", "real")])
def test_a_bad_dotted_date_is_refused_naming_the_field_and_value(raw: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(raw, "first_registration", RULES)
    assert_names(caught.value, "first_registration", raw)
    assert reason in caught.value.reason
