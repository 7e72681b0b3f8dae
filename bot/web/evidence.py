"""What the web page reads of the runs folder: runs and their counts, one dossier's progress.

Everything here reads files other processes are writing (a batch's ledger, its screenshots, its
results.json), so it only ever reads: the ledger through a read-only SQLite connection (its schema
is documented in bot/engine/ledger.py for people and tests to read), results.json as the engine
rewrites it atomically, and a screenshot only once the file is complete (a PNG ends with its IEND
chunk), so a half-written image is never handed to a browser.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.domain.models import SEED_STEPS, DossierResult, DossierStatus
from bot.engine.leases import FileLeaseStore, Holder, LeaseStore, dossier_key
from bot.engine.orchestrator import LEDGER_FILE, RUN_LEASE
from bot.engine.stores import lease_store
from bot.evidence.files import dossier_folder
from bot.evidence.html_report import describe_screenshot
from bot.settings import Settings

RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{4}$")
"""The engine's run ids (orchestrator.new_run_id): the only folder names served as runs."""
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"
IMAGE_ENDS = {".png": PNG_END, ".jpg": JPEG_END}
"""How each screenshot format's last bytes read: an image still being written lacks them."""
FAILED = (DossierStatus.BUSINESS_ERROR.value, DossierStatus.SYSTEM_ERROR.value)
RUN_FILES = frozenset({".html", ".css", ".png", ".jpg", ".zip", ".xml", ".json", ".jsonl"})
"""What of a run folder the page serves: the report and what it links to (never the ledger)."""


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


def dossier_holder(settings: Settings, number: str) -> Holder | None:
    """The process working on this dossier now (a batch, a person's run, a click), if any."""
    store = lease_store(settings)  # the lock files, or PostgreSQL's (BOT_DATABASE_URL)
    return live_holder(store, dossier_key(settings.planmanager.url, number))


def run_of_holder(holder: Holder | None) -> str | None:
    """The run a dossier lease's holder works in (the engine names it `run RUN_ID`)."""
    if holder is None or not holder.what.startswith("run "):
        return None
    return holder.what.removeprefix("run ").strip() or None


# -- the ledger, read-only ---------------------------------------------------------------------
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


def run_meta(run_dir: Path) -> dict[str, str]:
    return {str(k): str(v) for k, v in _query(run_dir, "SELECT key, value FROM meta")}


def ledger_counts(run_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    rows = _query(run_dir, "SELECT state, result_json FROM dossiers")
    for state, result_json in rows:
        key = state
        if state == "final" and result_json:
            with suppress(ValueError, KeyError, TypeError):
                key = json.loads(result_json)["status"]
        counts[key] = counts.get(key, 0) + 1
    return counts


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


def run_folders(runs_dir: Path) -> list[Path]:
    """The engine's run folders (not check runs, not `_discover`), newest first."""
    if not runs_dir.is_dir():
        return []
    folders = [
        p
        for p in runs_dir.iterdir()
        if p.is_dir() and RUN_ID.match(p.name) and (p / LEDGER_FILE).is_file()
    ]
    return sorted(folders, key=lambda p: p.name, reverse=True)


def summarize_run(run_dir: Path, page_runs: set[str] | frozenset[str] = frozenset()) -> RunSummary:
    meta = run_meta(run_dir)
    results = read_json(run_dir / "results.json") or {}
    owner = run_owner(run_dir)
    counts = ledger_counts(run_dir)
    pending = counts.pop("pending", 0) + counts.pop("in_progress", 0)
    summary = results.get("summary")
    if isinstance(summary, dict) and owner is None:  # the run's own words once it has ended
        counts = {str(k): int(v) for k, v in summary.items() if isinstance(v, int)}
        pending = int(results.get("unfinished") or 0)
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
    runs_dir: Path, page_runs: set[str] | frozenset[str] = frozenset(), limit: int = 60
) -> list[RunSummary]:
    """The newest `limit` runs, those that need a person first (each group newest first)."""
    runs = [summarize_run(p, page_runs) for p in run_folders(runs_dir)[:limit]]
    return sorted(runs, key=lambda r: not r.needs_attention)  # stable: newest first within


def newest_run_with(runs_dir: Path, number: str) -> str | None:
    """The newest run whose ledger holds this dossier."""
    for run_dir in run_folders(runs_dir):
        if _query(run_dir, "SELECT 1 FROM dossiers WHERE dossier = ?", (number,)):
            return run_dir.name
    return None


def run_owned_by(runs_dir: Path, pid: int) -> str | None:
    """The run process `pid` owns now (how the page finds the run a click started)."""
    for run_dir in run_folders(runs_dir)[:20]:
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


def dossier_progress(runs_dir: Path, run_id: str, number: str) -> DossierProgress:
    run_dir = run_dir_of(runs_dir, run_id)
    progress = DossierProgress(run_id=run_id)
    if run_dir is None:
        return progress
    rows = _query(
        run_dir,
        "SELECT state, last_step, attempts, result_json FROM dossiers WHERE dossier = ?",
        (number,),
    )
    if rows:
        state, last_step, attempts, result_json = rows[0]
        progress.state, progress.last_step, progress.attempts = state, last_step, int(attempts)
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
