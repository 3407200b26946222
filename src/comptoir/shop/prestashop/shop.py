"""``PrestaShopShop``: the ``Shop`` protocol over the PrestaShop webservice (1.7, 8 and 9)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from comptoir.model import (
    CategoryDraft,
    Choice,
    CustomerDraft,
    GroupDraft,
    ItemError,
    ItemResult,
    MediaPlan,
    MediaResult,
    Order,
    OrderAttachment,
    OrderUpdate,
    PriceRowDraft,
    ProductDraft,
    Refund,
    ShopCategory,
    ShopRef,
    ShopTaxRate,
    TransferMark,
)
from comptoir.profile import SecretResolver
from comptoir.shop.base import ShopCheck, ShopError, ShopSummary
from comptoir.shop.batching import WriteOp
from comptoir.shop.http import ShopHttpClient, TransportFailure
from comptoir.shop.prestashop import aftersale, lists, mapping
from comptoir.shop.prestashop.api import PsApi, PsApiError, shop_error, whole_shop_error
from comptoir.shop.prestashop.catalog import Catalog
from comptoir.shop.prestashop.customers import Customers
from comptoir.shop.prestashop.media import Media
from comptoir.shop.prestashop.orders import is_mark, mark_text
from comptoir.shop.prestashop.prices import SpecificPrices
from comptoir.shop.prestashop.reading import OrderReader
from comptoir.shop.prestashop.settings import PrestaShopSettings
from comptoir.shop.prestashop.writer import Updater, Write, writer
from comptoir.shop.prestashop.xmlbody import texts_from_json

REQUIRED: dict[str, frozenset[str]] = {
    "products": frozenset({"GET", "POST", "PUT"}),
    "combinations": frozenset({"GET", "POST", "PUT"}),
    "product_options": frozenset({"GET", "POST"}),
    "product_option_values": frozenset({"GET", "POST"}),
    "stock_availables": frozenset({"GET", "PUT"}),
    "categories": frozenset({"GET", "POST"}),
    "customers": frozenset({"GET", "POST", "PUT"}),
    "addresses": frozenset({"GET", "POST", "PUT"}),
    "countries": frozenset({"GET"}),
    "orders": frozenset({"GET"}),
    "order_details": frozenset({"GET"}),
    "order_histories": frozenset({"GET"}),
    "order_states": frozenset({"GET"}),
    "messages": frozenset({"GET", "POST"}),
    "carriers": frozenset({"GET"}),
    "currencies": frozenset({"GET"}),
    "taxes": frozenset({"GET"}),
}
"""What the webservice key must allow, per resource (``comptoir shop test`` names what is missing)."""


class PrestaShopShop:
    """A PrestaShop shop reached through its webservice."""

    platform = "prestashop"

    def __init__(self, api: PsApi, settings: PrestaShopSettings, *, rounds: int = 3) -> None:
        self.api = api
        self.settings = settings
        self._rounds = rounds
        self.updater = Updater(api)
        self.catalog = Catalog(api, self.updater, settings, rounds=rounds)
        self.prices = SpecificPrices(api, self.updater, settings, rounds=rounds)
        self.customers = Customers(api, self.updater, settings, self.prices, rounds=rounds)
        self.orders = OrderReader(api, ZoneInfo(settings.timezone))
        self.media = Media(api)
        self._granted: dict[str, frozenset[str]] | None = None

    @classmethod
    def from_settings(
        cls, settings: PrestaShopSettings, secrets: SecretResolver, *, backoff_base: float = 0.5
    ) -> PrestaShopShop:
        key = secrets.require(settings.webservice_key, field="shop.webservice_key")
        auth = httpx.BasicAuth(key, "")
        http = ShopHttpClient(settings.url, settings.http, secrets, api_auth=auth, backoff_base=backoff_base)
        return cls(PsApi(settings.url, http), settings, rounds=settings.http.max_attempts)

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (retries included)."""
        return self.api.http.stats.requests

    async def aclose(self) -> None:
        await self.api.http.aclose()

    async def __aenter__(self) -> PrestaShopShop:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _granted_methods(self) -> dict[str, frozenset[str]]:
        """The key's permissions, read once; tells the writer where it may PATCH."""
        if self._granted is None:
            try:
                self._granted = await self.api.permissions()
            except (PsApiError, TransportFailure) as exc:
                raise shop_error(exc) from exc
            for resource, methods in self._granted.items():
                self.updater.patch_allowed[resource] = "PATCH" in methods
        return self._granted

    async def _read(self, work: Any) -> Any:
        try:
            return await work
        except (PsApiError, TransportFailure) as exc:
            raise shop_error(exc) from exc

    # --- connection test ---------------------------------------------------------------------
    async def check(self) -> ShopCheck:
        url = f"{self.api.url}/api"
        try:
            granted = await self.api.permissions()
        except TransportFailure as exc:
            hint = {
                "tls": "the shop's certificate is not trusted (shop.http.ca_file adds a private authority)",
                "timeout": f"no answer within {self.api.http.options.timeout:g} s",
                "unreachable": "nothing answers at that address",
            }[exc.kind]
            raise ShopError(exc.kind, f"{url}: {hint} ({exc})") from exc
        except PsApiError as exc:
            found = whole_shop_error(exc)
            if found is not None:
                hint = ""
                if found.code == "auth" and self.settings.http.basic_auth_user:
                    hint = (
                        " (shop.http.basic_auth_user is set: PrestaShop takes the Basic user as the "
                        "webservice key, so /api must be left out of the front authentication)"
                    )
                raise ShopError(found.code, f"{url}: {found}{hint}") from exc
            if exc.status == 404 or not exc.from_webservice:
                raise ShopError(
                    "not_found",
                    f"{url}: no PrestaShop webservice there (HTTP {exc.status}); check shop.url, and that "
                    "URL rewriting serves /api",
                ) from exc
            raise ShopError("http", f"{url}: the webservice answered {exc}") from exc
        self._granted = granted
        for resource, methods in granted.items():
            self.updater.patch_allowed[resource] = "PATCH" in methods
        missing = {r: sorted(m - granted.get(r, frozenset())) for r, m in REQUIRED.items()}
        missing = {r: m for r, m in missing.items() if m}
        if missing:
            listed = "; ".join(f"{r} ({', '.join(m)})" for r, m in sorted(missing.items()))
            reads_only = all(granted.get(r, frozenset()) == {"GET"} for r in REQUIRED)
            code = "read_only" if reads_only else "permission"
            raise ShopError(
                code,
                f"{url}: the webservice key lacks {listed}; grant them in Advanced Parameters > Webservice",
            )
        version = self.api.version or "?"
        return ShopCheck(
            self.platform,
            f"PrestaShop {version} webservice at {url}, key allowed everything comptoir uses",
            True,
            True,
        )

    # --- categories --------------------------------------------------------------------------
    async def save_media(self, plans: Sequence[MediaPlan]) -> list[MediaResult]:
        return await self.media.save(plans)

    async def list_categories(self) -> list[ShopCategory]:
        found = await self._read(
            self.api.list_all("categories", {"display": "[id,id_parent,name,link_rewrite]"})
        )
        home = str(self.settings.home_category)
        parents = {str(c["id"]): str(c.get("id_parent") or "0") for c in found}
        under_home = set()
        for category in found:
            ident, seen = str(category["id"]), set()
            while ident in parents and ident not in seen and ident != home:
                seen.add(ident)
                ident = parents[ident]
            if ident == home and str(category["id"]) != home:
                under_home.add(str(category["id"]))
        result = []
        for category in found:
            ident = str(category["id"])
            if ident not in under_home:
                continue
            parent = parents[ident]
            names = texts_from_json(category.get("name"))
            links = texts_from_json(category.get("link_rewrite"))
            result.append(
                ShopCategory(
                    ident,
                    next((n for n in names.values() if n), ""),
                    None if parent == home else parent,
                    next((s for s in links.values() if s), ""),
                )
            )
        return result

    async def create_categories(self, drafts: Sequence[CategoryDraft]) -> list[ItemResult]:
        await self._granted_methods()

        async def find(names: list[str]) -> dict[str, str]:
            wanted = {n.casefold() for n in names}
            return {
                c.name.casefold(): c.shop_id
                for c in await self.list_categories()
                if c.name.casefold() in wanted
            }

        ops = [WriteOp(d.key, d.name.casefold(), mapping.category_write(d, self.settings)) for d in drafts]
        results = await writer(self.api, self.updater, find, rounds=self._rounds).run(ops)
        return [results[d.key] for d in drafts]

    # --- products ----------------------------------------------------------------------------
    async def find_products(self, skus: Collection[str]) -> dict[str, ShopRef]:
        result: dict[str, ShopRef] = await self._read(self.catalog.find_products(skus))
        return result

    async def save_products(
        self, creates: Sequence[ProductDraft], updates: Sequence[tuple[ShopRef, ProductDraft]]
    ) -> list[ItemResult]:
        await self._granted_methods()
        try:
            return await self.catalog.save_products(creates, updates)
        except (PsApiError, TransportFailure) as exc:
            raise shop_error(exc) from exc

    # --- customer groups and specific prices ---------------------------------------------
    async def save_groups(self, groups: Sequence[GroupDraft]) -> list[ItemResult]:
        await self._granted_methods()
        found = await self._read(self.prices.group_ids(groups))
        return [found[g.name] for g in groups]

    async def save_price_rows(self, rows: Sequence[tuple[str | None, PriceRowDraft]]) -> list[ItemResult]:
        await self._granted_methods()
        results: list[ItemResult] = await self._read(self.prices.save(rows))
        return results

    async def delete_price_rows(self, shop_ids: Sequence[str]) -> list[ItemResult]:
        results: list[ItemResult] = await self._read(self.prices.delete(shop_ids))
        return results

    # --- customers ---------------------------------------------------------------------------
    async def find_customers(self, emails: Collection[str]) -> dict[str, str]:
        result: dict[str, str] = await self._read(self.customers.find(emails))
        return result

    async def save_customers(
        self, creates: Sequence[CustomerDraft], updates: Sequence[tuple[str, CustomerDraft]]
    ) -> list[ItemResult]:
        await self._granted_methods()
        try:
            return await self.customers.save(creates, updates)
        except (PsApiError, TransportFailure) as exc:
            raise shop_error(exc) from exc

    # --- orders ------------------------------------------------------------------------------
    async def list_orders(
        self, statuses: Collection[str], *, modified_after: datetime | None = None
    ) -> list[Order]:
        result: list[Order] = await self._read(self.orders.in_window(statuses, modified_after))
        return result

    async def get_orders(self, shop_ids: Collection[str]) -> list[Order]:
        result: list[Order] = await self._read(self.orders.by_ids(shop_ids))
        return result

    async def mark_transferred(self, marks: Sequence[TransferMark]) -> list[ItemResult]:
        """A private message on each order naming its ERP document; an order already carrying
        that message is not written again, and a lost answer is checked before sending again."""
        if not marks:
            return []
        await self._granted_methods()
        ids = [m.shop_order_id for m in marks]
        try:
            existing = await self._marks(ids)
        except ShopError as exc:
            if exc.code in ("auth", "permission", "disabled", "tls"):
                raise
            error = ItemError(exc.code, f"the order's messages could not be read: {exc}", "", True)
            return [ItemResult(m.shop_order_id, error=error) for m in marks]
        results: dict[str, ItemResult] = {}
        ops: list[WriteOp] = []
        for mark in marks:
            text = mark_text(mark.document_number)
            found = existing.get(mark.shop_order_id)
            if found is not None and found[1] == text:
                results[mark.shop_order_id] = ItemResult(mark.shop_order_id, found[0])
                continue
            fields = {"id_order": mark.shop_order_id, "message": text, "private": "1"}
            ops.append(WriteOp(mark.shop_order_id, mark.shop_order_id, Write("messages", "message", fields)))

        async def find(order_ids: list[str]) -> dict[str, str]:
            return {order: ident for order, (ident, _) in (await self._marks(order_ids)).items()}

        if ops:
            results.update(await writer(self.api, self.updater, find, rounds=self._rounds).run(ops))
        return [results[m.shop_order_id] for m in marks]

    async def _marks(self, order_ids: list[str]) -> dict[str, tuple[str, str]]:
        """Order id → (message id, text) of comptoir's latest mark on it."""
        found = await self._read(
            self.api.lookup("messages", "id_order", order_ids, {"display": "[id,id_order,message]"})
        )
        marks: dict[str, tuple[str, str]] = {}
        for message in sorted(found, key=lambda m: int(m["id"])):
            if is_mark(message):
                marks[str(message["id_order"])] = (str(message["id"]), str(message.get("message") or ""))
        return marks

    # --- lists for the mapping tables (see ``lists.py``) --------------------------------------
    async def list_tax_rates(self) -> list[ShopTaxRate]:
        return list(await self._read(lists.tax_rates(self.api)))

    async def list_tax_classes(self) -> list[Choice]:
        return list(await self._read(lists.tax_classes(self.api)))

    async def list_order_statuses(self) -> list[Choice]:
        return list(await self._read(lists.order_statuses(self.api)))

    async def list_payment_methods(self) -> list[Choice]:
        return list(await self._read(lists.payment_methods(self.api)))

    # --- after the import ----------------------------------------------------------------------
    async def update_orders(self, updates: Sequence[OrderUpdate]) -> list[ItemResult]:
        return await aftersale.update_orders(self.api, updates)

    async def attach_documents(self, attachments: Sequence[OrderAttachment]) -> list[ItemResult]:
        return aftersale.no_attachments(attachments)

    async def list_refunds(self, *, created_after: datetime | None = None) -> list[Refund]:
        raise aftersale.no_refunds()

    async def summary(self) -> ShopSummary:
        async def count(resource: str, params: dict[str, str] | None = None) -> int:
            found = await self.api.list_all(resource, {"display": "[id]", **(params or {})})
            return len(found)

        products, customers, orders = await self._read(
            asyncio.gather(count("products"), count("customers", {"filter[is_guest]": "0"}), count("orders"))
        )
        return ShopSummary(products=products, customers=customers, orders=orders)
