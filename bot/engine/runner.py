"""Run dossiers through the workflow: one browser, one login per portal, one context per attempt.

The runner owns retries: a business error ends the dossier at once (retrying cannot fix data);
a system error gets a fresh context after an exponential backoff with jitter, and the steps start
again by reading the portals, which is what makes a retry safe after a write whose answer was lost.
"""

from __future__ import annotations

import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol

from loguru import logger
from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from bot.browser.launch import SharedChromium, launch_browser, new_context, playwright_driver
from bot.browser.sessions import PORTALS, PortalSessions
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.domain.validation import ValidationRules
from bot.errors import BotError, BusinessError, DossierInterrupted
from bot.evidence.recorder import Recorder
from bot.pages.popups import install_popup_handlers
from bot.settings import Settings
from bot.steps.context import DossierContext
from bot.steps.workflow import link_dossier

ProgressCallback = Callable[[DossierInput, str], None]
# Called before an attempt (status None; returns the attempt's number in the ledger) and after it.
AttemptCallback = Callable[[DossierInput, int, "DossierStatus | None", "str | None"], int]


class SaveJournal(Protocol):
    """Where a batch keeps, across kills and resumes, which dossiers had Opslaan pressed."""

    def record_save(self, dossier: str) -> None: ...

    def saved_before(self, dossier: str) -> bool: ...


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: 20261128-231502-3fa1."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(2)}"


def folder_name(dossier: str) -> str:
    """A dossier number made safe as a folder name (PM-2026-0101 stays as it is)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", dossier).strip("._") or "dossier"


def backoff_seconds(attempt: int, base: float, cap: float = 30.0) -> float:
    """Exponential backoff with jitter: attempt 1 → base/2..base, 2 → base/2..2·base, …

    Never more than `cap`, however large the base or the attempt (a night has other dossiers).
    """
    high = min(cap, base * 2 ** (attempt - 1))
    return random.uniform(min(base / 2, high), high)


def validation_rules(settings: Settings) -> ValidationRules:
    return ValidationRules.from_settings(settings)


@dataclass
class _Attempt:
    status: DossierStatus
    error: str | None = None
    retryable: bool = False
    ctx: DossierContext | None = None
    completed: list[str] = field(default_factory=list)


class BotRun:
    """A run of the bot over one or more dossiers, writing evidence into `run_dir`."""

    def __init__(
        self,
        settings: Settings,
        run_dir: Path,
        *,
        force: bool = False,
        dry_run: bool = False,
        retries: int | None = None,
        on_progress: ProgressCallback | None = None,
        sessions: PortalSessions | None = None,
        on_attempt: AttemptCallback | None = None,
        shared_browser: SharedChromium | None = None,
        playwright: Playwright | None = None,
        stop: threading.Event | None = None,
        saves: SaveJournal | None = None,
    ) -> None:
        self.settings = settings
        self.run_dir = run_dir
        self.force = force
        self.dry_run = dry_run
        self.retries = settings.retries if retries is None else retries
        self.on_progress = on_progress
        self.on_attempt = on_attempt
        self.rules = validation_rules(settings)
        self._playwright: Playwright | None = playwright
        self._own_playwright = playwright is None  # a caller's Playwright is the caller's to stop
        self.browser: Browser | None = None
        self.sessions = sessions  # shared by a batch's workers, else made at the start
        self.shared_browser = shared_browser  # a batch's one Chromium, else our own
        self._browser_generation = 0
        self.stop = stop or threading.Event()  # set (SIGTERM): no retry waits out its backoff
        self.saves = saves  # a batch's ledger: saves survive a kill

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
        """The run's browser, started again if it died (a crashed browser must not end a batch)."""
        if self.browser is None or not self.browser.is_connected():
            if self._playwright is None:  # pragma: no cover - used outside `with`
                raise RuntimeError("BotRun used outside its `with` block")
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
        """Link one dossier, retrying system errors; a failure is a result, not a raise.

        Raises DossierInterrupted only when `stop` is set while a retry waits.
        """
        log = logger.bind(dossier=job.dossier, step="-")
        started = time.monotonic()
        recorder = Recorder(
            self.run_dir / folder_name(job.dossier),
            self.run_dir,
            screenshots=self.settings.screenshots,
            trace=self.settings.trace,
        )
        attempts = 0
        # an earlier attempt (of this run, or of a killed run of this batch) pressed Opslaan
        saved_before = self.saves.saved_before(job.dossier) if self.saves else False
        while True:
            attempts += 1
            final = attempts > self.retries
            number = self.on_attempt(job, attempts, None, None) if self.on_attempt else attempts
            outcome = self._attempt(job, recorder, attempts, final, saved_before)
            saved_before = saved_before or bool(outcome.ctx and outcome.ctx.save_attempted)
            if self.on_attempt:
                self.on_attempt(job, number, outcome.status, outcome.error)
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
        failed = outcome.status in (DossierStatus.BUSINESS_ERROR, DossierStatus.SYSTEM_ERROR)
        shots, trace = recorder.finish(failed=failed)
        ctx = outcome.ctx
        result = DossierResult(
            dossier=job.dossier,
            assignment=(ctx.assignment.number if ctx and ctx.assignment else job.assignment),
            status=outcome.status,
            informex_dossier=ctx.informex_dossier if ctx else None,
            attempts=attempts,
            duration_s=time.monotonic() - started,
            error=outcome.error,
            screenshots=shots,
            trace=trace,
            step=outcome.completed[-1] if outcome.completed else None,
            values=(ctx.dry_run_values or (ctx.data.to_dict() if ctx.data else None))
            if ctx and self.dry_run
            else None,
        )
        level = "SUCCESS" if not failed else "ERROR"
        log.log(level, "{}{}", result.status.value, f": {result.error}" if result.error else "")
        return result

    def _attempt(
        self,
        job: DossierInput,
        recorder: Recorder,
        attempt: int,
        final: bool,
        saved_before: bool = False,
    ) -> _Attempt:
        """One try in a fresh context; the trace is kept when the settings say so.

        `saved_before` says an earlier try pressed Opslaan: a 2e circuit found holding the
        opdrachtnummer is then this run's own save (`linked`), not an older one
        (`already_linked`).
        """
        if self.sessions is None:  # pragma: no cover - used outside `with`
            raise RuntimeError("BotRun used outside its `with` block")
        sessions = self.sessions
        saves = self.saves
        outcome: _Attempt
        ctx: DossierContext | None = None
        context = None
        try:
            browser = self._live_browser()
            context = new_context(browser, self.settings, sessions.storage_state)
            generations = {p: sessions.generation(p) for p in PORTALS}

            def relogin(portal: str) -> None:
                sessions.refresh_into(context, portal, generations[portal])
                generations[portal] = sessions.generation(portal)

            recorder.start_trace(context, title=f"{job.dossier} attempt {attempt}")
            page = context.new_page()
            install_popup_handlers(page)
            ctx = DossierContext(
                job=job,
                settings=self.settings,
                rules=self.rules,
                page=page,
                recorder=recorder,
                relogin=relogin,
                force=self.force,
                dry_run=self.dry_run,
                save_attempted=saved_before,
                on_save=(lambda: saves.record_save(job.dossier)) if saves else None,
            )
            progress = self.on_progress
            status = link_dossier(ctx, (lambda step: progress(job, step)) if progress else None)
            outcome = _Attempt(status=status, ctx=ctx)
        except BusinessError as exc:
            outcome = _Attempt(DossierStatus.BUSINESS_ERROR, str(exc), ctx=ctx)
        except BotError as exc:
            outcome = _Attempt(DossierStatus.SYSTEM_ERROR, str(exc), exc.retryable, ctx=ctx)
        except PlaywrightError as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            outcome = _Attempt(
                DossierStatus.SYSTEM_ERROR, f"browser error: {message}", True, ctx=ctx
            )
        if ctx is not None:
            outcome.completed = list(ctx.completed)
        failed = outcome.status in (DossierStatus.BUSINESS_ERROR, DossierStatus.SYSTEM_ERROR)
        recorder.stop_trace(keep_failed=failed and (final or not outcome.retryable))
        if context is not None:
            with suppress(PlaywrightError):  # the browser died with it
                context.close()
        return outcome
