"""The Celery task (one dossier of a run) and what each worker process keeps between dossiers.

A worker process keeps one Playwright driver and one Chromium, and one login per shop (profile):
`PortalSessions` holds a shop's cookies, so a dossier's fresh context starts logged in, as in a
local batch. The Chromium is closed and started again every `recycle_after` dossiers (a browser
that ran for hours grows); the logins outlive it. At the end (`worker_process_shutdown`) the
process logs out of every portal it logged in to.

A task does what a worker thread of the local engine does for one dossier, with the same pieces:
`BotRun.run` links it under its per-dossier lease with the bot's retry policy (business errors
never retried; system errors retried with backoff inside the task, never by Celery), and notes
every attempt, step and save in the run's ledger. Before that, the task takes the dossier's lease
itself and reads the ledger under it: a dossier already final (a second delivery of the same
task, or one enqueued twice) is left alone, and one left in progress (its worker died) is taken
up like a rerun, by reading the portals first. Like the local engine, it makes no billable write
(the "i", Opslaan) when the run folder or the lease folder has less than BOT_MIN_FREE_MB free:
the dossier ends system_error saying how much is free. With BOT_MAX_PER_SHOP the task first
takes one of its shop's slots; when none comes free soon, the task goes back to the queue with a
countdown (never an error).
"""

from __future__ import annotations

import os
import random
import socket
import threading
import time
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from celery import Task
from celery.signals import worker_process_init, worker_process_shutdown
from loguru import logger
from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

from bot.browser.launch import launch_browser, playwright_driver
from bot.browser.sessions import PortalSessions
from bot.domain.models import DossierInput, DossierResult, DossierStatus, Overrides
from bot.domain.validation import AssignmentNumber
from bot.engine.celery_app import TASK_NAME, app
from bot.engine.disk import room_for_evidence
from bot.engine.leases import Holder, Lease, LeaseBusy, LeaseStore, acquire, dossier_key
from bot.engine.runner import BotRun, RunOptions, backoff_seconds
from bot.engine.shops import Profiles, shop_slot
from bot.engine.stores import RunLedger, lease_store, run_ledgers
from bot.errors import BotError, ConfigError, LoginRefusedError
from bot.evidence.logging_setup import add_json_sink, redact_also
from bot.settings import Settings

RECYCLE_AFTER = 50
"""Dossiers a worker process's Chromium links before it is replaced (`worker --recycle-after`)."""
SLOT_WAIT_S = 20.0
"""How long a task waits in its worker for a free slot of its shop before it goes back to the
queue (BOT_MAX_PER_SHOP); it comes back after SLOT_COUNTDOWN_S."""
SLOT_COUNTDOWN_S = (5.0, 15.0)
MISSING_RUN_RETRIES = 10  # a run this worker cannot see: BOT_RUNS_DIR / BOT_DATABASE_URL differ?


# -- messages: plain JSON, never a credential -------------------------------------------------
def job_message(job: DossierInput) -> dict[str, Any]:
    """A dossier's input as a task carries it (the shop travels as its profile's name only)."""
    return {
        "dossier": job.dossier,
        "assignment": job.assignment,
        "overrides": dict(job.overrides),
        "line": job.line,
        "new_dossier": job.new_dossier,
    }


def job_from_message(data: dict[str, Any], profile: str) -> DossierInput:
    """The input back from a message (validated when the run was made; not judged again)."""
    assignment = data.get("assignment")
    return DossierInput(
        dossier=str(data["dossier"]),
        assignment=AssignmentNumber(assignment) if assignment else None,
        overrides=Overrides(data.get("overrides") or {}),
        line=data.get("line"),
        new_dossier=data.get("new_dossier"),
        profile=profile,
    )


def options_message(options: RunOptions) -> dict[str, Any]:
    return {"retries": options.retries, "force": options.force, "dry_run": options.dry_run}


def enqueue(run_id: str, job: DossierInput, options: RunOptions) -> str:
    """Send one dossier's task; returns its task id."""
    sent = link_dossier.apply_async(
        args=(run_id, job_message(job), job.profile, options_message(options))
    )
    return str(sent.id)


# -- what a worker process keeps ----------------------------------------------------------------
_base_settings: Settings | None = None
_recycle_after = RECYCLE_AFTER
_worker: WorkerProcess | None = None


def set_worker_settings(settings: Settings, *, recycle_after: int = RECYCLE_AFTER) -> None:
    """Called by `informex-bot worker` before Celery forks its processes (they inherit it)."""
    global _base_settings, _recycle_after
    _base_settings, _recycle_after = settings, max(1, recycle_after)


class _ShopLedger:
    """The run's ledger as one dossier's BotRun sees it: its result stored with its shop."""

    def __init__(self, ledger: RunLedger, profile: str) -> None:
        self._ledger = ledger
        self._profile = profile

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)

    def finish(self, result: DossierResult) -> DossierResult:
        return self._ledger.finish(replace(result, profile=self._profile))


class _Held:
    """A lease this task already holds, as BotRun asks for it again (a second take of the same
    flock or advisory lock would wait for itself)."""

    def release(self) -> None:
        return None


class _HoldingStore:
    """The lease store, except for the one key the task holds already."""

    def __init__(self, store: LeaseStore, held_key: str) -> None:
        self.store = store
        self.held_key = held_key

    def try_acquire(self, key: str, holder: Holder) -> Lease | None:
        return _Held() if key == self.held_key else self.store.try_acquire(key, holder)

    def holder(self, key: str) -> Holder | None:
        return self.store.holder(key)


class WorkerProcess:
    """One Celery worker process: its Chromium, its logins (one per shop), its dossier count."""

    def __init__(self, settings: Settings, *, recycle_after: int = RECYCLE_AFTER) -> None:
        self.settings = settings
        self.profiles = Profiles(settings)
        self.recycle_after = recycle_after
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.linked = 0  # dossiers since the browser started
        self.stop = threading.Event()
        self._sessions: dict[str, PortalSessions] = {}
        self._refused: dict[str, str] = {}
        self.login_dir = settings.state_dir / "workers" / f"{socket.gethostname()}-{os.getpid()}"

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        self.playwright = playwright_driver().start()
        self.live_browser()

    def live_browser(self) -> Browser:
        """The process's Chromium, started (again) when there is none or it died."""
        if self.playwright is None:
            self.playwright = playwright_driver().start()
        if self.browser is None or not self.browser.is_connected():
            if self.browser is not None:
                logger.warning("the worker's browser is gone; starting a new one")
            self.browser = launch_browser(self.playwright, self.settings)
            self.linked = 0
        return self.browser

    def _adopt(self, browser: Browser | None) -> None:
        """After a dossier: keep the browser BotRun ended with (a new one if ours died), and
        replace it once it has linked `recycle_after` dossiers."""
        if browser is not None and browser is not self.browser:
            self._close_browser()
            self.browser = browser
            self.linked = 0
        self.linked += 1
        if self.linked >= self.recycle_after:
            logger.info("recycling the browser after {} dossiers", self.linked)
            self._close_browser()

    def _close_browser(self) -> None:
        if self.browser is not None:
            with suppress(PlaywrightError):
                self.browser.close()
            self.browser = None
        self.linked = 0

    def close(self) -> None:
        """Log out of every portal this process logged in to; stop the browser and driver."""
        if any(s.made_here() for s in self._sessions.values()):
            try:
                browser = self.live_browser()
                for sessions in self._sessions.values():
                    sessions.log_out(browser)
            except Exception as exc:  # the sessions expire on their own
                logger.warning("could not log out at the worker's end: {}", exc)
        self._sessions.clear()
        self._close_browser()
        if self.playwright is not None:
            with suppress(Exception):
                self.playwright.stop()
            self.playwright = None

    # -- logins ---------------------------------------------------------------------------
    def sessions(self, profile: str, settings: Settings) -> PortalSessions:
        """The shop's logins, made once per process (LoginRefusedError once refused)."""
        if profile in self._refused:
            raise LoginRefusedError(self._refused[profile])
        known = self._sessions.get(profile)
        if known is not None:
            return known
        redact_also(settings.secrets)
        sessions = PortalSessions(settings, self.login_dir / (profile or "_default"))
        try:
            sessions.start(self.live_browser())
        except LoginRefusedError as exc:
            self._refused[profile] = f"shop {profile or '(default)'}: {exc}"
            raise LoginRefusedError(self._refused[profile]) from None
        self._sessions[profile] = sessions
        return sessions

    # -- one dossier ----------------------------------------------------------------------
    def link(self, task: Task, run_id: str, job: DossierInput, options: RunOptions) -> str:
        """Link one dossier of run `run_id`; returns how it ended (for Celery's log only)."""
        run_dir = self.settings.runs_dir / run_id
        ledgers = run_ledgers(self.settings)
        if not ledgers.exists(run_dir):
            logger.error(
                "run {} is not in {}: is BOT_RUNS_DIR (and BOT_DATABASE_URL) the one the run "
                "was made with? The task goes back to the queue",
                run_id,
                ledgers.where(run_dir),
            )
            raise task.retry(countdown=30, max_retries=MISSING_RUN_RETRIES)
        ledger = ledgers.open(run_dir)
        sink = add_json_sink(run_dir / "bot.log.jsonl", level=self.settings.log_level)
        try:
            with logger.contextualize(dossier=job.dossier, step="-"):
                return self._link(task, run_id, run_dir, ledger, job, options)
        finally:
            logger.remove(sink)
            ledger.close()

    def _link(
        self,
        task: Task,
        run_id: str,
        run_dir: Path,
        ledger: RunLedger,
        job: DossierInput,
        options: RunOptions,
    ) -> str:
        if not _pending(ledger, job):
            logger.info("{} is final already in run {}: nothing to do", job.dossier, run_id)
            return "final already"
        try:
            settings = self.profiles.settings(job.profile)
        except ConfigError as exc:  # a shop this worker has no (valid) profile for
            return _fail(ledger, job, f"this worker cannot serve the dossier's shop: {exc}")
        store = lease_store(settings)
        slot = None
        if settings.max_per_shop:
            slot = shop_slot(
                store,
                job.profile,
                settings.max_per_shop,
                wait_s=SLOT_WAIT_S,
                what=f"run {run_id} {job.dossier}",
                stop=self.stop,
            )
            if slot is None:
                logger.info(
                    "shop {} has {} dossier(s) in hand (BOT_MAX_PER_SHOP): {} waits its turn",
                    job.profile or "(default)",
                    settings.max_per_shop,
                    job.dossier,
                )
                raise task.retry(countdown=random.uniform(*SLOT_COUNTDOWN_S), max_retries=None)
        try:
            return self._link_leased(task, run_id, run_dir, ledger, job, options, settings, store)
        finally:
            if slot is not None:
                slot.release()

    def _link_leased(
        self,
        task: Task,
        run_id: str,
        run_dir: Path,
        ledger: RunLedger,
        job: DossierInput,
        options: RunOptions,
        settings: Settings,
        store: LeaseStore,
    ) -> str:
        key = dossier_key(settings.planmanager.url, job.dossier)
        try:
            lease = acquire(
                store, key, wait_s=settings.lease_wait_s, what=f"run {run_id}", stop=self.stop
            )
        except LeaseBusy as busy:
            if not _pending(ledger, job):
                return "final already"
            return _fail(ledger, job, str(busy))
        try:
            if not _pending(ledger, job):  # a twin delivery finished it while we waited
                logger.info("{} was finished by another delivery meanwhile", job.dossier)
                return "final already"
            try:
                sessions = self.sessions(job.profile, settings)
            except LoginRefusedError as exc:
                return _fail(ledger, job, str(exc))
            except (BotError, PlaywrightError) as exc:  # a portal or browser down: later
                if task.request.retries >= settings.retries:
                    return _fail(ledger, job, f"login failed: {exc}")
                delay = backoff_seconds(task.request.retries + 1, settings.retry_backoff_s)
                logger.warning("login failed ({}); the dossier comes back in {:.0f} s", exc, delay)
                raise task.retry(countdown=delay, max_retries=None) from None
            run_dir.mkdir(parents=True, exist_ok=True)
            bot = BotRun(
                settings,
                run_dir,
                _ShopLedger(ledger, job.profile),  # type: ignore[arg-type]
                options,
                sessions=sessions,
                playwright=self.playwright,
                stop=self.stop,
                leases=_HoldingStore(store, key),
                # no write without room for its evidence; only this dossier is refused (other
                # tasks check for themselves), so nothing is halted
                before_write=lambda: room_for_evidence(settings, run_dir),
            )
            bot.browser = self.live_browser()
            result = bot.run(job)
            self._adopt(bot.browser)
            language = sessions.languages.get("winformex") or sessions.languages.get("planmanager")
            if language and ledger.meta().get("portal_language") != language:
                ledger.set_meta(portal_language=language)
            return result.status.value
        finally:
            lease.release()


def _pending(ledger: RunLedger, job: DossierInput) -> bool:
    """Whether the dossier still has to be done in this run (pending or left in progress)."""
    return any(pending.dossier == job.dossier for pending in ledger.pending_jobs())


def _fail(ledger: RunLedger, job: DossierInput, message: str) -> str:
    """End the dossier `system_error` without a browser attempt (a login refused, a busy lease,
    a shop this worker does not know): it counts, the run ends, a rerun picks it up."""
    number = ledger.start_attempt(job.dossier)
    ledger.end_attempt(job.dossier, number, DossierStatus.SYSTEM_ERROR.value, message)
    ledger.finish(
        DossierResult(
            dossier=job.dossier,
            assignment=job.assignment,
            status=DossierStatus.SYSTEM_ERROR,
            attempts=1,
            error=f"{message} [dossier {job.dossier}]",
            profile=job.profile,
        )
    )
    logger.error("system_error: {}", message)
    return DossierStatus.SYSTEM_ERROR.value


def current_worker() -> WorkerProcess:
    """This process's worker state (made on first use when no signal made it, e.g. tests)."""
    global _worker
    if _worker is None:
        if _base_settings is None:
            raise ConfigError("this process was not started by `informex-bot worker`")
        _worker = WorkerProcess(_base_settings, recycle_after=_recycle_after)
    return _worker


@worker_process_init.connect
def _process_started(**_: object) -> None:
    if _base_settings is None:
        return
    started = time.monotonic()
    current_worker().start()
    logger.info("worker process {} ready in {:.1f} s", os.getpid(), time.monotonic() - started)


@worker_process_shutdown.connect
def _process_ending(**_: object) -> None:
    global _worker
    if _worker is not None:
        _worker.stop.set()
        _worker.close()
        _worker = None


@app.task(bind=True, name=TASK_NAME, max_retries=None)
def link_dossier(
    self: Task,
    run_id: str,
    job: dict[str, Any],
    profile: str = "",
    options: dict[str, Any] | None = None,
) -> str:
    """Link one dossier of run `run_id` (see the module's docstring)."""
    given = options or {}
    run_options = RunOptions(
        retries=given.get("retries"),
        force=bool(given.get("force")),
        dry_run=bool(given.get("dry_run")),
    )
    return current_worker().link(self, run_id, job_from_message(job, profile), run_options)
