"""The PrestaShop versions the sandbox answers as, and what differs between them.

Read from each version's source: classes/webservice/WebserviceRequest.php (``getResources``,
``checkHTTPMethod``), WebserviceOutputJSON.php (``overrideContent``), WebserviceOutputXML.php
(``renderField``), Customer.php (``addWs``/``updateWs``), src/Core/Version.php / AppKernel.php.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMON_RESOURCES = (
    "addresses",
    "carriers",
    "cart_rules",
    "carts",
    "categories",
    "combinations",
    "configurations",
    "contacts",
    "content_management_system",
    "countries",
    "currencies",
    "customer_messages",
    "customer_threads",
    "customers",
    "customizations",
    "deliveries",
    "employees",
    "groups",
    "guests",
    "image_types",
    "images",
    "languages",
    "manufacturers",
    "messages",
    "order_carriers",
    "order_details",
    "order_histories",
    "order_invoices",
    "order_payments",
    "order_slip",
    "order_states",
    "orders",
    "price_ranges",
    "product_customization_fields",
    "product_feature_values",
    "product_features",
    "product_option_values",
    "product_options",
    "product_suppliers",
    "products",
    "search",
    "shop_groups",
    "shop_urls",
    "shops",
    "specific_price_rules",
    "specific_prices",
    "states",
    "stock_availables",
    "stock_movement_reasons",
    "stock_movements",
    "stocks",
    "stores",
    "suppliers",
    "tags",
    "tax_rule_groups",
    "tax_rules",
    "taxes",
    "translated_configurations",
    "warehouses",
    "weight_ranges",
    "zones",
)
"""Resources every supported version lists in ``WebserviceRequest::getResources``."""

FORBIDDEN_METHODS: dict[str, tuple[str, ...]] = {
    "search": ("PUT", "POST", "PATCH", "DELETE"),
    "stock_movements": ("PUT", "POST", "PATCH", "DELETE"),
    "warehouses": ("DELETE",),
    "stocks": ("PUT", "POST", "PATCH", "DELETE"),
    "stock_availables": ("POST", "DELETE"),
    "warehouse_product_locations": ("PUT", "POST", "PATCH", "DELETE"),
    "supply_orders": ("PUT", "POST", "PATCH", "DELETE"),
    "supply_order_details": ("PUT", "POST", "PATCH", "DELETE"),
    "supply_order_states": ("PUT", "POST", "PATCH", "DELETE"),
    "supply_order_histories": ("PUT", "POST", "PATCH", "DELETE"),
    "supply_order_receipt_histories": ("PUT", "POST", "PATCH", "DELETE"),
}
"""``'forbidden_method'`` of ``getResources``: answered 405, code 101."""


@dataclass(frozen=True)
class Version:
    number: str
    """What ``PSWS-Version`` says (``_PS_VERSION_``)."""
    extra_resources: tuple[str, ...]
    patch: bool
    """PATCH exists (8.0+): in 1.7 it is "not valid" (405, code 23)."""
    json_drops_empty: bool
    """``overrideContent`` runs ``array_filter`` over each top-level entry (8.x, 9.x): a single
    object's fields that are "", "0" or null vanish from its JSON."""
    xml_empty_cdata: bool
    """An empty value is written ``<![CDATA[]]>`` (8.x, 9.x); 1.7 writes nothing."""
    unique_customer_email: bool
    """``Customer::addWs``/``updateWs`` refuse an e-mail already used (500, codes 140/141; 8.x, 9.x)."""

    @property
    def resources(self) -> tuple[str, ...]:
        return tuple(sorted((*COMMON_RESOURCES, *self.extra_resources)))

    @property
    def methods(self) -> tuple[str, ...]:
        return (
            ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD")
            if self.patch
            else ("GET", "POST", "PUT", "DELETE", "HEAD")
        )


V1_7 = Version(
    "1.7.6.2",
    (
        "supply_order_details",
        "supply_order_histories",
        "supply_order_receipt_histories",
        "supply_order_states",
        "supply_orders",
        "warehouse_product_locations",
    ),
    patch=False,
    json_drops_empty=False,
    xml_empty_cdata=False,
    unique_customer_email=False,
)
V8 = Version(
    "8.2.0",
    (
        "attachments",
        "order_cart_rules",
        "supply_order_details",
        "supply_order_histories",
        "supply_order_receipt_histories",
        "supply_order_states",
        "supply_orders",
        "warehouse_product_locations",
    ),
    patch=True,
    json_drops_empty=True,
    xml_empty_cdata=True,
    unique_customer_email=True,
)
V9 = Version(
    "9.0.0",
    ("attachments", "order_cart_rules", "order_returns"),
    patch=True,
    json_drops_empty=True,
    xml_empty_cdata=True,
    unique_customer_email=True,
)
VERSIONS = {"1.7": V1_7, "8": V8, "9": V9}
"""By the name ``comptoir sandbox prestashop --version`` takes."""
