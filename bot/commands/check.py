"""Run `informex-bot check` and present its findings: a table, check.json, screenshots."""

from __future__ import annotations

from dataclasses import asdict

from rich.table import Table

from bot.browser.launch import own_browser
from bot.commands.check_portals import MISSING, OK, LocatorCheck, check_portals
from bot.engine.orchestrator import new_run_id
from bot.evidence.console import console
from bot.evidence.files import write_json_atomic
from bot.evidence.recorder import Recorder
from bot.settings import Settings

COLOURS = {OK: "green", MISSING: "red", "ambiguous": "red", "skipped": "dim"}


def run_check(settings: Settings, dossier: str | None = None) -> int:
    """Exit code 0 when every locator resolves, 1 otherwise."""
    run_id = new_run_id()
    run_dir = settings.runs_dir / run_id
    recorder = Recorder(run_dir / "check", run_dir, screenshots="all", trace="off")
    with own_browser(settings) as browser:
        checks = check_portals(browser, settings, recorder, dossier)
    shots, _ = recorder.finish(failed=False)
    failed = [c for c in checks if c.failed]
    write_json_atomic(
        run_dir / "check.json",
        {
            "run_id": run_id,
            "ok": not failed,
            "checks": [asdict(c) for c in checks],
            "screenshots": shots,
        },
    )
    console.print(check_table(checks))
    console.print(
        f"{len(checks) - len(failed)} of {len(checks)} locators fit; "
        f"details in {run_dir / 'check.json'}, screenshots in {run_dir / 'check'}"
    )
    return 1 if failed else 0


def check_table(checks: list[LocatorCheck]) -> Table:
    table = Table(title="informex-bot check")
    for column in ("Page object", "Locator", "Screen", "Result", "Detail"):
        table.add_column(column, overflow="fold")
    for c in sorted(checks, key=lambda c: (not c.failed, c.page_object)):
        colour = COLOURS.get(c.result, "white")
        table.add_row(c.page_object, c.locator, c.screen, f"[{colour}]{c.result}[/]", c.detail)
    return table
