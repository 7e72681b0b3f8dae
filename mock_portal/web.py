"""What both portals' screens share: rendering, the session guard, CSRF, screen formats.

Handlers of PlanManager and Winformex get their session from `guarded`, which checks the session
before anything else (an expired session never half-writes) and the CSRF token of every POST.
`PortalContext.render` adds what every page needs: the user, the CSRF token, the label renamer
`t()` and, under a fault profile, a popup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlparse

import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from mock_portal.config import TEMPLATES_DIR, PortalConfig
from mock_portal.db import Database, Session
from mock_portal.faults import Faults
from mock_portal.security import PortalCookies, same_token
from mock_portal.throttle import LoginThrottle

MISSING = "—"
PORTAL_NAMES = {"planmanager": "PlanManager", "winformex": "Winformex"}


# -- screen formats (docs/mock-portal.md: dd/mm/yyyy, 84.512 km, Ja/Nee, —) ---------------------
def screen_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else MISSING


def screen_km(value: int | None) -> str:
    return "onbekend" if value is None else f"{thousands(value)} km"


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def screen_bool(value: bool | None) -> str:
    return MISSING if value is None else ("Ja" if value else "Nee")


def screen_text(value: object) -> str:
    return MISSING if value is None or value == "" else str(value)


def screen_iso_date(value: str | None) -> str:
    """An ISO date (or the date part of an ISO timestamp) as dd/mm/yyyy."""
    try:
        return screen_date(dt.date.fromisoformat((value or "")[:10]))
    except ValueError:
        return MISSING


def input_date(value: dt.date | None) -> str:
    """A date as it stands in a form field (dd/mm/yyyy, empty when absent)."""
    return value.strftime("%d/%m/%Y") if value else ""


class PortalContext:
    """The state one running portal shares between its handlers."""

    def __init__(self, config: PortalConfig, db: Database, faults: Faults) -> None:
        self.config = config
        self.db = db
        self.faults = faults
        self.logins = LoginThrottle(
            config.login_max_failures, config.login_window_s, config.login_lockout_s
        )
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        env.globals["t"] = faults.label
        env.filters.update(
            nl_date=screen_date,
            iso_date=screen_iso_date,
            km=screen_km,
            yesno=screen_bool,
            dash=screen_text,
            input_date=input_date,
            thousands=thousands,
        )
        self.templates = Jinja2Templates(env=env)

    def now(self) -> float:
        return self.config.clock()

    def today(self) -> dt.date:
        return dt.date.fromtimestamp(self.now())

    # -- sessions ------------------------------------------------------------------------------
    def session(self, request: Request, portal: str) -> Session | None:
        token = PortalCookies(portal).session_id(request)
        return self.db.session(portal, token, self.now(), self.config.session_ttl_s)

    def login_redirect(self, request: Request, portal: str) -> Response:
        """303 to the portal's login page, remembering where the user was going."""
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:
            referer = urlparse(request.headers.get("referer", ""))
            target = referer.path if referer.path.startswith(f"/{portal}/") else f"/{portal}/"
        return RedirectResponse(f"/{portal}/login?next={quote(target, safe='/')}", 303)

    # -- rendering -----------------------------------------------------------------------------
    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        status: int = 200,
        session: Session | None = None,
        portal: str | None = None,
    ) -> Response:
        page: dict[str, Any] = {
            "portal": portal,
            "portal_name": PORTAL_NAMES.get(portal or "", "Mock portaal"),
            "session": session,
            "csrf_token": session.csrf_token if session else "",
            "popup": None,
        }
        if session is not None and request.method == "GET" and status == 200:
            page["popup"] = self.faults.popup(session.popups_closed)
        page.update(context or {})
        response = self.templates.TemplateResponse(request, template, page, status_code=status)
        response.headers["cache-control"] = "no-store"
        return response

    def error(
        self, request: Request, status: int, title: str, message: str, portal: str | None = None
    ) -> Response:
        return self.render(
            request,
            "error.html",
            {"title": title, "message": message, "status": status},
            status=status,
            portal=portal,
        )

    def error_page_500(self) -> bytes:
        """The portal's own 500 page, for faults raised before any handler runs."""
        template = self.templates.get_template("error.html")
        return template.render(
            portal=None,
            portal_name="Mock portaal",
            session=None,
            csrf_token="",
            popup=None,
            status=500,
            title="Er is een fout opgetreden (500)",
            message="Er is een fout opgetreden bij het verwerken van uw aanvraag. "
            "Probeer het later opnieuw.",
        ).encode()


def context(request: Request) -> PortalContext:
    ctx: PortalContext = request.app.state.portal
    return ctx


Handler = Callable[[Request, Session], Awaitable[Response]]


def guarded(portal: str) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler so it only runs with a live session (and, for a POST, the right token)."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            ctx = context(request)
            session = ctx.session(request, portal)
            if session is None:
                return ctx.login_redirect(request, portal)
            if request.method == "POST":
                form = await request.form()
                token = form.get("csrf_token")
                if not same_token(token if isinstance(token, str) else None, session.csrf_token):
                    return forbidden(request, portal)
            return await handler(request, session)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return decorate


def forbidden(request: Request, portal: str | None) -> Response:
    return context(request).error(
        request,
        403,
        "Toegang geweigerd (403)",
        "De beveiligingscode van het formulier is ongeldig of verlopen. "
        "Laad de pagina opnieuw en probeer het nog eens.",
        portal,
    )


def not_found(request: Request, portal: str | None, what: str) -> Response:
    return context(request).error(request, 404, "Niet gevonden (404)", what, portal)


def form_text(form: Any, name: str) -> str:
    """A text field of a submitted form, stripped ('' when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_checked(form: Any, name: str) -> bool:
    return form.get(name) is not None
