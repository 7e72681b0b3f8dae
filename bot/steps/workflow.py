"""The seed's procedure as steps: dossier → inject → imported dossier → 2e circuit → verify.

Each step reads the portals before it writes, so any step may be redone. A lost session is
handled here, around one step: log in again (outside the traced context) and redo that step,
keeping everything the earlier steps found.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.models import DossierStatus
from bot.errors import BotError, SessionExpiredError
from bot.steps.check_complete import check_dossier_complete
from bot.steps.context import DossierContext
from bot.steps.find_assignment import find_insurance_assignment
from bot.steps.inject import inject_into_informex
from bot.steps.link import link_assignment
from bot.steps.open_dossier import open_planmanager_dossier
from bot.steps.open_imported import open_imported_dossier
from bot.steps.prepare_data import prepare_second_circuit_data
from bot.steps.verify import verify_link

Step = Callable[[DossierContext], None]

STEPS: tuple[tuple[str, Step], ...] = (
    ("open_dossier", open_planmanager_dossier),
    ("check_complete", check_dossier_complete),
    ("find_assignment", find_insurance_assignment),
    ("prepare_data", prepare_second_circuit_data),
    ("inject", inject_into_informex),
    ("open_imported", open_imported_dossier),
    ("link", link_assignment),
    ("verify", verify_link),
)
# Steps after which something may have been written to a portal.
WRITING_STEPS = frozenset({"inject", "link"})
RELOGINS_PER_STEP = 2


def link_dossier(
    ctx: DossierContext, on_step_done: Callable[[str], None] | None = None
) -> DossierStatus:
    """Run every step for one dossier; return linked / already_linked / dry_run."""
    for name, step in STEPS:
        ctx.recorder.at_step(name)
        run_step(ctx, name, step)
        ctx.completed.append(name)
        if on_step_done is not None:
            on_step_done(name)
        if ctx.stop_here:
            return DossierStatus.DRY_RUN
    if ctx.dry_run:
        return DossierStatus.DRY_RUN
    return DossierStatus.ALREADY_LINKED if ctx.already_linked else DossierStatus.LINKED


def run_step(ctx: DossierContext, name: str, step: Step) -> None:
    """Run one step; after a lost session, log in again and redo just this step."""
    for attempt in range(RELOGINS_PER_STEP + 1):
        try:
            step(ctx)
            return
        except SessionExpiredError as exc:
            exc.located(dossier=ctx.job.dossier, step=name)
            if attempt == RELOGINS_PER_STEP:
                raise
            ctx.log.warning("{} session expired; logging in again and redoing {}", exc.portal, name)
            ctx.relogin(exc.portal)
        except BotError as exc:
            exc.located(dossier=ctx.job.dossier, step=name)
            raise
