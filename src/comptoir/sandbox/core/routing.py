"""Routes: an HTTP method set, a path pattern with named groups, a handler and a stats name,
plus ``crud_routes`` for the usual list / create / view / edit / delete set of a resource.

The handler's type is the platform's (each sandbox has its own call and reply objects).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

H = TypeVar("H")

READ = frozenset({"GET", "HEAD"})
CREATE = frozenset({"POST"})
EDIT = frozenset({"POST", "PUT", "PATCH"})
REPLACE = frozenset({"PUT", "PATCH"})
DELETE = frozenset({"DELETE"})


@dataclass(frozen=True)
class Route(Generic[H]):
    methods: frozenset[str]
    regex: re.Pattern[str]
    handler: H
    name: str
    """The pattern with ``<id>``-style placeholders: what stats count and fault rules match."""
    permission: str = "read"
    """What the route does, for the platform's access checks: ``list``, ``view``, ``create``,
    ``edit``, ``delete``, ``batch``…"""


def route(methods: frozenset[str], pattern: str, handler: H, permission: str) -> Route[H]:
    """``pattern`` uses ``<id>``-style placeholders for integers and ``<slug:s>`` for slugs."""

    def group(found: re.Match[str]) -> str:
        body = r"[\w.@%+-]+" if found.group(2) else r"\d+"
        return f"(?P<{found.group(1)}>{body})"

    regex = re.sub(r"<(\w+)(:s)?>", group, pattern)
    name = re.sub(r"<(\w+)(:s)?>", r"<\1>", pattern)
    return Route(methods, re.compile(f"^{regex}/?$"), handler, name, permission)


def crud_routes(
    base: str,
    *,
    list_items: H | None = None,
    create: H | None = None,
    view: H | None = None,
    edit: H | None = None,
    delete: H | None = None,
    item: str = "<id>",
    edit_methods: frozenset[str] = EDIT,
) -> list[Route[H]]:
    """The routes of a resource at ``base`` (collection) and ``base/<id>`` (one item), for the
    handlers given: list (GET/HEAD), create (POST), view (GET/HEAD), edit, delete (DELETE)."""
    out: list[Route[H]] = []
    one = f"{base}/{item}"
    if list_items is not None:
        out.append(route(READ, base, list_items, "list"))
    if create is not None:
        out.append(route(CREATE, base, create, "create"))
    if view is not None:
        out.append(route(READ, one, view, "view"))
    if edit is not None:
        out.append(route(edit_methods, one, edit, "edit"))
    if delete is not None:
        out.append(route(DELETE, one, delete, "delete"))
    return out


def match(routes: Sequence[Route[H]], method: str, path: str) -> tuple[Route[H], dict[str, str]] | None:
    """The first route serving ``method`` (HEAD as GET) at ``path``, with its path parameters."""
    lookup = "GET" if method == "HEAD" else method
    for candidate in routes:
        found = candidate.regex.match(path)
        if found and lookup in candidate.methods:
            return candidate, found.groupdict()
    return None
