"""The floor: the same clicks and fills as the bot, hand-written, with nothing else.

No page objects, no screenshots, no checks, no retries, no logging: what linking one dossier
costs when only the portals' own time counts. The benchmark compares the bot against this.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page


def log_in(context: BrowserContext, url: str, username: str, password: str) -> None:
    page = context.new_page()
    page.goto(url + "login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda u: "/login" not in u)
    page.close()


def link_one(page: Page, pm: str, wx: str, dossier: str, vin: str, assignment: str) -> str:
    """The seed's procedure for one dossier; returns the Informex dossier number."""
    page.goto(pm + "dossiers")
    page.get_by_label("Zoek op dossiernummer of nummerplaat").fill(dossier)
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=dossier, exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    page.goto(wx)
    page.get_by_label("Zoek opdracht").fill(vin)
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_load_state("domcontentloaded")
    page.goto(pm + f"dossiers/{dossier}")
    page.get_by_role("button", name="Injecteer in Informex").click()
    page.get_by_role("dialog").get_by_role("button", name="Bevestigen").click()
    number = page.get_by_label("Informex dossier", exact=True).filter(
        has_text=re.compile(r"WX-\d+-\d+")
    )
    number.wait_for(timeout=120_000)
    informex = number.inner_text().strip()
    page.goto(wx + f"dossiers/{informex}")
    page.get_by_role("button", name="Gegevens 2e circuit").click()
    page.get_by_label("Opdrachtnummer van de expertise 2e circuit").fill(assignment)
    page.get_by_label("Chassis (VIN)").fill(vin)
    group = page.get_by_role("group", name="Datum van eerste ingebruikname")
    group.get_by_label("Dag").fill("14")
    group.get_by_label("Maand").fill("03")
    group.get_by_label("Jaar").fill("2019")
    page.get_by_label("Voorgaande schade").set_checked(False)
    page.get_by_label("Inbraak").set_checked(False)
    page.get_by_label("onbekend", exact=True).set_checked(False)
    page.get_by_label("Kilometerstand", exact=True).fill("84512")
    page.get_by_label("Vermogen", exact=True).fill("85")
    page.get_by_label("Cilinderinhoud", exact=True).fill("1498")
    page.get_by_label("CO2", exact=True).fill("118")
    page.get_by_label("Motortype", exact=True).select_option("benzine")
    page.get_by_label("Partikelfilter", exact=True).set_checked(False)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("status").filter(has_text="opgeslagen").wait_for()
    return informex


def new_logged_in_context(
    browser: Browser, pm: str, wx: str, credentials: dict[str, str]
) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    log_in(context, pm, credentials["pm_user"], credentials["pm_password"])
    log_in(context, wx, credentials["wx_user"], credentials["wx_password"])
    return context
