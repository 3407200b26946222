"""WooCommerce lists for the dashboard's mapping tables: tax rates and classes, order statuses
(``GET /reports/orders/totals``: every registered status, plugins' ones included), payment
gateways."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from comptoir.model import Choice, ShopTaxRate

GetAll = Callable[[str], Awaitable[list[dict[str, Any]]]]
"""Every item of a collection path (all pages)."""
GetOne = Callable[[str], Awaitable[Any]]
"""The JSON answer of one GET."""


async def tax_rates(get_all: GetAll) -> list[ShopTaxRate]:
    rates = []
    for item in await get_all("taxes"):
        try:
            rate = Decimal(str(item.get("rate") or "0"))
            rate = rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate.normalize()
        except InvalidOperation:
            continue
        rates.append(
            ShopTaxRate(
                key=str(item["id"]),
                rate=rate,
                label=str(item.get("name") or ""),
                tax_class=str(item.get("class") or "standard"),
                country=str(item.get("country") or ""),
            )
        )
    return rates


async def tax_classes(get_one: GetOne) -> list[Choice]:
    classes = [
        Choice(str(c["slug"]), str(c.get("name") or c["slug"])) for c in await get_one("taxes/classes")
    ]
    return sorted(classes, key=lambda c: c.key != "standard")


async def order_statuses(get_one: GetOne) -> list[Choice]:
    return [
        Choice(str(s["slug"]), str(s.get("name") or s["slug"]), str(s.get("total", "")))
        for s in await get_one("reports/orders/totals")
    ]


async def payment_methods(get_one: GetOne) -> list[Choice]:
    gateways = sorted(await get_one("payment_gateways"), key=lambda g: int(g.get("order") or 0))
    return [
        Choice(str(g["id"]), str(g.get("title") or g.get("method_title") or g["id"]), _state(g))
        for g in gateways
    ]


def _state(gateway: dict[str, Any]) -> str:
    return "enabled" if gateway.get("enabled") else "disabled"
