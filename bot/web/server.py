"""`informex-bot serve`: bind, say where, serve until stopped.

The page binds 127.0.0.1 unless told otherwise, and refuses to be served beyond the machine
without BOT_UI_PASSWORD (a ConfigError, exit 2): on the shop's network it is a login page first.
Port 0 picks a free port; the first line printed is the address, for people and tests alike.
"""

from __future__ import annotations

import socket
import sys

import uvicorn

from bot.errors import ConfigError
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.security import is_loopback

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8780


def check_exposure(settings: Settings, host: str) -> None:
    """Raise ConfigError when the page would answer other machines without a password."""
    if not is_loopback(host) and not settings.ui_password:
        raise ConfigError(
            f"--host {host} serves the page to other machines: set BOT_UI_PASSWORD in .env "
            "first (at least 12 characters), or keep the default --host 127.0.0.1"
        )


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(False)
    return sock


def address_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(settings: Settings, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the page until SIGINT/SIGTERM. Runs started from it go on after it stops."""
    check_exposure(settings, host)
    sock = bind(host, port)
    app = create_app(settings, loopback_only=not settings.ui_password)
    print(f"informex-bot serve: {address_of(sock)}", flush=True)
    if not settings.ui_password:
        print("  answers this machine only (no BOT_UI_PASSWORD set)", flush=True)
    sys.stdout.flush()
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
