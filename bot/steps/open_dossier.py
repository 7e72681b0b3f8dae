"""Seed step 1: open the PlanManager dossier (by its address, else as a person searches it).

When the dossier does not exist yet and the caller gave its data (`--create-from`), the step
creates it through PlanManager's "Nieuw dossier" form, with data validated before the run.
"""

from __future__ import annotations

from loguru import logger

from bot.domain.models import PlanManagerDossier
from bot.domain.new_dossier import NewDossierData
from bot.errors import DossierNotFoundError, WriteUncertainError
from bot.steps.screens import Screens


def open_planmanager_dossier(
    screens: Screens, number: str, create: NewDossierData | None, *, dry_run: bool
) -> PlanManagerDossier | None:
    """Open the dossier by its address and read it; search the list (or create it) if none.

    One page load for a dossier that exists (the list and its search cost two more). A dossier
    the address does not find is looked for in the list as a person would, so a PlanManager
    that files it under another address is still found before anything is created.
    Returns None only for a dry run that would have to create the dossier (its first write).
    """
    try:
        screens.pm_dossier.open(number)
    except DossierNotFoundError:
        pm_list = screens.pm_list
        pm_list.open()
        pm_list.search(number)
        if not pm_list.lists(number) and create is not None:
            if dry_run:
                logger.info("dry run: would create dossier {} in PlanManager now", number)
                return None
            _create(screens, create)
        else:
            pm_list.open_dossier(number)  # DossierNotFoundError when it is not listed either
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
