"""What every page uses: templates, the profile asked for, its state store, the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from comptoir.profile import Profile
from comptoir.profile.folder import ProfileFile, ProfileFolder
from comptoir.state import StateStore
from comptoir.web.config import WebConfig
from comptoir.web.live import LiveRuns
from comptoir.web.security import csrf_token
from comptoir.web.texts import text

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), auto_reload=False
)


def language(request: Request) -> str:
    lang = request.session.get("lang")
    return lang if lang in ("fr", "en") else "fr"


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "" if moment is None else f"{moment.astimezone():{fmt}}"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)

    def t(key: str, /, **values: Any) -> str:
        return text(lang, key, **values)

    page = ENV.get_template(template).render(
        request=request,
        t=t,
        lang=lang,
        user=request.session.get("user"),
        csrf=csrf_token(request),
        local_time=local_time,
        **context,
    )
    return HTMLResponse(page, status_code=status)


def config(request: Request) -> WebConfig:
    value = request.app.state.config
    assert isinstance(value, WebConfig)
    return value


def folder(request: Request) -> ProfileFolder:
    value = request.app.state.folder
    assert isinstance(value, ProfileFolder)
    return value


def live_runs(request: Request) -> LiveRuns:
    value = request.app.state.live
    assert isinstance(value, LiveRuns)
    return value


def profile_file(request: Request) -> ProfileFile:
    """The profile named in the path (404 when no file has it)."""
    found = folder(request).find(str(request.path_params["name"]))
    if found is None:
        raise HTTPException(404, "no such profile")
    return found


def loaded(request: Request) -> tuple[ProfileFile, Profile]:
    """The profile named in the path, which must load (409 with its problems otherwise)."""
    item = profile_file(request)
    if item.profile is None:
        raise HTTPException(409, "; ".join(item.problems))
    return item, item.profile


@contextmanager
def state_of(profile: Profile) -> Iterator[StateStore]:
    store = StateStore.open(profile.state_url())
    try:
        yield store
    finally:
        store.close()


def audit(request: Request, profile: Profile, action: str, detail: str = "") -> None:
    """Record what the logged-in user did, in the profile's state store and the server's output."""
    user = str(request.session.get("user"))
    with state_of(profile) as store:
        store.audit.record(profile.name, user, action, detail)
    request.app.state.log(f"{profile.name}: {user} {action} {detail}".rstrip())
