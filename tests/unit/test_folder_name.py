"""A dossier's evidence folder: readable for ordinary numbers, never shared by two dossiers."""

from __future__ import annotations

import pytest

from bot.evidence.files import dossier_folder as folder_name


@pytest.mark.parametrize("number", ["PM-2026-0101", "PM-2026-0101_x", "pm.2026.7", "A-1"])
def test_an_ordinary_number_is_its_own_folder_name(number: str) -> None:
    assert folder_name(number) == number


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("PM-2026-0101/x", "PM-2026-0101_x"),
        ("PM-2026-0101 x", "PM-2026-0101/x"),
        ("../PM-1", "PM-1"),
        ("x" * 100, "x" * 101),
        ("_login", "login"),
    ],
)
def test_numbers_that_clean_to_one_name_get_folders_of_their_own(one: str, other: str) -> None:
    assert folder_name(one) != folder_name(other)


@pytest.mark.parametrize("number", ["PM-2026-0101/x", "../../etc/passwd", "a b\\c", "", "_login"])
def test_a_cleaned_number_stays_readable_and_safe(number: str) -> None:
    name = folder_name(number)

    assert "/" not in name and "\\" not in name and not name.startswith((".", "_"))
    assert name == folder_name(number)  # the same dossier always finds its folder again
    assert len(name) <= 90


def test_the_run_folders_own_evidence_never_meets_a_dossiers() -> None:
    assert folder_name("_login") not in ("_login", "_logout")
    assert folder_name("_logout") not in ("_login", "_logout")


@pytest.mark.parametrize(
    "number", ["report.html", "results.json", "junit.xml", "bot.log.jsonl", "ledger.sqlite-wal"]
)
def test_a_number_named_like_a_file_of_the_run_never_takes_its_place(number: str) -> None:
    assert folder_name(number) != number
    assert folder_name(number).startswith(number)  # still found by eye
