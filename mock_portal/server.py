"""Run the mock portal with uvicorn: in the foreground (`serve`) or in a thread (`run_in_thread`).

The socket is bound here, before uvicorn starts, so `port=0` can pick a free port and the real
one can be announced (`mock portal listening on http://HOST:PORT`) once the server accepts
connections. In the foreground uvicorn handles SIGINT/SIGTERM and shuts down cleanly.
"""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import uvicorn

from mock_portal.app import create_app
from mock_portal.config import PortalConfig

READY_TIMEOUT_S = 30.0


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free port chosen by the OS)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Server(uvicorn.Server):
    """uvicorn's server, telling us when it is ready to accept connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_ready()


def _uvicorn_config(config: PortalConfig, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(config),
        log_level=log_level,
        access_log=log_level in ("debug", "trace"),
        lifespan="off",
        timeout_graceful_shutdown=3,
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    config: PortalConfig | None = None,
    *,
    log_level: str = "warning",
) -> None:
    """Serve until SIGINT/SIGTERM; print the listening line to stdout once ready."""
    sock = bind(host, port)
    url = url_of(host, sock)

    def announce() -> None:
        print(f"mock portal listening on {url}", flush=True)

    server = _Server(_uvicorn_config(config or PortalConfig(), log_level), announce)
    try:
        with _stop_on_signals(server):
            server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        sys.exit(1)


@contextmanager
def _stop_on_signals(server: uvicorn.Server) -> Iterator[None]:
    """SIGINT/SIGTERM stop the server gracefully and the process exits with status 0.

    uvicorn handles the signals while it runs, then re-raises them to the handlers it found, so
    that the default handler would kill the process after the graceful shutdown. These handlers
    are the ones it finds: they only ask the server to stop (a no-op once it has stopped), which
    also covers a signal that arrives while the app is still being built.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def run_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    config: PortalConfig | None = None,
    *,
    log_level: str = "warning",
    **config_fields: Any,
) -> Iterator[str]:
    """Serve in a background thread for the duration of the block; yields the base URL.

    `config_fields` are PortalConfig fields (e.g. `faults="hostile"`) for a quick setup.
    """
    if config is None:
        config = PortalConfig(**config_fields)
    elif config_fields:
        raise TypeError("give either a PortalConfig or its fields, not both")
    sock = bind(host, port)
    ready = threading.Event()
    server = _Server(_uvicorn_config(config, log_level), ready.set)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="mock-portal", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not ready.wait(0.05):
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the mock portal did not start")
        yield url_of(host, sock)
    finally:
        server.should_exit = True
        thread.join(READY_TIMEOUT_S)
        sock.close()
