"""Seed step 1: open the PlanManager dossier (search it as a person would) and read it.

When the dossier does not exist yet and the caller gave its data (`--create-from`), the step
creates it through PlanManager's "Nieuw dossier" form, after validating every value.
"""

from __future__ import annotations

from bot.domain.new_dossier import NewDossierData
from bot.errors import WriteUncertainError
from bot.pages.planmanager.dossier_form import DossierFormPage
from bot.steps.context import DossierContext


def open_planmanager_dossier(ctx: DossierContext) -> None:
    """Find the dossier in PlanManager's list (or create it), open it and read its data."""
    number = ctx.job.dossier
    ctx.pm_list.open()
    ctx.pm_list.search(number)
    if not ctx.pm_list.lists(number) and ctx.job.new_dossier is not None:
        data = NewDossierData.from_document(number, ctx.job.new_dossier, ctx.rules)
        if ctx.dry_run:
            ctx.log.info("dry run: would create dossier {} in PlanManager now", number)
            ctx.stop_here = True
            return
        _create(ctx, data)
    else:
        ctx.pm_list.open_dossier(number)
    ctx.dossier = ctx.pm_dossier.read()
    ctx.log.info(
        "dossier {} read: plate {}, {} photo(s), Informex {}",
        number,
        ctx.dossier.plate,
        ctx.dossier.photos,
        ctx.dossier.informex_dossier or "not yet",
    )


def _create(ctx: DossierContext, data: NewDossierData) -> None:
    form = DossierFormPage(ctx.page, ctx.recorder, ctx.settings.planmanager.url)
    ctx.pm_list.start_new_dossier()
    form.fill(data)
    try:
        form.save()
    except WriteUncertainError:
        ctx.log.warning("the answer to creating the dossier was lost; searching for it first")
        ctx.pm_list.open()
        ctx.pm_list.search(data.number)
        if not ctx.pm_list.lists(data.number):
            raise
        ctx.pm_list.open_dossier(data.number)
    ctx.log.info("dossier {} created in PlanManager", data.number)
