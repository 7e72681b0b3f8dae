"""One worker's dossiers: a fresh browser context per attempt, retries, a result per dossier.

The runner owns retries: a business error ends the dossier at once (retrying cannot fix data);
a system error gets a fresh context after an exponential backoff with jitter, and the steps start
again by reading the portals, which is what makes a retry safe after a write whose answer was lost.
Every attempt, step and save is noted in the run's ledger as it happens, so a run killed at any
moment resumes knowing how far each dossier got.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from loguru import logger
from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from bot.browser.launch import (
    SharedChromium,
    launch_browser,
    new_context,
    new_page,
    playwright_driver,
)
from bot.browser.sessions import PORTALS, PortalSessions
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.domain.new_dossier import NewDossierData
from bot.domain.validation import ValidationRules
from bot.engine.leases import LeaseBusy, LeaseStore, acquire, dossier_key
from bot.engine.stores import RunLedger, lease_store
from bot.errors import BotError, BusinessError, DossierInterrupted, LoginRefusedError
from bot.evidence.files import dossier_folder
from bot.evidence.recorder import Recorder
from bot.settings import Settings
from bot.steps.screens import Screens
from bot.steps.workflow import LinkRequest, Progress, StepRunner, link_dossier

StepListener = Callable[[DossierInput, str], None]


@dataclass(frozen=True)
class RunOptions:
    """What the caller chose for every dossier of a run (the command line's flags)."""

    workers: int = 1
    retries: int | None = None  # None: the settings' BOT_RETRIES
    force: bool = False
    dry_run: bool = False


def backoff_seconds(attempt: int, base: float, cap: float = 30.0) -> float:
    """Exponential backoff with jitter: attempt 1 → base/2..base, 2 → base/2..2·base, …

    Never more than `cap`, however large the base or the attempt (a night has other dossiers).
    """
    high = min(cap, base * 2 ** (attempt - 1))
    return random.uniform(min(base / 2, high), high)


def _creation(job: DossierInput, rules: ValidationRules) -> NewDossierData | None:
    """The dossier to create, for a job read back from a ledger (validated when it was added)."""
    if job.new_dossier is None:
        return None
    return NewDossierData.from_document(job.dossier, job.new_dossier, rules)


@dataclass
class _Attempt:
    status: DossierStatus
    error: str | None = None
    retryable: bool = False


class BotRun:
    """One worker of a run: its own browser (or a connection to the run's shared Chromium).

    Use as a context manager; `run(job)` links one dossier and returns its result. `playwright`
    is the caller's driver when given (the benchmark runs floor and bot side by side), else the
    run starts its own; `sessions` are the run's logins (made here when not given).
    """

    def __init__(
        self,
        settings: Settings,
        run_dir: Path,
        ledger: RunLedger,
        options: RunOptions | None = None,
        *,
        sessions: PortalSessions | None = None,
        shared_browser: SharedChromium | None = None,
        playwright: Playwright | None = None,
        stop: threading.Event | None = None,
        on_step: StepListener | None = None,
        leases: LeaseStore | None = None,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.run_dir = run_dir
        self.ledger = ledger
        self.options = options or RunOptions()
        self.retries = settings.retries if self.options.retries is None else self.options.retries
        self.rules = ValidationRules.from_settings(settings)
        self.sessions = sessions
        self.shared_browser = shared_browser  # a run's one Chromium, else our own
        self.stop = stop or threading.Event()  # set (SIGTERM): no retry waits out its backoff
        self.on_step = on_step
        self.leases = leases or lease_store(settings)  # files, or PostgreSQL (BOT_DATABASE_URL)
        self.before_write = before_write  # may refuse a billable write by raising (no disk)
        self.login_refused: str | None = None  # set when a portal refused a login mid-run
        self._playwright: Playwright | None = playwright
        self._own_playwright = playwright is None  # a caller's Playwright is the caller's to stop
        self.browser: Browser | None = None
        self._browser_generation = 0

    # -- lifecycle -----------------------------------------------------------------------
    def __enter__(self) -> BotRun:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self._own_playwright:
            self._playwright = playwright_driver().start()
        try:
            self.browser = self._open_browser()
            if self.sessions is None:
                self.sessions = PortalSessions(self.settings, self.run_dir)
                self.sessions.start(self.browser)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.browser is not None:
            with suppress(PlaywrightError):  # already gone
                self.browser.close()
            self.browser = None
        if self._playwright is not None and self._own_playwright:
            self._playwright.stop()
            self._playwright = None

    def _live_browser(self) -> Browser:
        """The run's browser, started again if it died (a crashed browser must not end a run)."""
        if self.browser is None or not self.browser.is_connected():
            logger.warning("the browser is gone; starting a new one")
            if self.shared_browser is not None:
                self.shared_browser.restart_if_dead(self._browser_generation)
            self.browser = self._open_browser()
        return self.browser

    def _open_browser(self) -> Browser:
        if self._playwright is None:  # pragma: no cover - used outside `with`
            raise RuntimeError("BotRun used outside its `with` block")
        if self.shared_browser is None:
            return launch_browser(self._playwright, self.settings)
        self._browser_generation = self.shared_browser.generation
        return self.shared_browser.connect(self._playwright)

    # -- one dossier ---------------------------------------------------------------------
    def run(self, job: DossierInput) -> DossierResult:
        """Link one dossier under its lease and store its final result in the ledger.

        No other process works on the dossier from before its state is first read until its
        result is final. A failure is a result, not a raise; one that waited in vain for the
        lease is a `system_error` ("busy …"), retried by a later run. Raises DossierInterrupted
        only when `stop` is set while a retry, or the lease, is waited for.
        """
        key = dossier_key(self.settings.planmanager.url, job.dossier)
        try:
            lease = acquire(
                self.leases,
                key,
                wait_s=self.settings.lease_wait_s,
                what=f"run {self.run_dir.name}",
                stop=self.stop,
            )
        except LeaseBusy as busy:
            if self.stop.is_set():
                raise DossierInterrupted(job.dossier) from None
            return self.ledger.finish(self._busy(job, busy))
        try:
            return self.ledger.finish(self._link(job))
        finally:
            lease.release()

    def _busy(self, job: DossierInput, busy: LeaseBusy) -> DossierResult:
        """The result of a dossier another process kept for longer than we may wait."""
        number = self.ledger.start_attempt(job.dossier)
        self.ledger.end_attempt(job.dossier, number, DossierStatus.SYSTEM_ERROR.value, str(busy))
        logger.bind(dossier=job.dossier, step="-").error("system_error: {}", busy)
        return DossierResult(
            dossier=job.dossier,
            assignment=job.assignment,
            status=DossierStatus.SYSTEM_ERROR,
            attempts=1,
            error=f"{busy} [dossier {job.dossier}]",
        )

    def _link(self, job: DossierInput) -> DossierResult:
        """Link one dossier, retrying system errors (the lease is held)."""
        log = logger.bind(dossier=job.dossier, step="-")
        started = time.monotonic()
        recorder = Recorder(
            self.run_dir / dossier_folder(job.dossier),
            self.run_dir,
            screenshots=self.settings.screenshots,
            trace=self.settings.trace,
            image_format=self.settings.screenshots_format,
        )
        # An earlier attempt (of this run, or of a killed run of it) pressed Opslaan.
        saved = self.ledger.saved_before(job.dossier)
        attempts = 0
        while True:
            attempts += 1
            final = attempts > self.retries
            number = self.ledger.start_attempt(job.dossier)
            progress = Progress(saved=saved)
            outcome = self._attempt(job, recorder, progress, attempts, final)
            saved = progress.saved
            self.ledger.end_attempt(job.dossier, number, outcome.status.value, outcome.error)
            if not outcome.retryable or final:
                break
            delay = backoff_seconds(attempts, self.settings.retry_backoff_s)
            log.warning(
                "attempt {} failed ({}); retrying in {:.1f} s", attempts, outcome.error, delay
            )
            if self.stop.wait(delay):  # the backoff, cut short by a stop
                recorder.finish(failed=True)
                log.warning("stop requested: not retried now; the dossier stays unfinished")
                raise DossierInterrupted(job.dossier)
        failed = not outcome.status.succeeded
        shots, trace = recorder.finish(failed=failed)
        result = DossierResult(
            dossier=job.dossier,
            assignment=progress.assignment.number if progress.assignment else job.assignment,
            status=outcome.status,
            informex_dossier=progress.informex_dossier,
            attempts=attempts,
            duration_s=time.monotonic() - started,
            error=outcome.error,
            screenshots=shots,
            trace=trace,
            step=progress.completed[-1] if progress.completed else None,
            values=(progress.dry_run_values or (progress.data.to_dict() if progress.data else None))
            if self.options.dry_run
            else None,
        )
        level = "SUCCESS" if not failed else "ERROR"
        log.log(level, "{}{}", result.status.value, f": {result.error}" if result.error else "")
        return result

    def _before_write(self, job: DossierInput, what: str) -> None:
        """Just before a billable write: the run's own check, then (a save) the ledger's note."""
        if self.before_write is not None:
            self.before_write()
        if what == "save":
            self.ledger.record_save(job.dossier)

    def _request(self, job: DossierInput) -> LinkRequest:
        return LinkRequest(
            job=job,
            rules=self.rules,
            inject_timeout_s=self.settings.inject_timeout_s,
            create=job.creation or _creation(job, self.rules),
            force=self.options.force,
            dry_run=self.options.dry_run,
        )

    def _attempt(
        self,
        job: DossierInput,
        recorder: Recorder,
        progress: Progress,
        attempt: int,
        final: bool,
    ) -> _Attempt:
        """One try in a fresh context; the trace is kept when the settings say so."""
        if self.sessions is None:  # pragma: no cover - used outside `with`
            raise RuntimeError("BotRun used outside its `with` block")
        sessions = self.sessions
        context = None
        try:
            request = self._request(job)
            context = new_context(self._live_browser(), self.settings, sessions.storage_state)
            generations = {p: sessions.generation(p) for p in PORTALS}

            def relogin(portal: str) -> None:
                sessions.refresh_into(context, portal, generations[portal])
                generations[portal] = sessions.generation(portal)

            def step_done(step: str) -> None:
                self.ledger.record_step(job.dossier, step)
                if self.on_step is not None:
                    self.on_step(job, step)

            recorder.start_trace(
                context, title=f"{job.dossier} attempt {attempt}", first_attempt=attempt == 1
            )
            screens = Screens.on(new_page(context), recorder, self.settings)
            step = StepRunner(job.dossier, recorder, relogin, progress, step_done)
            status = link_dossier(
                screens, request, step, before_write=lambda what: self._before_write(job, what)
            )
            outcome = _Attempt(status)
        except BusinessError as exc:
            outcome = _Attempt(DossierStatus.BUSINESS_ERROR, str(exc))
        except LoginRefusedError as exc:  # a new login mid-run refused (or throttled): the run
            self.login_refused = str(exc)  # must stop, or each dossier would try once more
            outcome = _Attempt(DossierStatus.SYSTEM_ERROR, str(exc))
        except BotError as exc:
            outcome = _Attempt(DossierStatus.SYSTEM_ERROR, str(exc), exc.retryable)
        except PlaywrightError as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            outcome = _Attempt(DossierStatus.SYSTEM_ERROR, f"browser error: {message}", True)
        except Exception as exc:  # a bug or the machine (disk, memory): a result, not a crash
            logger.opt(exception=exc).error("unexpected error in {}", job.dossier)
            outcome = _Attempt(
                DossierStatus.SYSTEM_ERROR, f"unexpected error: {type(exc).__name__}: {exc}"
            )
        failed = not outcome.status.succeeded
        recorder.stop_trace(keep_failed=failed and (final or not outcome.retryable))
        if context is not None:
            with suppress(PlaywrightError):  # the browser died with it
                context.close()
        return outcome
