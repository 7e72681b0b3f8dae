"""Private PostgreSQL and Redis servers for the many-machines tests (and anyone who wants one).

The tests of issue 17 need a real PostgreSQL (ledger, advisory-lock leases) and a real Redis
(Celery's broker), never the machine's own services: each server here runs in a temporary folder
of its own, on a free loopback port, as a child of this process, and is gone when `stop()` returns
(killed if it will not stop). Nothing here imports pytest, so a script can use it too.

PostgreSQL refuses to run as root: when we are root, the cluster belongs to the `postgres` user
(or `nobody`), its folder is chowned to that user and the server runs under that uid (set by
`subprocess.Popen(user=…)` itself, so the child *is* the server and killing it kills the server,
with no `su` in between). The folder lives in the system's temporary folder because pytest's own
(`/tmp/pytest-of-root`, mode 0700) is closed to that user.

Readiness is a condition, never a sleep: PostgreSQL is ready when a connection succeeds, Redis
when it answers PING; between two looks we wait on the server process itself, so a server that
dies while starting is reported at once with its log.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import psycopg

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0
POLL_S = 0.05
PG_SUPERUSER = "bot"
REDIS_OPTIONS = ("--save", "", "--appendonly", "no")  # a broker for tests: nothing on disk
PG_OPTIONS = {
    "listen_addresses": "127.0.0.1",  # loopback only (and the unix socket in the folder)
    "fsync": "off",  # the tests measure the bot, not the disk
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",  # one per held lease, plus the ledgers
}


class ServerUnavailable(RuntimeError):
    """The server's binaries are not installed here (the tests that need it are skipped)."""


class ServerFailed(RuntimeError):
    """The server did not start (or did not stop) in time; the message holds its log's tail."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_bin() -> Path:
    """The newest PostgreSQL's bin folder (Debian's layout), or PATH's (else ServerUnavailable)."""
    folders = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0)
    )
    candidates = [Path(f) for f in reversed(folders)]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise ServerUnavailable(
        "PostgreSQL is not installed (no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin "
        "or on PATH); scripts/setup installs it when root on Debian"
    )


def redis_binary() -> Path:
    found = shutil.which("redis-server")
    if not found:
        raise ServerUnavailable(
            "redis-server is not installed (not on PATH); scripts/setup installs it when root on "
            "Debian"
        )
    return Path(found)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_until(
    ready: Callable[[], bool],
    process: subprocess.Popen[bytes],
    what: str,
    log: Path,
    timeout_s: float = START_TIMEOUT_S,
) -> None:
    """Until `ready()` is true; between looks, wait on the process (a death ends the wait)."""
    deadline = time.monotonic() + timeout_s
    while not ready():
        try:
            code = process.wait(timeout=POLL_S)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                message = f"{what} not ready after {timeout_s:.0f} s:\n{_tail(log)}"
                raise ServerFailed(message) from None
            continue
        raise ServerFailed(f"{what} exited with {code} while starting:\n{_tail(log)}")


def _stop_process(process: subprocess.Popen[bytes] | None, sig: signal.Signals) -> None:
    """Ask with `sig`, wait; kill if it will not go. Safe to call on a process already gone."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(sig)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


# -- PostgreSQL -----------------------------------------------------------------------------------
@dataclass
class PostgresServer:
    """A private PostgreSQL cluster: `start()`, `url`, `restart()`, `stop()`; a context manager.

    The superuser is `bot`, trusted on loopback and the cluster's own unix socket (in its folder)
    only: nothing else can reach it.
    """

    folder: Path | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _bin: Path | None = None
    _user: str | None = None

    @property
    def url(self) -> str:
        return f"postgresql://{PG_SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    @property
    def data(self) -> Path:
        assert self.folder is not None
        return self.folder / "data"

    @property
    def log(self) -> Path:
        assert self.folder is not None
        return self.folder / "postgres.log"

    def start(self) -> PostgresServer:
        """initdb (first time only) and start the server; returns when it takes connections."""
        if self._bin is None:
            self._bin = postgres_bin()
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="informex-pg-"))
            self._user = _unprivileged_user()
            if self._user is not None:
                entry = pwd.getpwnam(self._user)
                os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            initdb = [str(self._bin / "initdb"), "-D", str(self.data), "-U", PG_SUPERUSER]
            self._run([*initdb, "--auth=trust", "-E", "UTF8", "--no-sync"])
        log = self.log.open("ab")
        try:
            self.process = subprocess.Popen(
                [str(self._bin / "postgres"), "-D", str(self.data), "-p", str(self.port)]
                + ["-k", str(self.folder)]
                + [arg for item in PG_OPTIONS.items() for arg in ("-c", "=".join(item))],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a ^C in the terminal reaches pytest, which stops it
                **self._as_user(),
            )
        finally:
            log.close()
        try:
            _wait_until(self._accepts, self.process, f"PostgreSQL on port {self.port}", self.log)
        except BaseException:
            self.kill()
            raise
        return self

    def _accepts(self) -> bool:
        try:
            with psycopg.connect(self.url, connect_timeout=2) as db:
                db.execute("SELECT 1")
        except psycopg.OperationalError:
            return False
        return True

    def stop(self) -> None:
        """Fast shutdown (SIGINT: connections dropped, no wait for clients); the folder stays."""
        _stop_process(self.process, signal.SIGINT)
        self.process = None

    def restart(self) -> None:
        """Stop and start again on the same port and data: every open connection is cut."""
        self.stop()
        self.start()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
        self.process = None

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _as_user(self) -> dict[str, object]:
        if self._user is None:
            return {}
        return {"user": self._user, "group": pwd.getpwnam(self._user).pw_gid, "extra_groups": []}

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=120, **self._as_user()
        )
        if done.returncode != 0:
            raise ServerFailed(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.remove()


def _unprivileged_user() -> str | None:
    """The user to run PostgreSQL as when we are root (None: we are not root, run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise ServerUnavailable("running as root and no 'postgres' or 'nobody' user to run PostgreSQL")


def start_postgres(folder: Path | None = None) -> PostgresServer:
    """A running private PostgreSQL (its own temporary folder unless `folder`, already owned by
    the user it will run as, is given). Stop it with `.remove()` (or `.stop()` to keep the data)."""
    return PostgresServer(folder=folder).start()


def stop_postgres(server: PostgresServer) -> None:
    server.remove()


def restart_postgres(server: PostgresServer) -> None:
    server.restart()


# -- Redis ----------------------------------------------------------------------------------------
@dataclass
class RedisServer:
    """A private Redis: no persistence, loopback only, its own folder; a context manager."""

    folder: Path | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _own_folder: bool = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = redis_binary()
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="informex-redis-"))
            self._own_folder = True
        self.folder.mkdir(parents=True, exist_ok=True)
        log = self.folder / "redis.log"
        where = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(binary), *where, *REDIS_OPTIONS],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            _wait_until(self._pongs, self.process, f"Redis on port {self.port}", log)
        except BaseException:
            self.stop()
            raise
        return self

    def _pongs(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        _stop_process(self.process, signal.SIGTERM)
        self.process = None
        if self._own_folder and self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_redis(folder: Path | None = None) -> RedisServer:
    """A running private Redis (in `folder`, or a temporary folder removed at stop)."""
    return RedisServer(folder=folder).start()


def stop_redis(server: RedisServer) -> None:
    server.stop()
