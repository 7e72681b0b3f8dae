"""The seed's procedure as steps: dossier → inject → imported dossier → 2e circuit → verify.

Each step receives what it needs and returns what it found; the workflow passes the results on,
in the seed's order, and notes them in `Progress` so that the runner can report how far a
dossier got. Each step reads the portals before it writes, so any step may be redone. A lost
session is handled here, around one step: log in again (outside the traced context) and redo
that step, keeping everything the earlier steps found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from loguru import logger

from bot.domain.models import (
    SEED_STEPS,
    Assignment,
    DossierInput,
    DossierStatus,
    PlanManagerDossier,
    SecondCircuitData,
)
from bot.domain.new_dossier import NewDossierData
from bot.domain.validation import ValidationRules
from bot.errors import DUPLICATE_PREFIX, BotError, DuplicateInformexError, SessionExpiredError
from bot.evidence.recorder import Recorder
from bot.steps.check_complete import check_dossier_complete
from bot.steps.find_assignment import find_insurance_assignment
from bot.steps.inject import inject_into_informex
from bot.steps.link import link_assignment
from bot.steps.open_dossier import open_planmanager_dossier
from bot.steps.open_imported import open_imported_dossier
from bot.steps.prepare_data import prepare_second_circuit_data
from bot.steps.screens import Screens
from bot.steps.verify import verify_link

STEPS: dict[Callable[..., Any], str] = dict(
    zip(
        (
            open_planmanager_dossier,
            check_dossier_complete,
            find_insurance_assignment,
            prepare_second_circuit_data,
            inject_into_informex,
            open_imported_dossier,
            link_assignment,
            verify_link,
        ),
        SEED_STEPS,
        strict=True,
    )
)
"""Each step function and its name in the ledger, the screenshots and the report."""
RELOGINS_PER_STEP = 2
T = TypeVar("T")


@dataclass(frozen=True)
class LinkRequest:
    """What the caller asks for one dossier, validated before the browser starts."""

    job: DossierInput
    rules: ValidationRules
    inject_timeout_s: float
    create: NewDossierData | None = None  # the dossier's data, when it may have to be created
    force: bool = False
    dry_run: bool = False


@dataclass
class Progress:
    """How far one dossier got: what the steps returned, for the result and the report.

    Kept across the attempts of a run only for `saved`: a retry that finds the link in place
    must know that an earlier attempt (or a killed run: the ledger says so) pressed Opslaan.
    """

    saved: bool = False
    dossier: PlanManagerDossier | None = None
    assignment: Assignment | None = None
    data: SecondCircuitData | None = None
    informex_dossier: str | None = None
    dry_run_values: dict[str, Any] | None = None
    completed: list[str] = field(default_factory=list)


@dataclass
class StepRunner:
    """Runs one named step: recorder and log lines tagged with it, a lost session healed."""

    dossier: str
    recorder: Recorder
    relogin: Callable[[str], None]
    progress: Progress
    on_step_done: Callable[[str], None] | None = None

    def __call__(self, step: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        name = STEPS[step]
        self.recorder.at_step(name)
        with logger.contextualize(dossier=self.dossier, step=name):
            result = self._with_relogin(name, step, args, kwargs)
        self.progress.completed.append(name)
        if self.on_step_done is not None:
            self.on_step_done(name)
        return result

    def _with_relogin(
        self, name: str, step: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> T:
        for attempt in range(RELOGINS_PER_STEP + 1):
            try:
                return step(*args, **kwargs)
            except SessionExpiredError as exc:
                exc.located(dossier=self.dossier, step=name)
                if attempt == RELOGINS_PER_STEP:
                    raise
                logger.warning(
                    "{} session expired; logging in again and redoing {}", exc.portal, name
                )
                self.relogin(exc.portal)
            except BotError as exc:
                exc.located(dossier=self.dossier, step=name)
                raise
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def link_dossier(
    screens: Screens,
    request: LinkRequest,
    step: StepRunner,
    before_write: Callable[[str], None],
) -> DossierStatus:
    """Run the seed's steps for one dossier; return linked / already_linked / dry_run.

    `before_write("inject")` and `before_write("save")` are called just before each billable
    write (the engine checks there is room for the evidence, and notes a save in the ledger).
    """
    job, progress, dry_run = request.job, step.progress, request.dry_run
    dossier = step(open_planmanager_dossier, screens, job.dossier, request.create, dry_run=dry_run)
    if dossier is None:  # a dry run stops before its first write: creating the dossier
        return DossierStatus.DRY_RUN
    progress.dossier = dossier
    step(check_dossier_complete, dossier)
    assignment = step(
        find_insurance_assignment, screens, dossier, job.assignment, force=request.force
    )
    progress.assignment = assignment
    number = job.assignment or assignment.number  # a given number was validated with the input
    data = step(prepare_second_circuit_data, dossier, number, job.overrides, request.rules)
    progress.data = data
    informex = step(
        inject_into_informex,
        screens,
        job.dossier,
        dry_run=dry_run,
        timeout_s=request.inject_timeout_s,
        before_inject=lambda: before_write("inject"),
    )
    if informex is None:  # a dry run stops before its first write: the injection
        return DossierStatus.DRY_RUN
    progress.informex_dossier = informex
    imported = step(open_imported_dossier, screens, informex, job.dossier)

    def saving() -> None:
        before_write("save")
        progress.saved = True

    link = step(
        link_assignment,
        screens,
        informex,
        data,
        force=request.force,
        dry_run=dry_run,
        before_save=saving,
    )
    if link.dry_run_values is not None:
        progress.dry_run_values = link.dry_run_values
        return DossierStatus.DRY_RUN
    linked_before = link.held_already and not progress.saved
    step(
        verify_link, screens, informex, data, dossier, imported.photos, linked_before=linked_before
    )
    if imported.duplicates:  # linked on the one PlanManager shows; the others need a person
        numbers = ", ".join(sorted({informex, *imported.duplicates}))
        raise DuplicateInformexError(
            f"{DUPLICATE_PREFIX} {numbers} for {job.dossier}: remove one in Winformex "
            f"(the 2e circuit was filled on {informex}, the one PlanManager shows)",
            dossier=job.dossier,
            step="verify",
            screen=screens.wx_inbox.screen,
        )
    if dry_run:
        return DossierStatus.DRY_RUN
    return DossierStatus.ALREADY_LINKED if linked_before else DossierStatus.LINKED
