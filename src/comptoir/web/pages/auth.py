"""Login, logout and the language of the session."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from comptoir.web.common import config, render
from comptoir.web.security import checked_form, log_in

FAILED_LOGIN_DELAY = 0.5


def _next(request: Request, value: object) -> str:
    target = str(value or "/")
    return target if target.startswith("/") and not target.startswith("//") else "/"


async def login_page(request: Request) -> Response:
    return render(request, "login.html", next=_next(request, request.query_params.get("next")), failed=False)


async def login(request: Request) -> Response:
    form = await checked_form(request)
    name, password = str(form.get("user") or ""), str(form.get("password") or "")
    users = config(request).users()
    if await asyncio.to_thread(users.verify, name, password):
        log_in(request, name)
        request.app.state.log(f"{name} logged in")
        return RedirectResponse(_next(request, form.get("next")), status_code=303)
    await asyncio.sleep(FAILED_LOGIN_DELAY)
    request.app.state.log(f"failed login for {name!r}")
    return render(request, "login.html", status=401, next=_next(request, form.get("next")), failed=True)


async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def set_language(request: Request) -> Response:
    lang = request.path_params["lang"]
    if lang in ("fr", "en"):
        request.session["lang"] = lang
    referer = request.headers.get("referer", "/")
    host = request.headers.get("host", "")
    target = referer.split(host, 1)[1] if host and host in referer else "/"
    return RedirectResponse(_next(request, target), status_code=303)


ROUTES = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/lang/{lang}", set_language, methods=["GET"]),
]
