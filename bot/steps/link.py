"""Seed step 4: "Gegevens 2e circuit": fill the opdrachtnummer and the vehicle data, save.

Never overwrites: a form that already holds this opdrachtnummer is left as it is; one that
holds another is a business error unless the caller forces it. When the answer to Opslaan is
lost, the form is read again before any second save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loguru import logger

from bot.domain.models import SecondCircuitData
from bot.errors import LinkConflictError, WriteUncertainError
from bot.steps.screens import Screens


@dataclass(frozen=True)
class LinkOutcome:
    """What the step found or did: the form already held the number, was saved, or (dry run)
    was filled and left unsaved, with the values it shows."""

    held_already: bool = False
    saved: bool = False
    dry_run_values: dict[str, Any] | None = None


def link_assignment(
    screens: Screens,
    informex_dossier: str,
    data: SecondCircuitData,
    *,
    force: bool,
    dry_run: bool,
    before_save: Callable[[], None],
) -> LinkOutcome:
    """Tie the Informex dossier to the insurer's assignment through the 2e circuit form.

    `before_save` is called just before Opslaan is pressed (the ledger notes it: a run that dies
    right after the save must know, on its rerun, that the link it finds is its own).
    """
    dossier_page, form = screens.wx_dossier, screens.wx_second_circuit
    if not dossier_page.is_showing(informex_dossier):  # e.g. redone after a new login
        dossier_page.open(informex_dossier)
    dossier_page.open_second_circuit()
    form.wait_until_shown()
    target = data.assignment_number
    current = form.current_assignment_number()
    if current == target:
        logger.info("2e circuit already holds {}: nothing to save", target)
        return LinkOutcome(held_already=True)
    if current and not force:
        raise LinkConflictError(
            f"2e circuit of {informex_dossier} already holds opdrachtnummer {current}, "
            f"not {target}; not overwritten (rerun with --force to replace it)",
            screen=form.screen,
        )
    if current:
        logger.warning("--force: replacing opdrachtnummer {} by {}", current, target)
    form.fill(data)
    if dry_run:
        logger.info("dry run: the form is filled, not saved")
        return LinkOutcome(dry_run_values=form.read())
    before_save()
    try:
        form.save()
    except WriteUncertainError:
        logger.warning("the answer to Opslaan was lost; reading the form again first")
        form.open(informex_dossier)
        if form.current_assignment_number() != target:
            raise  # not saved: the step may be tried again
        logger.info("the save did go through")
    logger.info("2e circuit linked to {}", target)
    return LinkOutcome(saved=True)
