"""Read-only browser work for the web page, each in its own process: `python -m bot.web.tasks`.

- `survey OUT.json`: the waiting dossiers. The same selection as `batch --discover`
  (`discover_dossiers`: complete and not yet linked), each with its plate, customer and insurer
  and the assignment the bot would link it to (the bot's own search, `find_insurance_assignment`,
  and its own check of the values, `prepare_second_circuit_data`, so what the page promises is
  what a run will do, or why it would stop); incomplete dossiers with what they miss.
- `health OUT.json`: whether each stored session (`informex-bot login`) still opens its portal,
  then `informex-bot check` itself (its run folder and check.json, as from the command line).
- `values INFORMEX OUT.json`: what the 2e circuit of an Informex dossier holds now (shown with a
  link's result: the values written, read back from the portal).

Nothing here clicks "i" or saves. The server starts these (bot/web/jobs.py) so it never runs
Playwright itself; the answer is one JSON file, written atomically, with `error` when it failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from loguru import logger
from playwright.sync_api import Browser, Page

from bot.browser.launch import new_context, new_page, own_browser
from bot.browser.sessions import PORTALS, PortalSessions, state_file
from bot.commands.check import run_check
from bot.commands.discover import discover_dossiers
from bot.domain.validation import ValidationRules
from bot.errors import BotError, ConfigError, SessionExpiredError
from bot.evidence.files import write_json_atomic
from bot.evidence.logging_setup import configure_logging
from bot.evidence.recorder import Recorder
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.inbox import InboxPage
from bot.pages.winformex.second_circuit import SecondCircuitPage
from bot.settings import Settings, load_settings
from bot.steps.find_assignment import find_insurance_assignment
from bot.steps.prepare_data import prepare_second_circuit_data
from bot.steps.screens import Screens


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _work_dir(settings: Settings) -> Path:
    return settings.state_dir / "web" / "work"


def _logged_in(
    settings: Settings, browser: Browser, work: Callable[[Page, Recorder], dict[str, Any]]
) -> dict[str, Any]:
    """Log in to both portals (a stored session first), do `work` on one page, log out."""
    run_dir = _work_dir(settings)
    sessions = PortalSessions(settings, run_dir)
    sessions.start(browser)
    context = new_context(browser, settings, sessions.storage_state)
    try:
        recorder = Recorder(run_dir, run_dir, screenshots="off", trace="off")
        return work(new_page(context), recorder)
    finally:
        context.close()
        sessions.log_out(browser)


# -- survey ------------------------------------------------------------------------------------
def survey(settings: Settings) -> dict[str, Any]:
    """The dossiers `batch --discover` would take, with what a person needs to judge them."""
    with own_browser(settings) as browser:
        return _logged_in(settings, browser, lambda page, rec: _survey(page, rec, settings))


def _survey(page: Page, recorder: Recorder, settings: Settings) -> dict[str, Any]:
    found = discover_dossiers(page, recorder, settings)
    screens = Screens.on(page, recorder, settings)
    rules = ValidationRules.from_settings(settings)
    to_link, incomplete = [], []
    for number in found.to_link:
        entry: dict[str, Any] = {"number": number}
        try:
            screens.pm_dossier.open(number)
            dossier = screens.pm_dossier.read()
            entry |= _shown(dossier)
            assignment = find_insurance_assignment(screens, dossier, None, force=False)
            entry["assignment"] = {
                "number": assignment.number,
                "insurer": assignment.insurer,
                "plate": assignment.plate,
                "claim_number": assignment.claim_number,
            }
            prepare_second_circuit_data(dossier, assignment.number, {}, rules)
        except BotError as exc:  # no match, several, a bad value: the run would stop there too
            entry["problem"] = exc.message
        to_link.append(entry)
    for number, missing in found.incomplete.items():
        entry = {"number": number, "missing": list(missing)}
        try:
            screens.pm_dossier.open(number)
            entry |= _shown(screens.pm_dossier.read())
        except BotError as exc:
            entry["problem"] = exc.message
        incomplete.append(entry)
    return {"to_link": to_link, "incomplete": incomplete, "linked": list(found.linked)}


def _shown(dossier: Any) -> dict[str, Any]:
    return {
        "plate": dossier.plate,
        "customer": dossier.customer,
        "insurer": dossier.insurer,
        "claim_number": dossier.claim_number,
        "make": dossier.make,
        "model": dossier.model,
        "informex_dossier": dossier.informex_dossier,
    }


# -- health ------------------------------------------------------------------------------------
def health(settings: Settings) -> dict[str, Any]:
    """Stored sessions probed, then `informex-bot check` (its own run folder and check.json)."""
    sessions = probe_sessions(settings)
    code = run_check(settings)
    return {"sessions": sessions, "check_exit_code": code}


def probe_sessions(settings: Settings) -> dict[str, dict[str, Any]]:
    """For each portal: is a session stored, until when, and does it still open the portal."""
    answers: dict[str, dict[str, Any]] = {}
    stored = {name: _stored_cookies(settings, name) for name in PORTALS}
    if not any(stored.values()):
        return {name: {"stored": False} for name in PORTALS}
    with own_browser(settings) as browser:
        for name, cookies in stored.items():
            if not cookies:
                answers[name] = {"stored": False}
                continue
            expiries = [c["expires"] for c in cookies if isinstance(c.get("expires"), (int, float))]
            ending = [e for e in expiries if e > 0]
            answer: dict[str, Any] = {
                "stored": True,
                "expires": (
                    datetime.fromtimestamp(min(ending), timezone.utc)
                    .astimezone()
                    .isoformat(timespec="minutes")
                    if ending
                    else None
                ),
            }
            answer |= _opens_portal(settings, browser, name, cookies)
            answers[name] = answer
    return answers


def _stored_cookies(settings: Settings, name: str) -> list[dict[str, Any]]:
    path = state_file(settings, name)
    try:
        cookies = json.loads(path.read_text(encoding="utf-8")).get("cookies", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [c for c in cookies if isinstance(c, dict)]


def _opens_portal(
    settings: Settings, browser: Browser, name: str, cookies: list[dict[str, Any]]
) -> dict[str, Any]:
    context = new_context(browser, settings, {"cookies": cookies, "origins": []})
    try:
        page = new_page(context)
        folder = _work_dir(settings)
        recorder = Recorder(folder, folder, screenshots="off", trace="off")
        if name == "planmanager":
            DossierListPage(page, recorder, settings.planmanager.url).open()
        else:
            InboxPage(page, recorder, settings.winformex.url).open()
        return {"valid": True}
    except SessionExpiredError:
        return {"valid": False}
    except BotError as exc:
        return {"valid": None, "detail": exc.message}
    finally:
        context.close()


# -- values ------------------------------------------------------------------------------------
def second_circuit_values(settings: Settings, informex_dossier: str) -> dict[str, Any]:
    """What the 2e circuit of `informex_dossier` holds, as the form shows it (read-only)."""

    def read(page: Page, recorder: Recorder) -> dict[str, Any]:
        form = SecondCircuitPage(page, recorder, settings.winformex.url)
        form.open(informex_dossier)
        return {"informex_dossier": informex_dossier, "values": form.read()}

    with own_browser(settings) as browser:
        return _logged_in(settings, browser, read)


# -- entry point -------------------------------------------------------------------------------
USAGE = "usage: python -m bot.web.tasks survey OUT | health OUT | values INFORMEX OUT (OUT: .json)"


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("survey", "health", "values"):
        print(USAGE, file=sys.stderr)
        return 2
    kind, out = argv[0], Path(argv[-1])
    started = now_iso()
    try:
        settings = load_settings()
    except ConfigError as exc:
        write_json_atomic(out, {"started_at": started, "ended_at": now_iso(), "error": str(exc)})
        return 2
    configure_logging(level=settings.log_level, secrets=settings.secrets)
    try:
        if kind == "survey":
            answer = survey(settings)
        elif kind == "health":
            answer = health(settings)
        else:
            answer = second_circuit_values(settings, argv[1])
    except Exception as exc:  # the page shows why; the log has the rest
        logger.exception("{} failed", kind)
        message = exc.message if isinstance(exc, BotError) else str(exc).splitlines()[0]
        write_json_atomic(out, {"started_at": started, "ended_at": now_iso(), "error": message})
        return 1
    write_json_atomic(out, {"started_at": started, "ended_at": now_iso(), "error": None, **answer})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
