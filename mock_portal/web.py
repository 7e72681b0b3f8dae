"""What both portals' screens share: rendering, the session guard, CSRF, screen formats.

Handlers of PlanManager and Winformex get their session from `guarded`, which checks the session
before anything else (an expired session never half-writes) and the CSRF token of every POST.
`PortalContext.render` adds what every page needs: the user, the CSRF token, the page's
language (the user's once logged in; before, `?lang=fr` or a French Accept-Language), the label
function `t(key)` reading mock_portal/i18n.py in that language (then the `rename_labels` fault
knob), and, under a fault profile, a popup.
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
from mock_portal.faults import Faults, portal_of
from mock_portal.i18n import login_language, message
from mock_portal.i18n import screen_bool as i18n_bool
from mock_portal.i18n import screen_km as i18n_km
from mock_portal.security import PortalCookies, same_token
from mock_portal.throttle import LoginThrottle

MISSING = "—"
PORTAL_NAMES = {"planmanager": "PlanManager", "winformex": "Winformex"}


# -- screen formats (docs/mock-portal.md: dd/mm/yyyy, —; kilometres and Ja/Nee: i18n.py) --------
def screen_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else MISSING


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
        env.globals["t"] = self._t
        env.filters.update(
            nl_date=screen_date,
            iso_date=screen_iso_date,
            km=self._km,
            yesno=self._yesno,
            dash=screen_text,
            input_date=input_date,
        )
        self.templates = Jinja2Templates(env=env)

    # -- language ------------------------------------------------------------------------------
    @jinja2.pass_context
    def _t(self, page: jinja2.runtime.Context, key: str, **values: object) -> str:
        """`t(key)` in a template: the catalogue's text in the page's language, then renamed
        by the `rename_labels` fault knob (which names labels as shown)."""
        return self.faults.label(message(key, page.get("lang"), **values))

    @jinja2.pass_context
    def _km(self, page: jinja2.runtime.Context, value: int | None) -> str:
        return i18n_km(value, page.get("lang"))

    @jinja2.pass_context
    def _yesno(self, page: jinja2.runtime.Context, value: bool | None) -> str:
        return i18n_bool(value, page.get("lang"))

    def language(self, request: Request, session: Session | None) -> str:
        """The language of a page: the user's once logged in, else what the request asks."""
        if session is not None:
            return session.language
        return login_language(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )

    def page_language(self, request: Request, session: Session | None = None) -> str:
        """The language of a page that may be shown without its session at hand (an error
        page): that of the portal session the request carries, else what the request asks."""
        if session is None:
            portal = portal_of(request.url.path)
            session = self.session(request, portal) if portal else None
        return self.language(request, session)

    def language_of_scope(self, scope: Any) -> str:
        """The language of a page the fault middleware answers itself (maintenance, 500)."""
        return self.page_language(Request(scope))

    def text(
        self, request: Request, key: str, session: Session | None = None, **values: object
    ) -> str:
        """A message built in Python (handlers pass it to templates already translated), in
        the language of this request's page."""
        return message(key, self.page_language(request, session), **values)

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
        lang = (context or {}).get("lang") or self.page_language(request, session)
        page: dict[str, Any] = {
            "lang": lang,
            "portal": portal,
            "portal_name": PORTAL_NAMES.get(portal or "") or message("common.mock_portal", lang),
            "winformex_layout": self.config.winformex_layout,
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

    def error_page_500(self, lang: str = "nl") -> bytes:
        """The portal's own 500 page, for faults raised before any handler runs."""
        template = self.templates.get_template("error.html")
        return template.render(
            lang=lang,
            portal=None,
            portal_name=message("common.mock_portal", lang),
            session=None,
            csrf_token="",
            popup=None,
            status=500,
            title=message("error.server_title", lang),
            message=message("error.server_text", lang),
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
                    return forbidden(request, portal, session)
            return await handler(request, session)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return decorate


def forbidden(request: Request, portal: str | None, session: Session | None = None) -> Response:
    ctx = context(request)
    return ctx.error(
        request,
        403,
        ctx.text(request, "error.forbidden_title", session),
        ctx.text(request, "error.forbidden_text", session),
        portal,
    )


def not_found(request: Request, portal: str | None, what: str) -> Response:
    """404 with `what` (a message already in the page's language) as its text."""
    ctx = context(request)
    return ctx.error(request, 404, ctx.text(request, "error.not_found_title"), what, portal)


def form_text(form: Any, name: str) -> str:
    """A text field of a submitted form, stripped ('' when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_checked(form: Any, name: str) -> bool:
    return form.get(name) is not None
