"""What a handler receives (``Call``) and returns (``Reply``), independent of the web framework."""

from __future__ import annotations

import builtins
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from comptoir.sandbox.woocommerce.errors import WooError, invalid_params
from comptoir.sandbox.woocommerce.rest import Request
from comptoir.sandbox.woocommerce.text import parse_rfc3339


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a key's user and its permissions, or a guest (``user_id`` 0)."""

    user_id: int = 0
    permissions: str = ""

    @property
    def is_guest(self) -> bool:
        return self.user_id == 0


class Query:
    """Query-string parameters; ``x[]=1&x[]=2`` and ``x=1,2`` both read as lists."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for key, value in pairs:
            name = key[:-2] if key.endswith("[]") else key
            self._values.setdefault(name, []).append(value)

    def get(self, name: str) -> str | None:
        values = self._values.get(name)
        return values[-1] if values else None

    def has(self, name: str) -> bool:
        return name in self._values

    def list(self, name: str) -> list[str]:
        out: list[str] = []
        for value in self._values.get(name, []):
            out.extend(part.strip() for part in value.split(",") if part.strip())
        return out

    def pairs(self) -> builtins.list[tuple[str, str]]:
        return [(k, v) for k, values in self._values.items() for v in values]


@dataclass
class Call:
    method: str
    route: dict[str, str]
    query: Query
    body: dict[str, Any]
    principal: Principal
    base_url: str
    path: str
    request: Request = field(default_factory=lambda: Request("GET"))
    """The parameters by source, validated and sanitized against the route's arguments."""
    raw_body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    """The request's headers, names lower-cased."""

    def param(self, name: str, default: Any = None) -> Any:
        """A parameter as WordPress's ``$request[name]`` sees it (JSON, body, query, URL, defaults)."""
        return self.request.get(name, default)

    def has(self, name: str) -> bool:
        return self.request.has(name)

    def params(self) -> dict[str, Any]:
        """``$request->get_params()``: every source merged."""
        return self.request.params()

    def values(self, *keep_null: str) -> dict[str, Any]:
        """Every parameter as ``$request[name]`` reads it (``isset``: ``null`` ones left out,
        except the ``keep_null`` names present somewhere, which WooCommerce tests with
        ``array_key_exists``)."""
        out = {k: v for k in self.request.params() if (v := self.request.get(k)) is not None}
        for name in keep_null:
            if name not in out and self.request.has(name):
                out[name] = None
        return out


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


# --- collection parameters ----------------------------------------------------------------


def parse_bool(name: str, raw: Any) -> bool:
    """``rest_sanitize_boolean`` with schema validation."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise invalid_params({name: f"{name} is not of type boolean."})


def parse_int(name: str, raw: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise invalid_params({name: f"{name} is not of type integer."}) from None
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise invalid_params(
            {name: f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)"},
            {name: "rest_out_of_bounds"},
        )
    if minimum is not None and value < minimum:
        raise invalid_params(
            {name: f"{name} must be greater than or equal to {minimum}"}, {name: "rest_out_of_bounds"}
        )
    return value


def enum_list(values: Sequence[str]) -> str:
    if len(values) <= 2:
        return " and ".join(values)
    return ", ".join(values[:-1]) + ", and " + values[-1]


def parse_enum(name: str, raw: Any, allowed: Sequence[str]) -> str:
    value = str(raw)
    if value not in allowed:
        raise invalid_params(
            {name: f"{name} is not one of {enum_list(list(allowed))}."}, {name: "rest_not_in_enum"}
        )
    return value


def parse_ids(query: Query, name: str) -> list[int]:
    out = []
    for part in query.list(name):
        try:
            out.append(int(part))
        except ValueError:
            raise invalid_params({name: f"{name}[0] is not of type integer."}) from None
    return out


@dataclass(frozen=True, slots=True)
class Page:
    page: int
    per_page: int
    offset: int | None
    order: str
    orderby: str


def page_params(
    query: Query, *, orderby: Sequence[str], default_orderby: str = "date", default_order: str = "desc"
) -> Page:
    """``page``, ``per_page`` (1–100, default 10), ``offset``, ``order`` and ``orderby``."""
    per_page = parse_int("per_page", query.get("per_page") or "10", minimum=1, maximum=100)
    page = parse_int("page", query.get("page") or "1", minimum=1)
    raw_offset = query.get("offset")
    offset = parse_int("offset", raw_offset) if raw_offset not in (None, "") else None
    order = parse_enum("order", query.get("order") or default_order, ["asc", "desc"])
    by = parse_enum("orderby", query.get("orderby") or default_orderby, orderby)
    return Page(page, per_page, offset, order, by)


def date_params(query: Query) -> dict[str, datetime]:
    """``after``/``before`` (creation) and ``modified_after``/``modified_before``, as UTC instants."""
    gmt = parse_bool("dates_are_gmt", query.get("dates_are_gmt") or "false")
    out: dict[str, datetime] = {}
    for name in ("after", "before", "modified_after", "modified_before"):
        raw = query.get(name)
        if raw is None or raw == "":
            continue
        moment = parse_rfc3339(raw, gmt=gmt)
        if moment is None:
            raise invalid_params({name: "Invalid date."}, {name: "rest_invalid_date"})
        out[name] = moment
    return out


def collection(call: Call, rendered: list[Any], total: int, page: Page) -> Reply:
    """A page of a collection with ``X-WP-Total``, ``X-WP-TotalPages`` and a prev/next ``Link``."""
    pages = math.ceil(total / page.per_page) if total else 0
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    base = f"{call.base_url}/wp-json{call.path}"
    params = [(k, v) for k, v in call.query.pairs() if k != "page"]
    if page.page > 1:
        prev_page = min(page.page - 1, pages) if pages else 1
        links.append(f'<{base}?{urlencode([*params, ("page", str(prev_page))])}>; rel="prev"')
    if page.page < pages:
        links.append(f'<{base}?{urlencode([*params, ("page", str(page.page + 1))])}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return Reply(rendered, 200, headers)


def slice_page(items: list[Any], page: Page) -> list[Any]:
    start = page.offset if page.offset is not None else (page.page - 1) * page.per_page
    return items[start : start + page.per_page]


def require_body_object(call: Call) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400)
    return call.body
