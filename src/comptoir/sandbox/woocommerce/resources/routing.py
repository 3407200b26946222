"""Routes: an HTTP method set, a path pattern with named groups, a handler and a stats name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from comptoir.sandbox.woocommerce.calls import Call, Reply

Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Route:
    methods: frozenset[str]
    regex: re.Pattern[str]
    handler: Handler
    name: str
    permission: str = "read"
    """What a guest is refused with: ``list``, ``view``, ``create``, ``edit``, ``delete``, ``batch``."""


READ = frozenset({"GET", "HEAD"})
CREATE = frozenset({"POST"})
EDIT = frozenset({"POST", "PUT", "PATCH"})
DELETE = frozenset({"DELETE"})


def route(methods: frozenset[str], pattern: str, handler: Handler, permission: str) -> Route:
    """``pattern`` uses ``<id>``-style placeholders for integers and ``<slug:s>`` for slugs."""

    def group(found: re.Match[str]) -> str:
        body = r"[\w.@%+-]+" if found.group(2) else r"\d+"
        return f"(?P<{found.group(1)}>{body})"

    regex = re.sub(r"<(\w+)(:s)?>", group, pattern)
    name = re.sub(r"<(\w+)(:s)?>", r"<\1>", pattern)
    return Route(methods, re.compile(f"^{regex}/?$"), handler, name, permission)
