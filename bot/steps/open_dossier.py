"""Seed step 1: open the PlanManager dossier (search it as a person would) and read it.

When the dossier does not exist yet and the caller gave its data (`--create-from`), the step
creates it through PlanManager's "Nieuw dossier" form, with data validated before the run.
"""

from __future__ import annotations

from loguru import logger

from bot.domain.models import PlanManagerDossier
from bot.domain.new_dossier import NewDossierData
from bot.errors import WriteUncertainError
from bot.steps.screens import Screens


def open_planmanager_dossier(
    screens: Screens, number: str, create: NewDossierData | None, *, dry_run: bool
) -> PlanManagerDossier | None:
    """Find the dossier in PlanManager's list (or create it), open it and read it.

    Returns None only for a dry run that would have to create the dossier (its first write).
    """
    pm_list = screens.pm_list
    pm_list.open()
    pm_list.search(number)
    if not pm_list.lists(number) and create is not None:
        if dry_run:
            logger.info("dry run: would create dossier {} in PlanManager now", number)
            return None
        _create(screens, create)
    else:
        pm_list.open_dossier(number)
    dossier = screens.pm_dossier.read()
    logger.info(
        "dossier {} read: plate {}, {} photo(s), Informex {}",
        number,
        dossier.plate,
        dossier.photos,
        dossier.informex_dossier or "not yet",
    )
    return dossier


def _create(screens: Screens, data: NewDossierData) -> None:
    pm_list, form = screens.pm_list, screens.pm_form
    pm_list.start_new_dossier()
    form.fill(data)
    try:
        form.save()
    except WriteUncertainError:
        logger.warning("the answer to creating the dossier was lost; searching for it first")
        pm_list.open()
        pm_list.search(data.number)
        if not pm_list.lists(data.number):
            raise
        pm_list.open_dossier(data.number)
    logger.info("dossier {} created in PlanManager", data.number)
