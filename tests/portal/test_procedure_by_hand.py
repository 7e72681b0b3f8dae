"""A person does the how-to's procedure by hand in a real browser against the mock portal.

No bot code: this is pytest-playwright clicking as staff do, proving the mock supports the whole
procedure (PlanManager "i" → Winformex dossier → Gegevens 2e circuit → save) on its own.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from mock_portal.process import MockPortalProcess
from tests import seeds


def log_in(page: Page, url: str, user: dict[str, str]) -> None:
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill(user["username"])
    page.get_by_label("Wachtwoord").fill(user["password"])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()


def test_staff_can_link_a_dossier_by_hand(page: Page, portal: MockPortalProcess):
    log_in(page, portal.planmanager_url, seeds.PM_USER)
    page.get_by_label("Zoek op dossiernummer of nummerplaat").fill("1-ABC-234")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="PM-2026-0101").click()
    expect(page.get_by_role("heading", name="Dossier PM-2026-0101")).to_be_visible()

    page.get_by_role("button", name="Injecteer in Informex").click()
    dialog = page.get_by_role("dialog", name="Injecteren in Informex")
    expect(dialog).to_contain_text("Wilt u dit dossier naar Informex sturen?")
    dialog.get_by_role("button", name="Bevestigen").click()
    informex = page.get_by_label("Informex dossier", exact=True)
    expect(informex).to_have_text(re.compile(r"WX-\d{4}-\d{6}"), timeout=15_000)
    number = informex.inner_text().strip()

    log_in(page, portal.winformex_url, seeds.WX_USER)
    page.get_by_label("Zoek opdracht").fill("1ABC234")
    page.get_by_role("button", name="Zoeken").click()
    assignments = page.get_by_role("table", name="Verzekeringsopdrachten")
    expect(assignments).to_contain_text("IX-2026-004711")
    page.get_by_role("table", name="Geïmporteerde dossiers").get_by_role(
        "link", name=number
    ).click()
    expect(page.get_by_role("navigation", name="Dossiernavigatie")).to_contain_text(
        "Schadelijder & leaser"
    )
    page.get_by_role("button", name="Gegevens 2e circuit").click()

    page.get_by_label("Opdrachtnummer van de expertise 2e circuit").fill("IX-2026-004711")
    page.get_by_label("Chassis (VIN)").fill(seeds.VEHICLE["vin"])
    first_use = page.get_by_role("group", name="Datum van eerste ingebruikname")
    first_use.get_by_label("Dag").fill("14")
    first_use.get_by_label("Maand").fill("03")
    first_use.get_by_label("Jaar").fill("2019")
    page.get_by_label("onbekend", exact=True).check()
    page.get_by_label("Vermogen").fill("85")
    page.get_by_label("Cilinderinhoud").fill("1498")
    page.get_by_label("CO2").fill("118")
    page.get_by_label("Motortype").select_option("benzine")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Gegevens 2e circuit opgeslagen.")

    state = portal.state()
    [pm] = state["planmanager"]["dossiers"]
    [wx] = state["winformex"]["dossiers"]
    assert pm["injections"] == 1
    assert wx["number"] == number
    assert wx["second_circuit"]["assignment_number"] == "IX-2026-004711"
    assert wx["second_circuit"]["mileage_unknown"] is True
    assert wx["photos"] == 2
    [assignment] = state["winformex"]["assignments"]
    assert assignment["linked_dossier"] == number


def test_portal_refuses_an_unknown_opdrachtnummer_on_the_form(
    page: Page, portal: MockPortalProcess
):
    portal.reset(
        seeds.world(
            dossiers=[seeds.dossier(informex_dossier="WX-2026-000017", injections=1)],
            winformex_dossiers=[
                {"number": "WX-2026-000017", "planmanager_dossier": "PM-2026-0101", "photos": 2}
            ],
        )
    )
    log_in(page, portal.winformex_url, seeds.WX_USER)
    page.goto(f"{portal.winformex_url}dossiers/WX-2026-000017/2e-circuit")

    page.get_by_label("Opdrachtnummer van de expertise 2e circuit").fill("IX-2026-999999")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.get_by_role("alert")).to_contain_text("Onbekend opdrachtnummer")
    [wx] = portal.state()["winformex"]["dossiers"]
    assert not wx["second_circuit"]["assignment_number"]
