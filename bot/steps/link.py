"""Seed step 4: "Gegevens 2e circuit": fill the opdrachtnummer and the vehicle data, save.

Never overwrites: a form that already holds this opdrachtnummer is `already_linked`; one that
holds another is a business error unless the caller forces it. When the answer to Opslaan is
lost, the form is read again before any second save.
"""

from __future__ import annotations

from bot.errors import LinkConflictError, WriteUncertainError
from bot.steps.context import DossierContext


def link_assignment(ctx: DossierContext) -> None:
    """Tie the Informex dossier to the insurer's assignment through the 2e circuit form."""
    if ctx.data is None or ctx.informex_dossier is None:  # pragma: no cover - order of steps
        raise RuntimeError("link before prepare_data/inject")
    form = ctx.wx_second_circuit
    if not ctx.wx_dossier.is_showing(ctx.informex_dossier):  # e.g. redone after a new login
        ctx.wx_dossier.open(ctx.informex_dossier)
    ctx.wx_dossier.open_second_circuit()
    form.wait_until_shown()
    target = ctx.data.assignment_number
    current = form.current_assignment_number()
    if current == target:
        ctx.already_linked = not ctx.save_attempted
        ctx.log.info("2e circuit already holds {}: nothing to save", target)
        return
    if current and not ctx.force:
        raise LinkConflictError(
            f"2e circuit of {ctx.informex_dossier} already holds opdrachtnummer {current}, "
            f"not {target}; not overwritten (rerun with --force to replace it)",
            screen=form.screen,
        )
    if current:
        ctx.log.warning("--force: replacing opdrachtnummer {} by {}", current, target)
    form.fill(ctx.data)
    if ctx.dry_run:
        ctx.dry_run_values = form.read()
        ctx.log.info("dry run: the form is filled, not saved")
        ctx.stop_here = True
        return
    ctx.about_to_save()
    try:
        form.save()
    except WriteUncertainError:
        ctx.log.warning("the answer to Opslaan was lost; reading the form again first")
        form.open(ctx.informex_dossier)
        if form.current_assignment_number() != target:
            raise  # not saved: the step may be tried again
        ctx.log.info("the save did go through")
    ctx.log.info("2e circuit linked to {}", target)
