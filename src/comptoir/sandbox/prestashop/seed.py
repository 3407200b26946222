"""A fresh sandbox shop: what a French PrestaShop holds after installation.

From the installer's data (PrestaShop 1.7.6.2 install-dev/data/xml/*.xml and langs/en/data/*.xml;
ids are the installer's): languages 1 French (default) and 2 English; categories 1 Root and
2 Home; groups 1 Visitor, 2 Guest, 3 Customer; order states 1–13 with their flags; countries
with their installer ids (France is 8, ``PS_COUNTRY_DEFAULT``) and zones; the euro; the French
localization pack's VAT rates (20, 10, 5.5, 2.1 %) as taxes 1–4 and tax rule groups 1–4 with a
rule for France; configuration (``PS_ROUND_TYPE`` 2 line, ``PS_PRICE_ROUND_MODE`` 2 half up,
``PS_TAX`` 1, ``PS_OS_*``). Two carriers: 1 pick-up in store (free), 2 a carrier at 7.00
excl. tax (20 % VAT). The sandbox's own choice: no handling charge (``PS_SHIPPING_HANDLING`` 0).
"""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.core.store import Record
from comptoir.sandbox.prestashop.entities import Shop
from comptoir.sandbox.prestashop.hooks_catalog import regenerate_tree

CONFIG: dict[str, Any] = {
    "PS_WEBSERVICE": "1",
    "PS_SHOP_NAME": "comptoir sandbox",
    "PS_LANG_DEFAULT": "1",
    "PS_CURRENCY_DEFAULT": "1",
    "PS_COUNTRY_DEFAULT": "8",
    "PS_ROUND_TYPE": "2",
    "PS_PRICE_ROUND_MODE": "2",
    "PS_PRICE_DISPLAY_PRECISION": "2",
    "PS_TAX": "1",
    "PS_TAX_ADDRESS_TYPE": "id_address_delivery",
    "PS_SHIPPING_HANDLING": "0",
    "PS_SHIPPING_FREE_PRICE": "0",
    "PS_CARRIER_DEFAULT": "1",
    "PS_UNIDENTIFIED_GROUP": "1",
    "PS_GUEST_GROUP": "2",
    "PS_CUSTOMER_GROUP": "3",
    "PS_ROOT_CATEGORY": "1",
    "PS_HOME_CATEGORY": "2",
    "PS_NB_DAYS_NEW_PRODUCT": "20",
    "PS_OS_CHEQUE": "1",
    "PS_OS_PAYMENT": "2",
    "PS_OS_PREPARATION": "3",
    "PS_OS_SHIPPING": "4",
    "PS_OS_DELIVERED": "5",
    "PS_OS_CANCELED": "6",
    "PS_OS_REFUND": "7",
    "PS_OS_ERROR": "8",
    "PS_OS_OUTOFSTOCK": "9",
    "PS_OS_BANKWIRE": "10",
    "PS_OS_WS_PAYMENT": "11",
    "PS_OS_OUTOFSTOCK_UNPAID": "12",
    "PS_OS_COD_VALIDATION": "13",
}

ORDER_STATES = [
    # fr, en, (invoice, send_email, unremovable, logable, color), (-, delivery, shipped, paid), module
    ("En attente du paiement par chèque", "Awaiting check payment", "0110#4169E1", "0000", "ps_checkpayment"),
    ("Paiement accepté", "Payment accepted", "1111#32CD32", "1001", ""),
    ("En cours de préparation", "Processing in progress", "1111#FF8C00", "1101", ""),
    ("Expédié", "Shipped", "1111#8A2BE2", "1111", ""),
    ("Livré", "Delivered", "1011#108510", "1111", ""),
    ("Annulé", "Canceled", "0110#DC143C", "0000", ""),
    ("Remboursé", "Refunded", "1110#ec2e15", "0000", ""),
    ("Erreur de paiement", "Payment error", "0110#8f0621", "0000", ""),
    ("En attente de réapprovisionnement (payé)", "On backorder (paid)", "1110#FF69B4", "0001", ""),
    (
        "En attente de virement bancaire",
        "Awaiting bank wire payment",
        "0110#4169E1",
        "0000",
        "ps_wirepayment",
    ),
    ("Paiement à distance accepté", "Remote payment accepted", "1111#32CD32", "1001", ""),
    ("En attente de réapprovisionnement (non payé)", "On backorder (not paid)", "0110#FF69B4", "0000", ""),
    (
        "En attente de validation (paiement à la livraison)",
        "Awaiting Cash On Delivery validation",
        "0010#4169E1",
        "0000",
        "ps_cashondelivery",
    ),
]
"""Installer order (ids 1–13). Flags: invoice, send_email, unremovable(1), logable; then
delivery, shipped, paid (and hidden 0)."""

ZONES = [
    "Europe",
    "North America",
    "Asia",
    "Africa",
    "Oceania",
    "South America",
    "Europe (non-EU)",
    "Central America/Antilla",
]

COUNTRIES = [
    ("DE", 1, 49, "NNNNN", "Allemagne", "Germany"),
    ("AT", 1, 43, "NNNN", "Autriche", "Austria"),
    ("BE", 1, 32, "NNNN", "Belgique", "Belgium"),
    ("CA", 2, 1, "LNL NLN", "Canada", "Canada"),
    ("CN", 3, 86, "NNNNNN", "Chine", "China"),
    ("ES", 1, 34, "NNNNN", "Espagne", "Spain"),
    ("FI", 1, 358, "NNNNN", "Finlande", "Finland"),
    ("FR", 1, 33, "NNNNN", "France", "France"),
    ("GR", 1, 30, "NNNNN", "Grèce", "Greece"),
    ("IT", 1, 39, "NNNNN", "Italie", "Italy"),
    ("JP", 3, 81, "NNN-NNNN", "Japon", "Japan"),
    ("LU", 1, 352, "NNNN", "Luxembourg", "Luxemburg"),
    ("NL", 1, 31, "NNNN LL", "Pays-Bas", "Netherlands"),
    ("PL", 1, 48, "NN-NNN", "Pologne", "Poland"),
    ("PT", 1, 351, "NNNN-NNN", "Portugal", "Portugal"),
    ("CZ", 1, 420, "NNN NN", "République tchèque", "Czech Republic"),
    ("GB", 1, 44, "", "Royaume-Uni", "United Kingdom"),
    ("SE", 1, 46, "NNN NN", "Suède", "Sweden"),
    ("CH", 7, 41, "NNNN", "Suisse", "Switzerland"),
    ("DK", 1, 45, "NNNN", "Danemark", "Denmark"),
    ("US", 2, 1, "NNNNN", "États-Unis", "United States"),
]

TAXES = [
    ("20.000", "TVA FR 20%", "FR Taux standard (20%)"),
    ("10.000", "TVA FR 10%", "FR Taux réduit (10%)"),
    ("5.500", "TVA FR 5.5%", "FR Taux réduit (5.5%)"),
    ("2.100", "TVA FR 2.1%", "FR Taux super réduit (2.1%)"),
]


def _both(fr: str, en: str) -> dict[str, str]:
    return {"1": fr, "2": en}


def _put(shop: Shop, resource: str, record: Record) -> None:
    record.setdefault("_assoc", {})
    shop.put(resource, record)


def seed(shop: Shop) -> None:
    """Fill an empty store once (kept when the store is reopened)."""
    if shop.store.setting("seeded"):
        return
    now = shop.now()
    for name, value in CONFIG.items():
        shop.store.set_setting(f"config:{name}", value)
    _put(shop, "languages", _language(1, "Français (French)", "fr", "fr-FR", "d/m/Y", "d/m/Y H:i:s"))
    _put(shop, "languages", _language(2, "English (English)", "en", "en-US", "m/d/Y", "m/d/Y H:i:s"))
    for ident, name in enumerate(ZONES, 1):
        _put(shop, "zones", {"id": ident, "name": name, "active": "1"})
    _put(
        shop,
        "currencies",
        {
            "id": 1,
            "names": None,
            "name": _both("Euro", "Euro"),
            "symbol": _both("€", "€"),
            "iso_code": "EUR",
            "numeric_iso_code": "978",
            "precision": "2",
            "conversion_rate": "1.000000",
            "deleted": "0",
            "active": "1",
            "unofficial": "0",
            "modified": "0",
            "pattern": _both("", ""),
        },
    )
    for ident, (iso, zone, prefix, zip_format, fr, en) in enumerate(COUNTRIES, 1):
        _put(
            shop,
            "countries",
            {
                "id": ident,
                "id_zone": str(zone),
                "id_currency": "0",
                "call_prefix": str(prefix),
                "iso_code": iso,
                "active": "1" if iso in ("FR", "BE", "LU", "CH", "DE") else "0",
                "contains_states": "0",
                "need_identification_number": "0",
                "need_zip_code": "1",
                "zip_code_format": zip_format,
                "display_tax_label": "1",
                "name": _both(fr, en),
            },
        )
    for ident, (fr, en) in enumerate(
        [("Visiteur", "Visitor"), ("Invité", "Guest"), ("Client", "Customer")], 1
    ):
        _put(
            shop,
            "groups",
            {
                "id": ident,
                "reduction": "0.00",
                "price_display_method": "0",
                "show_prices": "1",
                "date_add": now,
                "date_upd": now,
                "name": _both(fr, en),
            },
        )
    _category(shop, 1, 0, "0", "Racine", "Root", "racine", "root", root=False, now=now)
    _category(shop, 2, 1, "1", "Accueil", "Home", "accueil", "home", root=True, now=now)
    for ident, (fr, en, flags, more, module) in enumerate(ORDER_STATES, 1):
        _put(
            shop,
            "order_states",
            {
                "id": ident,
                "unremovable": flags[2],
                "delivery": more[1],
                "hidden": "0",
                "send_email": flags[1],
                "module_name": module,
                "invoice": flags[0],
                "color": flags[4:],
                "logable": flags[3],
                "shipped": more[2],
                "paid": more[3],
                "pdf_delivery": "0",
                "pdf_invoice": "1" if ident == 2 else "0",
                "deleted": "0",
                "name": _both(fr, en),
                "template": _both("", ""),
            },
        )
    for ident, (rate, name, group) in enumerate(TAXES, 1):
        _put(
            shop,
            "taxes",
            {"id": ident, "rate": rate, "active": "1", "deleted": "0", "name": _both(name, name)},
        )
        _put(
            shop,
            "tax_rule_groups",
            {
                "id": ident,
                "name": group,
                "active": "1",
                "deleted": "0",
                "date_add": now,
                "date_upd": now,
            },
        )
        _put(
            shop,
            "tax_rules",
            {
                "id": ident,
                "id_tax_rules_group": str(ident),
                "id_state": "0",
                "id_country": "8",
                "zipcode_from": "0",
                "zipcode_to": "0",
                "id_tax": str(ident),
                "behavior": "0",
                "description": "",
            },
        )
    _carrier(shop, 1, "comptoir sandbox", "Retrait en magasin", "Pick up in-store", free=True, tax_group="0")
    _carrier(
        shop, 2, "Transporteur", "Livraison en 2 à 3 jours", "Delivery in 2-3 days", free=False, tax_group="1"
    )
    shop.store.set_setting("config:SANDBOX_SHIPPING_2", "7.00")
    for name in (
        "products",
        "combinations",
        "stock_availables",
        "categories",
        "customers",
        "addresses",
        "orders",
    ):
        shop.store.ensure_sequence(name, 0)
    shop.store.ensure_sequence("categories", 2)
    shop.store.ensure_sequence("order_states", len(ORDER_STATES))
    shop.store.ensure_sequence("taxes", len(TAXES))
    shop.store.ensure_sequence("tax_rule_groups", len(TAXES))
    shop.store.ensure_sequence("tax_rules", len(TAXES))
    shop.store.ensure_sequence("countries", len(COUNTRIES))
    shop.store.ensure_sequence("zones", len(ZONES))
    shop.store.ensure_sequence("groups", 3)
    shop.store.ensure_sequence("carriers", 2)
    shop.store.ensure_sequence("currencies", 1)
    shop.store.ensure_sequence("languages", 2)
    regenerate_tree(shop)
    shop.store.set_setting("seeded", True)


def _language(ident: int, name: str, iso: str, locale: str, lite: str, full: str) -> Record:
    return {
        "id": ident,
        "name": name,
        "iso_code": iso,
        "locale": locale,
        "language_code": locale.lower(),
        "active": "1",
        "is_rtl": "0",
        "date_format_lite": lite,
        "date_format_full": full,
    }


def _category(
    shop: Shop,
    ident: int,
    parent: int,
    depth: str,
    fr: str,
    en: str,
    link_fr: str,
    link_en: str,
    *,
    root: bool,
    now: str,
) -> None:
    _put(
        shop,
        "categories",
        {
            "id": ident,
            "id_parent": str(parent),
            "level_depth": depth,
            "nleft": "0",
            "nright": "0",
            "active": "1",
            "id_shop_default": "1",
            "is_root_category": "1" if root else "0",
            "position": "0",
            "redirect_type": "",
            "id_type_redirected": "0",
            "date_add": now,
            "date_upd": now,
            "name": _both(fr, en),
            "link_rewrite": _both(link_fr, link_en),
            "description": _both("", ""),
            "additional_description": _both("", ""),
            "meta_title": _both("", ""),
            "meta_description": _both("", ""),
        },
    )


def _carrier(shop: Shop, ident: int, name: str, fr: str, en: str, *, free: bool, tax_group: str) -> None:
    _put(
        shop,
        "carriers",
        {
            "id": ident,
            "deleted": "0",
            "is_module": "0",
            "_tax_rules_group": tax_group,
            "id_reference": str(ident),
            "name": name,
            "active": "1",
            "is_free": "1" if free else "0",
            "url": "",
            "shipping_handling": "0",
            "shipping_external": "0",
            "range_behavior": "0",
            "shipping_method": "2",
            "max_width": "0",
            "max_height": "0",
            "max_depth": "0",
            "max_weight": "0.000000",
            "grade": "0",
            "external_module_name": "",
            "need_range": "0",
            "position": str(ident - 1),
            "delay": _both(fr, en),
        },
    )
