"""A request counter: how many pages a client loaded and how many POSTs it made, per path.

The benchmark compares the bot with a hand-written floor by the round trips each makes per
dossier; the portal is the one place that sees them all, whatever the client. Counted in the
outermost middleware, so a request answered with a fault (503, 500) counts like any other.
`/_mock/` requests are not counted (they are the test's own, not a client's).

A request is one of three kinds:

- `page_load`: a GET the browser makes to show a page (`Sec-Fetch-Dest: document`, what
  Chromium sends for a navigation, a redirect followed or a reload; without that header, a GET
  whose `Accept` names `text/html`);
- `post`: any POST (a form sent, the popup's closing fetch);
- `other`: everything else (scripts, styles, photos, the injection's status poll).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

KINDS = ("page_load", "post", "other")
# An identifier in a path (PM-2026-0101, WX-2026-000001, a photo's index): counted as `{id}`, so
# the counts say which screen, not which dossier. `2e-circuit` keeps its name (one digit only).
_IDENTIFIER = re.compile(r"^(?:\d+|[A-Za-z]*-?\d{4}-\d+)$")


def normalised_path(path: str) -> str:
    """`/planmanager/dossiers/PM-2026-0101/inject` → `/planmanager/dossiers/{id}/inject`."""
    return "/".join("{id}" if _IDENTIFIER.match(part) else part for part in path.split("/"))


def query_keys(query: str) -> str:
    """`q=WVW…&x=1` → `?q&x`: whether a page was a search shows, not what was searched."""
    keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
    return "?" + "&".join(keys) if keys else ""


def kind_of(method: str, headers: dict[str, str]) -> str:
    """`page_load`, `post` or `other` (see the module's docstring)."""
    if method == "POST":
        return "post"
    if method not in ("GET", "HEAD"):
        return "other"
    dest = headers.get("sec-fetch-dest")
    if dest is not None:
        return "page_load" if dest == "document" else "other"
    return "page_load" if "text/html" in headers.get("accept", "") else "other"


class RequestLog:
    """The counts since the last clear (a portal reset clears them too)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.by_path: Counter[str] = Counter()
        self.since = time.time()

    def record(self, method: str, path: str, headers: dict[str, str], query: str = "") -> None:
        kind = kind_of(method, headers)
        self.counts[kind] += 1
        self.by_path[f"{kind} {method} {normalised_path(path)}{query_keys(query)}"] += 1

    def clear(self) -> None:
        self.counts.clear()
        self.by_path.clear()
        self.since = time.time()

    def as_dict(self) -> dict[str, Any]:
        """`{"since": epoch s, "page_load": n, "post": n, "other": n, "by_path": {...}}`."""
        return {
            "since": self.since,
            **{kind: self.counts.get(kind, 0) for kind in KINDS},
            "by_path": dict(sorted(self.by_path.items())),
        }


class CountRequests:
    """ASGI middleware: record every HTTP request outside `/_mock/` before anything else runs."""

    def __init__(self, app: ASGIApp, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_mock/"):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            query = scope.get("query_string", b"").decode("latin-1")
            self.log.record(scope["method"], scope["path"], headers, query)
        await self.app(scope, receive, send)
