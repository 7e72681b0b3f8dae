"""Run `informex-bot check` and present its findings: a table, check.json, screenshots.

Besides the locators, it says per portal the screen language it found (and how it knew), the
login page's language, Winformex's way to the 2e circuit form (button or menu), and every label
it could not find, per language: the lines a person needs to correct bot/pages/labels.py.
"""

from __future__ import annotations

from dataclasses import asdict

from rich.markup import escape
from rich.table import Table

from bot.browser.launch import own_browser
from bot.commands.check_portals import (
    MISSING,
    OK,
    CheckFindings,
    LocatorCheck,
    check_portals,
)
from bot.engine.orchestrator import new_run_id
from bot.evidence.console import console
from bot.evidence.files import write_json_atomic
from bot.evidence.recorder import Recorder
from bot.pages.labels import LANGUAGE_NAMES
from bot.settings import Settings

COLOURS = {OK: "green", MISSING: "red", "ambiguous": "red", "skipped": "dim"}


def run_check(settings: Settings, dossier: str | None = None) -> int:
    """Exit code 0 when every locator resolves, 1 otherwise."""
    run_id = new_run_id()
    run_dir = settings.runs_dir / run_id
    recorder = Recorder(
        run_dir / "check",
        run_dir,
        screenshots="all",
        trace="off",
        image_format=settings.screenshots_format,
    )
    with own_browser(settings) as browser:
        found = check_portals(browser, settings, recorder, dossier)
    shots, _ = recorder.finish(failed=False)
    checks = found.checks
    failed = [c for c in checks if c.failed]
    write_json_atomic(
        run_dir / "check.json",
        {
            "run_id": run_id,
            "ok": not failed,
            "checks": [asdict(c) for c in checks],
            "screenshots": shots,
            "portals": {name: asdict(finding) for name, finding in found.portals.items()},
            "missing_labels": found.missing_labels(),
        },
    )
    console.print(check_table(checks))
    for line in variant_lines(found):
        console.print(escape(line))
    console.print(
        f"{len(checks) - len(failed)} of {len(checks)} locators fit; "
        f"details in {run_dir / 'check.json'}, screenshots in {run_dir / 'check'}"
    )
    return 1 if failed else 0


def check_table(checks: list[LocatorCheck]) -> Table:
    table = Table(title="informex-bot check")
    for column in ("Page object", "Locator", "Screen", "Lang", "Result", "Detail"):
        table.add_column(column, overflow="fold")
    for c in sorted(checks, key=lambda c: (not c.failed, c.page_object)):
        colour = COLOURS.get(c.result, "white")
        table.add_row(
            c.page_object,
            c.locator,
            c.screen,
            c.language,
            f"[{colour}]{c.result}[/]",
            escape(c.detail),
        )
    return table


def variant_lines(found: CheckFindings) -> list[str]:
    """What a person reads under the table: each portal's variant, then the labels not found
    per language (or that every label was found)."""
    lines = [finding.summary() for finding in found.portals.values()]
    missing = found.missing_labels()
    if not missing:
        languages = sorted({c.language for c in found.checks if c.language})
        names = " and ".join(LANGUAGE_NAMES.get(lang, lang) for lang in languages)
        lines.append(f"every label found ({names}); labels live in bot/pages/labels.py")
    for language, labels in missing.items():
        name = LANGUAGE_NAMES.get(language, language)
        lines.append(f"labels not found in {name} ({language}), to correct in bot/pages/labels.py:")
        lines += [f"  {m['label']!r}  ({m['page_object']}.{m['locator']})" for m in labels]
    return lines
