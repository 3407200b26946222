"""Orders read from a JSON file, for a shop that cannot be reached (``import-orders --from-file``).

The file holds a list of orders in comptoir's neutral shape (``model/order.py``: the fields of
``Order``, its lines, shipping lines, fees, coupons and addresses; amounts as strings or numbers,
dates in ISO 8601 with their offset). ``docs/orders-file.md`` shows one. A file that does not
parse, or an order missing a field, is refused as a whole with the order and field named, before
anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from comptoir.model import Order

_ADAPTER: TypeAdapter[list[Order]] = TypeAdapter(list[Order])


class OrderFileError(Exception):
    """The file cannot be read as orders; the message names the order and the field."""


def load_orders(path: Path) -> list[Order]:
    """The orders of a JSON file; ``OrderFileError`` names what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OrderFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise OrderFileError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, list):
        raise OrderFileError(f"{path}: expected a list of orders, found {type(data).__name__}")
    try:
        orders = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors()[:5]:
            where = list(error["loc"])
            index = where.pop(0) if where and isinstance(where[0], int) else "?"
            shop_id = (
                data[index].get("shop_id", "?")
                if isinstance(index, int) and isinstance(data[index], dict)
                else "?"
            )
            field = ".".join(str(part) for part in where) or "(order)"
            position = index + 1 if isinstance(index, int) else index
            problems.append(f"order {position} (#{shop_id}), {field}: {error['msg']}")
        raise OrderFileError(f"{path}: " + "; ".join(problems)) from None
    for order in orders:
        if order.created_at.tzinfo is None:
            raise OrderFileError(
                f"{path}: order #{order.shop_id}, created_at: a date needs its offset (e.g. +01:00)"
            )
    return orders
