"""Find the night's work: PlanManager dossiers that are complete and not yet linked.

Read-only. A dossier counts as linked when its Informex dossier shows an opdrachtnummer in the 2e
circuit (Winformex's list of imported dossiers tells). Dossiers not yet sent to Informex are opened
to check they are complete; incomplete ones are left out and named in the log, since the shop is
still working on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loguru import logger
from playwright.sync_api import Page

from bot.evidence.recorder import Recorder
from bot.pages.planmanager.dossier import DossierPage
from bot.pages.planmanager.dossier_list import DossierListPage
from bot.pages.winformex.inbox import InboxPage
from bot.settings import Settings


@dataclass
class Discovery:
    to_link: list[str] = field(default_factory=list)
    incomplete: dict[str, list[str]] = field(default_factory=dict)
    linked: list[str] = field(default_factory=list)


def discover_dossiers(page: Page, recorder: Recorder, settings: Settings) -> Discovery:
    """List PlanManager's dossiers and keep those complete and not yet linked."""
    recorder.at_step("discover")
    inbox = InboxPage(page, recorder, settings.winformex.url)
    inbox.open()
    linked_informex = {row.number for row in inbox.imported_dossiers() if row.assignment_number}
    listing = DossierListPage(page, recorder, settings.planmanager.url)
    listing.open()
    found = Discovery()
    dossier_page = DossierPage(page, recorder, settings.planmanager.url)
    for row in listing.rows():
        number, informex = row.number, row.informex_dossier
        if informex and informex in linked_informex:
            found.linked.append(number)
            continue
        if not informex:
            dossier_page.open(number)
            missing = dossier_page.read().missing_for_injection()
            if missing:
                found.incomplete[number] = missing
                continue
        found.to_link.append(number)
    logger.info(
        "discovered {} dossier(s) to link; {} already linked; {} incomplete{}",
        len(found.to_link),
        len(found.linked),
        len(found.incomplete),
        "".join(f"\n  {n}: missing {', '.join(m)}" for n, m in found.incomplete.items()),
    )
    return found
