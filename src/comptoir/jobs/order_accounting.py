"""Zone or country → ERP accounting category of an order, with and without tax (pure).

An order's zone comes from its country (shipping address by default) and the buyer's VAT
number: ``france`` (FR, MC), ``dom_tom`` (the overseas departments and territories, by country
code or by a French postcode starting 97/98), ``eu_vat`` (another member state, buyer with a VAT
number), ``eu`` (another member state without one), ``export`` (anything else). An order is
"with tax" when the shop charged tax on it. The category is the country's entry (``by =
"country"``), else the zone's, else the default of its column; ``apply_to_all`` uses the defaults
for every order. The entry may carry its own tax codes (``tax_codes``), which then win over
``orders.tax_codes`` for that order: the tax codes follow the category.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from comptoir.model import ZERO, Address, Order
from comptoir.model.geo import EU_MEMBERS as EU
from comptoir.model.geo import FRENCH_OVERSEAS as DOM_TOM
from comptoir.profile import AccountingOptions, Zone


@dataclass(frozen=True, slots=True)
class Accounting:
    """What the order's zone gives its document."""

    zone: Zone
    category: str | None
    """ERP accounting category; ``None``: the customer's own."""
    tax_codes: Mapping[str, str] = field(default_factory=dict)


def zone_of(address: Address, vat_number: str) -> Zone:
    """The zone of an order going to ``address`` for a buyer with ``vat_number``."""
    country = (address.country or "FR").upper()
    if country in DOM_TOM or (country == "FR" and address.postcode.strip()[:2] in ("97", "98")):
        return Zone.DOM_TOM
    if country in ("FR", "MC"):
        return Zone.FRANCE
    if country in EU:
        return Zone.EU_VAT if vat_number.strip() else Zone.EU
    return Zone.EXPORT


def accounting_for(order: Order, options: AccountingOptions) -> Accounting:
    """The accounting category (and tax codes) of ``order``."""
    address = order.billing if options.address == "billing" or not order.shipping.country else order.shipping
    zone = zone_of(address, order.vat_number)
    taxed = order.total_tax > ZERO
    default = options.default_taxed if taxed else options.default_untaxed
    if options.apply_to_all:
        return Accounting(zone, default)
    country = (address.country or "FR").upper()
    entry = options.categories.get(country) if options.by == "country" else None
    entry = entry or options.categories.get(zone.value)
    if entry is None:
        return Accounting(zone, default)
    chosen = entry.taxed if taxed else entry.untaxed
    return Accounting(zone, chosen if chosen is not None else default, entry.tax_codes)
