"""What a person reads at the end of a run: a table of dossiers and where the evidence is."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table

from bot.domain.models import DossierResult, DossierStatus

STYLE = {
    DossierStatus.LINKED: "green",
    DossierStatus.ALREADY_LINKED: "green",
    DossierStatus.DRY_RUN: "cyan",
    DossierStatus.BUSINESS_ERROR: "yellow",
    DossierStatus.SYSTEM_ERROR: "red",
}

# Off a terminal (cron, CI, a pipe) rich would wrap tables at 80 columns; logs read better wide.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def results_table(results: list[DossierResult], expected: dict[str, str] | None = None) -> Table:
    table = Table(title="informex-bot", show_lines=False)
    table.add_column("Dossier")
    table.add_column("Status")
    if expected is not None:
        table.add_column("Expected")
    table.add_column("Informex")
    table.add_column("Opdracht")
    table.add_column("Try", justify="right")
    table.add_column("s", justify="right")
    table.add_column("Error", overflow="fold")
    for r in results:
        row = [r.dossier, f"[{STYLE[r.status]}]{r.status.value}[/]"]
        if expected is not None:
            row.append(expected.get(r.dossier, "linked"))
        row += [
            r.informex_dossier or "",
            r.assignment or "",
            str(r.attempts),
            f"{r.duration_s:.1f}",
            r.error or "",
        ]
        table.add_row(*row)
    return table
