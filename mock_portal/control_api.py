"""`/_mock/`: the JSON API tests and the demo use to reset, inspect and break the portal.

It bypasses logins and faults on purpose (a test must always be able to read the truth and put
things back), so it can be switched off with `--no-control-api` for a portal people click in,
and it answers only requests from this machine with JSON bodies: no web page can drive it
(`security.control_request_problem`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_portal.faults import FaultConfigError
from mock_portal.requests_log import RequestLog
from mock_portal.security import control_request_problem
from mock_portal.seed import SeedError, load_seed_file, parse_seed
from mock_portal.web import context

Endpoint = Callable[[Request], Awaitable[Response]]


def routes() -> list[Route]:
    return [
        Route(path, local_only(endpoint), methods=[method])
        for path, method, endpoint in (
            ("/_mock/health", "GET", health),
            ("/_mock/reset", "POST", reset),
            ("/_mock/state", "GET", state),
            ("/_mock/logins", "GET", logins),
            ("/_mock/faults", "GET", get_faults),
            ("/_mock/faults", "PUT", put_faults),
            ("/_mock/requests", "GET", get_requests),
            ("/_mock/requests", "DELETE", clear_requests),
        )
    ]


def local_only(endpoint: Endpoint) -> Endpoint:
    """Refuse (403/415, JSON) what did not come from this machine as JSON; see security.py."""

    async def guarded(request: Request) -> Response:
        problem = control_request_problem(request)
        if problem is not None:
            status, reason = problem
            return _problem(reason, status)
        return await endpoint(request)

    guarded.__name__ = endpoint.__name__
    guarded.__doc__ = endpoint.__doc__
    return guarded


async def health(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def _json_body(request: Request) -> tuple[Any, bool]:
    """(document, present): an empty body means "no document"; bad JSON raises ValueError."""
    body = await request.body()
    if not body.strip():
        return None, False
    try:
        return json.loads(body), True
    except json.JSONDecodeError as exc:
        raise ValueError(f"body is not valid JSON: {exc}") from exc


def _problem(message: str, status: int = 400) -> Response:
    return JSONResponse({"ok": False, "error": message}, status)


async def reset(request: Request) -> Response:
    """Restore the seed's data (the body's seed, else the default), log everyone out, forget
    failed logins and lockouts, and clear the request counts.

    Fault settings are kept: `PUT /_mock/faults {"profile": "none"}` clears them.
    """
    ctx = context(request)
    try:
        document, present = await _json_body(request)
        photos = ctx.config.photos_dir
        seed = (
            parse_seed(document, photos)
            if present
            else load_seed_file(ctx.config.seed_path, photos)
        )
    except (ValueError, SeedError) as exc:
        return _problem(str(exc))
    ctx.db.load(seed, ctx.now())
    ctx.logins.clear()
    _requests(request).clear()
    return JSONResponse({"ok": True})


async def state(request: Request) -> Response:
    """The whole state (docs/mock-portal.md), plus this instance's `winformex_layout`."""
    ctx = context(request)
    return JSONResponse({**ctx.db.state(), "winformex_layout": ctx.config.winformex_layout})


async def logins(request: Request) -> Response:
    """What the login throttle knows: attempts, recent failures and lockouts per user name."""
    ctx = context(request)
    return JSONResponse(ctx.logins.state(ctx.now()))


async def get_faults(request: Request) -> Response:
    return JSONResponse(context(request).faults.as_dict())


async def put_faults(request: Request) -> Response:
    ctx = context(request)
    try:
        document, _ = await _json_body(request)
        ctx.faults.configure(document if document is not None else {})
    except (ValueError, FaultConfigError) as exc:
        return _problem(str(exc))
    return JSONResponse(ctx.faults.as_dict())


def _requests(request: Request) -> RequestLog:
    log: RequestLog = request.app.state.requests
    return log


async def get_requests(request: Request) -> Response:
    """Page loads, POSTs and other requests since the last reset, per path (requests_log.py)."""
    return JSONResponse(_requests(request).as_dict())


async def clear_requests(request: Request) -> Response:
    """Start counting again, without touching the data (as `/_mock/reset` would)."""
    _requests(request).clear()
    return JSONResponse({"ok": True})
