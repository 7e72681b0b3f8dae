"""What the web page reads of the runs folder: runs and their counts, one dossier's progress.

Everything here reads what other processes are writing (a batch's ledger, its screenshots, its
results.json), so it only ever reads. The ledgers are read in the store BOT_DATABASE_URL names
(`bot.engine.stores.run_ledgers`), through a `LedgerReader`: the embedded `ledger.sqlite` of each
run folder through a read-only SQLite connection (its schema is documented in
bot/engine/ledger.py for people and tests to read), or the runs' rows in PostgreSQL through one
read-only connection the page keeps (the schema documented in bot/engine/pg_ledger.py). Either
way a run is a folder under BOT_RUNS_DIR whose ledger its store holds, as for `--resume`.
results.json is read as the engine rewrites it atomically, and a screenshot only once the file
is complete (a PNG ends with its IEND chunk), so a half-written image is never handed to a
browser.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from loguru import logger

from bot.domain.models import SEED_STEPS, DossierResult, DossierStatus
from bot.engine.leases import FileLeaseStore, Holder, LeaseStore, dossier_key
from bot.engine.orchestrator import LEDGER_FILE, RUN_LEASE
from bot.engine.stores import PgRunLedgers, lease_store, run_ledgers
from bot.errors import LedgerError
from bot.evidence.files import dossier_folder
from bot.evidence.html_report import describe_screenshot
from bot.settings import Settings

if TYPE_CHECKING:  # psycopg is imported only when BOT_DATABASE_URL names PostgreSQL
    import psycopg

RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")
"""The engine's run ids (orchestrator.new_run_id): the only folder names served as runs."""
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"
IMAGE_ENDS = {".png": PNG_END, ".jpg": JPEG_END}
"""How each screenshot format's last bytes read: an image still being written lacks them."""
FAILED = (DossierStatus.BUSINESS_ERROR.value, DossierStatus.SYSTEM_ERROR.value)
RUN_FILES = frozenset({".html", ".css", ".png", ".jpg", ".zip", ".xml", ".json", ".jsonl"})
"""What of a run folder the page serves: the report and what it links to (never the ledger)."""
RETRY_AFTER_S = 15.0
"""How long the page leaves a database it could not reach alone before asking it again."""


# -- who holds a lease --------------------------------------------------------------------------
def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def live_holder(store: LeaseStore, key: str) -> Holder | None:
    """Who holds `key` now; a holder on this host whose process is gone (killed: its record stays
    in the file, its lock went with it) is nobody."""
    holder = store.holder(key)
    if holder is None:
        return None
    if holder.host == socket.gethostname() and not pid_alive(holder.pid):
        return None
    return holder


class PageLeases:
    """The dossier leases as the page asks about them (it never takes one): the lock files, or
    PostgreSQL's (BOT_DATABASE_URL) without waiting for a server that does not answer.

    The page's requests share one event loop and ask about every waiting dossier, so a lease
    database out of reach must not hold them: a lookup that fails reads as nobody (logged) and
    none is tried for RETRY_AFTER_S. A click stays safe meanwhile: its run takes the lease.
    Kept for the page's life, so PostgreSQL's store checks its table once.
    """

    def __init__(self, store: LeaseStore) -> None:
        self.store = store
        self._failed_at: float | None = None

    def holder(self, key: str) -> Holder | None:
        """Who holds `key` now (`live_holder`); None too while the store cannot be asked."""
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER_S:
            return None
        try:
            holder = live_holder(self.store, key)
        except LedgerError as exc:
            self._failed_at = time.monotonic()
            logger.warning("dossier leases: {}; asking again in {:.0f} s", exc, RETRY_AFTER_S)
            return None
        self._failed_at = None
        return holder


def page_leases(settings: Settings) -> PageLeases:
    return PageLeases(lease_store(settings, connect_wait_s=0))


def dossier_holder(
    settings: Settings, number: str, leases: PageLeases | None = None
) -> Holder | None:
    """The process working on this dossier now (a batch, a person's run, a click), if any
    (`leases`: the page's own, `page_leases`)."""
    leases = leases or page_leases(settings)
    return leases.holder(dossier_key(settings.planmanager.url, number))


def run_of_holder(holder: Holder | None) -> str | None:
    """The run a dossier lease's holder works in (the engine names it `run RUN_ID`)."""
    if holder is None or not holder.what.startswith("run "):
        return None
    return holder.what.removeprefix("run ").strip() or None


# -- the ledgers, read-only --------------------------------------------------------------------
DossierRow = tuple[str, str | None, int, str | None]
"""One dossier of a run's ledger as the page reads it: state, last_step, attempts, result_json."""


class LedgerReader(Protocol):
    """What the page reads of the runs' ledgers, whichever store holds them. Read-only, and a
    ledger that cannot be read reads as empty (the page shows what it can, never an error)."""

    def with_ledger(self, run_dirs: list[Path]) -> list[Path]:
        """Those of `run_dirs` whose ledger the store holds, in the same order."""
        ...

    def meta(self, run_dir: Path) -> dict[str, str]:
        """The run's facts (input_source, created_at…)."""
        ...

    def counts(self, run_dir: Path) -> dict[str, int]:
        """Dossiers per state, a final one counted under its result's status."""
        ...

    def dossier(self, run_dir: Path, number: str) -> DossierRow | None:
        """One dossier's row (None: not in this run's ledger)."""
        ...

    def newest_holding(self, run_dirs: list[Path], number: str) -> str | None:
        """The id of the first of `run_dirs` (newest first) whose ledger holds the dossier."""
        ...

    def close(self) -> None:
        """Let go of what the reader keeps open."""
        ...


@contextmanager
def read_ledger(run_dir: Path) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the run's ledger (None when there is none, or it is unusable)."""
    path = run_dir / LEDGER_FILE
    if not path.is_file() or path.stat().st_size == 0:
        yield None
        return
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        yield None
        return
    with closing(db):
        yield db


def _query(run_dir: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with read_ledger(run_dir) as db:
        if db is None:
            return []
        try:
            return db.execute(sql, args).fetchall()
        except sqlite3.Error:
            return []


class SqliteLedgerReader:
    """The embedded store: each run folder's `ledger.sqlite`, opened read-only for each read."""

    def with_ledger(self, run_dirs: list[Path]) -> list[Path]:
        return [p for p in run_dirs if (p / LEDGER_FILE).is_file()]

    def meta(self, run_dir: Path) -> dict[str, str]:
        return {str(k): str(v) for k, v in _query(run_dir, "SELECT key, value FROM meta")}

    def counts(self, run_dir: Path) -> dict[str, int]:
        counts: dict[str, int] = {}
        for state, result_json in _query(run_dir, "SELECT state, result_json FROM dossiers"):
            key = state
            if state == "final" and result_json:
                with suppress(ValueError, KeyError, TypeError):
                    key = json.loads(result_json)["status"]
            counts[key] = counts.get(key, 0) + 1
        return counts

    def dossier(self, run_dir: Path, number: str) -> DossierRow | None:
        rows = _query(
            run_dir,
            "SELECT state, last_step, attempts, result_json FROM dossiers WHERE dossier = ?",
            (number,),
        )
        return (str(rows[0][0]), rows[0][1], int(rows[0][2]), rows[0][3]) if rows else None

    def newest_holding(self, run_dirs: list[Path], number: str) -> str | None:
        for run_dir in run_dirs:
            if _query(run_dir, "SELECT 1 FROM dossiers WHERE dossier = ?", (number,)):
                return run_dir.name
        return None

    def close(self) -> None:
        return None


EMBEDDED_LEDGERS = SqliteLedgerReader()


class PgLedgerReader:
    """The runs' rows in PostgreSQL (BOT_DATABASE_URL), on one connection the page keeps.

    The page asks every second while something goes, so it keeps its connection (read-only,
    every statement its own transaction) rather than open one per question; a dropped one is
    opened again at the next read. A server that cannot be reached makes those reads empty and
    is not tried again for RETRY_AFTER_S, so the page keeps answering (handlers run on one event
    loop: a connection attempt holds every request up to its timeout).
    """

    STATEMENT_TIMEOUT = "5s"

    def __init__(self, url: str) -> None:
        self.url = url
        self._db: psycopg.Connection | None = None
        self._lock = threading.Lock()
        self._failed_at: float | None = None

    def with_ledger(self, run_dirs: list[Path]) -> list[Path]:
        if not run_dirs:
            return []
        sql = "SELECT DISTINCT run_id FROM bot_meta WHERE run_id = ANY(%s)"
        known = {str(row[0]) for row in self._rows(sql, ([p.name for p in run_dirs],))}
        return [p for p in run_dirs if p.name in known]

    def meta(self, run_dir: Path) -> dict[str, str]:
        sql = "SELECT key, value FROM bot_meta WHERE run_id = %s"
        return {str(k): str(v) for k, v in self._rows(sql, (run_dir.name,))}

    def counts(self, run_dir: Path) -> dict[str, int]:
        # Counted by the server: a night of thousands of results stays there.
        sql = (
            "SELECT CASE WHEN state = 'final' AND result_json IS NOT NULL "
            "THEN COALESCE(result_json::json ->> 'status', state) ELSE state END AS key, "
            "COUNT(*) FROM bot_dossiers WHERE run_id = %s GROUP BY key"
        )
        return {str(key): int(count) for key, count in self._rows(sql, (run_dir.name,))}

    def dossier(self, run_dir: Path, number: str) -> DossierRow | None:
        sql = (
            "SELECT state, last_step, attempts, result_json FROM bot_dossiers "
            "WHERE run_id = %s AND dossier = %s"
        )
        rows = self._rows(sql, (run_dir.name, number))
        return (str(rows[0][0]), rows[0][1], int(rows[0][2]), rows[0][3]) if rows else None

    def newest_holding(self, run_dirs: list[Path], number: str) -> str | None:
        if not run_dirs:
            return None
        sql = "SELECT DISTINCT run_id FROM bot_dossiers WHERE dossier = %s AND run_id = ANY(%s)"
        holding = {str(row[0]) for row in self._rows(sql, (number, [p.name for p in run_dirs]))}
        return next((p.name for p in run_dirs if p.name in holding), None)

    def close(self) -> None:
        with self._lock:
            self._drop()

    # -- the connection ---------------------------------------------------------------------
    def _rows(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        import psycopg

        from bot.engine import pg

        with self._lock:
            for last_try in (False, True):
                db = self._connection()
                if db is None:
                    return []
                try:
                    return db.execute(sql, args).fetchall()
                except psycopg.errors.UndefinedTable:
                    return []  # a database no run has used yet: no runs
                except psycopg.Error as exc:
                    gone = pg.is_disconnect(exc, db)
                    if gone:
                        self._drop()
                    if gone and not last_try:
                        continue  # a restarted server: once more on a new connection
                    logger.warning("runs in {}: {}", pg.display(self.url), exc)
                    return []
        return []

    def _connection(self) -> psycopg.Connection | None:
        import psycopg

        from bot.engine import pg

        if self._db is not None and not self._db.closed:
            return self._db
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_AFTER_S:
            return None
        try:
            db = pg.connect(self.url, "office page")
            try:
                db.execute("SET default_transaction_read_only = on")
                db.execute(f"SET statement_timeout = '{self.STATEMENT_TIMEOUT}'")
            except BaseException:
                db.close()
                raise
        except psycopg.Error as exc:
            self._failed_at = time.monotonic()
            logger.warning(
                "runs in {}: cannot connect ({}); trying again in {:.0f} s",
                pg.display(self.url),
                exc,
                RETRY_AFTER_S,
            )
            return None
        self._db, self._failed_at = db, None
        return db

    def _drop(self) -> None:
        if self._db is not None:
            with suppress(Exception):
                self._db.close()
            self._db = None


def ledger_reader(settings: Settings) -> LedgerReader:
    """The reader of the run ledgers in the store the settings name (`run_ledgers` decides)."""
    store = run_ledgers(settings)
    return PgLedgerReader(store.url) if isinstance(store, PgRunLedgers) else EMBEDDED_LEDGERS


def run_owner(run_dir: Path) -> Holder | None:
    """The live process that owns the run (None: the run is not being worked on)."""
    return live_holder(FileLeaseStore(run_dir), RUN_LEASE)


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# -- runs ----------------------------------------------------------------------------------------
@dataclass
class RunSummary:
    """One run folder as the list of runs shows it."""

    run_id: str
    source: str  # the ledger's input_source: "--discover", a file, "run PM-…"
    started_at: str | None
    finished_at: str | None
    counts: dict[str, int]
    error: str | None
    unfinished: int
    running: bool
    has_report: bool
    from_page: bool = False

    @property
    def kind(self) -> str:
        """`discover` (the nightly), `file` (a batch file), `single` (one dossier), `page`."""
        if self.from_page:
            return "page"
        if self.source.startswith("run "):
            return "single"
        return "discover" if self.source == "--discover" else "file"

    @property
    def failures(self) -> int:
        return sum(self.counts.get(status, 0) for status in FAILED)

    @property
    def needs_attention(self) -> bool:
        return bool(self.failures or self.error or (self.unfinished and not self.running))

    @property
    def total(self) -> int:
        return sum(self.counts.get(s.value, 0) for s in DossierStatus) + self.unfinished


def run_id_folders(runs_dir: Path) -> list[Path]:
    """The folders named as the engine names runs (check runs too), newest first."""
    if not runs_dir.is_dir():
        return []
    folders = [p for p in runs_dir.iterdir() if p.is_dir() and RUN_ID.match(p.name)]
    return sorted(folders, key=lambda p: p.name, reverse=True)


def run_folders(runs_dir: Path, *, ledgers: LedgerReader) -> list[Path]:
    """The engine's run folders (not check runs, not `_discover`), newest first: those whose
    ledger the store holds."""
    return ledgers.with_ledger(run_id_folders(runs_dir))


def summarize_run(
    run_dir: Path,
    page_runs: set[str] | frozenset[str] = frozenset(),
    *,
    ledgers: LedgerReader,
) -> RunSummary:
    meta = ledgers.meta(run_dir)
    results = read_json(run_dir / "results.json") or {}
    owner = run_owner(run_dir)
    summary = results.get("summary")
    if isinstance(summary, dict) and owner is None:  # the run's own words once it has ended
        counts = {str(k): int(v) for k, v in summary.items() if isinstance(v, int)}
        pending = int(results.get("unfinished") or 0)
    else:
        counts = ledgers.counts(run_dir)
        pending = counts.pop("pending", 0) + counts.pop("in_progress", 0)
    return RunSummary(
        run_id=run_dir.name,
        source=meta.get("input_source", ""),
        started_at=results.get("started_at") or meta.get("created_at"),
        finished_at=results.get("finished_at"),
        counts=counts,
        error=results.get("error"),
        unfinished=pending,
        running=owner is not None,
        has_report=(run_dir / "report.html").is_file(),
        from_page=run_dir.name in page_runs,
    )


def list_runs(
    runs_dir: Path,
    page_runs: set[str] | frozenset[str] = frozenset(),
    limit: int = 60,
    *,
    ledgers: LedgerReader,
) -> list[RunSummary]:
    """The newest `limit` runs, those that need a person first (each group newest first)."""
    folders = run_folders(runs_dir, ledgers=ledgers)[:limit]
    runs = [summarize_run(p, page_runs, ledgers=ledgers) for p in folders]
    return sorted(runs, key=lambda r: not r.needs_attention)  # stable: newest first within


def newest_run_with(runs_dir: Path, number: str, *, ledgers: LedgerReader) -> str | None:
    """The newest run whose ledger holds this dossier."""
    return ledgers.newest_holding(run_folders(runs_dir, ledgers=ledgers), number)


def run_owned_by(runs_dir: Path, pid: int) -> str | None:
    """The run process `pid` owns now (how the page finds the run a click started). The owner
    lease is a file in the run's folder whichever store holds the ledger, so this looks at the
    folders alone, and finds a run before its ledger is written."""
    for run_dir in run_id_folders(runs_dir)[:20]:
        holder = FileLeaseStore(run_dir).holder(RUN_LEASE)
        if holder is not None and holder.pid == pid and holder.host == socket.gethostname():
            return run_dir.name
    return None


def run_dir_of(runs_dir: Path, run_id: str) -> Path | None:
    """The folder of a run id (None for anything that is not one of the engine's run ids)."""
    if not RUN_ID.match(run_id):
        return None
    path = runs_dir / run_id
    return path if path.is_dir() else None


def run_file(runs_dir: Path, run_id: str, relative: str) -> Path | None:
    """A file of a run folder the page may serve: inside the folder, of a served kind."""
    run_dir = run_dir_of(runs_dir, run_id)
    if run_dir is None or not relative:
        return None
    root = run_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path.suffix.lower() not in RUN_FILES:
        return None
    return path if path.is_file() else None


# -- one dossier in one run ----------------------------------------------------------------------
@dataclass
class Screenshot:
    """One frame of a dossier's film strip: its file and what the bot had just done."""

    path: str  # relative to the run folder
    step: str
    action: str


@dataclass
class DossierProgress:
    """Where one dossier stands in one run: its state, steps, film strip and (at the end) result."""

    run_id: str | None = None
    state: str | None = None  # pending, in_progress, final (None: not in a run yet)
    last_step: str | None = None
    attempts: int = 0
    result: DossierResult | None = None
    screenshots: list[Screenshot] = field(default_factory=list)
    trace: str | None = None
    has_report: bool = False
    run_running: bool = False  # a live process owns the run (False: ended, or killed)

    @property
    def final(self) -> bool:
        return self.result is not None

    @property
    def left_unfinished(self) -> bool:
        """In a run nobody works on any more (killed, stopped): `--resume` or a new click."""
        return self.state is not None and not self.final and not self.run_running

    def step_states(self) -> list[tuple[str, str]]:
        """Each of the seed's steps with `done`, `now`, `failed` or `todo`."""
        done_until = SEED_STEPS.index(self.last_step) if self.last_step in SEED_STEPS else -1
        failed = self.result is not None and not self.result.status.succeeded
        states = []
        for index, step in enumerate(SEED_STEPS):
            if index <= done_until:
                states.append((step, "done"))
            elif index == done_until + 1 and failed:
                states.append((step, "failed"))
            elif index == done_until + 1 and self.state == "in_progress":
                states.append((step, "now"))
            else:
                states.append((step, "todo"))
        return states


def dossier_progress(
    runs_dir: Path, run_id: str, number: str, *, ledgers: LedgerReader
) -> DossierProgress:
    run_dir = run_dir_of(runs_dir, run_id)
    progress = DossierProgress(run_id=run_id)
    if run_dir is None:
        return progress
    row = ledgers.dossier(run_dir, number)
    if row is not None:
        state, last_step, attempts, result_json = row
        progress.state, progress.last_step, progress.attempts = state, last_step, attempts
        if state == "final" and result_json:
            with suppress(ValueError, KeyError, TypeError):
                progress.result = DossierResult.from_dict(json.loads(result_json))
                progress.last_step = progress.result.step or last_step
    folder = run_dir / dossier_folder(number)
    progress.screenshots = complete_screenshots(folder, run_dir)
    if (folder / "trace.zip").is_file() and progress.final:
        progress.trace = (folder / "trace.zip").relative_to(run_dir).as_posix()
    progress.has_report = (run_dir / "report.html").is_file()
    progress.run_running = run_owner(run_dir) is not None
    return progress


def complete_screenshots(folder: Path, run_dir: Path) -> list[Screenshot]:
    """The folder's screenshots in order (named as the report reads them), those still being
    written left out."""
    if not folder.is_dir():
        return []
    shots = []
    images = (p for p in folder.iterdir() if p.suffix in IMAGE_ENDS)
    for path in sorted(images, key=lambda p: p.name):
        number, step, action = describe_screenshot(path.name)
        if not number or not _complete_image(path):
            continue
        relative = path.relative_to(run_dir).as_posix()
        shots.append(Screenshot(relative, step.replace("-", "_"), action))
    return shots


def _complete_image(path: Path) -> bool:
    end = IMAGE_ENDS[path.suffix]
    try:
        with path.open("rb") as image:
            image.seek(-len(end), os.SEEK_END)
            return image.read() == end
    except OSError:
        return False


# -- the last `informex-bot check` ---------------------------------------------------------------
@dataclass
class PortalFit:
    """One portal's part of the last check: how many locators fit, and those that do not."""

    portal: str
    fit: int
    total: int
    problems: list[dict[str, str]]


@dataclass
class LastCheck:
    """The newest `informex-bot check`, as the health page shows it."""

    run_id: str
    checked_at: str
    ok: bool
    portals: list[PortalFit]
    screenshots: int


def last_check(
    runs_dir: Path, portals: tuple[str, ...] = ("planmanager", "winformex")
) -> LastCheck | None:
    """The newest check.json under the runs folder, per portal (its screens name the portal)."""
    if not runs_dir.is_dir():
        return None
    candidates = sorted(
        (p for p in runs_dir.iterdir() if RUN_ID.match(p.name) and (p / "check.json").is_file()),
        key=lambda p: p.name,
        reverse=True,
    )
    for run_dir in candidates:
        document = read_json(run_dir / "check.json")
        if document is None or not isinstance(document.get("checks"), list):
            continue
        per_portal = []
        for portal in portals:
            checks = [
                c
                for c in document["checks"]
                if isinstance(c, dict) and str(c.get("screen", "")).lower().startswith(portal)
            ]
            problems = [
                {k: str(c.get(k, "")) for k in ("page_object", "locator", "screen", "detail")}
                | {"result": str(c.get("result", ""))}
                for c in checks
                if c.get("result") in ("missing", "ambiguous")
            ]
            fit = len(checks) - len(problems)
            per_portal.append(PortalFit(portal, fit, len(checks), problems))
        written = datetime.fromtimestamp((run_dir / "check.json").stat().st_mtime, timezone.utc)
        return LastCheck(
            run_id=run_dir.name,
            checked_at=written.astimezone().isoformat(timespec="seconds"),
            ok=bool(document.get("ok")),
            portals=per_portal,
            screenshots=len(document.get("screenshots") or []),
        )
    return None
