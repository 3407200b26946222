"""Profiles: the list, a new profile from a template, one profile's overview, its file."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import tomlkit
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from comptoir.alerts.mailer import MailError
from comptoir.alerts.notify import test_mail
from comptoir.journal.messages import Language
from comptoir.journal.messages import render as journal_text
from comptoir.profile import Profile, SecretError
from comptoir.profile.docstrings import field_doc
from comptoir.profile.schedule import JOB_NAMES
from comptoir.profile.secrets import is_secret_field, secret_references
from comptoir.registry import ERPS, SHOPS, erp_platform, shop_platform
from comptoir.schedule.plan import next_run
from comptoir.state import utcnow
from comptoir.web.common import audit, folder, language, live_runs, loaded, profile_file, render, state_of
from comptoir.web.editing import check_text, write_atomic
from comptoir.web.security import checked_form
from comptoir.web.texts import text

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SKIP = {"kind", "timezone", "http"}


@dataclass(frozen=True)
class Input:
    """One field of the new-profile form, from a platform's settings model."""

    table: str
    name: str
    help: str
    default: str
    required: bool
    secret: bool


def _inputs(table: str, model: type[BaseModel]) -> list[Input]:
    found = []
    for name, info in model.model_fields.items():
        secret = is_secret_field(info)
        if name in _SKIP or not (info.is_required() or secret):
            continue
        default = "" if info.is_required() or info.default is None else str(info.default)
        if secret and not default:
            default = f"env:COMPTOIR_{table.upper()}_{name.upper()}"
        help_text = " ".join(field_doc(model, name).split()).replace("``", "")
        found.append(Input(table, name, help_text, default, info.is_required(), secret))
    return found


def job_titles(language: str) -> dict[str, str]:
    lang: Language = "en" if language == "en" else "fr"
    return {job: journal_text(f"job.{job}", lang) for job in JOB_NAMES}


async def index(request: Request) -> Response:
    rows = []
    now = utcnow()
    for item in folder(request).files():
        row: dict[str, Any] = {"item": item, "next": [], "last": []}
        if item.profile is not None:
            row["next"] = sorted(
                _next_runs(item.profile, now), key=lambda r: r[1] or datetime.max.replace(tzinfo=UTC)
            )[:3]
            try:
                with state_of(item.profile) as store:
                    row["last"] = store.runs(item.profile.name, 5)
            except Exception as exc:  # a state database that cannot be opened is shown, not fatal
                row["state_error"] = str(exc)
        rows.append(row)
    return render(request, "profiles.html", rows=rows, folder=folder(request).folder)


def _next_runs(profile: Profile, now: datetime) -> list[tuple[str, datetime | None, str]]:
    options = profile.schedules
    return [
        (job, next_run(rule, options.quiet_for(job), options.timezone, now), rule.rule)
        for job, rule in options.jobs().items()
    ]


def _kinds(request: Request) -> tuple[str, str]:
    erp = request.query_params.get("erp") or next(iter(ERPS))
    shop = request.query_params.get("shop") or next(iter(SHOPS))
    return (erp if erp in ERPS else next(iter(ERPS))), (shop if shop in SHOPS else next(iter(SHOPS)))


def _new_form(request: Request, erp: str, shop: str, **context: Any) -> Response:
    inputs = _inputs("erp", erp_platform(erp).settings) + _inputs("shop", shop_platform(shop).settings)
    return render(
        request,
        "new.html",
        erps={k: erp_platform(k).label for k in ERPS},
        shops={k: shop_platform(k).label for k in SHOPS},
        erp=erp,
        shop=shop,
        inputs=inputs,
        values=context.pop("values", {}),
        **context,
    )


async def new_page(request: Request) -> Response:
    erp, shop = _kinds(request)
    return _new_form(request, erp, shop, problems=[])


def template_text(name: str, language: str, erp: str, shop: str, values: dict[str, str], user: str) -> str:
    """A new profile file: the chosen platforms, the values given, comments saying what comes next."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Profile {name}, created from the dashboard by {user} on {utcnow():%Y-%m-%d}."))
    doc.add(tomlkit.comment("Every option: docs/configuration.md (comptoir profile doc)."))
    doc.add(tomlkit.comment("Secrets are only env:NAME references: set those variables (or a secrets_file)."))
    doc.add(tomlkit.nl())
    doc["name"] = name
    doc["language"] = language
    for table, kind in (("erp", erp), ("shop", shop)):
        section = tomlkit.table()
        section["kind"] = kind
        for key, value in values.items():
            if key.startswith(f"{table}.") and value:
                section[key.split(".", 1)[1]] = value
        doc[table] = section
    orders = tomlkit.table()
    orders.add(tomlkit.comment("Statuses, tax codes and payment methods: pick them on the Mappings page."))
    doc["orders"] = orders
    schedules = tomlkit.table()
    schedules.add(
        tomlkit.comment('[schedules.update_stock] every = "15m", [schedules.import_orders] every = "5m"…')
    )
    doc["schedules"] = schedules
    return tomlkit.dumps(doc)


async def create(request: Request) -> Response:
    form = await checked_form(request)
    erp, shop = str(form.get("erp") or ""), str(form.get("shop") or "")
    if erp not in ERPS or shop not in SHOPS:
        return RedirectResponse("/new", status_code=303)
    name = str(form.get("name") or "").strip()
    language = "en" if form.get("language") == "en" else "fr"
    values = {
        k: str(v).strip() for k, v in form.items() if k.startswith(("erp.", "shop.")) and isinstance(v, str)
    }
    problems: list[str] = []
    if not _NAME.match(name):
        problems.append("name: letters, digits and _ . - (64 at most)")
    path = folder(request).folder / f"{name}.toml"
    if not problems and path.exists():
        problems.append(f"{path.name}: exists already")
    if not problems:
        text = template_text(name, language, erp, shop, values, str(request.session.get("user")))
        profile, problems = check_text(text, path)
        if profile is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
            audit(request, profile, "create profile", path.name)
            return RedirectResponse(f"/p/{name}", status_code=303)
    return _new_form(
        request, erp, shop, problems=problems, values={"name": name, **values}, language=language
    )


async def overview(request: Request) -> Response:
    item = profile_file(request)
    if item.profile is None:
        return render(request, "invalid.html", status=409, item=item)
    profile = item.profile
    now = utcnow()
    with state_of(profile) as store:
        holders = store.locks.holders(profile.name)
        runs = store.runs(profile.name, 10)
    schedule = {job: (when, rule) for job, when, rule in _next_runs(profile, now)}
    return render(
        request,
        "profile.html",
        item=item,
        profile=profile,
        jobs=job_titles(language(request)),
        holders=holders,
        runs=runs,
        schedule=schedule,
        quiet=", ".join(profile.schedules.quiet_hours),
        live=list(reversed(live_runs(request).of(profile.name)))[:10],
        secrets=secret_references(profile),
        message=request.query_params.get("message"),
    )


async def edit_page(request: Request) -> Response:
    item = profile_file(request)
    text = item.path.read_text(encoding="utf-8")
    return render(
        request, "edit.html", item=item, text=text, stamp=item.path.stat().st_mtime_ns, problems=None
    )


async def edit(request: Request) -> Response:
    """Validate (``action=validate``) or save the file's new text; same problems as the CLI."""
    form = await checked_form(request)
    item = profile_file(request)
    text = str(form.get("text") or "").replace("\r\n", "\n")
    profile, problems = check_text(text, item.path)
    if profile is not None and profile.name != item.name and item.profile is not None:
        problems = [f"name: the profile's name cannot change here (name = {item.name!r})"]
        profile = None
    saved = False
    if profile is not None and form.get("action") == "save":
        if str(item.path.stat().st_mtime_ns) != str(form.get("stamp")):
            problems = ["the file changed since this page was opened: reload it"]
        else:
            write_atomic(item.path, text)
            audit(request, profile, "edit profile file", item.path.name)
            saved = True
    stamp = item.path.stat().st_mtime_ns
    return render(request, "edit_result.html", problems=problems, saved=saved, stamp=stamp, item=item)


async def send_test(request: Request) -> Response:
    await checked_form(request)
    _item, profile = loaded(request)
    lang = language(request)
    try:
        await asyncio.to_thread(test_mail, profile)
        to = ", ".join(profile.alerts.to) if profile.alerts else ""
        message = text(lang, "alerts.sent", to=to)
        audit(request, profile, "send test e-mail", to)
    except (MailError, SecretError) as exc:
        message = text(lang, "alerts.failed", code=getattr(exc, "code", "secret"), error=str(exc))
        audit(request, profile, "send test e-mail (failed)", str(exc))
    return RedirectResponse(f"/p/{profile.name}?message={_quote(message)}", status_code=303)


def _quote(value: str) -> str:
    return quote(value, safe="")


async def audit_page(request: Request) -> Response:
    _item, profile = loaded(request)
    with state_of(profile) as store:
        entries = store.audit.entries(profile.name, 200)
    return render(request, "audit.html", profile=profile, entries=entries)


ROUTES = [
    Route("/", index, methods=["GET"]),
    Route("/new", new_page, methods=["GET"]),
    Route("/new", create, methods=["POST"]),
    Route("/p/{name}", overview, methods=["GET"]),
    Route("/p/{name}/edit", edit_page, methods=["GET"]),
    Route("/p/{name}/edit", edit, methods=["POST"]),
    Route("/p/{name}/alerts/test", send_test, methods=["POST"]),
    Route("/p/{name}/audit", audit_page, methods=["GET"]),
]
