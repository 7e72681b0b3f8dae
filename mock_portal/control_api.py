"""`/_mock/`: the JSON API tests and the demo use to reset, inspect and break the portal.

It bypasses logins and faults on purpose (a test must always be able to read the truth and put
things back), so it can be switched off with `--no-control-api` for a portal people click in.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_portal.faults import FaultConfigError
from mock_portal.seed import SeedError, load_seed_file, parse_seed
from mock_portal.web import context


def routes() -> list[Route]:
    return [
        Route("/_mock/health", health, methods=["GET"]),
        Route("/_mock/reset", reset, methods=["POST"]),
        Route("/_mock/state", state, methods=["GET"]),
        Route("/_mock/faults", get_faults, methods=["GET"]),
        Route("/_mock/faults", put_faults, methods=["PUT"]),
    ]


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
    """Restore the seed's data (the body's seed, else the default) and log everyone out.

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
    return JSONResponse({"ok": True})


async def state(request: Request) -> Response:
    return JSONResponse(context(request).db.state())


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
