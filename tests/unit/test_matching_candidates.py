"""The message of a no-match or an ambiguity names every candidate seen, one line each, with why
it was not taken: a person reads the conflict instead of searching the inbox again."""

from __future__ import annotations

import pytest

from bot.domain.matching import CANDIDATE_LINES_MAX, match_assignment
from bot.errors import AmbiguousAssignmentError, AssignmentNotFoundError
from tests.unit.test_matching import OTHER_VIN, VIN, assignment, dossier


def lines_of(error: Exception) -> list[str]:
    """The candidates' lines under a message (each starts with `- `)."""
    return [line for line in str(error).splitlines() if line.startswith("- ")]


def test_no_match_names_the_candidate_with_another_vin_and_what_matched() -> None:
    other_car = assignment(
        "IX-2026-000001", vin=OTHER_VIN, plate="1-AES-624", claim="AG/2026/12345"
    )
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(), [other_car])
    assert str(caught.value).startswith(f"No insurance assignment matches VIN {VIN}, ")
    assert lines_of(caught.value) == [
        f"- IX-2026-000001 (AG Insurance): other VIN {OTHER_VIN}; same plate; same claim number"
    ]


def test_no_match_names_each_candidate_seen_on_a_line_of_its_own() -> None:
    seen = [
        assignment("IX-2026-000001", vin=OTHER_VIN, plate="1AES624"),
        assignment("IX-2026-000002", vin=VIN, linked="WX-2026-000009", insurer="Ethias"),
        assignment("IX-2026-000003", plate="9ZZZ999", claim="AG/2026/99999", insurer=None),
        assignment("IX-2026-000004", insurer="Baloise"),
    ]
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(informex="WX-2026-000001"), seen)
    message = str(caught.value)
    assert "(searched 4 assignments)" in message
    assert "already linked to another dossier: IX-2026-000002 (linked to WX-2026-000009)" in message
    assert lines_of(caught.value) == [
        f"- IX-2026-000001 (AG Insurance): other VIN {OTHER_VIN}; same plate",
        "- IX-2026-000002 (Ethias): linked to another Informex dossier WX-2026-000009; same VIN",
        "- IX-2026-000003: other plate 9ZZZ999; other claim number AG/2026/99999",
        "- IX-2026-000004 (Baloise): no VIN; no plate; no claim number",
    ]


def test_no_match_of_many_candidates_lists_the_first_and_counts_the_rest() -> None:
    seen = [assignment(f"IX-2026-{i:06d}", vin=OTHER_VIN) for i in range(1, 21)]
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(), seen)
    lines = lines_of(caught.value)
    assert len(lines) == CANDIDATE_LINES_MAX + 1
    assert lines[-1] == f"- and {20 - CANDIDATE_LINES_MAX} more"


def test_no_match_without_candidates_has_no_lines() -> None:
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(), [])
    assert "\n" not in str(caught.value)


# --- an ambiguity names each, with what matches and what kept it from being the one ------


def test_when_the_claim_number_does_not_decide_the_ambiguity_names_each_with_why() -> None:
    candidates = [
        assignment("IX-2026-000001", vin=VIN, claim="AG/2025/00042"),
        assignment("IX-2026-000002", vin=VIN, claim=None, insurer="Ethias"),
        assignment("IX-2026-000003", vin=OTHER_VIN, plate="1AES624"),
        assignment("IX-2026-000004", vin=VIN, linked="WX-2026-000009"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), candidates)
    assert caught.value.candidates == ["IX-2026-000001", "IX-2026-000002"]
    assert str(caught.value).startswith(
        f"2 insurance assignments match VIN {VIN}: IX-2026-000001, IX-2026-000002; "
        "give the right opdrachtnummer explicitly\n"
    )
    assert lines_of(caught.value) == [
        "- IX-2026-000001 (AG Insurance): same VIN; other claim number AG/2025/00042",
        "- IX-2026-000002 (Ethias): same VIN; no claim number; other insurer Ethias",
        f"- IX-2026-000003 (AG Insurance): other VIN {OTHER_VIN}; same plate",
        "- IX-2026-000004 (AG Insurance): linked to another Informex dossier WX-2026-000009; "
        "same VIN",
    ]


def test_two_assignments_with_the_dossiers_claim_are_each_named_with_what_matches() -> None:
    twice = [
        assignment("IX-2026-000001", vin=VIN, claim="AG/2026/12345"),
        assignment("IX-2026-000002", vin=VIN, claim="AG-2026-12345"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), twice)
    assert lines_of(caught.value) == [
        "- IX-2026-000001 (AG Insurance): same VIN; same claim number",
        "- IX-2026-000002 (AG Insurance): same VIN; same claim number",
    ]


def test_an_ambiguity_between_two_with_the_claim_names_the_vin_match_of_another_claim_too() -> None:
    candidates = [
        assignment("IX-2026-000001", vin=VIN, claim="AG/2025/00042"),
        assignment("IX-2026-000002", plate="1AES624", claim="AG/2026/12345"),
        assignment("IX-2026-000003", plate="1-AES-624", claim="AG.2026.12345"),
    ]
    with pytest.raises(AmbiguousAssignmentError) as caught:
        match_assignment(dossier(), candidates)
    assert lines_of(caught.value) == [
        "- IX-2026-000002 (AG Insurance): same plate; same claim number",
        "- IX-2026-000003 (AG Insurance): same plate; same claim number",
        "- IX-2026-000001 (AG Insurance): other claim number AG/2025/00042; same VIN",
    ]


def test_every_line_is_one_line_even_when_a_value_holds_a_line_break() -> None:
    odd = assignment("IX-2026-000001", vin=OTHER_VIN, insurer="AG\nInsurance")
    with pytest.raises(AssignmentNotFoundError) as caught:
        match_assignment(dossier(), [odd])
    assert len(str(caught.value).splitlines()) == 2
