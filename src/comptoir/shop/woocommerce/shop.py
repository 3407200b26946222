"""``WooCommerceShop``: the ``Shop`` protocol over the WooCommerce REST API (wc/v3).

The orders' and refunds' calls (``aftersale``) are imported when first used: a catalog or stock
run loads neither them nor the order and document types.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from comptoir.model import ItemError, ItemResult, ProductKind, ShopCategory
from comptoir.profile import SecretResolver
from comptoir.shop.base import ShopCheck, ShopError, ShopSummary
from comptoir.shop.batching import WriteOp as Op
from comptoir.shop.batching import query_groups
from comptoir.shop.http import ShopHttpClient, TransportFailure
from comptoir.shop.woocommerce import lists, mapping
from comptoir.shop.woocommerce.api import (
    WooApi,
    WooApiError,
    chunks,
    pages_needed,
    whole_shop_error,
    woo_auth,
)
from comptoir.shop.woocommerce.media import WooMedia
from comptoir.shop.woocommerce.settings import WooCommerceSettings
from comptoir.shop.woocommerce.writer import batch_writer

if TYPE_CHECKING:
    from comptoir.model import (
        CategoryDraft,
        Choice,
        CustomerDraft,
        GroupDraft,
        MediaPlan,
        MediaResult,
        Order,
        OrderAttachment,
        OrderUpdate,
        PriceRowDraft,
        ProductDraft,
        Refund,
        ShopRef,
        ShopTaxRate,
        TaxRounding,
        TransferMark,
    )

SKU_CHUNK = 100
SKU_QUERY_CHARS = 1500
"""Keep each ``sku=`` list under this length so URLs stay well below server limits."""
EMAIL_LOOKUP_LIMIT = 20
"""Up to this many e-mails are looked up one by one; more, and the customer list is read."""
ORDER_LOOKUP_CHUNK = 100
"""Order ids per ``include=`` request (one page at ``per_page=100``)."""


def _shop_error(exc: WooApiError | TransportFailure) -> ShopError:
    found = whole_shop_error(exc)
    if found is not None:
        return found
    if isinstance(exc, TransportFailure):
        return ShopError(exc.kind, str(exc))
    return ShopError("http", f"the shop answered {exc.status} {exc.code}: {exc.message}")


class WooCommerceShop:
    """A WooCommerce shop reached through its REST API."""

    platform = "woocommerce"

    def __init__(
        self,
        api: WooApi,
        settings: WooCommerceSettings,
        *,
        rounds: int = 3,
        media_client: ShopHttpClient | None = None,
        wp_password: str | None = None,
    ) -> None:
        self.api = api
        self.settings = settings
        self._wp_password = wp_password
        self._rounds = rounds
        self.media = WooMedia(api, media_client, settings.documents_meta)
        self._tax_rounding: tuple[TaxRounding | None] | None = None

    @classmethod
    def from_settings(
        cls, settings: WooCommerceSettings, secrets: SecretResolver, *, backoff_base: float = 0.5
    ) -> WooCommerceShop:
        key = secrets.require(settings.consumer_key, field="shop.consumer_key")
        secret = secrets.require(settings.consumer_secret, field="shop.consumer_secret")
        query = settings.query_string_auth or bool(settings.http.basic_auth_user)
        mode, auth = woo_auth(settings.url, key, secret, query=query)
        http = ShopHttpClient(settings.url, settings.http, secrets, api_auth=auth, backoff_base=backoff_base)
        api = WooApi(settings.url, http, mode=mode)
        media_client = None
        wp_password = None
        if settings.media_user and settings.media_password:
            wp_password = secrets.require(settings.media_password, field="shop.media_password")
            media_client = ShopHttpClient(
                settings.url,
                settings.http,
                secrets,
                api_auth=httpx.BasicAuth(settings.media_user, wp_password),
                backoff_base=backoff_base,
            )
        return cls(
            api,
            settings,
            rounds=settings.http.max_attempts,
            media_client=media_client,
            wp_password=wp_password,
        )

    @property
    def requests(self) -> int:
        """HTTP requests sent so far (retries included)."""
        return self.api.http.stats.requests

    async def aclose(self) -> None:
        await self.api.http.aclose()
        if self.media.wp is not None:
            await self.media.wp.aclose()

    async def __aenter__(self) -> WooCommerceShop:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _json(self, method: str, path: str, **kwargs: Any) -> tuple[Any, Any]:
        try:
            return await self.api.json(method, path, **kwargs)
        except (WooApiError, TransportFailure) as exc:
            raise _shop_error(exc) from exc

    async def _list(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            return await self.api.list_all(path, params)
        except (WooApiError, TransportFailure) as exc:
            raise _shop_error(exc) from exc

    # --- connection test ---------------------------------------------------------------------
    async def check(self) -> ShopCheck:
        url = self.api.url
        try:
            response = await self.api.http.request("GET", f"{url}/wp-json/wc/v3")
        except TransportFailure as exc:
            hint = {
                "tls": "the shop's certificate is not trusted (shop.http.ca_file adds a private authority)",
                "timeout": f"no answer within {self.api.http.options.timeout:g} s",
                "unreachable": "nothing answers at that address",
            }[exc.kind]
            raise ShopError(exc.kind, f"{url}: {hint} ({exc})") from exc
        if response.status_code == 404:
            raise ShopError("not_found", f"{url}: no WooCommerce REST API (wc/v3) there; check shop.url")
        if response.status_code == 401:
            raise ShopError("auth", f"{url}: the HTTP authentication in front of the shop refused us")
        if response.status_code >= 400:
            raise ShopError("http", f"{url}: the API index answered HTTP {response.status_code}")
        try:
            await self.api.json("GET", "products", params={"per_page": 1})
        except TransportFailure as exc:
            raise _shop_error(exc) from exc
        except WooApiError as exc:
            raise ShopError(*_auth_message(exc)) from exc
        try:
            await self.api.json("POST", "products/batch", json={})
        except TransportFailure as exc:
            raise _shop_error(exc) from exc
        except WooApiError as exc:
            if exc.status == 401 and "write permissions" in exc.message:
                raise ShopError(
                    "read_only", "the API key is read-only: create a key with Read/Write permissions"
                ) from exc
            raise ShopError(*_auth_message(exc)) from exc
        mode = {"basic": "HTTP Basic", "query": "query-string keys", "oauth": "OAuth 1.0a"}[self.api.mode]
        return ShopCheck(
            self.platform, f"WooCommerce REST API wc/v3 at {url} ({mode}), key read/write", True, True
        )

    # --- categories --------------------------------------------------------------------------
    async def list_categories(self) -> list[ShopCategory]:
        items = await self._list("products/categories", {"orderby": "id", "order": "asc"})
        return [
            ShopCategory(
                str(c["id"]), str(c["name"]), str(c["parent"]) if c.get("parent") else None, str(c["slug"])
            )
            for c in items
        ]

    async def create_categories(self, drafts: Sequence[CategoryDraft]) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}

        async def find(names: list[str]) -> dict[str, str]:
            existing = await self.list_categories()
            return {
                c.name.lower(): c.shop_id for c in existing if c.name.lower() in {n.lower() for n in names}
            }

        ops = []
        for draft in drafts:
            payload: dict[str, Any] = {"name": draft.name}
            if draft.parent_shop_id:
                payload["parent"] = int(draft.parent_shop_id)
            ops.append(Op(draft.key, draft.name.lower(), payload))
        writer = batch_writer(
            self.api,
            lambda _: "products/categories/batch",
            find,
            adopt_codes=frozenset({"term_exists"}),
            rounds=self._rounds,
        )
        results = await writer.run(ops)
        return [results[d.key] for d in drafts]

    # --- products ----------------------------------------------------------------------------
    async def find_products(self, skus: Collection[str]) -> dict[str, ShopRef]:
        wanted = [s for s in dict.fromkeys(skus) if s]
        groups = _sku_groups(wanted)
        wanted_set = set(wanted)
        if len(groups) > 1:
            listed = await self._find_by_listing(wanted_set, len(groups))
            if listed is not None:
                return listed
        return await self._find_by_sku(groups, wanted_set)

    async def _find_by_sku(self, groups: list[list[str]], wanted: set[str]) -> dict[str, ShopRef]:
        pages = await asyncio.gather(*(self._list("products", {"sku": ",".join(g)}) for g in groups))
        found: dict[str, ShopRef] = {}
        for page in pages:
            for item in page:
                sku = str(item.get("sku") or "")
                if sku in wanted and item.get("status") != "trash":
                    found[sku] = mapping.shop_ref(item)
        return found

    async def _find_by_listing(self, wanted: set[str], lookups: int) -> dict[str, ShopRef] | None:
        """When the shop holds few products (a first export), listing them costs fewer requests
        than ``lookups`` SKU look-ups: one request for the count, the product pages, then the
        variations of each variable product. ``None`` when looking up costs less; the SKUs not
        among the products are then looked up."""
        try:
            total = await self.api.total("products")
        except (WooApiError, TransportFailure) as exc:
            raise _shop_error(exc) from exc
        if total == 0:
            return {}  # variations cannot exist without a parent product
        pages = pages_needed(total)
        if pages >= lookups // 2:
            return None
        found: dict[str, ShopRef] = {}
        variable: list[str] = []
        for item in await self._list("products", {"_fields": "id,sku,type,status"}):
            sku = str(item.get("sku") or "")
            if sku in wanted and item.get("status") != "trash":
                found[sku] = mapping.shop_ref(item)
            if item.get("type") == "variable":
                variable.append(str(item["id"]))
        if pages + len(variable) >= lookups:
            rest = [s for s in wanted if s not in found]
            return found | await self._find_by_sku(_sku_groups(rest), set(rest))
        lists = await asyncio.gather(
            *(self._list(f"products/{p}/variations", {"_fields": "id,sku"}) for p in variable)
        )
        for parent, variations in zip(variable, lists, strict=True):
            for item in variations:
                sku = str(item.get("sku") or "")
                if sku in wanted and sku not in found:
                    found[sku] = mapping.shop_ref({**item, "type": "variation", "parent_id": parent})
        return found

    async def _find_ids(self, skus: list[str]) -> dict[str, str]:
        return {sku: ref.shop_id for sku, ref in (await self.find_products(skus)).items()}

    async def save_products(
        self, creates: Sequence[ProductDraft], updates: Sequence[tuple[ShopRef, ProductDraft]]
    ) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}
        product_ops = [
            Op(d.sku, d.sku, mapping.product_payload(d, self.settings, creating=True))
            for d in creates
            if d.kind is not ProductKind.VARIATION
        ]
        product_ops += [
            Op(d.sku, d.sku, mapping.product_payload(d, self.settings, creating=False), ref.shop_id)
            for ref, d in updates
            if d.kind is not ProductKind.VARIATION
        ]
        if product_ops:
            writer = batch_writer(
                self.api,
                lambda _: "products/batch",
                self._find_ids,
                adopt_codes=frozenset({"product_invalid_sku"}),
                rounds=self._rounds,
            )
            results.update(await writer.run(product_ops))
        variations: list[tuple[ShopRef | None, ProductDraft]] = [
            (None, d) for d in creates if d.kind is ProductKind.VARIATION
        ]
        variations += [(ref, d) for ref, d in updates if d.kind is ProductKind.VARIATION]
        if variations:
            results.update(await self._save_variations(variations, results))
        ordered = [*creates, *(d for _, d in updates)]
        return [
            results.get(d.sku) or ItemResult(d.sku, error=ItemError("not_sent", "not sent")) for d in ordered
        ]

    async def _save_variations(
        self, variations: list[tuple[ShopRef | None, ProductDraft]], done: dict[str, ItemResult]
    ) -> dict[str, ItemResult]:
        parents: dict[str, int] = {}
        for sku, result in done.items():
            if result.ok and result.shop_id:
                parents[sku] = int(result.shop_id)
        missing = {
            d.parent_sku
            for known, d in variations
            if d.parent_sku and d.parent_sku not in parents and not (known and known.parent_id)
        }
        if missing:
            for sku, found in (await self.find_products(missing)).items():
                parents[sku] = int(found.shop_id)
        results: dict[str, ItemResult] = {}
        ops: list[Op] = []
        for known, draft in variations:
            parent = parents.get(draft.parent_sku or "")
            if parent is None and known is not None and known.parent_id:
                parent = int(known.parent_id)
            if parent is None:
                results[draft.sku] = ItemResult(
                    draft.sku,
                    error=ItemError(
                        "parent_missing",
                        f"the parent product {draft.parent_sku!r} is not in the shop",
                        "parent_sku",
                    ),
                )
                continue
            ident = known.shop_id if known is not None else None
            ops.append(
                Op(draft.sku, draft.sku, mapping.variation_payload(draft, parent, self.settings), ident)
            )

        def path(chunk: Sequence[Op]) -> str:
            return f"products/{chunk[0].payload['product_id']}/variations/batch"

        def parent_of(item: dict[str, Any]) -> str | None:
            return str(item["parent_id"]) if item.get("parent_id") else None

        writer = batch_writer(
            self.api,
            path,
            self._find_ids,
            adopt_codes=frozenset({"product_invalid_sku"}),
            rounds=self._rounds,
            parent_of=parent_of,
        )
        results.update(await writer.run(ops))
        for known, draft in variations:
            saved = results.get(draft.sku)
            if saved is not None and saved.ok and saved.parent_id is None:
                parent = parents.get(draft.parent_sku or "")
                if parent is None and known is not None and known.parent_id:
                    parent = int(known.parent_id)
                results[draft.sku] = ItemResult(saved.key, saved.shop_id, str(parent) if parent else None)
        return results

    # --- specific prices (Customer Specific Pricing, Groups) --------------------------------
    async def save_groups(self, groups: Sequence[GroupDraft]) -> list[ItemResult]:
        """Groups (itthinx) has no REST API: a group comes into being when the shop-side companion
        puts a first customer in it (customer meta ``_comptoir_group``); CSP names groups by name."""
        return [ItemResult(g.name, shop_id=g.name) for g in groups]

    async def save_price_rows(self, rows: Sequence[tuple[str | None, PriceRowDraft]]) -> list[ItemResult]:
        """One ``POST csp/usp`` or ``csp/gsp`` per 100 rows; CSP replaces a row with the same
        product, target and minimum quantity, so creating and replacing are the same call."""
        by_kind: dict[str, list[tuple[PriceRowDraft, dict[str, Any], str]]] = {"usp": [], "gsp": []}
        for _known, row in rows:
            kind, body, shop_id = mapping.price_row(row)
            by_kind[kind].append((row, body, shop_id))
        results: dict[str, ItemResult] = {}

        async def send(kind: str, chunk: list[tuple[PriceRowDraft, dict[str, Any], str]]) -> None:
            failed = await self._csp("POST", kind, [body for _, body, _ in chunk])
            for row, body, shop_id in chunk:
                reason = failed.get(body["hash"])
                results[row.key] = (
                    ItemResult(row.key, shop_id)
                    if reason is None
                    else ItemResult(row.key, error=_csp_error(reason, retryable=reason in _TRANSPORT))
                )

        await asyncio.gather(*(send(k, c) for k, items in by_kind.items() for c in chunks(items)))
        return [results[row.key] for _, row in rows]

    async def delete_price_rows(self, shop_ids: Sequence[str]) -> list[ItemResult]:
        by_kind: dict[str, list[tuple[str, dict[str, Any]]]] = {"usp": [], "gsp": []}
        for shop_id in shop_ids:
            kind, body = mapping.price_row_target(shop_id)
            by_kind[kind].append((shop_id, body))
        results: dict[str, ItemResult] = {}

        async def send(kind: str, chunk: list[tuple[str, dict[str, Any]]]) -> None:
            failed = await self._csp("DELETE", kind, [body for _, body in chunk])
            for shop_id, body in chunk:
                reason = failed.get(body["hash"])
                gone = reason is None or reason in ("csp-not-found", "product-invalid", "user-invalid")
                results[shop_id] = (
                    ItemResult(shop_id, shop_id)
                    if gone
                    else ItemResult(shop_id, error=_csp_error(str(reason), retryable=reason in _TRANSPORT))
                )

        await asyncio.gather(*(send(k, c) for k, items in by_kind.items() for c in chunks(items)))
        return [results[i] for i in shop_ids]

    async def _csp(self, method: str, kind: str, rows: list[dict[str, Any]]) -> dict[str, str]:
        """Send rows to the CSP API; the reasons of the rows it refused, by hash (a whole request
        lost gives every row the transport's reason)."""
        body_key = {"usp": "csp_data", "gsp": "gsp_data"}[kind]
        try:
            data, _ = await self.api.json(method, f"csp/{kind}", json={body_key: rows})
        except WooApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None and shop.code != "not_found":
                raise shop from exc
            return {row["hash"]: exc.code for row in rows}
        except TransportFailure as exc:
            return {row["hash"]: exc.kind for row in rows}
        failed = data.get("failed") if isinstance(data, dict) else None
        return {str(k): str(v) for k, v in failed.items()} if isinstance(failed, dict) else {}

    async def save_media(self, plans: Sequence[MediaPlan]) -> list[MediaResult]:
        return await self.media.save(plans)

    # --- customers ---------------------------------------------------------------------------
    async def find_customers(self, emails: Collection[str]) -> dict[str, str]:
        wanted = {e.strip().lower() for e in emails if e and e.strip()}
        if not wanted:
            return {}
        if len(wanted) <= EMAIL_LOOKUP_LIMIT:
            pages = await asyncio.gather(
                *(self._json("GET", "customers", params={"email": e, "role": "all"}) for e in sorted(wanted))
            )
            items = [c for body, _ in pages for c in body]
        else:
            items = await self._list("customers", {"role": "all", "orderby": "id", "order": "asc"})
        return {
            str(c["email"]).lower(): str(c["id"]) for c in items if str(c.get("email", "")).lower() in wanted
        }

    async def save_customers(
        self, creates: Sequence[CustomerDraft], updates: Sequence[tuple[str, CustomerDraft]]
    ) -> list[ItemResult]:
        async def find(emails: list[str]) -> dict[str, str]:
            return await self.find_customers(emails)

        ops = [
            Op(d.erp_code, (d.email or "").lower(), mapping.customer_payload(d, self.settings, creating=True))
            for d in creates
        ]
        ops += [
            Op(
                d.erp_code,
                (d.email or "").lower(),
                mapping.customer_payload(d, self.settings, creating=False),
                shop_id,
            )
            for shop_id, d in updates
        ]
        writer = batch_writer(
            self.api,
            lambda _: "customers/batch",
            find,
            adopt_codes=frozenset({"registration-error-email-exists"}),
            rounds=self._rounds,
        )
        results = await writer.run(ops)
        return [results[d.erp_code] for d in [*creates, *(d for _, d in updates)]]

    # --- orders ------------------------------------------------------------------------------
    async def list_orders(
        self, statuses: Collection[str], *, modified_after: datetime | None = None
    ) -> list[Order]:
        params: dict[str, Any] = {"orderby": "modified", "order": "asc"}
        if statuses:
            params["status"] = ",".join(statuses)
        if modified_after is not None:
            moment = (
                modified_after.astimezone(UTC)
                if modified_after.tzinfo
                else modified_after.replace(tzinfo=UTC)
            )
            params["modified_after"] = moment.strftime("%Y-%m-%dT%H:%M:%S")
            params["dates_are_gmt"] = "true"
        items = await self._list("orders", params)
        return await self._orders(items)

    async def get_orders(self, shop_ids: Collection[str]) -> list[Order]:
        ids = sorted({int(i) for i in shop_ids if str(i).isdigit()})
        items: list[dict[str, Any]] = []
        for start in range(0, len(ids), ORDER_LOOKUP_CHUNK):
            chunk = ids[start : start + ORDER_LOOKUP_CHUNK]
            params = {"include": ",".join(map(str, chunk)), "orderby": "id", "order": "asc"}
            items += await self._list("orders", params)
        return await self._orders(items)

    async def _orders(self, items: list[dict[str, Any]]) -> list[Order]:
        rounding = await self.tax_rounding() if items else None
        orders = [mapping.order_from(item, tax_rounding=rounding) for item in items]
        try:
            from comptoir.shop.woocommerce import aftersale  # when first used (see the docstring)

            return await aftersale.with_customers(self.api, self.settings, orders)
        except (WooApiError, TransportFailure) as exc:
            raise _shop_error(exc) from exc

    async def tax_rounding(self) -> TaxRounding | None:
        """Where the shop rounds tax (its ``woocommerce_tax_round_at_subtotal`` option), read once;
        ``None`` when the key may not read settings or the shop has no such option."""
        if self._tax_rounding is None:
            try:
                data, _ = await self.api.json("GET", f"settings/tax/{mapping.ROUND_AT_SUBTOTAL}")
            except WooApiError as exc:
                if exc.status not in (401, 403, 404):
                    raise _shop_error(exc) from exc
                data = None
            except TransportFailure as exc:
                raise _shop_error(exc) from exc
            self._tax_rounding = (mapping.tax_rounding_from(data),)
        return self._tax_rounding[0]

    async def mark_transferred(self, marks: Sequence[TransferMark]) -> list[ItemResult]:
        async def no_lookup(keys: list[str]) -> dict[str, str]:
            return {}

        ops = [
            Op(
                m.shop_order_id,
                m.shop_order_id,
                {
                    "meta_data": [
                        {"key": mapping.TRANSFERRED_META, "value": "yes"},
                        {"key": mapping.DOCUMENT_META, "value": m.document_number},
                    ]
                },
                m.shop_order_id,
            )
            for m in marks
        ]
        writer = batch_writer(
            self.api, lambda _: "orders/batch", no_lookup, adopt_codes=frozenset(), rounds=self._rounds
        )
        results = await writer.run(ops)
        return [results[m.shop_order_id] for m in marks]

    # --- lists for the mapping tables (see ``lists.py``) ------------------------------------
    async def _get(self, path: str) -> Any:
        return (await self._json("GET", path))[0]

    async def _get_all(self, path: str) -> list[dict[str, Any]]:
        return await self._list(path, {})

    async def list_tax_rates(self) -> list[ShopTaxRate]:
        return await lists.tax_rates(self._get_all)

    async def list_tax_classes(self) -> list[Choice]:
        return await lists.tax_classes(self._get)

    async def list_order_statuses(self) -> list[Choice]:
        return await lists.order_statuses(self._get)

    async def list_payment_methods(self) -> list[Choice]:
        return await lists.payment_methods(self._get)

    # --- after the import ----------------------------------------------------------------------
    async def update_orders(self, updates: Sequence[OrderUpdate]) -> list[ItemResult]:
        from comptoir.shop.woocommerce import aftersale  # when first used (see the docstring)

        return await aftersale.update_orders(self.api, updates)

    async def attach_documents(self, attachments: Sequence[OrderAttachment]) -> list[ItemResult]:
        from comptoir.shop.woocommerce import aftersale  # when first used (see the docstring)

        return await aftersale.attach_documents(self.api, self.settings, self._wp_password, attachments)

    async def list_refunds(self, *, created_after: datetime | None = None) -> list[Refund]:
        try:
            from comptoir.shop.woocommerce import aftersale  # when first used (see the docstring)

            return await aftersale.list_refunds(self.api, created_after)
        except (WooApiError, TransportFailure) as exc:
            raise _shop_error(exc) from exc

    async def summary(self) -> ShopSummary:
        try:
            products, customers, orders = await asyncio.gather(
                self.api.total("products"),
                self.api.total("customers", {"role": "all"}),
                self.api.total("orders"),
            )
        except (WooApiError, TransportFailure) as exc:
            raise _shop_error(exc) from exc
        return ShopSummary(products=products, customers=customers, orders=orders)


_TRANSPORT = frozenset({"timeout", "unreachable", "dropped", "http"})
"""Reasons of a lost request rather than a refused row: worth trying again."""


def _csp_error(reason: str, *, retryable: bool = False) -> ItemError:
    return ItemError(
        f"csp_{reason}", f"Customer Specific Pricing refused the price: {reason}", "price", retryable
    )


def _auth_message(exc: WooApiError) -> tuple[str, str]:
    if exc.status in (401, 403):
        if exc.message == "Consumer secret is invalid.":
            return "auth", "the consumer secret does not match the consumer key"
        if exc.message == "Consumer key is invalid.":
            return "auth", "the consumer key is unknown to the shop"
        if "read permissions" in exc.message:
            return "auth", "the API key has no read permission"
        if exc.code.startswith("woocommerce_rest_cannot_"):
            return "auth", (
                "the shop did not recognise the API key (unknown key, or the Authorization header is "
                "stripped on the way: try shop.query_string_auth = true)"
            )
        return "auth", f"the shop refused the API key: {exc.message}"
    if exc.status == 404:
        return "not_found", f"WooCommerce REST route missing: {exc.message}"
    return "http", f"the shop answered {exc.status} {exc.code}: {exc.message}"


def _sku_groups(skus: list[str]) -> list[list[str]]:
    return query_groups(skus, most=SKU_CHUNK, chars=SKU_QUERY_CHARS)
