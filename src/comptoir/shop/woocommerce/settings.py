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
    media_user: str | None = None
    """WordPress user uploading images to the media library (API keys cannot reach it)."""
    media_password: SecretRef | None = None
    """That user's WordPress application password (Users > Profile > Application Passwords), as
    ``env:VARIABLE``; images are sent only with it."""
    documents_meta: str = "_comptoir_documents"
    """Product meta listing the product's documents (a JSON list of ``{"id", "name", "url"}``),
    for the theme to show: WooCommerce has no product attachments of its own."""
    tax_classes: dict[str, str] = Field(default_factory=dict)
    """ERP tax code → WooCommerce tax class slug (``""`` is the standard class)."""
    default_tax_class: str = ""
    """Tax class for an ERP tax code missing from ``tax_classes``."""
    reference_meta: str = "_comptoir_reference"
    """Product meta key holding the ERP reference."""
    seo_title_meta: str = "_yoast_wpseo_title"
    """Product meta key of the SEO title (Yoast SEO's; Rank Math: ``rank_math_title``)."""
    seo_description_meta: str = "_yoast_wpseo_metadesc"
    """Product meta key of the SEO description (Yoast SEO's; Rank Math: ``rank_math_description``)."""
    customer_code_meta: str = "erp_customer_code"
    """Customer meta key showing the ERP account number on the shop."""
    vat_number_meta: str = "vat_number"
    """Customer meta key for the VAT number (an ACF field, for instance)."""
    siret_meta: str = "siret"
    """Customer meta key for the SIRET."""
    warehouse_meta_prefix: str = "stock_warehouse_"
    """Product (and variation) meta holding each warehouse's quantity: this prefix + the warehouse
    key (``stock_warehouse_3``), for the theme to show the customer's home warehouse and the others."""
    home_warehouse_meta: str = "home_warehouse"
    """Customer meta key holding the home warehouse's key (an ACF field, for instance)."""
