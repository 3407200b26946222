"""The ``Shop`` protocol: everything a job may ask of a shop, in the neutral vocabulary.

Calls are async. Writes take many items at once (the adapter batches them as its platform
allows) and answer one ``ItemResult`` per item: one bad item never fails the others.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the types of the signatures only: a job imports the model it uses
    from comptoir.model import (
        CategoryDraft,
        Choice,
        CustomerDraft,
        GroupDraft,
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


class ShopError(Exception):
    """The shop cannot be used at all (unreachable, bad key, permission missing).

    ``code`` is a short machine word: ``unreachable``, ``tls``, ``timeout``, ``auth``,
    ``read_only``, ``permission`` (a resource or method the key may not use), ``disabled`` (the
    shop's API is switched off), ``not_found``, ``http``. The journal names the failure from the
    code in the profile's language (``shop.error.<code>`` in ``journal/messages.py``), then gives
    the message: a ``Text`` is said in the profile's language too, a plain string as it is.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ShopSummary:
    """Counts shown at the end of the demo."""

    products: int
    customers: int
    orders: int


@dataclass(frozen=True, slots=True)
class ShopCheck:
    """Result of a connection test."""

    platform: str
    description: str
    can_read: bool
    can_write: bool


@runtime_checkable
class Shop(Protocol):
    """An open connection to one shop."""

    platform: str

    async def aclose(self) -> None: ...

    async def check(self) -> ShopCheck:
        """Test the connection and the key's permissions; raise ``ShopError`` with a precise code."""
        ...

    # --- categories ----------------------------------------------------------------------
    async def list_categories(self) -> list[ShopCategory]: ...

    async def create_categories(self, drafts: Sequence[CategoryDraft]) -> list[ItemResult]:
        """Create categories (results keyed by ``draft.key``); parents must already exist."""
        ...

    # --- products ------------------------------------------------------------------------
    async def find_products(self, skus: Collection[str]) -> dict[str, ShopRef]:
        """Products and variations holding these SKUs, found in bulk."""
        ...

    async def save_products(
        self, creates: Sequence[ProductDraft], updates: Sequence[tuple[ShopRef, ProductDraft]]
    ) -> list[ItemResult]:
        """Create and update products and variations; results keyed by SKU.

        A variation's parent (``parent_sku``) must exist or be among ``creates``.
        """
        ...

    async def save_media(self, plans: Sequence[MediaPlan]) -> list[MediaResult]:
        """Carry out each product's image or document plan (upload, keep, delete, order); one
        result per plan, keyed by SKU. A platform that cannot hold a kind answers an error naming
        it (``unsupported``); its capabilities say so beforehand."""
        ...

    # --- customers -----------------------------------------------------------------------
    async def find_customers(self, emails: Collection[str]) -> dict[str, str]:
        """Lower-cased e-mail → shop customer id, for the e-mails that exist."""
        ...

    async def save_customers(
        self, creates: Sequence[CustomerDraft], updates: Sequence[tuple[str, CustomerDraft]]
    ) -> list[ItemResult]:
        """Create and update customers; results keyed by ``draft.erp_code``."""
        ...

    # --- orders --------------------------------------------------------------------------
    async def list_orders(
        self, statuses: Collection[str], *, modified_after: datetime | None = None
    ) -> list[Order]:
        """Orders in the given statuses, optionally modified after a UTC instant (shop's clock)."""
        ...

    async def get_orders(self, shop_ids: Collection[str]) -> list[Order]:
        """These orders by id, whatever their status (ids the shop no longer has are left out)."""
        ...

    async def mark_transferred(self, marks: Sequence[TransferMark]) -> list[ItemResult]:
        """Mark orders as transferred to the ERP (results keyed by shop order id)."""
        ...

    # --- after the import ----------------------------------------------------------------
    async def update_orders(self, updates: Sequence[OrderUpdate]) -> list[ItemResult]:
        """Set statuses, write ERP document numbers and add notes (results keyed by ``key``).

        An update with ``verify`` whose note the order already carries is not noted again.
        Platforms without status updates (``capabilities.status_update``) answer an error per item.
        """
        ...

    async def attach_documents(self, attachments: Sequence[OrderAttachment]) -> list[ItemResult]:
        """Put documents on orders where their customers find them (results keyed by ``key``).

        An attachment with ``verify`` that the order already carries is not attached again.
        Platforms without attachments (``capabilities.attachments``) answer an error per item.
        """
        ...

    async def list_refunds(self, *, created_after: datetime | None = None) -> list[Refund]:
        """Refunds of orders, optionally created after a UTC instant (shop's clock), oldest first."""
        ...

    async def summary(self) -> ShopSummary: ...

    # --- lists a person maps from (the dashboard's mapping tables) --------------------------
    # Each returns every entry the shop knows, in the shop's order, whatever its state (an
    # inactive payment method is listed with ``detail`` saying so). ``Choice.key`` must be the
    # exact identifier the profile stores and the adapter reads back (an order's ``status``,
    # ``payment_method``); ``label`` is the name the shop's back office shows. A platform without
    # such a notion returns ``[]`` and its docs say why.

    async def list_tax_rates(self) -> list[ShopTaxRate]:
        """Every tax rate the shop applies (``orders.tax_codes`` is keyed by their percent)."""
        ...

    async def list_tax_classes(self) -> list[Choice]:
        """Tax classes (or rules groups) a product can carry; the standard one first."""
        ...

    async def list_order_statuses(self) -> list[Choice]:
        """Order statuses (``orders.statuses`` keys): key = the status as ``Order.status`` has it."""
        ...

    async def list_payment_methods(self) -> list[Choice]:
        """Payment methods (``orders.payment_methods`` keys): key = ``Order.payment_method``."""
        ...


@runtime_checkable
class SpecificPriceShop(Protocol):
    """What a shop holding specific prices does besides ``Shop`` (capabilities
    ``customer_groups``, ``group_prices``, ``customer_prices``, ``quantity_breaks``).

    A specific price is one row per product, target (a group or a customer) and minimum quantity
    (``PriceRowDraft``); the job decides which rows the shop must hold and removes the others."""

    async def save_groups(self, groups: Sequence[GroupDraft]) -> list[ItemResult]:
        """Make sure these customer groups exist; results keyed by name, ``shop_id`` the group's."""
        ...

    async def save_price_rows(self, rows: Sequence[tuple[str | None, PriceRowDraft]]) -> list[ItemResult]:
        """Create rows (``None``) or replace the ones the shop holds under the given id; results
        keyed by ``row.key``, ``shop_id`` the id ``delete_price_rows`` takes."""
        ...

    async def delete_price_rows(self, shop_ids: Sequence[str]) -> list[ItemResult]:
        """Remove rows by the ids ``save_price_rows`` gave; results keyed by id. A row the shop no
        longer holds counts as removed."""
        ...
