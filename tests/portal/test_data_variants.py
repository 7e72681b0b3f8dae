"""Real shops' data in Winformex: old cars' chassis numbers and claim numbers written many ways.

Pre-1981 cars carry chassis numbers shorter than 17 characters (3 to 17 letters and digits under
Belgian rules): the 2e circuit save takes one, while a 17-character value must still be a VIN.
Insurers and shops write claim numbers with dots, slashes, dashes or spaces; the inbox search
ignores them and case, as Winformex's own search does.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mock_portal.process import MockPortalProcess
from mock_portal.winformex import valid_chassis
from tests import seeds
from tests.portal.conftest import AppFactory
from tests.portal.helpers import Client, Html

FORM = "/winformex/dossiers/WX-2026-000017/2e-circuit"


def save_chassis(wx: Client, chassis: str) -> Any:
    return wx.post_form(FORM, {"assignment_number": "IX-2026-004711", "vin": chassis})


def stored_chassis(wx: Client) -> str | None:
    [dossier] = [
        d
        for d in wx.get("/_mock/state").json()["winformex"]["dossiers"]
        if d["number"] == "WX-2026-000017"
    ]
    return dossier["second_circuit"]["vin"]


# -- legacy chassis numbers -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("114000123", "114000123"),  # a 1970s Mercedes-style chassis number
        ("vf7xyz", "VF7XYZ"),  # lower case is stored upper case, like a VIN
        ("ABC", "ABC"),  # three characters: the shortest allowed
        ("1HGCM82633A00435", "1HGCM82633A00435"),  # sixteen
        ("WVWZZZ1KZ8W123456", "WVWZZZ1KZ8W123456"),  # a VIN still is
    ],
)
def test_a_legacy_chassis_number_is_saved(wx: Client, typed: str, stored: str) -> None:
    response = save_chassis(wx, typed)
    assert response.status_code == 303, Html(response.text).alert()
    assert stored_chassis(wx) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "AB",  # too short
        "12-345",  # a separator
        "ABC 123",  # a space
        "ÉCLAIR123",  # not A-Z
        "WVWZZZ1KZ8W12345O",  # 17 characters are a VIN: O is not allowed
        "IVWZZZ1KZ8W123456",  # nor I
        "WVWZZZ1KZ8W1234567",  # eighteen
    ],
)
def test_a_bad_chassis_number_is_refused_and_nothing_is_written(wx: Client, typed: str) -> None:
    before = stored_chassis(wx)
    response = save_chassis(wx, typed)
    assert response.status_code == 200
    assert "Ongeldig chassisnummer (VIN)" in Html(response.text).alert()
    assert stored_chassis(wx) == before


def test_the_chassis_rule() -> None:
    assert valid_chassis("ABC") and valid_chassis("WVWZZZ1KZ8W123456")
    assert not valid_chassis("AB") and not valid_chassis("WVWZZZ1KZ8W12345Q")


def test_a_legacy_chassis_is_saved_in_a_browser(page: Page, portal: MockPortalProcess) -> None:
    portal.reset(seeds.already_injected())
    page.goto(f"{portal.winformex_url}login")
    page.get_by_label("Gebruikersnaam").fill(seeds.WX_USER["username"])
    page.get_by_label("Wachtwoord").fill(seeds.WX_USER["password"])
    page.get_by_role("button", name="Aanmelden").click()
    page.goto(f"{portal.winformex_url}dossiers/WX-2026-000017/2e-circuit")
    page.get_by_label("Chassis (VIN)").fill("114000123")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Gegevens 2e circuit opgeslagen.")
    [wx] = portal.state()["winformex"]["dossiers"]
    assert wx["second_circuit"]["vin"] == "114000123"


# -- claim numbers in the inbox search --------------------------------------------------------
@pytest.mark.parametrize(
    "query", ["31.447.902", "31447902", "31/447/902", "31-447-902", "31 447 902", " 31.447902 "]
)
@pytest.mark.parametrize("stored", ["31447902", "31.447.902", "31/447-902"])
def test_the_inbox_search_ignores_separators_in_claim_numbers(
    make_app: AppFactory, seed_doc: dict[str, Any], stored: str, query: str
) -> None:
    seed_doc["winformex"]["assignments"][1]["claim_number"] = stored
    wx = Client(make_app(seed=seed_doc))
    assert wx.login("winformex").status_code == 303
    rows = wx.page(f"/winformex/?q={query}").table("Verzekeringsopdrachten")
    assert [row["Opdrachtnummer"] for row in rows] == ["IX-2026-004712"]
    assert rows[0]["Schadenummer"] == stored  # shown as the insurer wrote it


def test_the_inbox_search_ignores_case_and_slashes(
    make_app: AppFactory, seed_doc: dict[str, Any]
) -> None:
    seed_doc["winformex"]["assignments"][1]["claim_number"] = "ETH/2026/55817"
    wx = Client(make_app(seed=seed_doc))
    assert wx.login("winformex").status_code == 303
    for query in ("eth 2026 55817", "ETH-2026-55817", "eth202655817", "Eth.2026/55817"):
        rows = wx.page(f"/winformex/?q={query}").table("Verzekeringsopdrachten")
        assert [row["Opdrachtnummer"] for row in rows] == ["IX-2026-004712"], query


def test_a_different_claim_number_still_finds_nothing(wx: Client) -> None:
    page = wx.page("/winformex/?q=31.447.903")
    assert page.table("Verzekeringsopdrachten") == []
