"""The mapping tables, picked from lists read live from the shop and the ERP."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from comptoir.web.common import audit, loaded, render
from comptoir.web.editing import check_text, set_values, write_atomic
from comptoir.web.mapping import MAX_ATTRIBUTES, changes_from_form, current_values, rate_key, read_lists
from comptoir.web.security import checked_form


async def mappings_page(request: Request) -> Response:
    item, profile = loaded(request)
    lists = await read_lists(profile)
    return render(
        request,
        "mappings.html",
        item=item,
        profile=profile,
        lists=lists,
        values=current_values(profile),
        rate_key=rate_key,
        attributes=range(MAX_ATTRIBUTES),
        problems=[],
        saved=request.query_params.get("saved") == "1",
    )


async def save_mappings(request: Request) -> Response:
    form = await checked_form(request)
    item, profile = loaded(request)
    changes = changes_from_form(form, profile)
    text = set_values(item.path.read_text(encoding="utf-8"), changes)
    updated, problems = check_text(text, item.path)
    if updated is None:
        lists = await read_lists(profile)
        return render(
            request,
            "mappings.html",
            status=422,
            item=item,
            profile=profile,
            lists=lists,
            values=current_values(profile),
            rate_key=rate_key,
            attributes=range(MAX_ATTRIBUTES),
            problems=problems,
            saved=False,
        )
    write_atomic(item.path, text)
    audit(request, updated, "save mappings", ", ".join(".".join(path) for path in changes))
    return Response(status_code=303, headers={"Location": f"/p/{profile.name}/mappings?saved=1"})


ROUTES = [
    Route("/p/{name}/mappings", mappings_page, methods=["GET"]),
    Route("/p/{name}/mappings", save_mappings, methods=["POST"]),
]
