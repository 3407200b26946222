"""Variations from the ERP's own ranges and packaging units (SPEC §3).

- **Ranges** (``products.variations_from_ranges``; Sage: gammes): an article with range cells
  becomes a variable product under its own reference, one variation per cell: the cell's own
  reference (the SKU orders come back with), its values (up to two dimensions: Couleur = Bleu,
  Taille = M), its price (the cell's, else the article's), its barcode and its stock. Dormant
  cells are left out (their combination is not offered); a cell without a reference of its own
  cannot be sold on the web (an order could not name it): it is refused, named.
- **Packaging units** (``products.variations_from_packagings``; Sage: conditionnements): an
  article with units becomes a variable product, one variation per unit (``Carton de 6``): the
  unit's reference, its price (the unit's, else the base price times its quantity) and the
  article's stock in whole units. An article with ranges takes its variations from them.

The article itself (the variable product) sends no price or stock: its variations carry them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal

from comptoir.jobs.context import JobContext
from comptoir.model import Article, AttributeDraft


@dataclass(frozen=True, slots=True)
class Unit:
    """One variation: the sellable unit as an article (its reference, price, barcode), the
    article it belongs to, its attribute values and, for a packaging unit, its quantity."""

    article: Article
    parent: str
    options: tuple[tuple[str, str], ...]
    per: Decimal | None = None


@dataclass
class Expansion:
    """The articles sold as variations of their own ranges or units."""

    articles: dict[str, Article] = field(default_factory=dict)
    """Parent reference → the article sold by its cells or units."""
    units: list[Unit] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(reference, what is wrong), journaled as failures."""

    @property
    def parents(self) -> set[str]:
        return set(self.articles)


def attributes_of(units: Sequence[Unit]) -> tuple[AttributeDraft, ...]:
    """The attributes of these variations, each with the values they offer, in ERP order."""
    names = list(dict.fromkeys(name for u in units for name, _ in u.options))
    return tuple(
        AttributeDraft(name, tuple(dict.fromkeys(v for u in units for n, v in u.options if n == name)))
        for name in names
    )


def expand(ctx: JobContext, articles: Sequence[Article]) -> Expansion:
    """The ranges and packaging units of ``articles`` that the profile sells as variations."""
    options = ctx.profile.products
    packaging_name = ctx.journal.t("packaging.attribute")
    result = Expansion()
    for article in articles:
        units: list[Unit] = []
        if options.variations_from_ranges and article.ranges:
            for cell in article.ranges:
                if cell.dormant:
                    continue
                shown = " / ".join(v for _, v in cell.values)
                if not cell.reference:
                    result.problems.append(
                        (article.reference, ctx.journal.t("range.no_reference", cell=shown))
                    )
                    continue
                priced = cell.price is not None
                units.append(
                    Unit(
                        replace(
                            article,
                            reference=cell.reference,
                            designation=f"{article.designation} {shown}".strip(),
                            sale_price=cell.price if priced else article.sale_price,
                            price_field=cell.price_field if priced else article.price_field,
                            barcode=cell.barcode or article.barcode,
                            ranges=(),
                            packagings=(),
                        ),
                        article.reference,
                        cell.values,
                    )
                )
        elif options.variations_from_packagings and article.packagings:
            for pack in article.packagings:
                if not pack.reference or pack.quantity <= 0:
                    problem = ctx.journal.t("packaging.no_reference", unit=pack.label or str(pack.number))
                    result.problems.append((article.reference, problem))
                    continue
                priced = pack.price is not None
                base = article.sale_price * pack.quantity if article.sale_price is not None else None
                units.append(
                    Unit(
                        replace(
                            article,
                            reference=pack.reference,
                            designation=f"{article.designation} {pack.label}".strip(),
                            sale_price=pack.price if priced else base,
                            price_field=pack.price_field if priced else article.price_field,
                            barcode=pack.barcode or article.barcode,
                            ranges=(),
                            packagings=(),
                        ),
                        article.reference,
                        ((packaging_name, pack.label or pack.reference),),
                        pack.quantity,
                    )
                )
        if units:
            result.units += units
            result.articles[article.reference] = article
    return result


def unit_quantity(parent_quantity: int | None, per: Decimal | None) -> int | None:
    """A packaging unit's stock: the article's quantity in whole units (untracked stays untracked)."""
    if parent_quantity is None or per is None:
        return parent_quantity
    return int((Decimal(parent_quantity) / per).to_integral_value(ROUND_FLOOR))
