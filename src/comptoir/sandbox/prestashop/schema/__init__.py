"""The resources the sandbox simulates, by URL name, and PrestaShop's resource descriptions
(``WebserviceRequest::getResources``, PrestaShop 9.0.0)."""

from __future__ import annotations

from comptoir.sandbox.prestashop.schema.base import Resource
from comptoir.sandbox.prestashop.schema.catalog import (
    CATEGORIES,
    COMBINATIONS,
    IMAGES,
    PRODUCT_OPTION_VALUES,
    PRODUCT_OPTIONS,
    PRODUCTS,
    SPECIFIC_PRICES,
    STOCK_AVAILABLES,
)
from comptoir.sandbox.prestashop.schema.people import ADDRESSES, CUSTOMERS, GROUPS
from comptoir.sandbox.prestashop.schema.sales import (
    CARRIERS,
    CART_RULES,
    MESSAGES,
    ORDER_DETAILS,
    ORDER_HISTORIES,
    ORDER_STATES,
    ORDERS,
)
from comptoir.sandbox.prestashop.schema.settings import (
    COUNTRIES,
    CURRENCIES,
    LANGUAGES,
    TAX_RULE_GROUPS,
    TAX_RULES,
    TAXES,
    ZONES,
)

SIMULATED: dict[str, Resource] = {
    r.name: r
    for r in (
        PRODUCTS,
        COMBINATIONS,
        PRODUCT_OPTIONS,
        PRODUCT_OPTION_VALUES,
        CATEGORIES,
        STOCK_AVAILABLES,
        SPECIFIC_PRICES,
        CUSTOMERS,
        ADDRESSES,
        GROUPS,
        ORDERS,
        ORDER_DETAILS,
        ORDER_HISTORIES,
        ORDER_STATES,
        CARRIERS,
        CART_RULES,
        MESSAGES,
        TAXES,
        TAX_RULES,
        TAX_RULE_GROUPS,
        CURRENCIES,
        COUNTRIES,
        ZONES,
        LANGUAGES,
    )
}
"""Entity resources served from the sandbox's store (``images`` is served apart, as PrestaShop
serves it with its specific management)."""

IMAGE_ENTITY = IMAGES

DESCRIPTIONS = {
    "addresses": "The Customer, Brand and Customer addresses",
    "carriers": "The Carriers",
    "cart_rules": "Cart rules management",
    "categories": "The product categories",
    "combinations": "The product combinations",
    "countries": "The countries",
    "currencies": "The currencies",
    "customers": "The e-shop's customers",
    "groups": "The customer's groups",
    "images": "The images",
    "languages": "Shop languages",
    "messages": "The Messages",
    "order_details": "Details of an order",
    "order_histories": "The Order histories",
    "orders": "The Customers orders",
    "order_states": "The Order statuses",
    "product_options": "The product options",
    "product_option_values": "The product options value",
    "products": "The products",
    "specific_prices": "Specific price management",
    "stock_availables": "Available quantities",
    "tax_rule_groups": "Tax rule groups",
    "tax_rules": "Tax rules entity",
    "taxes": "The tax rate",
    "zones": "The Countries zones",
}
