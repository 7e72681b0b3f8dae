"""The office's web page (`informex-bot serve`) in real Chromium against the mock portal.

The page runs as a real process on a free port with the test's settings; its clicks start real
`python -m bot run` processes, so each test here is a person doing on the page what a terminal
user does with the CLI: the portal's state (`/_mock/state`) says what was injected and saved.
With INFORMEX_WEB_SHOTS=DIR set, the main screens are saved there (docs/screens/web-*.png).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.settings import load_settings
from bot.web.evidence import dossier_holder
from mock_portal.process import MockPortalProcess
from tests import seeds
from tests.e2e.helpers import cli_environment
from tests.reliability.helpers import Child, PortalCheck, write_csv

RUN_MS = 240_000  # a dossier's whole run on a busy 2-core machine, with room
SURVEY_MS = 180_000
NUMBER = "PM-2026-0101"
PASSWORD = "kantoor-Geheim-2026"
SHOTS = os.environ.get("INFORMEX_WEB_SHOTS")


class WebPage:
    """`python -m bot serve --port 0` with only the given settings; its address from line one."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", "0"],
            env=cli_environment(env, cwd),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        first = self.process.stdout.readline() if self.process.stdout else ""
        found = re.search(r"http://\S+", first)
        if not found:
            self.stop()
            raise RuntimeError(f"informex-bot serve did not say where it listens: {first!r}")
        self.url = found.group(0).rstrip("/")
        self.lines: list[str] = [first]
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stdout or ():
            self.lines.append(line)

    def stop(self) -> None:
        """Stop the page, then what it started that still runs (by pid: the runs it started
        live in their own session and would outlive it)."""
        try:
            started = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            started = []
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        for child in started:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                continue
        psutil.wait_procs(started, timeout=10)


@pytest.fixture
def web(bot_env: dict[str, str], tmp_path: Path) -> Iterator[WebPage]:
    server = WebPage(bot_env, tmp_path)
    yield server
    server.stop()


@pytest.fixture
def locked_web(bot_env: dict[str, str], tmp_path: Path) -> Iterator[WebPage]:
    server = WebPage({**bot_env, "BOT_UI_PASSWORD": PASSWORD}, tmp_path)
    yield server
    server.stop()


def shoot(page: Page, name: str) -> None:
    """Keep a screen for the README when INFORMEX_WEB_SHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"), full_page=True)


def refresh_waiting(page: Page, web: WebPage) -> None:
    page.goto(web.url + "/")
    page.get_by_role("button", name="Vernieuwen").click()
    expect(page.get_by_text("Opgehaald op")).to_be_visible(timeout=SURVEY_MS)


def row_of(page: Page, table: str, number: str) -> Any:
    return page.get_by_role("table", name=table).get_by_role("row").filter(has_text=number)


def no_dialogs(page: Page) -> list[str]:
    seen: list[str] = []

    def dismiss(dialog: Any) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return seen


# -- 1. link now, watch it happen ------------------------------------------------------------
@pytest.mark.timeout(600)
def test_a_person_links_a_waiting_dossier_with_link_now_and_watches_the_film_strip_grow(
    portal: MockPortalProcess, web: WebPage, page: Page
) -> None:
    incomplete = seeds.dossier("PM-2026-0102", vehicle={"vin": None}, customer={"name": "Hélène"})
    portal.reset(seeds.world([seeds.dossier(), incomplete]))
    refresh_waiting(page, web)

    waiting = row_of(page, "Wachtende dossiers", NUMBER)
    for shown in ("1-ABC-234", "Françoise Dubois-D'Hondt", "AG Insurance", "IX-2026-004711"):
        expect(waiting).to_contain_text(shown)
    incomplete_row = row_of(page, "Onvolledig: nog niet klaar voor Informex", "PM-2026-0102")
    expect(incomplete_row).to_contain_text("Hélène")
    expect(incomplete_row).to_contain_text("Chassisnummer")
    expect(page.get_by_role("table", name="Wachtende dossiers")).not_to_contain_text("PM-2026-0102")
    shoot(page, "waiting")
    waiting.get_by_role("button", name="Nu koppelen").click()

    expect(page).to_have_url(re.compile(f"/dossiers/{NUMBER}$"))
    strip = page.get_by_role("list", name="Schermafbeeldingen").get_by_role("img")
    expect(strip.first).to_be_visible(timeout=RUN_MS)
    result = page.get_by_role("heading", name="Gekoppeld", exact=True)
    seen_while_running = strip.count() if not result.is_visible() else None
    expect(result).to_be_visible(timeout=RUN_MS)

    shots = strip.count()
    assert seen_while_running is not None and 0 < seen_while_running < shots
    expect(page.get_by_text("Informex-dossier WX-2026-")).to_contain_text("IX-2026-004711")
    values = page.get_by_role("table", name="Waarden in het 2e circuit")
    expect(values).to_contain_text("WVWZZZ1KZ8W123456", timeout=RUN_MS)
    expect(values).to_contain_text("14/03/2019")
    steps = page.locator(".steps li")
    expect(steps).to_have_count(8)
    expect(page.locator(".steps li.step-done")).to_have_count(8)
    expect(page.locator(".steps")).to_contain_text("Injecteren")
    shoot(page, "dossier")
    check = PortalCheck.of(portal.state())
    assert check.injections[NUMBER] == 1
    assert sum(check.saves.values()) == 1

    page.get_by_role("link", name="Afgelopen nachten").click()
    run_row = page.get_by_role("table", name="Afgelopen nachten").get_by_role("row").nth(1)
    expect(run_row).to_contain_text("vanaf deze pagina")
    expect(run_row).to_contain_text("Gekoppeld: 1")
    shoot(page, "runs")
    run_row.get_by_role("link", name="Rapport").click()
    expect(page).to_have_url(re.compile(r"/runs/\d{8}-\d{6}-[0-9a-f]{4}/report\.html$"))
    expect(page.get_by_text(NUMBER).first).to_be_visible()


# -- 2. a business error, in plain words -----------------------------------------------------
@pytest.mark.timeout(400)
def test_a_business_error_shows_its_reason_and_what_to_do(
    portal: MockPortalProcess, web: WebPage, page: Page
) -> None:
    portal.reset(seeds.world(assignments=[]))  # the insurer's assignment has not arrived
    page.goto(web.url + "/")
    page.get_by_label("PlanManager-dossiernummer").fill(NUMBER)
    page.get_by_role("button", name="Koppelen", exact=True).click()

    expect(
        page.get_by_role("heading", name="Niet gekoppeld: een medewerker moet kijken")
    ).to_be_visible(timeout=RUN_MS)
    expect(page.get_by_text("Geen verzekeringsopdracht in Winformex past")).to_be_visible()
    expect(page.get_by_text("Wacht tot de opdracht in Winformex binnenkomt")).to_be_visible()
    message = page.locator(".result .message")  # the bot's message, in the office's language
    expect(message).to_contain_text("Geen verzekeringsopdracht past bij chassisnummer")
    expect(page.locator("pre.error")).to_contain_text("No insurance assignment matches")
    failed = page.locator(".steps li.step-failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("Opdracht zoeken")
    shoot(page, "business-error")
    assert PortalCheck.of(portal.state()).injections[NUMBER] == 0


def test_the_form_refuses_what_the_cli_refuses_with_the_cli_s_words(
    portal: MockPortalProcess, web: WebPage, page: Page, bot_env: dict[str, str]
) -> None:
    page.goto(web.url + "/")
    page.get_by_label("PlanManager-dossiernummer").fill(NUMBER)
    page.get_by_label("Opdrachtnummer (niet verplicht)").fill("12345")
    page.get_by_role("button", name="Koppelen", exact=True).click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ongeldige invoer")
    expect(alert).to_contain_text("bad input:")
    expect(page.get_by_label("Opdrachtnummer (niet verplicht)")).to_have_value("12345")
    runs = Path(bot_env["BOT_RUNS_DIR"])
    assert not runs.is_dir() or not any(runs.glob("2*")), "nothing may start"


# -- 3. two people, one dossier --------------------------------------------------------------
@pytest.mark.timeout(600)
def test_two_people_clicking_the_same_dossier_at_once_give_one_injection(
    portal: MockPortalProcess, web: WebPage, browser: Browser
) -> None:
    people = [browser.new_context(locale="nl-BE") for _ in range(2)]
    pages = [person.new_page() for person in people]
    try:
        for page in pages:
            page.goto(web.url + "/")
            page.get_by_label("PlanManager-dossiernummer").fill(NUMBER)
        for page in pages:  # both submitted before either run has done anything
            page.get_by_role("button", name="Koppelen", exact=True).click(no_wait_after=True)
        for page in pages:
            expect(page).to_have_url(re.compile(f"/dossiers/{NUMBER}"), timeout=30_000)
        expect(pages[1].get_by_text("u volgt die koppeling")).to_be_visible()
        for page in pages:
            expect(page.get_by_role("heading", name="Gekoppeld", exact=True)).to_be_visible(
                timeout=RUN_MS
            )
    finally:
        for person in people:
            person.close()
    check = PortalCheck.of(portal.state())
    assert check.injections[NUMBER] == 1
    assert check.duplicates() == {}
    assert sum(check.saves.values()) == 1


# -- 4. a click while the nightly batch works on the dossier ---------------------------------
@pytest.mark.timeout(600)
def test_a_click_while_a_batch_works_on_the_dossier_shows_busy_and_ends_already_linked(
    portal: MockPortalProcess, web: WebPage, page: Page, bot_env: dict[str, str], tmp_path: Path
) -> None:
    hold = {"method": "POST", "path_contains": f"/dossiers/{NUMBER}/inject", "mode": "hang"}
    portal.set_faults(fail_next=[{**hold, "hang_s": 15}])  # the batch's "i" answers late
    csv = write_csv(tmp_path / "nacht.csv", [f"{NUMBER};"])
    batch = Child([str(csv)], bot_env, tmp_path)
    try:
        settings = load_settings(bot_env)
        assert batch.wait_for(lambda _: dossier_holder(settings, NUMBER) is not None, 180)
        page.goto(web.url + "/")
        page.get_by_label("PlanManager-dossiernummer").fill(NUMBER)
        page.get_by_role("button", name="Koppelen", exact=True).click()

        busy = page.locator(".busy-note")
        expect(busy).to_contain_text("Bezig", timeout=60_000)
        expect(busy).to_contain_text("er wordt nooit twee keer verzonden")
        expect(busy).to_contain_text(f"proces {batch.process.pid}")
        shoot(page, "busy")
        expect(page.get_by_role("heading", name="Was al gekoppeld")).to_be_visible(timeout=RUN_MS)
        assert batch.finish(timeout_s=240) == 0
    finally:
        if batch.process.poll() is None:
            batch.kill()
    expect(busy).to_have_count(0)
    check = PortalCheck.of(portal.state())
    assert check.injections[NUMBER] == 1
    assert sum(check.saves.values()) == 1


# -- 5. French and Dutch ---------------------------------------------------------------------
@pytest.mark.timeout(400)
def test_the_page_speaks_french_to_a_french_browser_and_dutch_when_chosen(
    portal: MockPortalProcess, web: WebPage, browser: Browser
) -> None:
    context = browser.new_context(locale="fr-BE")
    page = context.new_page()
    try:
        page.goto(web.url + "/")
        expect(page.get_by_role("heading", name="Dossiers en attente", exact=True)).to_be_visible()
        page.get_by_label("Numéro de dossier PlanManager").fill(NUMBER)
        page.get_by_label("Essai à blanc (--dry-run)").check()
        page.get_by_role("button", name="Lier", exact=True).click()

        expect(
            page.get_by_role("heading", name="Essai à blanc terminé : rien n'a été écrit")
        ).to_be_visible(timeout=RUN_MS)
        values = page.get_by_role("table", name="Ce que le bot écrirait")
        expect(values).to_contain_text("Numéro de châssis (VIN)")
        expect(values).to_contain_text("WVWZZZ1KZ8W123456")
        expect(page.locator(".steps")).to_contain_text("Chercher la mission")
        assert PortalCheck.of(portal.state()).injections[NUMBER] == 0

        page.get_by_role("button", name="Nederlands").click()
        expect(page.get_by_role("heading", name="Proefrit klaar: niets geschreven")).to_be_visible()
        expect(page.get_by_role("table", name="Wat de bot zou schrijven")).to_contain_text(
            "Chassisnummer (VIN)"
        )
        page.goto(web.url + "/runs")  # the choice is kept
        expect(page.get_by_role("heading", name="Afgelopen nachten")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "nl")
    finally:
        context.close()


# -- 6. with a password, nothing without a session -------------------------------------------
def test_with_a_password_nothing_is_reachable_without_a_session(
    portal: MockPortalProcess, locked_web: WebPage, page: Page
) -> None:
    with httpx.Client(base_url=locked_web.url, follow_redirects=False) as stranger:
        for path in ("/", "/runs", "/health", f"/dossiers/{NUMBER}", "/runs/x/report.html"):
            answer = stranger.get(path, headers={"accept": "text/html"})
            assert (answer.status_code, answer.headers.get("location")) == (303, "/login"), path
        for path in ("/waiting/live", f"/live/dossiers/{NUMBER}", "/health/live"):
            assert stranger.get(path, headers={"x-live": "1"}).status_code == 401, path
        for path in ("/link", "/waiting/refresh", "/health/check", "/logout"):
            assert stranger.post(path, data={"dossier": NUMBER}).status_code == 401, path
    assert PortalCheck.of(portal.state()).injections[NUMBER] == 0

    page.goto(locked_web.url + "/runs")
    expect(page).to_have_url(locked_web.url + "/login")
    expect(page.get_by_role("navigation")).to_have_count(0)
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_have_text("Verkeerd wachtwoord.")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Wachtende dossiers", exact=True)).to_be_visible()
    [cookie] = [c for c in page.context.cookies() if c["name"] == "informex_bot_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Afmelden").click()
    expect(page).to_have_url(locked_web.url + "/login")
    page.goto(locked_web.url + "/health")
    expect(page).to_have_url(locked_web.url + "/login")

    with httpx.Client(base_url=locked_web.url) as guesser:
        form = guesser.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token
        answers = [
            guesser.post("/login", data={"csrf": token.group(1), "password": f"gok-{i}"})
            for i in range(6)
        ]
        assert [a.status_code for a in answers] == [401] * 5 + [429]
        right = guesser.post("/login", data={"csrf": token.group(1), "password": PASSWORD})
        assert right.status_code == 429  # locked out: even the right password waits
        assert "Te veel mislukte pogingen" in right.text


# -- 7. portal data that looks like markup stays text ----------------------------------------
@pytest.mark.timeout(600)
def test_markup_in_portal_data_is_shown_as_text_and_never_runs(
    portal: MockPortalProcess, web: WebPage, page: Page
) -> None:
    evil = "<img src=x onerror=\"document.title='pwned'\">"
    script = "<script>document.title='pwned'</script>"
    portal.reset(
        seeds.world(
            [
                seeds.dossier(customer={"name": evil}, insurer=script, claim_number=evil),
            ],
            assignments=[],  # so the run fails, and its message quotes the claim number
        )
    )
    dialogs = no_dialogs(page)
    refresh_waiting(page, web)
    row = row_of(page, "Wachtende dossiers", NUMBER)
    expect(row).to_contain_text(evil)
    expect(row).to_contain_text(script)
    expect(row.locator("img, script")).to_have_count(0)
    row.get_by_role("button", name="Nu koppelen").click()

    expect(
        page.get_by_role("heading", name="Niet gekoppeld: een medewerker moet kijken")
    ).to_be_visible(timeout=RUN_MS)
    quoted = "<img src=x onerror="  # the claim number as the dossier writes it, as text
    expect(page.locator(".result .message")).to_contain_text(quoted)
    expect(page.locator("pre.error")).to_contain_text(quoted)
    expect(page.locator('main img:not([src^="/runs/"])')).to_have_count(0)  # only screenshots
    assert page.title() != "pwned"
    assert page.evaluate("document.title") != "pwned"
    assert dialogs == []


# -- 8. health -------------------------------------------------------------------------------
@pytest.mark.timeout(400)
def test_health_reruns_the_read_only_check_and_shows_each_portal(
    portal: MockPortalProcess, web: WebPage, page: Page
) -> None:
    portal.reset(seeds.already_injected(linked_to="IX-2026-004711"))
    before = PortalCheck.of(portal.state())
    page.goto(web.url + "/health")
    expect(page.get_by_text("Nog geen controle gedaan.")).to_be_visible()
    page.get_by_role("button", name="Opnieuw controleren (alleen lezen)").click()
    expect(page.get_by_text("Laatste controle:")).to_be_visible(timeout=SURVEY_MS)
    for portal_name in ("PlanManager", "Winformex"):
        section = page.get_by_role("region", name=portal_name)
        expect(section).to_contain_text("Alles past")
        expect(section).to_contain_text("Geen bewaarde aanmelding")
    shoot(page, "health")
    after = PortalCheck.of(portal.state())
    assert (after.injections, after.saves) == (before.injections, before.saves)
