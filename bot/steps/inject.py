"""Seed step 2: the small "i" button. Injects the dossier into Informex at most once, ever.

Each confirmed click creates a new Informex dossier and costs the shop a fee, so the step decides
from what PlanManager shows *now*, never from memory: a dossier that shows an Informex number or
a pending injection is not injected again. When the answer to the click is lost (5xx, timeout)
the step reads PlanManager again before anything else.
"""

from __future__ import annotations

from collections.abc import Callable

from loguru import logger

from bot.errors import WriteUncertainError
from bot.steps.screens import Screens


def inject_into_informex(
    screens: Screens,
    number: str,
    *,
    dry_run: bool,
    timeout_s: float,
    before_inject: Callable[[], None],
) -> str | None:
    """The dossier's Informex number, injecting the dossier only if it is not in Informex yet.

    `before_inject` is called just before the (billable) click and may refuse it by raising.
    Returns None only for a dry run that would have to inject (its first write).
    """
    page = screens.pm_dossier
    page.open(number)
    existing = page.informex_number()
    if existing:
        logger.info("already in Informex as {}: not injecting again", existing)
        return existing
    if not page.injection_pending():
        if dry_run:
            logger.info("dry run: would inject the dossier into Informex now")
            return None
        before_inject()
        try:
            page.inject()
        except WriteUncertainError:
            logger.warning("the answer to the injection was lost; reading PlanManager first")
            page.open(number)
            if not (page.informex_number() or page.injection_pending()):
                raise  # nothing was written: safe to retry the whole step later
            logger.info("the injection did go through; not clicking again")
    logger.info("waiting for Informex to create the dossier")
    informex = page.wait_for_informex_number(timeout_s)
    logger.info("Informex dossier {} created", informex)
    return informex
