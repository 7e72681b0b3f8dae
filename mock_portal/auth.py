"""Login, logout and popup closing, alike in both portals (each with its own users and cookie).

The login form has no session yet to hold a CSRF token, so it uses a double-submit cookie: the
token is both in a cookie and in the form, and a POST must carry the same value in both.
Failed logins are throttled (mock_portal/throttle.py): a locked user name is answered 429 with
the lockout's message, whatever the password.
"""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from mock_portal.db import Session
from mock_portal.faults import POPUP_KINDS
from mock_portal.i18n import message
from mock_portal.security import PortalCookies, new_token, safe_next, same_token
from mock_portal.throttle import throttled_message
from mock_portal.web import context, forbidden, form_text, guarded


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
        username = form_text(form, "username")
        locked_s = ctx.logins.attempt(portal, username, ctx.now())
        if locked_s is not None:
            return _throttled(request, portal, target, locked_s)
        user = ctx.db.check_login(portal, username, str(form.get("password") or ""))
        if user is None:
            locked_s = ctx.logins.failed(portal, username, ctx.now())
            if locked_s is not None:
                return _throttled(request, portal, target, locked_s)
            failed = message("login.failed", context(request).language(request, None))
            return _login_form(request, portal, target, error=failed)
        ctx.logins.succeeded(portal, username)
        session = ctx.db.create_session(user, ctx.now(), ctx.config.session_ttl_s)
        response = RedirectResponse(safe_next(portal, target), 303)
        cookies.set_session(response, session.token)
        return response

    @guarded(portal)
    async def logout(request: Request, session: Session) -> Response:
        context(request).db.delete_session(portal, session.token)
        # the login page in the language of the user who just left
        query = "" if session.language == "nl" else f"?lang={session.language}"
        response = RedirectResponse(f"/{portal}/login{query}", 303)
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


def _throttled(request: Request, portal: str, target: str, locked_s: float) -> Response:
    """429 Too Many Requests: the login form again, saying how long the lockout lasts."""
    text = throttled_message(locked_s, context(request).language(request, None))
    response = _login_form(request, portal, target, error=text, status=429)
    response.headers["retry-after"] = str(max(1, math.ceil(locked_s)))
    return response


def _login_form(
    request: Request, portal: str, target: str, error: str | None, status: int = 200
) -> Response:
    cookies = PortalCookies(portal)
    token = request.cookies.get(cookies.login_csrf) or new_token()
    response = context(request).render(
        request,
        "login.html",
        {"login_csrf": token, "next": target, "error": error},
        status=status,
        portal=portal,
    )
    cookies.set_login_csrf(response, token)
    return response
