"""Logins, sessions and CSRF: who may see a page, and proof that a form came from the dashboard.

Every page but the login page and static files needs a logged-in session (signed cookie,
HttpOnly, SameSite=Strict, Secure over HTTPS). Every POST carries the session's CSRF token, in
the form (``csrf``) or the ``X-CSRF-Token`` header (htmx requests); ``checked_form`` refuses it
otherwise, and is the only way handlers read a form.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

PUBLIC = ("/login", "/static/", "/lang/")


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its CSRF token is checked (403 otherwise)."""
    form = await request.form()
    sent = form.get("csrf") or request.headers.get("x-csrf-token") or ""
    expected = request.session.get("csrf")
    if (
        not isinstance(sent, str)
        or not isinstance(expected, str)
        or not secrets.compare_digest(sent, expected)
    ):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and try again")
    return form


def current_user(request: Request) -> str:
    user = request.session.get("user")
    if not isinstance(user, str):
        raise HTTPException(401)
    return user


def log_in(request: Request, user: str) -> None:
    """A fresh session for ``user`` (no value of the anonymous session is kept but the language)."""
    language = request.session.get("lang")
    request.session.clear()
    request.session["user"] = user
    request.session["csrf"] = secrets.token_urlsafe(32)
    if language:
        request.session["lang"] = language


class LoginRequired:
    """Redirect anonymous visitors to the login page (401 for htmx and event-stream requests)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(PUBLIC):
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = scope.get("session", {})
        if isinstance(session.get("user"), str):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        response: Response
        if request.headers.get("hx-request") or "text/event-stream" in request.headers.get("accept", ""):
            response = Response(status_code=401, headers={"HX-Redirect": "/login"})
        else:
            response = RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        await response(scope, receive, send)


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Headers every answer carries: a strict content security policy, no framing, no sniffing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in names:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
