"""Jobs: run now or dry run (a child process followed live), run history, one run's journal."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from comptoir.profile.schedule import JOB_NAMES
from comptoir.web.common import ENV, audit, language, live_runs, loaded, render, state_of
from comptoir.web.live import LiveRun
from comptoir.web.pages.profiles import job_titles
from comptoir.web.security import checked_form
from comptoir.web.texts import text

_ITEM = re.compile(
    r"\[\d+/\d+\] (?P<key>.+?) ?: (?P<outcome>serait créé|serait mis à jour|would be created|"
    r"would be updated|en échec|failed)(?: - (?P<detail>.*))?$"
)
_OUTCOMES = {
    "serait créé": "create",
    "would be created": "create",
    "serait mis à jour": "update",
    "would be updated": "update",
    "en échec": "failed",
    "failed": "failed",
}
_ERROR_WORDS = (" : en échec", ": failed", "arrêt sur erreur", "stopped on error", "non lancé", "not started")


@dataclass
class Plan:
    """A dry run's journal as a plan: what would be created, updated, what fails, the rest."""

    create: list[tuple[str, str]] = field(default_factory=list)
    update: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, lines: list[str]) -> Plan:
        plan = cls()
        for line in lines:
            body = line.split(" - ", 1)[1] if re.match(r"^\d{4}-\d\d-\d\d ", line) else line
            match = _ITEM.search(body)
            if match is None:
                plan.other.append(body)
                continue
            entry = (match["key"], match["detail"] or "")
            getattr(plan, _OUTCOMES[match["outcome"]]).append(entry)
        return plan


def line_class(line: str) -> str:
    return "error" if any(word in line for word in _ERROR_WORDS) else ""


async def start(request: Request) -> Response:
    form = await checked_form(request)
    item, profile = loaded(request)
    job = str(request.path_params["job"])
    if job not in JOB_NAMES:
        raise HTTPException(404, "no such job")
    dry_run = form.get("dry_run") == "1"
    extra: tuple[str, ...] = ("--retry-failed",) if form.get("retry_failed") == "1" else ()
    run = live_runs(request).start(
        item.path, profile.name, job, dry_run=dry_run, user=str(request.session["user"]), extra=extra
    )
    action = "dry run" if dry_run else "run"
    audit(request, profile, f"{action} {job}", " ".join(extra))
    return RedirectResponse(f"/p/{profile.name}/live/{run.id}", status_code=303)


def _live(request: Request) -> LiveRun:
    _item, profile = loaded(request)
    run = live_runs(request).get(str(request.path_params["run"]))
    if run is None or run.profile != profile.name:
        raise HTTPException(404, "no such run")
    return run


async def live_page(request: Request) -> Response:
    run = _live(request)
    title = job_titles(language(request))[run.job]
    return render(request, "live.html", run=run, title=title, line_class=line_class)


def end_fragment(request: Request, run: LiveRun) -> str:
    lang = language(request)
    return ENV.get_template("live_end.html").render(
        run=run, plan=Plan.of(run.lines) if run.dry_run else None, t=lambda k, **v: text(lang, k, **v)
    )


async def live_events(request: Request) -> Response:
    run = _live(request)

    async def events() -> AsyncIterator[str]:
        async for line in run.follow():
            if await request.is_disconnected():
                return
            yield f'event: line\ndata: <div class="line {line_class(line)}">{html.escape(line)}</div>\n\n'
        fragment = end_fragment(request, run).replace("\n", "")
        yield f"event: end\ndata: {fragment}\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def runs_page(request: Request) -> Response:
    _item, profile = loaded(request)
    with state_of(profile) as store:
        runs = store.runs(profile.name, 100)
    return render(request, "runs.html", profile=profile, runs=runs, jobs=job_titles(language(request)))


async def run_page(request: Request) -> Response:
    _item, profile = loaded(request)
    run_id = int(request.path_params["run"])
    with state_of(profile) as store:
        run = store.run(profile.name, run_id)
        if run is None:
            raise HTTPException(404, "no such run")
        lines = store.journal(run_id)
    failed = [line for line in lines if line.level == "error"]
    return render(
        request,
        "run.html",
        profile=profile,
        run=run,
        lines=lines,
        failed=failed,
        jobs=job_titles(language(request)),
    )


ROUTES = [
    Route("/p/{name}/run/{job}", start, methods=["POST"]),
    Route("/p/{name}/live/{run}", live_page, methods=["GET"]),
    Route("/p/{name}/live/{run}/events", live_events, methods=["GET"]),
    Route("/p/{name}/runs", runs_page, methods=["GET"]),
    Route("/p/{name}/runs/{run:int}", run_page, methods=["GET"]),
]
