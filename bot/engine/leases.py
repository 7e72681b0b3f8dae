"""Per-dossier leases: one process at a time works on a dossier, whoever started it.

The portals are the truth the bot reads before every write, but two processes reading the same
dossier at the same moment both see "not injected yet" and both press "i": two Informex dossiers,
two fees. A lease closes that window. It is taken before a dossier's state is first read and held
until its result is final, by every process of the installation: a nightly batch, a person's
`informex-bot run`, another batch, another worker thread.

A lease must never outlive its holder: a killed process must not block a dossier. The default
store (`FileLeaseStore`) takes an exclusive `flock` on a file per dossier under `BOT_STATE_DIR`;
the operating system drops it the moment the holder dies (SIGKILL included), so the bound is
zero seconds and needs no server. When workers sit on several machines, `PgLeaseStore` keeps
the leases in the shared PostgreSQL (BOT_DATABASE_URL) as advisory locks, which the server drops
the moment the holder's connection ends; both implement the same small interface (`LeaseStore`),
and `bot.engine.stores.lease_store(settings)` picks one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import socket
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from loguru import logger

from bot.errors import LedgerError

if TYPE_CHECKING:
    import psycopg

POLL_S = 0.25  # how often a waiting process looks again (a lease is held for seconds)


@dataclass(frozen=True)
class Holder:
    """Who holds a lease: enough for a person to find the process."""

    pid: int
    host: str
    since: str
    what: str = ""

    def __str__(self) -> str:
        what = f", {self.what}" if self.what else ""
        return f"pid {self.pid} on {self.host} since {self.since}{what}"

    @classmethod
    def me(cls, what: str = "") -> Holder:
        return cls(
            pid=os.getpid(),
            host=socket.gethostname(),
            since=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            what=what,
        )


class Lease(Protocol):
    """A held lease; `release()` is idempotent."""

    def release(self) -> None: ...


class LeaseStore(Protocol):
    """Where leases live; every process that may work on the same dossiers shares it."""

    def try_acquire(self, key: str, holder: Holder) -> Lease | None:
        """The lease on `key`, or None when another holder has it now."""
        ...

    def holder(self, key: str) -> Holder | None:
        """Who holds `key` now, as far as the store knows (None: nobody, or unknown)."""
        ...


class LeaseBusy(Exception):
    """The wait for a lease ran out, or was cut short by a stop."""

    def __init__(self, key: str, holder: Holder | None) -> None:
        self.key = key
        self.holder = holder
        who = str(holder) if holder else "holder unknown"
        super().__init__(f"busy: another process is working on it ({who})")


def acquire(
    store: LeaseStore,
    key: str,
    *,
    wait_s: float,
    what: str = "",
    stop: threading.Event | None = None,
) -> Lease:
    """Take the lease on `key`, waiting up to `wait_s` for its holder to finish.

    Raises LeaseBusy (naming the holder) when the wait runs out or `stop` is set.
    """
    stop = stop or threading.Event()
    me = Holder.me(what)
    lease = store.try_acquire(key, me)
    if lease is not None:
        return lease
    holder = store.holder(key)
    logger.info("{} is being worked on by {}; waiting up to {:.0f} s", key, holder, wait_s)
    waited = 0.0
    while waited < wait_s:
        step = min(POLL_S, wait_s - waited)
        if stop.wait(step):
            break
        waited += step
        lease = store.try_acquire(key, me)
        if lease is not None:
            logger.info("{} is free now (waited {:.1f} s)", key, waited)
            return lease
    raise LeaseBusy(key, store.holder(key) or holder)


def dossier_key(portal_url: str, dossier: str) -> str:
    """The lease key of a dossier: its number in its own PlanManager (two shops may share one)."""
    return f"{portal_url.rstrip('/')}#{dossier}"


class _FileLease:
    def __init__(self, descriptor: int, path: Path) -> None:
        self._descriptor: int | None = descriptor
        self.path = path
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._descriptor is None:
                return
            descriptor, self._descriptor = self._descriptor, None
        with suppress(OSError):
            os.ftruncate(descriptor, 0)  # nobody holds it: no stale holder shown
        os.close(descriptor)  # closing drops the flock


class FileLeaseStore:
    """Leases as `flock`ed files in one folder: shared by every process on this machine.

    `flock` locks belong to an open file description, so two threads of one process exclude each
    other like two processes do, and the kernel releases the lock when its holder dies. The file
    holds the holder's pid, host and start as JSON, for the message a waiting process shows.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key.rsplit("#", 1)[-1]).strip("._")[:40]
        return self.folder / f"{readable or 'lease'}-{digest}.lock"

    def try_acquire(self, key: str, holder: Holder) -> Lease | None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
        record = json.dumps({**holder.__dict__, "key": key}).encode()
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, record, 0)
        return _FileLease(descriptor, path)

    def holder(self, key: str) -> Holder | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        try:
            return Holder(int(data["pid"]), str(data["host"]), str(data["since"]), data["what"])
        except (KeyError, TypeError, ValueError):
            return None


# -- PostgreSQL: leases shared by several machines ------------------------------------------------
_LEASES_TABLE = """CREATE TABLE IF NOT EXISTS bot_leases (
    lock_key BIGINT PRIMARY KEY,
    key TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    since TEXT NOT NULL,
    what TEXT NOT NULL DEFAULT '',
    backend_pid INTEGER NOT NULL
)"""


class _PgLease:
    """A held advisory lock and the connection that holds it (the lock lives as long as it)."""

    def __init__(self, db: psycopg.Connection, lock_key: int) -> None:
        self._db: psycopg.Connection | None = db
        self.lock_key = lock_key
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._db is None:
                return
            db, self._db = self._db, None
        try:
            db.execute(
                "DELETE FROM bot_leases WHERE lock_key = %s AND backend_pid = pg_backend_pid()",
                (self.lock_key,),
            )
            db.execute("SELECT pg_advisory_unlock(%s)", (self.lock_key,))
        except Exception as exc:  # a connection already gone holds nothing any more
            logger.debug("lease {}: released with its connection ({})", self.lock_key, exc)
        finally:
            db.close()  # closing alone frees the lock; the unlock above only says so sooner


class PgLeaseStore:
    """Leases as PostgreSQL advisory locks, one dedicated connection per held lease.

    Why PostgreSQL: its session-level `pg_try_advisory_lock` is the one shared lock here that
    is freed by the holder's death (the server ends the session when the connection drops:
    milliseconds after a SIGKILL, about half a minute after a machine vanishes, by TCP keepalive;
    see `bot.engine.pg`), with no expiry to guess, unlike a Redis key with a TTL. The key is hashed
    to the 64-bit number the lock takes (`pg.lock_key`).

    Who holds a lease is a row of `bot_leases` (pid, host, since, what, and the server process of
    the holding connection); `holder()` trusts a row only while `pg_locks` shows that very server
    process holding the lock, so a dead holder's leftover row names nobody.

    Bound: a lease lives as long as its connection. If the server restarts, every lease is lost
    at once while its holders work on; the portal reads before every write stay the guard then,
    as they are against a second engine delivery.
    """

    def __init__(self, url: str, *, connect_wait_s: float | None = None) -> None:
        from bot.engine import pg

        self.url = url
        self.connect_wait_s = pg.RECONNECT_WAIT_S if connect_wait_s is None else connect_wait_s
        self._table_ready = False

    def _connect(self, what: str) -> psycopg.Connection:
        import psycopg

        from bot.engine import pg

        try:
            db = pg.connect_waiting(self.url, what, self.connect_wait_s)
            if not self._table_ready:
                with db.transaction():
                    db.execute("SELECT pg_advisory_xact_lock(%s)", (pg.lock_key("bot_leases"),))
                    db.execute(_LEASES_TABLE)
                self._table_ready = True
        except psycopg.Error as exc:
            raise LedgerError(f"lease store {pg.display(self.url)}: unreachable ({exc})") from None
        return db

    def try_acquire(self, key: str, holder: Holder) -> Lease | None:
        from bot.engine import pg

        lock_key = pg.lock_key(key)
        db = self._connect(f"lease {key}")
        try:
            row = db.execute("SELECT pg_try_advisory_lock(%s)", (lock_key,)).fetchone()
            if not (row and row[0]):
                db.close()
                return None
            db.execute(
                "INSERT INTO bot_leases (lock_key, key, pid, host, since, what, backend_pid) "
                "VALUES (%s, %s, %s, %s, %s, %s, pg_backend_pid()) ON CONFLICT (lock_key) DO "
                "UPDATE SET key = excluded.key, pid = excluded.pid, host = excluded.host, "
                "since = excluded.since, what = excluded.what, backend_pid = excluded.backend_pid",
                (lock_key, key, holder.pid, holder.host, holder.since, holder.what),
            )
        except BaseException:
            db.close()
            raise
        return _PgLease(db, lock_key)

    def holder(self, key: str) -> Holder | None:
        from bot.engine import pg

        lock_key = pg.lock_key(key)
        classid, objid = pg.lock_ids(lock_key)
        with self._connect("lease lookup") as db:
            row: Any = db.execute(
                "SELECT b.pid, b.host, b.since, b.what FROM pg_locks l "
                "JOIN bot_leases b ON b.lock_key = %s AND b.backend_pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                "AND l.classid = %s::bigint::oid AND l.objid = %s::bigint::oid "
                "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                (lock_key, classid, objid),
            ).fetchone()
        if row is None:
            return None
        return Holder(int(row[0]), str(row[1]), str(row[2]), str(row[3]))
