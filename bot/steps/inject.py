"""Seed step 2: the small "i" button. Injects the dossier into Informex at most once, ever.

Each confirmed click creates a new Informex dossier and costs the shop a fee, so the step decides
from what PlanManager shows *now*, never from memory: a dossier that shows an Informex number or
a pending injection is not injected again. When the answer to the click is lost (5xx, timeout)
the step reads PlanManager again before anything else.
"""

from __future__ import annotations

from bot.errors import WriteUncertainError
from bot.steps.context import DossierContext


def inject_into_informex(ctx: DossierContext) -> None:
    """Make sure the dossier exists in Informex, injecting it only if it does not yet."""
    page = ctx.pm_dossier
    page.open(ctx.job.dossier)
    existing = page.informex_number()
    if existing:
        ctx.informex_dossier = existing
        ctx.log.info("already in Informex as {}: not injecting again", existing)
        return
    if not page.injection_pending():
        if ctx.dry_run:
            ctx.log.info("dry run: would inject the dossier into Informex now")
            ctx.stop_here = True
            return
        try:
            page.inject()
            ctx.injected_now = True
        except WriteUncertainError:
            ctx.log.warning("the answer to the injection was lost; reading PlanManager first")
            page.open(ctx.job.dossier)
            if not (page.informex_number() or page.injection_pending()):
                raise  # nothing was written: safe to retry the whole step later
            ctx.injected_now = True
            ctx.log.info("the injection did go through; not clicking again")
    ctx.log.info("waiting for Informex to create the dossier")
    ctx.informex_dossier = page.wait_for_informex_number(ctx.settings.inject_timeout_s)
    ctx.log.info("Informex dossier {} created", ctx.informex_dossier)
