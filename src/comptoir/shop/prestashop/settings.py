"""The profile's ``[shop]`` table for a PrestaShop shop."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ConfigDict, Field, field_validator

from comptoir.profile import ShopSettings
from comptoir.profile.secrets import SecretRef


class PrestaShopSettings(ShopSettings):
    """PrestaShop 1.7, 8 or 9, through its webservice (the shop address followed by /api) with a
    webservice key."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "prestashop",
                    "url": "https://boutique.example",
                    "webservice_key": "env:COMPTOIR_SHOP_KEY",
                }
            ]
        }
    )

    kind: Literal["prestashop"] = "prestashop"
    webservice_key: SecretRef = "env:COMPTOIR_SHOP_KEY"
    """Webservice key (Advanced Parameters > Webservice), as ``env:VARIABLE``."""
    languages: list[int] = Field(default_factory=list)
    """Ids of the shop languages comptoir writes texts in (names, descriptions, attribute values);
    empty: every language of the shop receives the ERP's text."""
    tax_rules_groups: dict[str, int] = Field(default_factory=dict)
    """ERP tax code → PrestaShop tax rules group id (``id_tax_rules_group``; the French
    installation has 1 for 20 %, 2 for 10 %, 3 for 5.5 %, 4 for 2.1 %)."""
    default_tax_rules_group: int | None = Field(default=None, ge=0)
    """Tax rules group for an ERP tax code missing from ``tax_rules_groups``; none: such a product
    fails, named, rather than being sold with the wrong tax (0 would mean no tax)."""
    home_category: int = Field(default=2, ge=1)
    """Category under which ERP families are created, and the default category of a product
    without one (2, Home, on a standard installation)."""
    customer_group: int = Field(default=3, ge=1)
    """Default group of the customers comptoir creates (3, Customer, on a standard installation)."""
    timezone: str = "Europe/Paris"
    """The shop's time zone (``PS_TIMEZONE``): PrestaShop writes its dates in it, without offset."""
    billing_alias: str = Field(default="Facturation", min_length=1, max_length=32)
    """Alias of the address comptoir keeps as a customer's billing address."""
    shipping_alias: str = Field(default="Livraison", min_length=1, max_length=32)
    """Alias of the address comptoir keeps as a customer's delivery address (when it differs)."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not a known time zone (e.g. Europe/Paris)") from exc
        return value
