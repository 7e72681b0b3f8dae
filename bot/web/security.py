"""Who may use the page, and proof that a POST came from it.

- Sessions: a random id in a cookie (HttpOnly, SameSite=Lax, path /), kept in memory with the
  time it was last used; every browser gets one, so every form carries a CSRF token tied to it.
  With BOT_UI_PASSWORD set, a session must have logged in (a login page; the id is replaced at
  login) and nothing else answers without one. A restart of the page logs everyone out.
- CSRF: the token is an HMAC of the session id under a key made at start; every POST handler
  reads its form through `checked_form`, which refuses a missing or wrong token (403), and a
  foreign Origin.
- Logins are throttled per client address: a few failures lock that address out for a while;
  attempts during the lockout do not count and do not extend it.
- Without a password the page answers this machine only, and only under a loopback Host name, so
  a web site the person visits cannot reach it through DNS rebinding.
- Every answer forbids framing, sniffing and scripts from anywhere but the page's own files.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "informex_bot_session"
SESSION_IDLE_S = 12 * 3600  # a working day; then the person logs in again
MAX_SESSIONS = 5000  # beyond, the least recently used go (a client that never keeps a cookie)
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW_S = 300.0
LOGIN_LOCKOUT_S = 60.0
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
REPORT_POLICY = (  # report.html and its pages: their CSS, no scripts, their own screenshots
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


def is_loopback(host: str) -> bool:
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass
class Session:
    """One browser's visit: the id its cookie carries, whether it logged in, when last seen."""

    id: str
    logged_in: bool = False
    last_used: float = field(default_factory=time.monotonic)


class Sessions:
    """The page's sessions, in memory (thread-safe)."""

    def __init__(self, password: str) -> None:
        self.password = password
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    @property
    def login_required(self) -> bool:
        return bool(self.password)

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            now = time.monotonic()
            if now - session.last_used > SESSION_IDLE_S:
                del self._sessions[session_id]
                return None
            session.last_used = now
            return session

    def new(self, *, logged_in: bool = False) -> Session:
        session = Session(secrets.token_urlsafe(32), logged_in=logged_in)
        with self._lock:
            self._forget_idle()
            self._sessions[session.id] = session
        return session

    def end(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _forget_idle(self) -> None:
        now = time.monotonic()
        for key in [k for k, s in self._sessions.items() if now - s.last_used > SESSION_IDLE_S]:
            del self._sessions[key]
        if len(self._sessions) >= MAX_SESSIONS:
            by_use = sorted(self._sessions.values(), key=lambda s: s.last_used)
            for session in by_use[: len(by_use) - MAX_SESSIONS + 1]:
                del self._sessions[session.id]

    def password_matches(self, offered: str) -> bool:
        if not self.password:
            return False
        a = hashlib.sha256(offered.encode()).digest()
        b = hashlib.sha256(self.password.encode()).digest()
        return hmac.compare_digest(a, b)

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._key, session.id.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: Session | None, token: str | None) -> bool:
        if session is None or not token:
            return False
        return hmac.compare_digest(self.csrf_token(session), token)


class LoginThrottle:
    """Failed logins per client address: LOGIN_MAX_FAILURES within the window lock it out."""

    def __init__(
        self,
        max_failures: int = LOGIN_MAX_FAILURES,
        window_s: float = LOGIN_WINDOW_S,
        lockout_s: float = LOGIN_LOCKOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures, self.window_s, self.lockout_s = max_failures, window_s, lockout_s
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}

    def locked_for(self, client: str) -> float:
        """Seconds this client must still wait (0: it may try)."""
        with self._lock:
            until = self._locked_until.get(client, 0.0)
            return max(0.0, until - self.clock())

    def failed(self, client: str) -> None:
        """A failed login; refused ones during a lockout are not counted (not extending it)."""
        now = self.clock()
        with self._lock:
            if self._locked_until.get(client, 0.0) > now:
                return
            recent = [t for t in self._failures.get(client, []) if now - t < self.window_s]
            recent.append(now)
            if len(recent) >= self.max_failures:
                self._locked_until[client] = now + self.lockout_s
                recent = []
            self._failures[client] = recent

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def session_of(request: Request) -> Session | None:
    return request.scope.get("web_session")


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token and origin are proven to be the page's own."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "foreign origin")
    form = await request.form()
    sessions: Sessions = request.app.state.sessions
    token = form.get("csrf")
    if not sessions.csrf_ok(session_of(request), token if isinstance(token, str) else None):
        raise HTTPException(403, "missing or wrong form token; reload the page")
    return form


OPEN_PATHS = ("/login", "/static/", "/language")
"""Reachable without logging in: the login page, its stylesheet and script, its language."""


class Gate:
    """ASGI middleware: Host check, a session for every browser, the login wall, headers."""

    def __init__(self, app: ASGIApp, sessions: Sessions, *, loopback_only: bool) -> None:
        self.app = app
        self.sessions = sessions
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if self.loopback_only and not self._loopback_host(request):
            await _plain(403, "This page answers this machine only (http://127.0.0.1).")(
                scope, receive, send
            )
            return
        session = self.sessions.get(request.cookies.get(SESSION_COOKIE))
        new_cookie = None
        if session is None:
            session = self.sessions.new()
            new_cookie = session.id
        scope["web_session"] = session
        path = scope.get("path", "/")
        if (
            self.sessions.login_required
            and not session.logged_in
            and not path.startswith(OPEN_PATHS)
        ):
            await _to_login(request)(scope, receive, _with_headers(send, new_cookie))
            return
        await self.app(scope, receive, _with_headers(send, new_cookie, scope))

    @staticmethod
    def _loopback_host(request: Request) -> bool:
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in LOOPBACK_NAMES  # bound to loopback (serve): the client is this machine


def session_cookie(session_id: str) -> str:
    return (
        f"{SESSION_COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_IDLE_S}"
    )


def _with_headers(
    send: Send, new_cookie: str | None, scope: Scope | None = None
) -> Callable[[Message], Awaitable[None]]:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            replaced = scope is not None and scope.get("web_session_replaced")
            if new_cookie and not replaced:
                headers.append((b"set-cookie", session_cookie(new_cookie).encode()))
            extra = {
                b"content-security-policy": PAGE_POLICY.encode(),
                b"x-content-type-options": b"nosniff",
                b"x-frame-options": b"DENY",
                b"referrer-policy": b"no-referrer",
                b"cache-control": b"no-store",
            }
            headers += [(k, v) for k, v in extra.items() if k not in names]
            message = {**message, "headers": headers}
        await send(message)

    return sending


def _plain(status: int, text: str) -> ASGIApp:
    return PlainTextResponse(text, status_code=status)


def _to_login(request: Request) -> ASGIApp:
    """A person's browser asking for a page goes to the login page; anything else gets 401."""
    wants_page = (
        request.method == "GET"
        and "text/html" in request.headers.get("accept", "")
        and request.headers.get("x-live") is None
    )
    if wants_page:
        return RedirectResponse("/login", status_code=303)
    return PlainTextResponse("log in first", status_code=401)
