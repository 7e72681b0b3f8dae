"""Connections to the shared PostgreSQL (BOT_DATABASE_URL): one place that knows how to open one.

The PostgreSQL ledger and the advisory-lock leases both talk to the same server, from every
machine of an installation. What they share is here: the URL as libpq takes it (settings accept
SQLAlchemy-style `postgresql+psycopg://`), a display form without the password for messages,
connections that notice a dead peer (TCP keepalives on both ends, so a lease held by a machine
that vanished is freed in about half a minute, not two hours), waiting for a restarted server, and
telling a dropped connection from an error in a statement.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg

CONNECT_TIMEOUT_S = 10
RECONNECT_WAIT_S = 60.0  # a restarted server (or a failover) gets this long to come back
RECONNECT_POLL_S = 0.25
# The server drops a session whose client stopped answering after 10 + 3 × 5 s (idle,
# interval, count): the moment an advisory lock of a vanished machine is freed.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
SERVER_KEEPALIVES = " ".join(
    f"-c tcp_{name}={value}" for name, value in KEEPALIVES.items() if name != "keepalives"
)


def libpq_url(url: str) -> str:
    """The URL as libpq reads it: `postgresql+psycopg://` → `postgresql://`."""
    return re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url)


def display(url: str) -> str:
    """The URL for a message or a log line: no user's password, no query string."""
    parts = urlsplit(libpq_url(url))
    host = parts.hostname or "localhost"
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def application_name(what: str) -> str:
    """How this connection shows in pg_stat_activity: the bot, the pid and host, and why."""
    return f"informex-bot {what} pid {os.getpid()} on {socket.gethostname()}"[:63]


def connect(url: str, what: str) -> psycopg.Connection:
    """A new autocommit connection (statements that must go together use `transaction()`)."""
    return psycopg.connect(
        libpq_url(url),
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT_S,
        application_name=application_name(what),
        options=SERVER_KEEPALIVES,
        **KEEPALIVES,
    )


def connect_waiting(
    url: str, what: str, wait_s: float = RECONNECT_WAIT_S, stop: threading.Event | None = None
) -> psycopg.Connection:
    """A connection, waiting up to `wait_s` for a server that is (re)starting to take it."""
    deadline = time.monotonic() + wait_s
    stop = stop or threading.Event()
    while True:
        try:
            return connect(url, what)
        except psycopg.OperationalError:
            if time.monotonic() >= deadline or stop.wait(RECONNECT_POLL_S):
                raise


def is_disconnect(exc: BaseException, db: psycopg.Connection | None) -> bool:
    """Whether `exc` says the connection itself is gone (server restarted, network cut), as
    opposed to a statement the server refused on a connection that still works."""
    if db is not None and (db.closed or db.broken):
        return True
    if isinstance(exc, psycopg.InterfaceError):
        return True
    return isinstance(exc, psycopg.errors.AdminShutdown | psycopg.errors.CannotConnectNow)


def lock_key(text: str) -> int:
    """A text key as the signed 64-bit number advisory locks take (collisions: 1 in 2**64)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


def lock_ids(key: int) -> tuple[int, int]:
    """How pg_locks shows a bigint advisory lock: (classid, objid), its high and low halves."""
    unsigned = key & 0xFFFF_FFFF_FFFF_FFFF
    return unsigned >> 32, unsigned & 0xFFFF_FFFF
