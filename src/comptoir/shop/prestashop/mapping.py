"""Neutral drafts → webservice writes: products, combinations, categories, customers, addresses.

Where PrestaShop keeps each neutral fact (docs/shops/prestashop.md, "Adapter"): the SKU in
``reference``; prices excluding tax in ``price`` (a combination's ``price`` is its impact on its
product's, whose own price comprehensive of combinations is 0); the ERP tax code as the product's
``id_tax_rules_group`` (``shop.tax_rules_groups``); the barcode in ``ean13``; texts in every
language or the profile's ones; the VAT number on the billing address; the SIRET on the customer.
A create carries what PrestaShop's back office gives a new product (available for order, price
shown, visible everywhere, ``state`` 1), since the webservice empties whatever a create leaves out.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from decimal import Decimal

from comptoir.model import (
    Address,
    BundleItem,
    CategoryDraft,
    CustomerDraft,
    ItemError,
    ProductDraft,
    ProductKind,
)
from comptoir.shop.prestashop.settings import PrestaShopSettings
from comptoir.shop.prestashop.writer import Write
from comptoir.shop.prestashop.xmlbody import Assoc, Texts, Value

NAME_SIZE = 128
NEW_PRODUCT: dict[str, Value] = {
    "state": "1",
    "available_for_order": "1",
    "show_price": "1",
    "visibility": "both",
    "condition": "new",
    "minimal_quantity": "1",
    "indexed": "1",
}
"""What the back office gives a new product and a webservice create would otherwise empty
(``state`` 1: a saved product, not a draft hidden from the catalog, PrestaShop 8+)."""

_NOT_IN_NAMES = re.compile(r"[0-9!<>,;?=+()/\\@#\"°*`{}_^$%:¤\[\]|]")
_DOT_INSIDE = re.compile(r"\.(?=\S)")
_NOT_IN_PHONE = re.compile(r"[^+0-9. ()/-]")
_NOT_IN_POSTCODE = re.compile(r"[^a-zA-Z 0-9-]")
_NOT_IN_CATALOG_NAME = re.compile(r"[<>;=#{}]")


def amount(value: Decimal) -> str:
    """A price as the webservice takes it (a dot, no exponent)."""
    return format(value, "f")


META_TITLE_SIZE = 255
META_DESCRIPTION_SIZE = 512
"""``Product::$definition``: ``meta_title`` and ``meta_description`` sizes (PrestaShop 8)."""


def slug(text: str, fallback: str) -> str:
    """A ``link_rewrite`` (``Validate::isLinkRewrite`` without accented URLs): a-z, 0-9, dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return (made or fallback)[:NAME_SIZE].strip("-") or fallback


def catalog_name(text: str) -> str:
    """A product or category name (``isCatalogName``: no ``<>;=#{}``), 128 characters at most."""
    return _NOT_IN_CATALOG_NAME.sub(" ", text).strip()[:NAME_SIZE]


def person_name(text: str) -> str:
    """A first or last name as ``Validate::isCustomerName`` / ``isName`` take it: no digits nor
    punctuation such as ``, ; : ( ) @``, a dot only before a space; ``-`` when nothing is left."""
    cleaned = _DOT_INSIDE.sub(" ", _NOT_IN_NAMES.sub(" ", text))
    cleaned = " ".join(cleaned.split())[:255]
    return cleaned or "-"


def _gtin(barcode: str, size: int) -> bool:
    return barcode.isdigit() and len(barcode) <= size


def _texts(text: str, settings: PrestaShopSettings) -> Texts:
    return Texts(text, tuple(settings.languages))


def _refused(write: Write, code: str, message: str, field: str) -> Write:
    return Write(write.resource, write.node, refused=ItemError(code, message, field))


def _unsupported(draft: ProductDraft) -> ItemError | None:
    if draft.sale_price is not None:
        return ItemError("unsupported", "sale prices are not sent to PrestaShop yet", "sale_price")
    return None


def product_write(draft: ProductDraft, settings: PrestaShopSettings, *, creating: bool) -> Write:
    """``products`` write of a simple or variable product: all of it to create, the fields the
    draft carries to update."""
    write = Write("products", "product")
    fields: dict[str, Value] = dict(NEW_PRODUCT) if creating else {}
    fields["reference"] = draft.sku
    unsupported = _unsupported(draft)
    if unsupported is not None:
        return Write("products", "product", refused=unsupported)
    if draft.name is not None:
        name = catalog_name(draft.name)
        fields["name"] = _texts(name, settings)
        if creating:
            fields["link_rewrite"] = _texts(slug(name, "produit"), settings)
    if draft.slug is not None:
        fields["link_rewrite"] = _texts(slug(draft.slug, "produit"), settings)
    if draft.seo_title is not None:
        fields["meta_title"] = _texts(draft.seo_title[:META_TITLE_SIZE], settings)
    if draft.seo_description is not None:
        fields["meta_description"] = _texts(draft.seo_description[:META_DESCRIPTION_SIZE], settings)
    if draft.description is not None:
        fields["description"] = _texts(draft.description, settings)
    if draft.short_description is not None:
        fields["description_short"] = _texts(draft.short_description, settings)
    if draft.kind is ProductKind.VARIABLE:
        if creating:
            fields["price"] = "0"
    elif draft.regular_price is not None:
        fields["price"] = amount(draft.regular_price)
    elif creating:
        fields["price"] = "0"
    if draft.enabled is not None:
        fields["active"] = "1" if draft.enabled else "0"
    if draft.weight is not None:
        fields["weight"] = amount(draft.weight)
    for side in ("width", "height", "depth"):
        value = getattr(draft, side)
        if value is not None:
            fields[side] = amount(value)
    if draft.barcode is not None:
        if draft.barcode and not _gtin(draft.barcode, 14):
            return _refused(
                write,
                "invalid_barcode",
                f"{draft.barcode!r} is not a GTIN (ean13: up to 14 digits)",
                "barcode",
            )
        fields["ean13"] = draft.barcode
    if draft.tax_code is not None:
        group = settings.tax_rules_groups.get(draft.tax_code, settings.default_tax_rules_group)
        if group is None:
            return _refused(
                write,
                "tax_unmapped",
                f"ERP tax code {draft.tax_code} has no PrestaShop tax rules group (shop.tax_rules_groups)",
                "tax_code",
            )
        fields["id_tax_rules_group"] = str(group)
    associations: tuple[Assoc, ...] = ()
    categories = draft.category_shop_ids
    if categories is not None or creating:
        ids = list(categories or ()) or [str(settings.home_category)]
        fields["id_category_default"] = ids[0]
        associations = (Assoc("categories", "category", [{"id": i} for i in ids]),)
    if draft.kind is ProductKind.BUNDLE and creating:
        fields["type"] = "pack"
        fields["cache_is_pack"] = "1"  # what setWsType sets, sent too: a field left out must not undo it
    if draft.bundle_items is not None:
        rows = [_bundle_row(item) for item in draft.bundle_items]
        associations = (*associations, Assoc("product_bundle", "product", rows))
    return Write("products", "product", fields, associations)


def _bundle_row(item: BundleItem) -> dict[str, str]:
    """A pack's component: its product, its combination (0 for a product), its quantity."""
    product, _, combination = item.shop_id.partition("-")
    quantity = item.quantity.to_integral_value() if item.quantity >= 1 else Decimal(1)
    return {"id": product, "id_product_attribute": combination or "0", "quantity": str(int(quantity))}


def combination_write(
    draft: ProductDraft, parent_id: str, option_values: list[str] | None, *, creating: bool
) -> Write:
    """``combinations`` write of a variation: its reference, price impact (the product's own price
    is 0, so the impact is the price), weight, barcode and attribute values."""
    write = Write("combinations", "combination")
    unsupported = _unsupported(draft)
    if unsupported is not None:
        return Write("combinations", "combination", refused=unsupported)
    fields: dict[str, Value] = {}
    if creating:
        fields["id_product"] = parent_id
        fields["minimal_quantity"] = "1"
    fields["reference"] = draft.sku
    if draft.regular_price is not None:
        fields["price"] = amount(draft.regular_price)
    if draft.weight is not None:
        fields["weight"] = amount(draft.weight)
    if draft.barcode is not None:
        if draft.barcode and not _gtin(draft.barcode, 13):
            return _refused(
                write, "invalid_barcode", f"{draft.barcode!r} is not an EAN-13 (up to 13 digits)", "barcode"
            )
        fields["ean13"] = draft.barcode
    associations: tuple[Assoc, ...] = ()
    if option_values is not None:
        rows = [{"id": i} for i in option_values]
        associations = (Assoc("product_option_values", "product_option_value", rows),)
    return Write("combinations", "combination", fields, associations)


def category_write(draft: CategoryDraft, settings: PrestaShopSettings) -> Write:
    name = catalog_name(draft.name)
    fields: dict[str, Value] = {
        "id_parent": draft.parent_shop_id or str(settings.home_category),
        "active": "1",
        "name": _texts(name, settings),
        "link_rewrite": _texts(slug(name, "categorie"), settings),
    }
    return Write("categories", "category", fields)


def customer_write(
    draft: CustomerDraft, settings: PrestaShopSettings, *, creating: bool, group_id: str | None = None
) -> Write:
    """``customers`` write: names as PrestaShop accepts them, the e-mail (the login), the SIRET, the
    company of the billing address; a create adds a random password. The customer's group (the ERP
    price category, ``group_id`` its shop id) is its default group, next to ``shop.customer_group``;
    without one a created customer goes in ``shop.customer_group`` alone."""
    fields: dict[str, Value] = {}
    if draft.email is not None:
        fields["email"] = draft.email
    if draft.first_name is not None or creating:
        fields["firstname"] = person_name(draft.first_name or "")
    if draft.last_name is not None or creating:
        fields["lastname"] = person_name(draft.last_name or "")
    if draft.billing is not None:
        fields["company"] = draft.billing.company[:255]
    if draft.siret is not None:
        siret = draft.siret.replace(" ", "")
        if len(siret) > 14:
            return Write(
                "customers",
                "customer",
                refused=ItemError(
                    "invalid_siret", f"SIRET {draft.siret!r} is longer than 14 characters", "siret"
                ),
            )
        fields["siret"] = siret
    associations: tuple[Assoc, ...] = ()
    groups = list(dict.fromkeys([str(settings.customer_group), *([group_id] if group_id else [])]))
    if creating:
        fields["passwd"] = secrets.token_urlsafe(18)
        fields["active"] = "1"
        fields["newsletter"] = "0"
        fields["optin"] = "0"
    if creating or group_id:
        fields["id_default_group"] = group_id or str(settings.customer_group)
        associations = (Assoc("groups", "group", [{"id": g} for g in groups]),)
    return Write("customers", "customer", fields, associations)


def usable(address: Address | None) -> bool:
    """An address PrestaShop can keep (``address1`` and ``city`` are required)."""
    return address is not None and bool(address.line1.strip()) and bool(address.city.strip())


def same_place(a: Address, b: Address) -> bool:
    keys = ("company", "line1", "line2", "postcode", "city", "country")
    return all(getattr(a, k).strip().casefold() == getattr(b, k).strip().casefold() for k in keys)


def address_write(
    address: Address,
    *,
    customer_id: str,
    alias: str,
    country_id: str,
    names: tuple[str, str],
    vat_number: str | None,
) -> Write:
    """``addresses`` write (all of it: a create, or a PUT/PATCH replacing the address)."""
    first = address.first_name or names[0]
    last = address.last_name or names[1]
    fields: dict[str, Value] = {
        "id_customer": customer_id,
        "id_country": country_id,
        "alias": alias[:32],
        "company": address.company[:255],
        "lastname": person_name(last),
        "firstname": person_name(first),
        "address1": address.line1[:128],
        "address2": address.line2[:128],
        "postcode": _NOT_IN_POSTCODE.sub("", address.postcode)[:12],
        "city": address.city[:64],
        "phone": _NOT_IN_PHONE.sub("", address.phone)[:32],
    }
    if vat_number is not None:
        fields["vat_number"] = vat_number[:32]
    return Write("addresses", "address", fields)
