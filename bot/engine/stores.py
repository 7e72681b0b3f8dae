"""Where a run's ledger and the dossiers' leases live, chosen by one setting: BOT_DATABASE_URL.

Unset (the default): today's embedded stores, no server: each run's ledger is `ledger.sqlite`
in its folder, and the per-dossier leases are `flock`ed files under BOT_STATE_DIR/leases. Set to
`postgresql://…`: every run's ledger lives in that database (one schema, keyed by run id, see
`bot.engine.pg_ledger`) and the leases are its advisory locks (`PgLeaseStore`), shared by every
machine that points at it. Nothing else changes: the same engine, the same `--resume`, the same
results.json, report.html and junit.xml, which are still written into the run's folder under
BOT_RUNS_DIR (a shared folder when workers sit on several machines).

A run is still known by its folder: `--resume RUN_ID` and "rerun the same input to resume it"
look at the folders under BOT_RUNS_DIR, then ask the run's store whether it holds a ledger for
that run and whether it is unfinished. So a folder pruned away takes its run with it either way.

The run's *owner* (one process drives a run: `RUN_LEASE` in the orchestrator) stays a file
lease in the run's folder with either store. It guards a run against a second driver on the
machine that started it, and it is what `informex-bot report` and the office page read to tell
a run in progress; the process that submits and follows a run is one process on one machine even
when the dossiers are worked on elsewhere. On a shared folder whose `flock` is not trustworthy
(NFS) the per-dossier leases, which are what keeps a dossier from being injected twice, are in
PostgreSQL anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Union

from loguru import logger

from bot.engine.leases import FileLeaseStore, LeaseStore
from bot.engine.ledger import LEDGER_FILE, Ledger
from bot.settings import Settings

if TYPE_CHECKING:  # psycopg is imported only when BOT_DATABASE_URL asks for it (a third of a
    from bot.engine.pg_ledger import PgLedger  # second on every start otherwise)

RunLedger = Union[Ledger, "PgLedger"]  # a string member: Union, not `|`, at runtime
"""Either ledger: the same public API and semantics (tests/scale/test_pg_ledger.py holds both
to one contract)."""


class RunLedgers(Protocol):
    """The ledgers of an installation's runs, each known by its run folder (its name: the id)."""

    def exists(self, run_dir: Path) -> bool:
        """Whether there is a ledger for this run to resume."""
        ...

    def usable(self, run_dir: Path) -> bool:
        """Whether a resume may open the run's ledger (what it holds is checked then)."""
        ...

    def open(self, run_dir: Path) -> RunLedger:
        """The run's ledger (created empty when new)."""
        ...

    def where(self, run_dir: Path) -> str:
        """Where the run's ledger is, for a message (never a password)."""
        ...

    def unfinished(self, run_dir: Path, digest: str | None = None) -> bool:
        """Whether the run (over input `digest`, when given) still has dossiers to do; a ledger
        that cannot be read is not one to resume (logged, False)."""
        ...

    def resume_hint(self) -> str:
        """What may have broken a ledger that no longer holds its run (for the error message)."""
        ...


class SqliteRunLedgers:
    """The embedded default: `ledger.sqlite` in each run's folder."""

    def exists(self, run_dir: Path) -> bool:
        return (run_dir / LEDGER_FILE).is_file()

    def open(self, run_dir: Path) -> Ledger:
        return Ledger(run_dir / LEDGER_FILE)

    def where(self, run_dir: Path) -> str:
        return str(run_dir / LEDGER_FILE)

    def usable(self, run_dir: Path) -> bool:
        """A ledger file that is there and not empty (the rest is checked once opened)."""
        path = run_dir / LEDGER_FILE
        return path.is_file() and path.stat().st_size > 0

    def unfinished(self, run_dir: Path, digest: str | None = None) -> bool:
        if not self.exists(run_dir):
            return False
        try:
            with self.open(run_dir) as ledger:
                if digest is not None and ledger.meta().get("input_digest") != digest:
                    return False
                counts = ledger.counts()
        except Exception as exc:  # a broken ledger is not ours to resume
            logger.warning("skipping {}: {}", run_dir / LEDGER_FILE, exc)
            return False
        return bool(counts.get("pending", 0) or counts.get("in_progress", 0))

    def resume_hint(self) -> str:
        return "was ledger.sqlite-wal deleted, or the disk full?"


class PgRunLedgers:
    """Every run's ledger in one PostgreSQL database (BOT_DATABASE_URL)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def exists(self, run_dir: Path) -> bool:
        from bot.engine.pg_ledger import run_exists

        return run_exists(self.url, run_dir.name)

    def open(self, run_dir: Path) -> PgLedger:
        from bot.engine.pg_ledger import PgLedger

        return PgLedger(self.url, run_dir.name)

    def where(self, run_dir: Path) -> str:
        from bot.engine import pg

        return f"{pg.display(self.url)} (run {run_dir.name})"

    def usable(self, run_dir: Path) -> bool:
        return self.exists(run_dir)

    def unfinished(self, run_dir: Path, digest: str | None = None) -> bool:
        from bot.engine.pg_ledger import unfinished_runs

        try:
            return run_dir.name in unfinished_runs(self.url, digest)
        except Exception as exc:  # as for a broken file: not ours to resume
            logger.warning("skipping run {}: {}", run_dir.name, exc)
            return False

    def resume_hint(self) -> str:
        return "were its rows deleted from the database, or is it another database?"


EMBEDDED = SqliteRunLedgers()


def run_ledgers(settings: Settings) -> RunLedgers:
    """The store of run ledgers BOT_DATABASE_URL names (the embedded one when it is unset)."""
    return PgRunLedgers(settings.database_url) if settings.database_url else EMBEDDED


def open_run_ledger(settings: Settings, run_dir: Path) -> RunLedger:
    """The ledger of the run in `run_dir` (its id is the folder's name), in the settings' store.

    Only opens (creating an empty one when new); creating a run's ledger for its input, or
    checking that a resumed one holds its run, is `bot.engine.orchestrator.open_ledger`.
    """
    return run_ledgers(settings).open(run_dir)


def lease_store(settings: Settings, *, connect_wait_s: float | None = None) -> LeaseStore:
    """Where the per-dossier leases live: PostgreSQL's advisory locks when BOT_DATABASE_URL is
    set (shared by every machine), else lock files under BOT_LEASE_STORE / BOT_STATE_DIR.

    `connect_wait_s`: how long PostgreSQL's store waits for a server that does not answer
    (default `pg.RECONNECT_WAIT_S`; the office page, which must keep answering, waits for none).
    """
    if settings.database_url:
        from bot.engine.leases import PgLeaseStore

        return PgLeaseStore(settings.database_url, connect_wait_s=connect_wait_s)
    return FileLeaseStore(settings.lease_folder)
