"""The durable ledger of a batch run: every dossier's state, on disk, as it moves.

A night's batch may be killed at any moment (a reboot, the OOM killer, systemd's timeout). The
ledger is what makes that harmless: each dossier goes pending → in_progress (with the last step
it completed) → final (with its result), and every change is committed at once to SQLite in WAL
mode with `synchronous=FULL`, so a result `finish` has returned for survives even a power cut.
A resumed run skips final dossiers and knows which ones were in the middle of something, so the
portals are read before any step is redone (which is what keeps a dossier from being injected
twice).

Several worker threads share one ledger: one connection, one lock, one short transaction per
write. The schema is plain so a person (or a test) can read it with `sqlite3`:

- `meta(key, value)`: run id, input digest and source, creation time, settings;
- `dossiers(dossier, position, line, input_json, state, last_step, attempts, result_json,
  updated_at)`: one row per dossier (or rejected input row), in input order;
- `attempts(dossier, attempt, started_at, finished_at, status, error, saved_at)`: every try,
  across resumes; an attempt cut short by a kill is closed as `interrupted` when the next one
  starts. `saved_at` is set just *before* the attempt presses Opslaan in the 2e circuit, so a
  resumed run that finds the link in place knows it is the batch's own (`linked`), not one made
  before the batch (`already_linked`).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

from bot.domain.batch_input import RejectedRow
from bot.domain.models import DossierInput, DossierResult, DossierStatus, Overrides
from bot.domain.validation import AssignmentNumber, validate_dossier_number
from bot.errors import LedgerError, ValidationError

LEDGER_FILE = "ledger.sqlite"  # in the run's folder (the embedded store; see bot/engine/stores.py)
SCHEMA_VERSION = 2  # 2: attempts.saved_at
BUSY_TIMEOUT_MS = 30_000

PENDING = "pending"
IN_PROGRESS = "in_progress"
FINAL = "final"
INTERRUPTED = "interrupted"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS dossiers (
        dossier TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        line INTEGER,
        input_json TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'in_progress', 'final')),
        last_step TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        result_json TEXT,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS attempts (
        dossier TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT,
        error TEXT,
        saved_at TEXT,
        PRIMARY KEY (dossier, attempt)
    )""",
)
_DOSSIER_COLUMNS = frozenset(
    {"dossier", "position", "line", "input_json", "state", "last_step", "attempts"}
    | {"result_json", "updated_at"}
)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Ledger:
    """The batch run's ledger in `path` (created with its schema when new).

    Thread-safe; use as a context manager or call `close()`.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit; writes use explicit BEGIN IMMEDIATE … COMMIT
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError(f"batch ledger {self.path}: cannot be opened ({exc})") from None
        try:
            self._prepare(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise LedgerError(
                f"batch ledger {self.path}: not a usable SQLite ledger ({exc}); "
                "move it away to start a new run"
            ) from None
        except LedgerError:
            db.close()
            raise
        self._db = db

    @classmethod
    def open(cls, path: Path) -> Ledger:
        return cls(path)

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise LedgerError(f"batch ledger {self.path}: WAL mode refused (got {mode})")
        db.execute("PRAGMA synchronous = FULL")  # a committed result survives even a power cut
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"batch ledger {self.path}: schema version {version} is newer than this bot's "
                f"({SCHEMA_VERSION})"
            )
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                db.execute(statement)
            columns = {row[1] for row in db.execute("PRAGMA table_info(dossiers)")}
            if missing_columns := _DOSSIER_COLUMNS - columns:
                missing = ", ".join(sorted(missing_columns))
                raise LedgerError(
                    f"batch ledger {self.path}: table dossiers lacks {missing}; not a batch ledger"
                )
            attempt_columns = {row[1] for row in db.execute("PRAGMA table_info(attempts)")}
            if "saved_at" not in attempt_columns:  # a ledger of schema 1, from before the column
                db.execute("ALTER TABLE attempts ADD COLUMN saved_at TEXT")
            db.execute("CREATE INDEX IF NOT EXISTS dossiers_position ON dossiers (position)")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # -- plumbing ---------------------------------------------------------------------------
    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction under the lock, committed (durably) before the caller goes on."""
        with self._lock:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._connection()

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise LedgerError(f"batch ledger {self.path}: used after close()")
        return self._db

    # -- run metadata -----------------------------------------------------------------------
    def set_meta(self, **values: object) -> None:
        """Store run facts (run_id, input_digest, input_source, created_at, settings…) as text."""
        with self._write() as db:
            db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [(key, str(value)) for key, value in values.items()],
            )

    def meta(self) -> dict[str, str]:
        with self._read() as db:
            return dict(db.execute("SELECT key, value FROM meta ORDER BY key").fetchall())

    # -- filling ----------------------------------------------------------------------------
    def add_jobs(self, jobs: list[DossierInput], rejected: Iterable[RejectedRow] = ()) -> None:
        """Add the input's jobs (pending) and rejected rows (final business errors).

        Idempotent: a dossier already in the ledger is left as it is, so adding the same input
        again (a rerun that resumes) adds nothing and resets nothing. Rows are kept in input
        order (by line). A rejected row is keyed by its dossier number when that is a valid
        number no job and no earlier rejected row uses, else by `line:N`; its result's `dossier`
        is that key and its error starts with `line N:`.
        """
        now = _now()
        entries: list[tuple[tuple[int, int, int], tuple[Any, ...]]] = []
        used = {job.dossier.casefold() for job in jobs}
        for index, job in enumerate(jobs):
            order = (job.line if job.line is not None else index + 1, 0, index)
            entries.append((order, (job.dossier, job.line, _input_json(job), PENDING, None)))
        for index, row in enumerate(rejected):
            key = _rejected_key(row, used)
            used.add(key.casefold())
            result = DossierResult(
                dossier=key,
                assignment=None,
                status=DossierStatus.BUSINESS_ERROR,
                error=f"line {row.line}: {row.reason}",
                attempts=0,
            )
            source = {"dossier": row.dossier, "line": row.line, "rejected": row.reason}
            values = (key, row.line, json.dumps(source), FINAL, json.dumps(result.to_dict()))
            entries.append(((row.line, 1, index), values))
        entries.sort(key=lambda entry: entry[0])
        with self._write() as db:
            start = db.execute("SELECT COALESCE(MAX(position), 0) FROM dossiers").fetchone()[0]
            db.executemany(
                "INSERT OR IGNORE INTO dossiers "
                "(dossier, position, line, input_json, state, result_json, attempts, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                [
                    (key, start + rank, line, input_json, state, result_json, now)
                    for rank, (_, (key, line, input_json, state, result_json)) in enumerate(
                        entries, start=1
                    )
                ],
            )

    # -- reading the state ------------------------------------------------------------------
    def pending_jobs(self) -> list[DossierInput]:
        """Every dossier not final (pending or in progress), in input order."""
        with self._read() as db:
            rows = db.execute(
                "SELECT input_json FROM dossiers WHERE state != ? ORDER BY position", (FINAL,)
            ).fetchall()
        return [_job_from_json(text) for (text,) in rows]

    def in_progress(self) -> dict[str, str | None]:
        """Dossier → last completed step, for those a previous run left in the middle."""
        with self._read() as db:
            rows = db.execute(
                "SELECT dossier, last_step FROM dossiers WHERE state = ? ORDER BY position",
                (IN_PROGRESS,),
            ).fetchall()
        return dict(rows)

    def results(self) -> list[DossierResult]:
        """The final results, in input order (dossiers not yet final have none)."""
        with self._read() as db:
            rows = db.execute(
                "SELECT result_json FROM dossiers WHERE state = ? ORDER BY position", (FINAL,)
            ).fetchall()
        return [DossierResult.from_dict(json.loads(text)) for (text,) in rows]

    def dossiers(self) -> list[str]:
        """Every dossier (and rejected input row) the ledger holds, in input order."""
        with self._read() as db:
            rows = db.execute("SELECT dossier FROM dossiers ORDER BY position").fetchall()
        return [str(row[0]) for row in rows]

    def counts(self) -> dict[str, int]:
        """`pending`, `in_progress` and every final status, each with its number (0 included)."""
        counts = dict.fromkeys([PENDING, IN_PROGRESS, *(s.value for s in DossierStatus)], 0)
        with self._read() as db:
            rows = db.execute("SELECT state, result_json FROM dossiers").fetchall()
        for state, result_json in rows:
            key = json.loads(result_json)["status"] if state == FINAL else state
            counts[key] = counts.get(key, 0) + 1
        return counts

    def attempts(self, dossier: str) -> list[dict[str, Any]]:
        """The recorded attempts of one dossier, oldest first (for reports and tests)."""
        with self._read() as db:
            db_rows = db.execute(
                "SELECT attempt, started_at, finished_at, status, error FROM attempts "
                "WHERE dossier = ? ORDER BY attempt",
                (dossier,),
            ).fetchall()
        keys = ("attempt", "started_at", "finished_at", "status", "error")
        return [dict(zip(keys, row, strict=True)) for row in db_rows]

    # -- moving a dossier -------------------------------------------------------------------
    def start_attempt(self, dossier: str) -> int:
        """Mark the dossier in progress and open its next attempt; returns the attempt's number.

        Numbers continue across resumes. An earlier attempt left open by a kill is closed as
        `interrupted`. A final dossier is never started again (LedgerError).
        """
        now = _now()
        with self._write() as db:
            state = self._state(db, dossier)
            if state == FINAL:
                raise LedgerError(f"dossier {dossier} is already final; it is never redone")
            db.execute(
                "UPDATE attempts SET finished_at = ?, status = ? "
                "WHERE dossier = ? AND finished_at IS NULL",
                (now, INTERRUPTED, dossier),
            )
            db.execute(
                "UPDATE dossiers SET attempts = attempts + 1, state = ?, updated_at = ? "
                "WHERE dossier = ?",
                (IN_PROGRESS, now, dossier),
            )
            (attempt,) = db.execute(
                "SELECT attempts FROM dossiers WHERE dossier = ?", (dossier,)
            ).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO attempts (dossier, attempt, started_at) VALUES (?, ?, ?)",
                (dossier, attempt, now),
            )
        return int(attempt)

    def record_save(self, dossier: str) -> None:
        """Note that the dossier's current attempt is about to press Opslaan (before it does)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE attempts SET saved_at = ? WHERE dossier = ? AND attempt = "
                "(SELECT attempts FROM dossiers WHERE dossier = ?)",
                (_now(), dossier, dossier),
            )
            if cursor.rowcount == 0:
                raise LedgerError(f"dossier {dossier} has no attempt in progress to note a save")

    def saved_before(self, dossier: str) -> bool:
        """Whether an attempt of this batch, in this run or a killed one, pressed Opslaan."""
        with self._read() as db:
            row = db.execute(
                "SELECT 1 FROM attempts WHERE dossier = ? AND saved_at IS NOT NULL LIMIT 1",
                (dossier,),
            ).fetchone()
        return row is not None

    def record_step(self, dossier: str, step: str) -> None:
        """Remember the last step the dossier completed (where a resume must look first)."""
        with self._write() as db:
            state = self._state(db, dossier)
            if state == FINAL:
                raise LedgerError(f"dossier {dossier} is already final; step {step} not recorded")
            db.execute(
                "UPDATE dossiers SET last_step = ?, state = ?, updated_at = ? WHERE dossier = ?",
                (step, IN_PROGRESS, _now(), dossier),
            )

    def end_attempt(
        self, dossier: str, attempt: int, status: DossierStatus | str, error: str | None
    ) -> None:
        """Close an attempt with how it ended (the dossier stays in progress until `finish`)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE attempts SET finished_at = ?, status = ?, error = ? "
                "WHERE dossier = ? AND attempt = ?",
                (_now(), _status_text(status), error, dossier, attempt),
            )
            if cursor.rowcount == 0:
                raise LedgerError(f"dossier {dossier} has no attempt {attempt} to end")

    def finish(self, result: DossierResult) -> DossierResult:
        """Store the dossier's final result; returns it as stored.

        The stored `attempts` is the number of attempts the ledger recorded for the dossier over
        every run (or the result's own count if that is higher, e.g. attempts not recorded). A
        dossier unknown to the ledger is added at the end rather than losing its result.
        """
        now = _now()
        with self._write() as db:
            row = db.execute(
                "SELECT attempts, last_step FROM dossiers WHERE dossier = ?", (result.dossier,)
            ).fetchone()
            if row is None:
                position = db.execute(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM dossiers"
                ).fetchone()[0]
                job = DossierInput(dossier=result.dossier, assignment=result.assignment)
                db.execute(
                    "INSERT INTO dossiers (dossier, position, input_json, state, attempts, "
                    "updated_at) VALUES (?, ?, ?, ?, 0, ?)",
                    (result.dossier, position, _input_json(job), PENDING, now),
                )
                row = (0, None)
            attempts = max(int(row[0]), result.attempts)
            stored = dataclasses.replace(result, attempts=attempts)
            db.execute(
                "UPDATE dossiers SET state = ?, result_json = ?, attempts = ?, last_step = ?, "
                "updated_at = ? WHERE dossier = ?",
                (
                    FINAL,
                    json.dumps(stored.to_dict(), ensure_ascii=False),
                    attempts,
                    result.step or row[1],
                    now,
                    result.dossier,
                ),
            )
        return stored

    def _state(self, db: sqlite3.Connection, dossier: str) -> str:
        row = db.execute("SELECT state FROM dossiers WHERE dossier = ?", (dossier,)).fetchone()
        if row is None:
            raise LedgerError(f"dossier {dossier} is not in batch ledger {self.path}")
        return str(row[0])


def _status_text(status: DossierStatus | str) -> str:
    return status.value if isinstance(status, DossierStatus) else str(status)


def profile_of(job: DossierInput) -> str:
    """The shop (profile) a job belongs to; '' for the installation's own portals."""
    return str(getattr(job, "profile", "") or "")


def _input_json(job: DossierInput) -> str:
    data: dict[str, Any] = {
        "dossier": job.dossier,
        "assignment": job.assignment,
        "overrides": job.overrides,
        "line": job.line,
        "new_dossier": job.new_dossier,
    }
    if profile := profile_of(job):  # only when there is one: a one-shop ledger reads as before
        data["profile"] = profile
    return json.dumps(data, ensure_ascii=False)


def _job_from_json(text: str) -> DossierInput:
    """The job as it was added (validated then; not judged again by today's rules)."""
    data = json.loads(text)
    assignment = data.get("assignment")
    extra: dict[str, Any] = {}
    if data.get("profile") and "profile" in _INPUT_FIELDS:
        extra["profile"] = data["profile"]
    return DossierInput(
        dossier=data["dossier"],
        assignment=AssignmentNumber(assignment) if assignment else None,
        overrides=Overrides(data.get("overrides") or {}),
        line=data.get("line"),
        new_dossier=data.get("new_dossier"),
        **extra,
    )


_INPUT_FIELDS = frozenset(f.name for f in dataclasses.fields(DossierInput))


def _rejected_key(row: RejectedRow, used: set[str]) -> str:
    """The row's dossier number if valid and free, else `line:N` (never a valid number)."""
    try:
        number = validate_dossier_number(row.dossier)
    except ValidationError:
        return f"line:{row.line}"
    return f"line:{row.line}" if number.casefold() in used else number
