"""`create_app`: one mock portal (PlanManager + Winformex + `/_mock/`) as a Starlette app.

The request path through the app, outermost first: the request counter (`/_mock/requests`),
faults (latency, errors, lost answers,
expired sessions), then finishing injection jobs that are due, then the routes. Finishing due
jobs at the start of every request (and of `/_mock/state`) is what makes injection
"background work" without a background thread.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_portal import auth, control_api, planmanager, winformex
from mock_portal.config import STATIC_DIR, PortalConfig
from mock_portal.db import Database
from mock_portal.faults import FaultMiddleware, Faults, portal_of
from mock_portal.requests_log import CountRequests, RequestLog
from mock_portal.seed import load_seed_file
from mock_portal.web import PortalContext, context


class CompleteDueInjections:
    """Before any request is handled, turn due injection jobs into Informex dossiers."""

    def __init__(self, app: ASGIApp, portal: PortalContext) -> None:
        self.app = app
        self.portal = portal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.portal.db.complete_due_injections(self.portal.now())
        await self.app(scope, receive, send)


async def root(request: Request) -> Response:
    return RedirectResponse("/portalen", 303)


async def landing(request: Request) -> Response:
    """A small page for a person who opens the server's root: where are the two portals?"""
    ctx = context(request)
    return ctx.render(
        request, "landing.html", {"control_api": ctx.config.control_api, "lang": "nl"}
    )


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    portal = portal_of(request.url.path)
    ctx = context(request)
    title, text = {
        404: ("error.not_found_title", "error.no_such_page"),
        405: ("error.not_allowed_title", "error.not_allowed_text"),
    }.get(status, ("error.server_title", "error.server_text"))
    status = status if status in (404, 405) else 500
    return ctx.error(request, status, ctx.text(request, title), ctx.text(request, text), portal)


def create_app(config: PortalConfig | None = None) -> Starlette:
    """Build a portal: load the seed (unless `--db` points at a file that already holds data)."""
    config = config or PortalConfig()
    db = Database(config.db_path)
    if config.db_path is None or db.is_empty():
        db.load(load_seed_file(config.seed_path, config.photos_dir), config.clock())
    faults = Faults(config.faults)
    portal = PortalContext(config, db, faults)
    requests = RequestLog()

    routes: list[Route | Mount] = [
        Route("/", root, methods=["GET"]),
        Route("/portalen", landing, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        *auth.auth_routes("planmanager"),
        *planmanager.routes(),
        *auth.auth_routes("winformex"),
        *winformex.routes(),
    ]
    if config.control_api:
        routes += control_api.routes()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(CountRequests, log=requests),
            Middleware(
                FaultMiddleware,
                faults=faults,
                expire_session=db.delete_session,
                error_page=portal.error_page_500,
                language=portal.language_of_scope,
            ),
            Middleware(CompleteDueInjections, portal=portal),
        ],
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )
    app.state.portal = portal
    app.state.requests = requests
    return app
