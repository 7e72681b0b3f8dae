"""Seed step 1: open the PlanManager dossier (search it as a person would) and read it."""

from __future__ import annotations

from bot.steps.context import DossierContext


def open_planmanager_dossier(ctx: DossierContext) -> None:
    """Find the dossier in PlanManager's list, open it and read its data."""
    number = ctx.job.dossier
    ctx.pm_list.open()
    ctx.pm_list.search(number)
    ctx.pm_list.open_dossier(number)
    ctx.dossier = ctx.pm_dossier.read()
    ctx.log.info(
        "dossier {} read: plate {}, {} photo(s), Informex {}",
        number,
        ctx.dossier.plate,
        ctx.dossier.photos,
        ctx.dossier.informex_dossier or "not yet",
    )
