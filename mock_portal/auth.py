"""Login, logout and popup closing, alike in both portals (each with its own users and cookie).

The login form has no session yet to hold a CSRF token, so it uses a double-submit cookie: the
token is both in a cookie and in the form, and a POST must carry the same value in both.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mock_portal.db import Session
from mock_portal.faults import POPUP_KINDS
from mock_portal.security import PortalCookies, new_token, safe_next, same_token
from mock_portal.web import context, forbidden, form_text, guarded

LOGIN_FAILED = "Ongeldige gebruikersnaam of wachtwoord."


def auth_routes(portal: str) -> list[Route]:
    """The login/logout/popup routes of one portal."""
    cookies = PortalCookies(portal)

    async def login_page(request: Request) -> Response:
        return _login_form(request, portal, request.query_params.get("next", ""), error=None)

    async def login_submit(request: Request) -> Response:
        ctx = context(request)
        form = await request.form()
        if not same_token(form_text(form, "csrf_token"), request.cookies.get(cookies.login_csrf)):
            return forbidden(request, portal)
        target = form_text(form, "next")
        user = ctx.db.check_login(
            portal, form_text(form, "username"), str(form.get("password") or "")
        )
        if user is None:
            return _login_form(request, portal, target, error=LOGIN_FAILED)
        session = ctx.db.create_session(user, ctx.now(), ctx.config.session_ttl_s)
        response = RedirectResponse(safe_next(portal, target), 303)
        cookies.set_session(response, session.token)
        return response

    @guarded(portal)
    async def logout(request: Request, session: Session) -> Response:
        context(request).db.delete_session(portal, session.token)
        response = RedirectResponse(f"/{portal}/login", 303)
        cookies.clear_session(response)
        return response

    @guarded(portal)
    async def close_popup(request: Request, session: Session) -> Response:
        """Remember for this session that the user closed a popup (called by portal.js)."""
        kind = form_text(await request.form(), "kind")
        if kind in POPUP_KINDS:
            context(request).db.close_popup(session, kind)
        return Response(status_code=204)

    return [
        Route(f"/{portal}/login", login_page, methods=["GET"]),
        Route(f"/{portal}/login", login_submit, methods=["POST"]),
        Route(f"/{portal}/logout", logout, methods=["POST"]),
        Route(f"/{portal}/popup", close_popup, methods=["POST"]),
    ]


def _login_form(request: Request, portal: str, target: str, error: str | None) -> Response:
    cookies = PortalCookies(portal)
    token = request.cookies.get(cookies.login_csrf) or new_token()
    response = context(request).render(
        request,
        "login.html",
        {"login_csrf": token, "next": target, "error": error},
        portal=portal,
    )
    cookies.set_login_csrf(response, token)
    return response
