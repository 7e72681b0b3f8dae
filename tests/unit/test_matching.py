"""Finding the one insurance assignment that belongs to a dossier: VIN, plate, claim number."""

from __future__ import annotations

import pytest

from bot.domain.matching import (
    match_assignment,
    normalize_claim,
    same_insurer,
)
from bot.domain.models import Assignment, PlanManagerDossier
from bot.errors import AmbiguousAssignmentError, AssignmentNotFoundError, BusinessError

VIN = "WVWZZZ1JZXW000001"
OTHER_VIN = "WBA8E9C50GK123456"


def dossier(
    vin: str | None = VIN,
    plate: str | None = "1AES624",
    claim: str | None = "AG/2026/12345",
    informex: str | None = None,
    insurer: str | None = "AG Insurance",
) -> PlanManagerDossier:
    return PlanManagerDossier(
        number="PM-2026-0101",
        vin=vin,
        plate=plate,
        claim_number=claim,
        informex_dossier=informex,
        insurer=insurer,
    )


def assignment(
    number: str,
    vin: str | None = None,
    plate: str | None = None,
    claim: str | None = None,
    linked: str | None = None,
    insurer: str | None = "AG Insurance",
) -> Assignment:
    return Assignment(
        number=number,
        insurer=insurer,
        claim_number=claim,
        plate=plate,
        vin=vin,
        linked_dossier=linked,
    )


@pytest.mark.smoke
def test_vin_match_wins_over_a_plate_match() -> None:
    by_plate = assignment("IX-2026-000001", plate="1-AES-624")
    by_vin = assignment("IX-2026-000002", vin=VIN, plate="2-XYZ-999")
    assert match_assignment(dossier(), [by_plate, by_vin]) is by_vin


def test_vin_is_compared_normalised() -> None:
    found = assignment("IX-2026-000001", vin="wvw zzz-1jz.xw000001")
    assert match_assignment(dossier(), [found]) is found


@pytest.mark.parametrize("plate", ["1-AES-624", "1 aes 624", "1AES624", "1.AES.624"])
def test_plate_is_compared_without_dashes_spaces_or_case(plate: str) -> None:
    found = assignment("IX-2026-000001", plate=plate)
    assert match_assignment(dossier(plate="1AES624"), [found]) is found


def test_claim_number_is_compared_stripped_upper_and_without_spaces() -> None:
    found = assignment("IX-2026-000001", claim=" ag/2026/ 12345 ")
    assert match_assignment(dossier(), [found]) is found


def test_plate_match_wins_over_a_claim_number_match_of_another_insurer() -> None:
    by_claim = assignment("IX-2026-000001", claim="AG/2026/12345", insurer="Ethias")
    by_plate = assignment("IX-2026-000002", plate="1-AES-624")
    assert match_assignment(dossier(), [by_claim, by_plate]) is by_plate


def test_the_dossiers_claim_number_names_the_damage_over_a_plate_match_without_it() -> None:
    by_claim = assignment("IX-2026-000001", claim="AG/2026/12345")
    by_plate = assignment("IX-2026-000002", plate="1-AES-624")
    assert match_assignment(dossier(), [by_claim, by_plate]) is by_claim


def test_a_single_vin_match_decides_even_when_plates_would_be_ambiguous() -> None:
    candidates = [
        assignment("IX-2026-000001", plate="1AES624"),
        assignment("IX-2026-000002", plate="1AES624"),
        assignment("IX-2026-000003", vin=VIN),
    ]
    assert match_assignment(dossier(), candidates).number == "IX-2026-000003"


@pytest.mark.parametrize(
    "other_car",
    [
        assignment("IX-2026-000001", vin=OTHER_VIN, plate="1-AES-624"),
        assignment("IX-2026-000001", vin=OTHER_VIN, claim="AG/2026/12345"),
    ],
)
def test_assignment_with_another_vin_is_never_matched_by_plate_or_claim(
    other_car: Assignment,
) -> None:
    with pytest.raises(AssignmentNotFoundError):
        match_assignment(dossier(), [other_car])


def test_dossier_without_vin_matches_by_plate_even_if_the_assignment_has_one() -> None:
    found = assignment("IX-2026-000001", vin=OTHER_VIN, plate="1-AES-624")
    assert match_assignment(dossier(vin=None), [found]) is found


def test_plate_match_without_vin_on_the_assignment_is_accepted() -> None:
    found = assignment("IX-2026-000001", vin=None, plate="1-AES-624")
    other_car = assignment("IX-2026-000002", vin=OTHER_VIN, plate="1-AES-624")
    assert match_assignment(dossier(), [other_car, found]) is found


def test_several_vin_matches_are_ambiguous_and_named() -> None:
    candidates = [
        assignment("IX-2026-000001", vin=VIN),
        assignment("IX-2026-000002", vin=VIN),
        assignment("IX-2026-000003", plate="1AES624"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), candidates)
    assert caught.value.candidates == ["IX-2026-000001", "IX-2026-000002"]
    message = str(caught.value)
    assert "IX-2026-000001" in message
    assert "IX-2026-000002" in message
    assert f"VIN {VIN}" in message


def test_several_plate_matches_are_ambiguous_and_name_the_plate() -> None:
    candidates = [
        assignment("IX-2026-000001", plate="1-AES-624"),
        assignment("IX-2026-000002", plate="1AES624"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(vin=None), candidates)
    assert caught.value.candidates == ["IX-2026-000001", "IX-2026-000002"]
    assert "plate 1AES624" in str(caught.value)


def test_ambiguity_is_a_business_error() -> None:
    candidates = [assignment("IX-1", vin=VIN), assignment("IX-2", vin=VIN)]
    with pytest.raises(BusinessError) as caught:
        match_assignment(dossier(), candidates)
    assert caught.value.retryable is False


def test_the_same_assignment_listed_twice_is_not_ambiguous() -> None:
    first = assignment("IX-2026-000001", vin=VIN)
    again = assignment("ix-2026-000001 ", vin=VIN)
    assert match_assignment(dossier(), [first, again]) is first


def test_assignment_linked_to_another_dossier_is_excluded_and_named() -> None:
    taken = assignment("IX-2026-000001", vin=VIN, linked="WX-2026-000009")
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(informex="WX-2026-000001"), [taken])
    message = str(caught.value)
    assert "IX-2026-000001" in message
    assert "WX-2026-000009" in message
    assert "already linked" in message


def test_assignment_linked_to_this_dossier_still_matches() -> None:
    mine = assignment("IX-2026-000001", vin=VIN, linked="WX-2026-000001")
    assert match_assignment(dossier(informex="wx-2026-000001"), [mine]) is mine


def test_linked_elsewhere_leaves_the_free_one_unambiguous() -> None:
    taken = assignment("IX-2026-000001", vin=VIN, linked="WX-2026-000009")
    free = assignment("IX-2026-000002", vin=VIN)
    assert match_assignment(dossier(), [taken, free]) is free


def test_not_found_names_what_was_searched() -> None:
    stranger = assignment("IX-2026-000001", vin=OTHER_VIN, plate="9ZZZ999", claim="X")
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(plate="1-aes-624"), [stranger])
    message = str(caught.value)
    assert f"VIN {VIN}" in message
    assert "plate 1AES624" in message
    assert "claim number AG/2026/12345" in message
    assert "searched 1 assignment)" in message
    assert "already linked" not in message


def test_not_found_with_an_empty_inbox() -> None:
    with pytest.raises(AssignmentNotFoundError, match="searched 0 assignments"):
        match_assignment(dossier(), [])


def test_dossier_without_any_key_cannot_be_matched() -> None:
    candidate = assignment("IX-2026-000001", plate="1AES624")
    with pytest.raises(AssignmentNotFoundError, match="no VIN, plate or claim number"):
        match_assignment(dossier(vin=None, plate="", claim=" "), [candidate])


def test_empty_keys_never_match_each_other() -> None:
    blank = assignment("IX-2026-000001", vin="", plate="", claim="")
    with pytest.raises(AssignmentNotFoundError):
        match_assignment(dossier(vin=None, plate=None, claim="AG/1"), [blank])


def test_candidates_may_be_any_iterable() -> None:
    found = assignment("IX-2026-000001", vin=VIN)
    assert match_assignment(dossier(), iter([found])) is found


# --- claim numbers as insurers and shops write them ------------------------------------------

DOTTED_FORMS = ["31.447.902", "31447902", "31 447 902", "31-447-902", "31/447/902", "31_447_902"]
SLASHED_FORMS = [
    "ETH/2026/55817",
    "eth-2026-55817",
    "ETH 2026 55817",
    "Eth.2026.55817",
    "ETH202655817",
]


@pytest.mark.parametrize("ours", DOTTED_FORMS)
@pytest.mark.parametrize("theirs", DOTTED_FORMS)
def test_a_numeric_claim_number_matches_in_every_form_on_either_side(
    ours: str, theirs: str
) -> None:
    found = assignment("IX-2026-000001", plate="2XYZ999", claim=theirs)
    assert match_assignment(dossier(vin=None, claim=ours), [found]) is found


@pytest.mark.parametrize("ours", SLASHED_FORMS)
@pytest.mark.parametrize("theirs", SLASHED_FORMS)
def test_a_lettered_claim_number_matches_in_every_form_on_either_side(
    ours: str, theirs: str
) -> None:
    found = assignment("IX-2026-000001", vin=None, plate=None, claim=theirs)
    assert match_assignment(dossier(claim=ours), [found]) is found


def test_claim_numbers_are_normalised_without_separators_and_case() -> None:
    assert normalize_claim(" eth/2026-55.817_x ") == "ETH202655817X"
    assert normalize_claim(None) == ""


def test_another_claim_number_written_alike_is_still_another() -> None:
    other = assignment("IX-2026-000001", vin=None, plate=None, claim="31.447.903")
    with pytest.raises(AssignmentNotFoundError):
        match_assignment(dossier(vin=None, plate=None, claim="31.447.902"), [other])


def test_the_not_found_message_shows_the_claim_number_as_the_dossier_writes_it() -> None:
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(vin=None, plate=None, claim=" 31.447.902 "), [])
    assert "No insurance assignment matches claim number 31.447.902 (searched" in str(caught.value)


# --- several assignments for one car ---------------------------------------------------------


def test_of_several_assignments_for_the_car_the_one_with_the_dossiers_claim_is_taken() -> None:
    older = assignment("IX-2026-000001", vin=VIN, claim="AG/2025/00042")
    ours = assignment("IX-2026-000002", vin=VIN, claim="ag 2026 12345")
    unknown = assignment("IX-2026-000003", vin=VIN, claim=None)
    assert match_assignment(dossier(), [older, ours, unknown]) is ours


def test_of_several_plate_matches_the_claim_number_decides_too() -> None:
    other = assignment("IX-2026-000001", plate="1-AES-624", claim="AG/2025/00042")
    ours = assignment("IX-2026-000002", plate="1AES624", claim="AG.2026.12345")
    assert match_assignment(dossier(vin=None), [other, ours]) is ours


def test_an_assignment_of_another_insurer_is_not_taken_for_its_claim_number() -> None:
    theirs = assignment("IX-2026-000001", vin=VIN, claim="AG/2026/12345", insurer="AXA Belgium")
    ours = assignment("IX-2026-000002", vin=VIN, claim="AG/2026/12345", insurer="AG insurance")
    assert match_assignment(dossier(), [theirs, ours]) is ours


def test_the_insurer_decides_between_two_with_the_claim_number_when_only_one_names_it() -> None:
    named = assignment("IX-2026-000001", vin=VIN, claim="AG/2026/12345", insurer="AG")
    unnamed = assignment("IX-2026-000002", vin=VIN, claim="AG/2026/12345", insurer=None)
    assert match_assignment(dossier(), [unnamed, named]) is named


def test_the_insurer_is_not_judged_when_either_side_does_not_name_it() -> None:
    ours = assignment("IX-2026-000001", vin=VIN, claim="AG/2026/12345", insurer="Ethias")
    other = assignment("IX-2026-000002", vin=VIN, claim="AG/2026/00001", insurer="Ethias")
    assert match_assignment(dossier(insurer=None), [other, ours]) is ours


def test_the_assignment_already_linked_to_this_dossier_is_taken_on_a_rerun() -> None:
    mine = assignment("IX-2026-000001", vin=VIN, claim="AG/2026/00001", linked="WX-2026-000001")
    free = assignment("IX-2026-000002", vin=VIN, claim="AG/2026/00002")
    assert match_assignment(dossier(informex="WX-2026-000001"), [free, mine]) is mine


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        ("AG Insurance", "ag insurance", True),
        ("AXA", "AXA Belgium", True),
        ("P&V", "P&V Verzekeringen", True),
        ("Ethias", "AG Insurance", False),
        ("Allianz Benelux", "Allianz Belgium", False),
        (None, "Ethias", None),
        ("Ethias", "  ", None),
    ],
)
def test_insurers_compare_by_their_leading_words(
    one: str | None, other: str | None, expected: bool | None
) -> None:
    assert same_insurer(one, other) is expected


def test_when_no_claim_number_decides_between_assignments_for_the_car_they_stay_ambiguous() -> None:
    candidates = [
        assignment("IX-2026-000001", vin=VIN, claim="AG/2025/00042"),
        assignment("IX-2026-000002", vin=VIN, claim=None),
        assignment("IX-2026-000003", vin=VIN, claim="AG/2026/12345", insurer="Ethias"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), candidates)
    assert caught.value.candidates == ["IX-2026-000001", "IX-2026-000002", "IX-2026-000003"]


def test_two_assignments_with_the_dossiers_claim_and_insurer_stay_ambiguous() -> None:
    twice = [
        assignment("IX-2026-000001", vin=VIN, claim="AG/2026/12345"),
        assignment("IX-2026-000002", vin=VIN, claim="AG-2026-12345"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), twice)
    assert caught.value.candidates == ["IX-2026-000001", "IX-2026-000002"]


def test_a_vin_match_of_another_claim_gives_way_to_the_assignment_with_the_dossiers_claim() -> None:
    last_year = assignment("IX-2026-000001", vin=VIN, claim="AG/2025/00042")
    this_damage = assignment("IX-2026-000002", plate="1-AES-624", claim="AG 2026 12345")
    assert match_assignment(dossier(), [last_year, this_damage]) is this_damage


def test_two_with_the_dossiers_claim_are_ambiguous_rather_than_the_vin_match_of_another() -> None:
    candidates = [
        assignment("IX-2026-000001", vin=VIN, claim="AG/2025/00042"),
        assignment("IX-2026-000002", plate="1AES624", claim="AG/2026/12345"),
        assignment("IX-2026-000003", plate="1-AES-624", claim="AG.2026.12345"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), candidates)
    assert caught.value.candidates == ["IX-2026-000002", "IX-2026-000003"]
    assert str(caught.value).startswith(
        "2 insurance assignments match claim number AG/2026/12345: IX-2026-000002, IX-2026-000003;"
    )


def test_an_assignment_with_another_vin_is_not_taken_for_its_claim_number() -> None:
    other_car = assignment("IX-2026-000001", vin=OTHER_VIN, claim="AG/2026/12345")
    ours = assignment("IX-2026-000002", vin=VIN, claim="AG/2025/00042")
    assert match_assignment(dossier(), [other_car, ours]) is ours
