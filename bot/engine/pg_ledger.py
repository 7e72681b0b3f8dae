"""The batch ledger in PostgreSQL: `bot.engine.ledger.Ledger`'s twin, shared by every machine.

When worker processes on several machines work on one run, the ledger they all write cannot be
a SQLite file in one of them. `PgLedger` has the public API and the semantics of `Ledger` (same
states, same attempt numbering across resumes, same results in input order, same errors), keyed
by run id: one schema serves every run of every machine, each table carrying `run_id`, and the
run's facts (`meta`) are per run as in the file. Dossier rows also carry `profile`, the shop the
dossier belongs to ('' for the installation's own portals).

Tables (readable with `psql`): `bot_meta(run_id, key, value)`, `bot_dossiers(run_id, dossier,
position, line, profile, input_json, state, last_step, attempts, result_json, updated_at)`,
`bot_attempts(run_id, dossier, attempt, started_at, finished_at, status, error, saved_at)` and
`bot_schema(version)`. Times are the same ISO texts as in the SQLite ledger, so results read the
same from both.

A run must survive its database restarting (an upgrade, a failover): every call runs as one short
transaction, and when the connection turns out to be gone the ledger waits for the server to
take a new one and runs the call once more. That is safe because every call is idempotent by its
keys: reads; upserts (`set_meta`, `add_jobs`); updates that set values (`record_step`,
`record_save`, `end_attempt`, `finish`); and `start_attempt`, which recognises the attempt it
opened itself before the connection dropped (by its start time) instead of opening another. A
transaction cut before its COMMIT left nothing, so running it again is the first run of it.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, TypeVar

import psycopg
from loguru import logger

from bot.domain.batch_input import RejectedRow
from bot.domain.models import DossierInput, DossierResult, DossierStatus
from bot.engine import pg
from bot.engine.ledger import (
    FINAL,
    IN_PROGRESS,
    INTERRUPTED,
    PENDING,
    _input_json,
    _job_from_json,
    _now,
    _rejected_key,
    _status_text,
    profile_of,
)
from bot.errors import LedgerError

SCHEMA_VERSION = 1
SCHEMA_LOCK = pg.lock_key("informex-bot ledger schema")  # two machines starting at once wait
T = TypeVar("T")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS bot_schema (version INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS bot_meta (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    )""",
    """CREATE TABLE IF NOT EXISTS bot_dossiers (
        run_id TEXT NOT NULL,
        dossier TEXT NOT NULL,
        position INTEGER NOT NULL,
        line INTEGER,
        profile TEXT NOT NULL DEFAULT '',
        input_json TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'in_progress', 'final')),
        last_step TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        result_json TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (run_id, dossier)
    )""",
    "CREATE INDEX IF NOT EXISTS bot_dossiers_position ON bot_dossiers (run_id, position)",
    "CREATE INDEX IF NOT EXISTS bot_dossiers_state ON bot_dossiers (run_id, state)",
    """CREATE TABLE IF NOT EXISTS bot_attempts (
        run_id TEXT NOT NULL,
        dossier TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT,
        error TEXT,
        saved_at TEXT,
        PRIMARY KEY (run_id, dossier, attempt)
    )""",
)


def ensure_schema(db: psycopg.Connection) -> None:
    """Create the tables when missing, once, whoever else starts at the same moment.

    `CREATE TABLE IF NOT EXISTS` alone is not safe against a concurrent twin (both may try to
    insert the same catalogue row); a transaction-scoped advisory lock makes the second wait.
    """
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        for statement in _SCHEMA:
            db.execute(statement)
        row = db.execute("SELECT MAX(version) FROM bot_schema").fetchone()
        version = row[0] if row else None
        if version is None:
            db.execute("INSERT INTO bot_schema (version) VALUES (%s)", (SCHEMA_VERSION,))
        elif version > SCHEMA_VERSION:
            raise LedgerError(
                f"ledger schema version {version} in PostgreSQL is newer than this bot's "
                f"({SCHEMA_VERSION})"
            )


class PgLedger:
    """Run `run_id`'s ledger in the PostgreSQL at `url` (the schema created when missing).

    Thread-safe (one connection, one lock, like `Ledger`); use as a context manager or call
    `close()`. `path` names the run's ledger in messages (the URL without its password).
    """

    def __init__(
        self, url: str, run_id: str, *, reconnect_wait_s: float = pg.RECONNECT_WAIT_S
    ) -> None:
        self.url = url
        self.run_id = run_id
        self.path = f"{pg.display(url)} (run {run_id})"
        self.reconnect_wait_s = reconnect_wait_s
        self._lock = threading.Lock()
        self._db: psycopg.Connection | None = None
        try:
            db = pg.connect(url, f"ledger {run_id}")
        except psycopg.Error as exc:
            raise LedgerError(f"batch ledger {self.path}: cannot connect ({exc})") from None
        try:
            ensure_schema(db)
        except psycopg.Error as exc:
            db.close()
            raise LedgerError(f"batch ledger {self.path}: schema not usable ({exc})") from None
        except LedgerError:
            db.close()
            raise
        self._db = db

    @classmethod
    def open(cls, url: str, run_id: str) -> PgLedger:
        return cls(url, run_id)

    # -- plumbing ---------------------------------------------------------------------------
    def __enter__(self) -> PgLedger:
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

    def _do(self, work: Callable[[psycopg.Connection], T]) -> T:
        """`work` as one transaction; run once more on a new connection if the old one died."""
        with self._lock:
            if self._db is None:
                raise LedgerError(f"batch ledger {self.path}: used after close()")
            for last_try in (False, True):
                db = self._db
                try:
                    with db.transaction():
                        return work(db)
                except LedgerError:
                    raise
                except psycopg.Error as exc:
                    if last_try or not pg.is_disconnect(exc, db):
                        raise LedgerError(f"batch ledger {self.path}: {exc}") from None
                    logger.warning("ledger {}: connection lost ({}); reconnecting", self.path, exc)
                    self._reconnect()
            raise AssertionError("unreachable")  # pragma: no cover

    def _reconnect(self) -> None:
        if self._db is not None:
            self._db.close()
        try:
            self._db = pg.connect_waiting(self.url, f"ledger {self.run_id}", self.reconnect_wait_s)
        except psycopg.Error as exc:
            raise LedgerError(
                f"batch ledger {self.path}: PostgreSQL did not come back within "
                f"{self.reconnect_wait_s:.0f} s ({exc})"
            ) from None
        logger.info("batch ledger {}: reconnected", self.path)

    # -- run metadata -----------------------------------------------------------------------
    def set_meta(self, **values: object) -> None:
        """Store run facts (run_id, input_digest, input_source, created_at, settings…) as text."""
        rows = [(self.run_id, key, str(value)) for key, value in values.items()]

        def work(db: psycopg.Connection) -> None:
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO bot_meta (run_id, key, value) VALUES (%s, %s, %s) "
                    "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                    rows,
                )

        self._do(work)

    def meta(self) -> dict[str, str]:
        rows = self._do(
            lambda db: db.execute(
                "SELECT key, value FROM bot_meta WHERE run_id = %s ORDER BY key", (self.run_id,)
            ).fetchall()
        )
        return {str(key): str(value) for key, value in rows}

    # -- filling ----------------------------------------------------------------------------
    def add_jobs(self, jobs: list[DossierInput], rejected: Iterable[RejectedRow] = ()) -> None:
        """Add the input's jobs (pending) and rejected rows (final business errors).

        Same rules as `Ledger.add_jobs`: idempotent, input order, rejected rows keyed by their
        number when free else `line:N`.
        """
        now = _now()
        entries: list[tuple[tuple[int, int, int], tuple[Any, ...]]] = []
        used = {job.dossier.casefold() for job in jobs}
        for index, job in enumerate(jobs):
            order = (job.line if job.line is not None else index + 1, 0, index)
            values = (job.dossier, job.line, profile_of(job), _input_json(job), PENDING, None)
            entries.append((order, values))
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
            result_json = json.dumps(result.to_dict())
            values = (key, row.line, "", json.dumps(source), FINAL, result_json)
            entries.append(((row.line, 1, index), values))
        entries.sort(key=lambda entry: entry[0])

        def work(db: psycopg.Connection) -> None:
            self._lock_run(db)  # positions: two machines adding to one run take turns
            start = self._scalar(
                db, "SELECT COALESCE(MAX(position), 0) FROM bot_dossiers WHERE run_id = %s"
            )
            rows = [
                (self.run_id, key, start + rank, line, profile, input_json, state, result_json, now)
                for rank, (_, (key, line, profile, input_json, state, result_json)) in enumerate(
                    entries, start=1
                )
            ]
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO bot_dossiers (run_id, dossier, position, line, profile, "
                    "input_json, state, result_json, attempts, updated_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, %s) "
                    "ON CONFLICT (run_id, dossier) DO NOTHING",
                    rows,
                )

        if entries:
            self._do(work)

    # -- reading the state ------------------------------------------------------------------
    def pending_jobs(self) -> list[DossierInput]:
        """Every dossier not final (pending or in progress), in input order."""
        rows = self._rows(
            "SELECT input_json FROM bot_dossiers WHERE run_id = %s AND state != %s "
            "ORDER BY position",
            FINAL,
        )
        return [_job_from_json(text) for (text,) in rows]

    def in_progress(self) -> dict[str, str | None]:
        """Dossier → last completed step, for those a previous run left in the middle."""
        rows = self._rows(
            "SELECT dossier, last_step FROM bot_dossiers WHERE run_id = %s AND state = %s "
            "ORDER BY position",
            IN_PROGRESS,
        )
        return {str(dossier): step for dossier, step in rows}

    def results(self) -> list[DossierResult]:
        """The final results, in input order (dossiers not yet final have none)."""
        rows = self._rows(
            "SELECT result_json FROM bot_dossiers WHERE run_id = %s AND state = %s "
            "ORDER BY position",
            FINAL,
        )
        return [DossierResult.from_dict(json.loads(text)) for (text,) in rows]

    def dossiers(self) -> list[str]:
        """Every dossier (and rejected input row) the ledger holds, in input order."""
        rows = self._rows("SELECT dossier FROM bot_dossiers WHERE run_id = %s ORDER BY position")
        return [str(row[0]) for row in rows]

    def profiles(self) -> dict[str, str]:
        """Dossier → the shop (profile) it belongs to ('' for the installation's own)."""
        rows = self._rows(
            "SELECT dossier, profile FROM bot_dossiers WHERE run_id = %s ORDER BY position"
        )
        return {str(dossier): str(profile) for dossier, profile in rows}

    def counts(self) -> dict[str, int]:
        """`pending`, `in_progress` and every final status, each with its number (0 included)."""
        counts = dict.fromkeys([PENDING, IN_PROGRESS, *(s.value for s in DossierStatus)], 0)
        rows = self._rows("SELECT state, result_json FROM bot_dossiers WHERE run_id = %s")
        for state, result_json in rows:
            key = json.loads(result_json)["status"] if state == FINAL else state
            counts[key] = counts.get(key, 0) + 1
        return counts

    def attempts(self, dossier: str) -> list[dict[str, Any]]:
        """The recorded attempts of one dossier, oldest first (for reports and tests)."""
        rows = self._rows(
            "SELECT attempt, started_at, finished_at, status, error FROM bot_attempts "
            "WHERE run_id = %s AND dossier = %s ORDER BY attempt",
            dossier,
        )
        keys = ("attempt", "started_at", "finished_at", "status", "error")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    # -- moving a dossier -------------------------------------------------------------------
    def start_attempt(self, dossier: str) -> int:
        """Mark the dossier in progress and open its next attempt; returns the attempt's number.

        As `Ledger.start_attempt`. Run again after a dropped connection, it returns the attempt
        it had opened (known by its start time) rather than open a second one.
        """
        now = _now()
        run = self.run_id

        def work(db: psycopg.Connection) -> int:
            state = self._state(db, dossier, lock=True)
            mine = db.execute(
                "SELECT attempt FROM bot_attempts WHERE run_id = %s AND dossier = %s "
                "AND started_at = %s AND finished_at IS NULL",
                (run, dossier, now),
            ).fetchone()
            if mine is not None:  # this very call, committed before the connection dropped
                return int(mine[0])
            if state == FINAL:
                raise LedgerError(f"dossier {dossier} is already final; it is never redone")
            db.execute(
                "UPDATE bot_attempts SET finished_at = %s, status = %s "
                "WHERE run_id = %s AND dossier = %s AND finished_at IS NULL",
                (now, INTERRUPTED, run, dossier),
            )
            (attempt,) = db.execute(
                "UPDATE bot_dossiers SET attempts = attempts + 1, state = %s, updated_at = %s "
                "WHERE run_id = %s AND dossier = %s RETURNING attempts",
                (IN_PROGRESS, now, run, dossier),
            ).fetchone() or (0,)
            db.execute(
                "INSERT INTO bot_attempts (run_id, dossier, attempt, started_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (run_id, dossier, attempt) DO UPDATE SET "
                "started_at = excluded.started_at, finished_at = NULL, status = NULL, "
                "error = NULL, saved_at = NULL",
                (run, dossier, attempt, now),
            )
            return int(attempt)

        return self._do(work)

    def record_save(self, dossier: str) -> None:
        """Note that the dossier's current attempt is about to press Opslaan (before it does)."""
        now = _now()

        def work(db: psycopg.Connection) -> None:
            cursor = db.execute(
                "UPDATE bot_attempts SET saved_at = %s WHERE run_id = %s AND dossier = %s "
                "AND attempt = (SELECT attempts FROM bot_dossiers "
                "WHERE run_id = %s AND dossier = %s)",
                (now, self.run_id, dossier, self.run_id, dossier),
            )
            if cursor.rowcount == 0:
                raise LedgerError(f"dossier {dossier} has no attempt in progress to note a save")

        self._do(work)

    def saved_before(self, dossier: str) -> bool:
        """Whether an attempt of this batch, in this run or a killed one, pressed Opslaan."""
        rows = self._rows(
            "SELECT 1 FROM bot_attempts WHERE run_id = %s AND dossier = %s "
            "AND saved_at IS NOT NULL LIMIT 1",
            dossier,
        )
        return bool(rows)

    def record_step(self, dossier: str, step: str) -> None:
        """Remember the last step the dossier completed (where a resume must look first)."""
        now = _now()

        def work(db: psycopg.Connection) -> None:
            if self._state(db, dossier, lock=True) == FINAL:
                raise LedgerError(f"dossier {dossier} is already final; step {step} not recorded")
            db.execute(
                "UPDATE bot_dossiers SET last_step = %s, state = %s, updated_at = %s "
                "WHERE run_id = %s AND dossier = %s",
                (step, IN_PROGRESS, now, self.run_id, dossier),
            )

        self._do(work)

    def end_attempt(
        self, dossier: str, attempt: int, status: DossierStatus | str, error: str | None
    ) -> None:
        """Close an attempt with how it ended (the dossier stays in progress until `finish`)."""
        now = _now()

        def work(db: psycopg.Connection) -> None:
            cursor = db.execute(
                "UPDATE bot_attempts SET finished_at = %s, status = %s, error = %s "
                "WHERE run_id = %s AND dossier = %s AND attempt = %s",
                (now, _status_text(status), error, self.run_id, dossier, attempt),
            )
            if cursor.rowcount == 0:
                raise LedgerError(f"dossier {dossier} has no attempt {attempt} to end")

        self._do(work)

    def finish(self, result: DossierResult) -> DossierResult:
        """Store the dossier's final result; returns it as stored (as `Ledger.finish`)."""
        now = _now()
        run = self.run_id

        def work(db: psycopg.Connection) -> DossierResult:
            row = db.execute(
                "SELECT attempts, last_step FROM bot_dossiers "
                "WHERE run_id = %s AND dossier = %s FOR UPDATE",
                (run, result.dossier),
            ).fetchone()
            if row is None:
                self._lock_run(db)
                position = self._scalar(
                    db, "SELECT COALESCE(MAX(position), 0) + 1 FROM bot_dossiers WHERE run_id = %s"
                )
                job = DossierInput(dossier=result.dossier, assignment=result.assignment)
                db.execute(
                    "INSERT INTO bot_dossiers (run_id, dossier, position, input_json, state, "
                    "attempts, updated_at) VALUES (%s, %s, %s, %s, %s, 0, %s)",
                    (run, result.dossier, position, _input_json(job), PENDING, now),
                )
                row = (0, None)
            attempts = max(int(row[0]), result.attempts)
            stored = dataclasses.replace(result, attempts=attempts)
            db.execute(
                "UPDATE bot_dossiers SET state = %s, result_json = %s, attempts = %s, "
                "last_step = %s, updated_at = %s WHERE run_id = %s AND dossier = %s",
                (
                    FINAL,
                    json.dumps(stored.to_dict(), ensure_ascii=False),
                    attempts,
                    result.step or row[1],
                    now,
                    run,
                    result.dossier,
                ),
            )
            return stored

        return self._do(work)

    # -- helpers ------------------------------------------------------------------------------
    def _rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """A read of this run's rows (`run_id` is always the first parameter)."""
        return self._do(lambda db: db.execute(sql, (self.run_id, *args)).fetchall())

    def _scalar(self, db: psycopg.Connection, sql: str) -> int:
        row = db.execute(sql, (self.run_id,)).fetchone()
        return int(row[0]) if row else 0

    def _lock_run(self, db: psycopg.Connection) -> None:
        db.execute("SELECT pg_advisory_xact_lock(%s)", (pg.lock_key(f"ledger run {self.run_id}"),))

    def _state(self, db: psycopg.Connection, dossier: str, *, lock: bool = False) -> str:
        sql = "SELECT state FROM bot_dossiers WHERE run_id = %s AND dossier = %s"
        row = db.execute(sql + (" FOR UPDATE" if lock else ""), (self.run_id, dossier)).fetchone()
        if row is None:
            raise LedgerError(f"dossier {dossier} is not in batch ledger {self.path}")
        return str(row[0])


# -- runs in the shared schema --------------------------------------------------------------------
def run_exists(url: str, run_id: str) -> bool:
    """Whether the database holds a ledger for `run_id` (its facts were stored)."""
    return bool(_query(url, "SELECT 1 FROM bot_meta WHERE run_id = %s LIMIT 1", (run_id,)))


def unfinished_runs(url: str, digest: str | None = None) -> set[str]:
    """The runs (over input `digest`, when given) with dossiers still pending or in progress."""
    sql = (
        "SELECT DISTINCT d.run_id FROM bot_dossiers d "
        "LEFT JOIN bot_meta m ON m.run_id = d.run_id AND m.key = 'input_digest' "
        "WHERE d.state != %s AND (%s::text IS NULL OR m.value = %s::text)"
    )
    return {str(row[0]) for row in _query(url, sql, (FINAL, digest, digest))}


_SCHEMA_SEEN: set[str] = set()  # databases this process made sure hold the schema


def _query(url: str, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """One read on a short connection (schema created first, so a fresh database reads empty)."""
    try:
        with pg.connect(url, "ledger lookup") as db:
            if url not in _SCHEMA_SEEN:
                ensure_schema(db)
                _SCHEMA_SEEN.add(url)
            return db.execute(sql, args).fetchall()
    except psycopg.Error as exc:
        raise LedgerError(f"batch ledgers in {pg.display(url)}: {exc}") from None
