"""Profiles: validated settings for one ERP + one shop, loaded from TOML, secrets by reference."""

from comptoir.profile.loader import ProfileError, load_profile, parse_profile, secret_resolver
from comptoir.profile.models import (
    AccountMode,
    CategorySource,
    CustomerOptions,
    ErpSettings,
    HttpOptions,
    OrderOptions,
    PaymentMapping,
    PriceOptions,
    ProductOptions,
    Profile,
    ProxyOptions,
    ShippingMode,
    ShopSettings,
    StateSettings,
    StockOptions,
    UnknownReference,
    UpdatableField,
)
from comptoir.profile.secrets import SecretError, SecretResolver

__all__ = [
    "AccountMode",
    "CategorySource",
    "CustomerOptions",
    "ErpSettings",
    "HttpOptions",
    "OrderOptions",
    "PaymentMapping",
    "PriceOptions",
    "ProductOptions",
    "Profile",
    "ProfileError",
    "ProxyOptions",
    "SecretError",
    "SecretResolver",
    "ShippingMode",
    "ShopSettings",
    "StateSettings",
    "StockOptions",
    "UnknownReference",
    "UpdatableField",
    "load_profile",
    "parse_profile",
    "secret_resolver",
]
