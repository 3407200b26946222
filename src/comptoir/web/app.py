"""The dashboard application: routes, sessions, login, CSRF, security headers, the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from comptoir.profile import Profile
from comptoir.schedule.launch import close_warm, start_warm
from comptoir.schedule.loop import Scheduler, Ticker
from comptoir.web.common import render
from comptoir.web.config import WebConfig
from comptoir.web.live import LiveRuns
from comptoir.web.pages import auth, mappings, orders, profiles, runs
from comptoir.web.security import LoginRequired, SecurityHeaders

STATIC = Path(__file__).resolve().parent / "static"


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = {"HX-Redirect": "/login"} if exc.status_code == 401 else None
    response = render(request, "error.html", status=exc.status_code, code=exc.status_code, detail=exc.detail)
    if headers:
        response.headers.update(headers)
    return response


def routes() -> list[BaseRoute]:
    return [
        *auth.ROUTES,
        *profiles.ROUTES,
        *mappings.ROUTES,
        *runs.ROUTES,
        *orders.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(
    config: WebConfig,
    *,
    schedule: bool = True,
    tickers: tuple[Ticker, ...] = (),
    log: Callable[[str], None] = print,
    warm_ahead: bool = False,
) -> Starlette:
    """The dashboard over ``config.profiles``; with ``schedule``, it runs the profiles' schedules too;
    with ``warm_ahead``, its warm start server starts with it, for the commands typed meanwhile
    (``schedule/attach.py``)."""
    live = LiveRuns()
    folder = config.folder()

    async def scheduled(path: Path, profile: Profile, job: str) -> int:
        run = await live.run(path, profile.name, job, user="scheduler")
        log(f"{profile.name} {job}: exit {run.exit_code} - {run.lines[-1] if run.lines else ''}")
        return run.exit_code or 0

    scheduler = Scheduler(folder.profiles, scheduled, tickers=tickers)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(scheduler.run_forever(stop)) if schedule else None
        warm = asyncio.create_task(start_warm()) if warm_ahead else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task
            await live.drain()
            if warm is not None:
                await warm
                await close_warm()

    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=config.session_key(),
                session_cookie="comptoir_session",
                max_age=config.session_hours * 3600,
                same_site="strict",
                https_only=config.secure_cookies,
            ),
            Middleware(LoginRequired),
        ],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.folder = folder
    app.state.live = live
    app.state.scheduler = scheduler
    app.state.log = log
    return app
