"""Catalog vocabulary read from the ERP: categories, articles, warehouses, stock, prices, taxes.

Pure data. An ERP adapter fills these from its own tables; jobs turn them into shop drafts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from comptoir.model.kinds import QuantityKind as QuantityKind
from comptoir.model.money import ZERO


@dataclass(frozen=True, slots=True)
class Category:
    """A node of the ERP's classification (family, catalogue level or custom-field value)."""

    key: str
    name: str
    parent_key: str | None = None
    published: bool = True
    """Whether the ERP publishes this family on the web (``products.skip_unpublished_families``)."""


@dataclass(frozen=True, slots=True)
class TaxRate:
    """An ERP tax code and its rate in percent (``C20`` → 20)."""

    code: str
    rate: Decimal
    label: str = ""


@dataclass(frozen=True, slots=True)
class Packaging:
    """A packaging unit (conditionnement) of an article: ``Carton de 12`` with its own price."""

    number: int
    label: str
    quantity: Decimal
    reference: str = ""
    barcode: str = ""
    price: Decimal | None = None
    price_field: str = ""
    """Where the ERP keeps ``price`` (named when the price is refused)."""


@dataclass(frozen=True, slots=True)
class RangeItem:
    """One cell of an article's ranges (gammes): up to two dimensions with their values."""

    reference: str
    values: tuple[tuple[str, str], ...]
    barcode: str = ""
    price: Decimal | None = None
    dormant: bool = False
    price_field: str = ""
    """Where the ERP keeps ``price`` (named when the price is refused)."""


@dataclass(frozen=True, slots=True)
class Article:
    """An ERP article, keyed by its reference (the SKU on the shop)."""

    reference: str
    designation: str
    family_code: str
    sale_price: Decimal | None = None
    """Base sale price, excluding tax unless ``price_includes_tax``; ``None`` when the ERP has none."""
    price_field: str = "sale_price"
    """Where the ERP keeps this price (its column), named when the price is refused."""
    price_includes_tax: bool = False
    purchase_price: Decimal = ZERO
    tax_code: str = ""
    weight_net: Decimal = ZERO
    weight_gross: Decimal = ZERO
    barcode: str = ""
    description: str = ""
    published: bool = True
    dormant: bool = False
    stock_managed: bool = True
    created_at: datetime | None = None
    modified_at: datetime | None = None
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    catalogue: str = ""
    """Key of the article's node in the ERP's catalogue tree (the deepest level set), if any."""
    images: tuple[str, ...] = ()
    """The ERP's own pictures of the article: file paths as the ERP stores them."""
    packagings: tuple[Packaging, ...] = ()
    ranges: tuple[RangeItem, ...] = ()
    components: tuple[tuple[str, Decimal], ...] = ()
    """Bill of materials: (component reference, quantity)."""


@dataclass(frozen=True, slots=True)
class Warehouse:
    """A stock location (dépôt); ``key`` is the identifier profiles use."""

    key: str
    name: str
    code: str = ""
    postcode: str = ""
    principal: bool = False


@dataclass(frozen=True, slots=True)
class StockLevel:
    """Quantities of one article (or range cell) in one warehouse.

    ``reserved`` is what customer orders hold, ``preparing`` what delivery preparations hold,
    ``to_check`` what was received but awaits quality control, ``incoming`` what supplier
    orders bring. Only ``real`` minus what is held or not yet sellable can be sold.
    """

    reference: str
    warehouse: str
    real: Decimal = ZERO
    reserved: Decimal = ZERO
    incoming: Decimal = ZERO
    preparing: Decimal = ZERO
    to_check: Decimal = ZERO

    @property
    def held(self) -> Decimal:
        """What cannot be sold from ``real``: reserved, in preparation, awaiting control."""
        return self.reserved + self.preparing + self.to_check

    def quantity(self, kind: QuantityKind) -> Decimal:
        """The quantity of the requested kind."""
        if kind is QuantityKind.REAL:
            return self.real
        if kind is QuantityKind.AVAILABLE:
            return self.real - self.held
        if kind is QuantityKind.FORWARD:
            return self.real + self.incoming - self.held
        if kind is QuantityKind.REAL_PLUS_CUSTOMER_ORDERS:
            return self.real + self.reserved
        # FORWARD_MINUS_SUPPLIER_ORDERS: the forward quantity without what suppliers bring; by
        # definition the same figure as AVAILABLE, kept as its own choice because users name it so.
        return self.real + self.incoming - self.held - self.incoming


@dataclass(frozen=True, slots=True)
class StockChanges:
    """What changed in the ERP's stock since a date, in the ERP's own clock (UTC).

    ``articles``: each article whose stock rows changed (in any warehouse, any of its range cells:
    a cell's change is the article's), with the newest change date among them. ``None`` when only
    the newest date was asked for (a full read). ``newest``: the newest change date of any stock
    row read, ``None`` when none.
    """

    articles: Mapping[str, datetime] | None
    newest: datetime | None


@dataclass(frozen=True, slots=True)
class PriceCategory:
    """An ERP price category (catégorie tarifaire), the source of a shop customer group."""

    key: str
    name: str
    includes_tax: bool = False
