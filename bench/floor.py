"""The floor: what a careful hand-written Playwright script must do to link dossiers, and no more.

Written from the portals' routes (docs/mock-portal.md), not from the bot's navigation, so the
benchmark compares the bot with the cheapest honest way to do the same job:

- one browser (the Chromium and launch flags the bot itself picks: `bot.browser.finder`, the
  Playwright driver the bot starts: `bot.browser.launch.playwright_driver`), one context, one
  login per portal for the whole run, one tab per portal;
- per dossier: the PlanManager dossier opened by its address and read once (every label/value
  pair in one call), the assignment looked up by the dossier's VIN with the inbox's own search
  address (`/winformex/?q=VIN`, read once), the "i" with its confirm dialog and a wait until the
  Informex number shows, the 2e circuit form opened by its address, the same values the bot
  writes (from the PlanManager page read before), Opslaan, and a wait for the saved status;
- no screenshots, no trace, no verification reopen, no list searching, no page objects;
- only what the `realistic` profile forces on any script: close its popups (Playwright's locator
  handlers) and, when a page answers 5xx, try the dossier again from where it stopped, never
  pressing the "i" again once the dossier shows (or awaits) its Informex number.

    python -m bench.floor PLANMANAGER_URL WINFORMEX_URL DOSSIER...

with BENCH_PM_USER, BENCH_PM_PASSWORD, BENCH_WX_USER, BENCH_WX_PASSWORD in the environment.
Prints one JSON document: per dossier its Informex number, assignment, attempts and seconds.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from playwright.sync_api import Browser, Locator, Page, Response

from bot.browser.finder import find_chromium, launch_args
from bot.browser.launch import browser_environment, context_options, playwright_driver

ATTEMPTS = 3
INJECTION_TIMEOUT_MS = 120_000
ERROR_HEADING = re.compile(r"\b5\d\d\b")  # the portal's 500 page, the proxy's 502/503 pages
INFORMEX_NUMBER = re.compile(r"WX-\d+-\d+")
READ_PAIRS = """() => Object.fromEntries([...document.querySelectorAll('dd[aria-labelledby]')]
    .map(dd => [document.getElementById(dd.getAttribute('aria-labelledby')).textContent.trim(),
                dd.textContent.trim()]))"""
READ_ASSIGNMENTS = """() => {
    const table = [...document.querySelectorAll('table')]
        .find(t => t.caption && t.caption.textContent.trim() === 'Verzekeringsopdrachten');
    return table ? [...table.tBodies[0].rows].filter(r => r.cells.length > 1)
        .map(r => r.cells[0].textContent.trim()) : [];
}"""


class Hiccup(Exception):
    """A page answered 5xx: try the dossier again from where it stopped."""


@dataclass
class Linked:
    dossier: str
    informex: str
    assignment: str
    attempts: int
    duration_s: float


def _open(page: Page, url: str) -> None:
    response: Response | None = page.goto(url)
    if response is None or response.status >= 500:
        raise Hiccup(url)


def _close_popups(page: Page) -> None:
    for name, button in (("Nieuws", "Sluiten"), ("Cookies", "Alles accepteren")):
        page.add_locator_handler(
            page.get_by_role("dialog", name=name),
            lambda popup, b=button: popup.get_by_role("button", name=b).click(),
        )


def _error_heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1, name=ERROR_HEADING)


def log_in(page: Page, portal_url: str, username: str, password: str) -> None:
    page.goto(portal_url + "login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _flag(text: str) -> bool:
    return text.strip().lower() == "ja"


def _is_empty(text: str | None) -> bool:
    return not text or text.strip() in ("—", "-")


def _wait_for_informex(pm: Page) -> str:
    number = pm.get_by_label("Informex dossier", exact=True).filter(has_text=INFORMEX_NUMBER)
    number.or_(_error_heading(pm)).first.wait_for(timeout=INJECTION_TIMEOUT_MS)
    if not number.count():
        raise Hiccup("injection")
    return number.inner_text().strip()


def _find_assignment(wx: Page, wx_url: str, vin: str) -> str:
    _open(wx, f"{wx_url}?q={vin}")
    found: list[str] = wx.evaluate(READ_ASSIGNMENTS)
    if len(found) != 1:
        raise RuntimeError(f"VIN {vin}: {len(found)} assignments in the inbox")
    return found[0]


def _save_second_circuit(
    wx: Page, wx_url: str, informex: str, assignment: str, shown: dict[str, str], retry: bool
) -> None:
    _open(wx, f"{wx_url}dossiers/{informex}/2e-circuit")
    box = wx.get_by_label("Opdrachtnummer van de expertise 2e circuit")
    if retry and box.input_value() == assignment:
        return  # an earlier Opslaan was stored, only its answer failed
    box.fill(assignment)
    wx.get_by_label("Chassis (VIN)").fill(shown["Chassisnummer (VIN)"])
    if not _is_empty(shown["Eerste inschrijving"]):
        day, month, year = shown["Eerste inschrijving"].split("/")
        group = wx.get_by_role("group", name="Datum van eerste ingebruikname")
        group.get_by_label("Dag").fill(day)
        group.get_by_label("Maand").fill(month)
        group.get_by_label("Jaar").fill(year)
    wx.get_by_label("Voorgaande schade").set_checked(_flag(shown["Voorgaande schade"]))
    wx.get_by_label("Inbraak").set_checked(_flag(shown["Inbraak"]))
    mileage = shown["Kilometerstand"]
    if mileage.strip().lower() == "onbekend":
        wx.get_by_label("onbekend", exact=True).set_checked(True)
    else:
        wx.get_by_label("onbekend", exact=True).set_checked(False)
        wx.get_by_label("Kilometerstand", exact=True).fill(_digits(mileage))
    for screen, form in (
        ("Vermogen (kW)", "Vermogen"),
        ("Cilinderinhoud (cc)", "Cilinderinhoud"),
        ("CO2 (g/km)", "CO2"),
    ):
        value = "" if _is_empty(shown[screen]) else _digits(shown[screen])
        wx.get_by_label(form, exact=True).fill(value)
    if not _is_empty(shown["Motortype"]):
        wx.get_by_label("Motortype", exact=True).select_option(shown["Motortype"])
    wx.get_by_label("Partikelfilter", exact=True).set_checked(_flag(shown["Partikelfilter"]))
    wx.get_by_role("button", name="Opslaan").click()
    saved = wx.get_by_role("status").filter(has_text="opgeslagen")
    refused = wx.get_by_role("alert")
    saved.or_(refused).or_(_error_heading(wx)).first.wait_for()
    if refused.count():
        raise RuntimeError(f"Winformex refused the 2e circuit: {refused.first.inner_text()}")
    if not saved.count():
        raise Hiccup("save")


def link_one(pm: Page, wx: Page, pm_url: str, wx_url: str, dossier: str) -> Linked:
    """Link one dossier; PlanManager in tab `pm`, Winformex in tab `wx`, both logged in."""
    start = time.perf_counter()
    shown: dict[str, str] | None = None
    informex: str | None = None
    assignment: str | None = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            if shown is None or informex is None:
                _open(pm, f"{pm_url}dossiers/{dossier}")
                shown = pm.evaluate(READ_PAIRS)
                if not _is_empty(shown["Informex dossier"]):
                    informex = shown["Informex dossier"]
                elif pm.get_by_role("status").filter(has_text="Bezig met injecteren").count():
                    informex = _wait_for_informex(pm)  # an earlier "i" is still running
            if assignment is None:
                assignment = _find_assignment(wx, wx_url, shown["Chassisnummer (VIN)"])
            if informex is None:
                pm.get_by_role("button", name="Injecteer in Informex").click()
                pm.get_by_role("dialog").get_by_role("button", name="Bevestigen").click()
                informex = _wait_for_informex(pm)
            _save_second_circuit(wx, wx_url, informex, assignment, shown, retry=attempt > 1)
            return Linked(dossier, informex, assignment, attempt, time.perf_counter() - start)
        except Hiccup:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def run(browser: Browser, pm_url: str, wx_url: str, dossiers: list[str]) -> dict[str, Any]:
    """Log in once per portal, then link every dossier in turn."""
    context = browser.new_context(**context_options())
    pm, wx = context.new_page(), context.new_page()
    for page in (pm, wx):
        _close_popups(page)
    started = time.perf_counter()
    log_in(pm, pm_url, os.environ["BENCH_PM_USER"], os.environ["BENCH_PM_PASSWORD"])
    log_in(wx, wx_url, os.environ["BENCH_WX_USER"], os.environ["BENCH_WX_PASSWORD"])
    login_s = time.perf_counter() - started
    linked = [asdict(link_one(pm, wx, pm_url, wx_url, number)) for number in dossiers]
    context.close()
    return {"login_s": round(login_s, 3), "dossiers": linked}


def main(argv: list[str]) -> int:
    pm_url, wx_url, *dossiers = argv
    with playwright_driver() as playwright:
        executable = find_chromium(
            os.environ.get("BOT_BROWSER_EXECUTABLE") or None, playwright=playwright
        )
        started = time.perf_counter()
        browser = playwright.chromium.launch(
            executable_path=str(executable) if executable else None,
            headless=True,
            args=launch_args(headless=True),
            env=browser_environment(),
        )
        browser_s = time.perf_counter() - started
        report = run(browser, pm_url, wx_url, dossiers)
        browser.close()
    print(json.dumps({"browser_start_s": round(browser_s, 3), **report}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
