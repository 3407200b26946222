"""What a job asks a shop to hold: neutral drafts of categories, products and customers.

Drafts carry facts (an ERP tax code, a VAT number…); each adapter decides where its platform
keeps them. A field left at ``None`` means "do not touch": an update draft carries only the fields the
profile allows the job to overwrite. Shop adapters translate drafts into their payloads.
Drafts also give the fingerprints that let a job send only what changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from comptoir.model.party import Address
from comptoir.model.text import clean_fields, field_names

T = TypeVar("T")


class ProductKind(StrEnum):
    SIMPLE = "simple"
    VARIABLE = "variable"
    VARIATION = "variation"
    BUNDLE = "bundle"
    """A product made of other shop products (a kit, a gift box): ``bundle_items`` says which."""


class Aspect(StrEnum):
    """Parts of a shop object that different jobs own, each with its own fingerprint."""

    CATALOG = "catalog"
    PRICE = "price"
    STOCK = "stock"
    STATUS = "status"
    """Enabled or disabled in the shop (the ERP's dormant and published flags)."""
    CUSTOMER = "customer"
    AVAILABILITY = "availability"
    """Whether comptoir disabled a product because its article was withdrawn (put to sleep)."""


@dataclass(frozen=True, slots=True)
class CategoryDraft:
    """A category to create; ``parent_shop_id`` once the parent exists in the shop."""

    key: str
    name: str
    parent_shop_id: str | None = None


@dataclass(frozen=True, slots=True)
class AttributeDraft:
    """A product attribute (Couleur) with the options its variations use."""

    name: str
    options: tuple[str, ...]
    variation: bool = True


@dataclass(frozen=True, slots=True)
class BundleItem:
    """One component of a bundle: where it is in the shop, and how many the bundle holds."""

    shop_id: str
    parent_id: str | None
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class ProductDraft:
    """A product, or a variation when ``kind`` is VARIATION (then ``parent_sku`` is set)."""

    sku: str
    kind: ProductKind = ProductKind.SIMPLE
    parent_sku: str | None = None
    name: str | None = None
    description: str | None = None
    short_description: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    slug: str | None = None
    """The wished URL slug (the adapter makes it one the platform accepts)."""
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    enabled: bool | None = None
    category_shop_ids: tuple[str, ...] | None = None
    manage_stock: bool | None = None
    stock_quantity: int | None = None
    warehouse_quantities: tuple[tuple[str, int], ...] | None = None
    """(warehouse key, quantity) of each warehouse (or warehouse group) sent one by one; the shop
    sells from ``stock_quantity``, their sum."""
    weight: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    depth: Decimal | None = None
    barcode: str | None = None
    tax_code: str | None = None
    """The ERP tax code; the shop adapter maps it to the platform's tax class or rule."""
    attributes: tuple[AttributeDraft, ...] | None = None
    """On a variable product: its attributes; on a variation: one option per attribute."""
    variation_options: tuple[tuple[str, str], ...] | None = None
    bundle_items: tuple[BundleItem, ...] | None = None
    """On a bundle: its components, in the ERP's order."""
    features: tuple[tuple[str, str], ...] | None = None
    """(feature, value) pairs shown on the product page (brand, material…), not variations."""
    erp_reference: str | None = None
    """The ERP reference (or master reference), kept on the shop product where the platform can."""

    def only(self, names: set[str]) -> ProductDraft:
        """A copy keeping ``sku``, ``kind``, ``parent_sku`` and the named fields; others become None."""
        values: dict[str, Any] = dict.fromkeys(field_names(ProductDraft))
        for name in (*names, "sku", "kind", "parent_sku"):
            if name in values:
                values[name] = getattr(self, name)
        return ProductDraft(**values)


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """A shop customer account, keyed by the ERP customer code."""

    erp_code: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    billing: Address | None = None
    shipping: Address | None = None
    group: str | None = None
    """The customer group (the name of the ERP price category)."""
    vat_number: str | None = None
    siret: str | None = None
    home_warehouse: str | None = None
    """The key of the customer's home warehouse (or of the warehouse group holding it), as the
    products' ``warehouse_quantities`` name it."""

    def only(self, names: set[str]) -> CustomerDraft:
        """A copy keeping ``erp_code`` and the named fields; others become None."""
        cleared: dict[str, Any] = {f.name: None for f in fields(self) if f.name not in names | {"erp_code"}}
        return replace(self, **cleared)


IDENTIFIER_FIELDS = frozenset(
    {
        "sku",
        "parent_sku",
        "erp_code",
        "erp_reference",
        "tax_code",
        "key",
        "parent_shop_id",
        "category_shop_ids",
        "customer_shop_id",
    }
)
"""Draft fields that name things (bindings, lookups): never rewritten by :func:`clean_draft`."""
MULTILINE_FIELDS = frozenset({"description", "short_description"})


def clean_draft(draft: T) -> T:
    """``draft`` with every text cleaned (:func:`~comptoir.model.text.clean_text`): names,
    descriptions, addresses, attributes, VAT number…; identifiers are left as they are."""
    return clean_fields(draft, keep=IDENTIFIER_FIELDS, multiline=MULTILINE_FIELDS)


@dataclass(frozen=True, slots=True)
class GroupDraft:
    """A customer group: an ERP price category, by its name."""

    name: str
    prices_include_tax: bool = False
    """Its members see prices with tax (the category's prices are stated with tax)."""


@dataclass(frozen=True, slots=True)
class PriceRowDraft:
    """One specific price the shop holds: a customer group's or a customer's net price of a
    product or variation, from a minimum quantity. The job fills the shop ids it knows."""

    sku: str
    price: Decimal
    product_shop_id: str
    parent_shop_id: str | None = None
    group: str | None = None
    """The customer group's name (the ERP price category's name)."""
    group_shop_id: str | None = None
    customer_code: str | None = None
    customer_shop_id: str | None = None
    min_quantity: Decimal = Decimal(1)

    @property
    def target(self) -> str:
        """``group:<name>`` or ``customer:<ERP code>``."""
        return f"group:{self.group}" if self.group is not None else f"customer:{self.customer_code}"

    @property
    def key(self) -> str:
        """What identifies the row for the connector: product, target and minimum quantity."""
        return f"{self.sku}|{self.target}|{format(self.min_quantity.normalize(), 'f')}"


@dataclass(frozen=True, slots=True)
class ShopRef:
    """Where an object lives in the shop."""

    shop_id: str
    parent_id: str | None = None
    sku: str = ""
    kind: ProductKind = ProductKind.SIMPLE


@dataclass(frozen=True, slots=True)
class ShopCategory:
    shop_id: str
    name: str
    parent_id: str | None = None
    slug: str = ""


NOT_FOUND = "not_found"
"""The neutral code every shop adapter gives an update or delete of an object the shop no longer
has (deleted, or in the trash): the push engine then unbinds it and recreates or adopts it."""


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why the shop refused one item: its code, message and, when known, the field."""

    code: str
    message: str
    field: str = ""
    retryable: bool = False

    @property
    def gone(self) -> bool:
        """The object this write addressed is no longer in the shop (``NOT_FOUND``)."""
        return self.code == NOT_FOUND


@dataclass(frozen=True, slots=True)
class ItemResult:
    """The outcome of one item of a batch: the key the job gave, and an id or an error."""

    key: str
    shop_id: str | None = None
    parent_id: str | None = None
    error: ItemError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def gone(self) -> bool:
        """The shop no longer has the object this update addressed."""
        return self.error is not None and self.error.gone


_SCALARS = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:  # most values: texts, numbers, flags (a text enum is not one)
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in field_names(type(value))}
    return value


def fingerprint(draft: Any, names: Collection[str] | None = None) -> str:
    """A stable hash of a draft's fields (only ``names`` when given; ``None`` fields skipped)."""
    data = {}
    for name in field_names(type(draft)):
        if names is None or name in names:
            value = getattr(draft, name)
            if value is not None:
                data[name] = _plain(value)
    return _digest(data)


K = TypeVar("K")


def fingerprints(draft: Any, groups: Mapping[K, Collection[str]]) -> dict[K, str]:
    """``fingerprint(draft, names)`` of each group of names, each field read and made plain once
    (a creation records every aspect's fingerprint)."""
    wanted = set().union(*groups.values()) if groups else set()
    plain = {}
    for name in field_names(type(draft)):
        if name in wanted:
            value = getattr(draft, name)
            if value is not None:
                plain[name] = _plain(value)
    return {group: _digest({n: v for n, v in plain.items() if n in names}) for group, names in groups.items()}


def _digest(data: dict[str, Any]) -> str:
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()
