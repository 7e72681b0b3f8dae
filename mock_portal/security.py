"""Passwords, session cookies and CSRF tokens, done the way a real portal does them.

The bot must cope with real sessions (expiry, a login per portal, tokens in forms), so the mock
does not fake them: passwords are PBKDF2-SHA256 with a salt, session ids and CSRF tokens come
from `secrets`, tokens are compared in constant time, and cookies are HttpOnly, SameSite=Lax and
scoped to their portal's path so one portal's session never opens the other.

The `/_mock/` control API has no login, so it only answers the machine it runs on
(`control_request_problem`): a loopback Host (or the very address the server answers on), no
foreign Origin, and JSON bodies only. A web page in a person's browser can then neither drive
it (a cross-origin form or fetch) nor read it through DNS rebinding (a foreign Host name).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

PBKDF2_ITERATIONS = 120_000
_SCHEME = "pbkdf2_sha256"

# Hashing a seed's passwords costs ~0.1 s each; tests reset the seed hundreds of times. The cache
# is keyed by a digest (never the plaintext) and holds salted hashes made in this process only.
_hash_cache: dict[bytes, str] = {}


def hash_password(password: str, *, cache_key: str | None = None) -> str:
    """A salted PBKDF2-SHA256 hash: `pbkdf2_sha256$iterations$salt$hash` (base64 parts)."""
    key = (
        hashlib.sha256(f"{PBKDF2_ITERATIONS}\0{cache_key}\0{password}".encode()).digest()
        if cache_key
        else None
    )
    if key is not None and key in _hash_cache:
        return _hash_cache[key]
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ITERATIONS)
    encoded = "$".join(
        (_SCHEME, str(PBKDF2_ITERATIONS), _b64(salt), _b64(digest)),
    )
    if key is not None:
        _hash_cache[key] = encoded
    return encoded


def verify_password(password: str, encoded: str) -> bool:
    """True when `password` matches the stored hash (constant-time comparison)."""
    try:
        scheme, iterations, salt, digest = encoded.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), base64.b64decode(salt), int(iterations)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def new_token() -> str:
    """A random, URL-safe token for session ids and CSRF tokens."""
    return secrets.token_urlsafe(32)


def same_token(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; a missing token never matches."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class PortalCookies:
    """The cookie names and path of one portal."""

    portal: str

    @property
    def path(self) -> str:
        return f"/{self.portal}"

    @property
    def session(self) -> str:
        return "pm_session" if self.portal == "planmanager" else "wx_session"

    @property
    def login_csrf(self) -> str:
        return "pm_login_csrf" if self.portal == "planmanager" else "wx_login_csrf"

    def session_id(self, request: Request) -> str | None:
        return request.cookies.get(self.session)

    def set_session(self, response: Response, token: str) -> None:
        response.set_cookie(
            self.session, token, path=self.path, httponly=True, samesite="lax", secure=False
        )

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(self.session, path=self.path, httponly=True, samesite="lax")

    def set_login_csrf(self, response: Response, token: str) -> None:
        """The login form's double-submit token (there is no session yet to hold one)."""
        response.set_cookie(
            self.login_csrf, token, path=self.path, httponly=True, samesite="lax", secure=False
        )


def safe_next(portal: str, target: str | None) -> str:
    """Where to go after login: only a path inside the same portal (no open redirect)."""
    home = f"/{portal}/"
    if not target or not target.startswith(home) or target.startswith("//") or "\\" in target:
        return home
    if "/login" in target.split("?", 1)[0]:
        return home
    return target


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
"""Host names the control API answers to, besides the literal address the server answers on."""


def _host_and_port(host_header: str, default_port: int) -> tuple[str, int] | None:
    """`name:port`, `[v6]:port` or a bare name, lower-cased; None when the header is malformed."""
    if host_header.startswith("["):
        host, bracket, rest = host_header[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        host, _, port = host_header.partition(":")
        if ":" in port:  # an IPv6 address without brackets is no valid Host header
            return None
    if not host or (port and not port.isdigit()):
        return None
    return host.lower(), int(port) if port else default_port


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def control_request_problem(request: Request) -> tuple[int, str] | None:
    """Why a `/_mock/` request must be refused, as (status, reason); None when it may pass.

    403 for a Host that is not this machine's loopback (or the IP literal the server answers
    on) with the server's port, for an Origin other than the portal's own, and for a browser's
    cross-site fetch; 415 for a body (or declared content) that is not JSON.
    """
    server = request.scope.get("server") or (None, None)
    server_host, server_port = server[0], server[1]
    scheme = request.url.scheme
    default_port = 443 if scheme == "https" else 80
    host_header = request.headers.get("host", "")
    parsed = _host_and_port(host_header, default_port)
    allowed = set(LOOPBACK_NAMES)
    if isinstance(server_host, str) and _is_ip_literal(server_host):
        allowed.add(server_host.lower())
    if parsed is None or parsed[0] not in allowed or parsed[1] != server_port:
        return 403, f"Host {host_header!r} refused: the control API answers this machine only"
    origin = request.headers.get("origin")
    if origin is not None and origin.lower() != f"{scheme}://{host_header.lower()}":
        return 403, f"Origin {origin!r} refused: the control API answers its own origin only"
    if request.headers.get("sec-fetch-site", "none") not in ("none", "same-origin"):
        return 403, "a cross-site request from a web page is refused"
    content_type = request.headers.get("content-type")
    has_body = (
        request.headers.get("content-length", "0").strip() not in ("", "0")
        or "transfer-encoding" in request.headers
    )
    if content_type is not None or has_body:
        media_type = (content_type or "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            return 415, "the control API takes JSON only (Content-Type: application/json)"
    return None
