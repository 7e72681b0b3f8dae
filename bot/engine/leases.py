"""Per-dossier leases: one process at a time works on a dossier, whoever started it.

The portals are the truth the bot reads before every write, but two processes reading the same
dossier at the same moment both see "not injected yet" and both press "i": two Informex dossiers,
two fees. A lease closes that window. It is taken before a dossier's state is first read and held
until its result is final, by every process of the installation: a nightly batch, a person's
`informex-bot run`, another batch, another worker thread.

A lease must never outlive its holder: a killed process must not block a dossier. The default
store (`FileLeaseStore`) takes an exclusive `flock` on a file per dossier under `BOT_STATE_DIR`;
the operating system drops it the moment the holder dies (SIGKILL included), so the bound is
zero seconds and needs no server. Stores shared by several machines (PostgreSQL advisory locks)
implement the same small interface (`LeaseStore`).
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
from typing import Protocol

from loguru import logger

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
