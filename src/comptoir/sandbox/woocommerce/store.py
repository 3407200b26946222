"""WooCommerce's record store: the shared store with WooCommerce's unique lookups.

Products and variations share the SKU index (SKUs are unique across both, trashed posts
excepted); only the SKU index is case-sensitive. Users are found by e-mail, coupons by code,
products by slug, attachments by file path and slug, Customer Specific Pricing rows by product,
target and minimum quantity.
"""

from __future__ import annotations

from pathlib import Path

from comptoir.sandbox.core.store import Index, Record, Store

__all__ = ["Record", "Store", "open_store"]

INDEXES = (
    Index(
        "sku",
        {"product": "sku", "variation": "sku"},
        case_sensitive=True,
        skip=lambda record: record.get("status") == "trash",
    ),
    Index("slug", {"product": "slug"}),
    Index("attachment_file", {"attachment": "file"}, case_sensitive=True),
    Index("attachment_slug", {"attachment": "slug"}),
    Index("email", {"user": "email"}),
    Index("username", {"user": "username"}),
    Index("code", {"coupon": "code"}),
    Index("csp", {"csp_usp": "_key", "csp_rsp": "_key", "csp_gsp": "_key"}),
)


def open_store(path: Path | None = None) -> Store:
    """A WooCommerce store kept in ``path`` (SQLite), or in memory."""
    return Store(path, INDEXES)
