"""The profile's ``[shop]`` table for a WooCommerce shop."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from comptoir.profile import ShopSettings
from comptoir.profile.secrets import SecretRef


class WooCommerceSettings(ShopSettings):
    """WooCommerce, through its REST API (wc/v3) with a consumer key and secret."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "woocommerce",
                    "url": "https://boutique.example",
                    "consumer_key": "env:COMPTOIR_SHOP_KEY",
                    "consumer_secret": "env:COMPTOIR_SHOP_SECRET",
                }
            ]
        }
    )

    kind: Literal["woocommerce"] = "woocommerce"
    consumer_key: SecretRef = "env:COMPTOIR_SHOP_KEY"
    """Consumer key, as ``env:VARIABLE``."""
    consumer_secret: SecretRef = "env:COMPTOIR_SHOP_SECRET"
    """Consumer secret, as ``env:VARIABLE``."""
    query_string_auth: bool = False
    """Send the keys in the query string instead of HTTP Basic (HTTPS only; for hosts that strip
    the Authorization header)."""
    tax_classes: dict[str, str] = Field(default_factory=dict)
    """ERP tax code → WooCommerce tax class slug (``""`` is the standard class)."""
    default_tax_class: str = ""
    """Tax class for an ERP tax code missing from ``tax_classes``."""
    reference_meta: str = "_comptoir_reference"
    """Product meta key holding the ERP reference."""
    customer_code_meta: str = "erp_customer_code"
    """Customer meta key showing the ERP account number on the shop."""
    vat_number_meta: str = "vat_number"
    """Customer meta key for the VAT number (an ACF field, for instance)."""
    siret_meta: str = "siret"
    """Customer meta key for the SIRET."""
    wp_user: str = ""
    """WordPress user whose application password uploads invoice PDFs to the media library
    (``/wp/v2/media``: WooCommerce keys do not open WordPress routes). Empty: no invoices."""
    wp_application_password: SecretRef | None = None
    """That user's application password (Users → Profile → Application Passwords), as
    ``env:VARIABLE``."""
