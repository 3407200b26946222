"""Customers, addresses and customer groups.

Sources (PrestaShop 9.0.0): classes/Customer.php, Address.php, Group.php (``$definition`` and
``$webserviceParameters``); decimals from install-dev/data/db_structure.sql.
"""

from __future__ import annotations

from comptoir.sandbox.prestashop.schema.base import Resource, a, assoc, f

CUSTOMERS = Resource(
    "customers",
    "customer",
    "Customer",
    fields=(
        f("id_default_group", "int", xlink="groups"),
        f("id_lang", "int", "isUnsignedId", xlink="languages"),
        f("newsletter_date_add", "date"),
        f("ip_registration_newsletter", "string", size=15),
        f("last_passwd_gen", "string", setter=False),
        f("secure_key", "string", "isMd5", size=32, setter=False),
        f("deleted", "bool", "isBool"),
        f("passwd", "string", "isHashedPassword", size=255, required=True, setter="setWsPasswd"),
        f("lastname", "string", "isCustomerName", size=255, required=True),
        f("firstname", "string", "isCustomerName", size=255, required=True),
        f("email", "string", "isEmail", size=255, required=True),
        f("id_gender", "int", "isUnsignedId"),
        f("birthday", "date", "isBirthDate", day=True),
        f("newsletter", "bool", "isBool"),
        f("optin", "bool", "isBool"),
        f("website", "string", "isUrl", size=128),
        f("company", "string", "isGenericName", size=255),
        f("siret", "string", "isGenericName", size=14),
        f("ape", "string", "isApe", size=6),
        f("outstanding_allow_amount", "float", "isFloat", decimals=6),
        f("show_public_prices", "bool", "isBool"),
        f("id_risk", "int", "isUnsignedInt"),
        f("max_payment_days", "int", "isUnsignedInt"),
        f("active", "bool", "isBool"),
        f("note", "html", size=4194303),
        f("is_guest", "bool", "isBool"),
        f("id_shop", "int", "isUnsignedId"),
        f("id_shop_group", "int", "isUnsignedId"),
        f("date_add", "date", "isDate"),
        f("date_upd", "date", "isDate"),
        f("reset_password_token", "string", "isSha1", size=40),
        f("reset_password_validity", "date", "isDateOrNull"),
    ),
    associations=(assoc("groups", "group", (a("id"),)),),
)

ADDRESSES = Resource(
    "addresses",
    "address",
    "Address",
    fields=(
        f("id_customer", "int", "isNullOrUnsignedId", xlink="customers"),
        f("id_manufacturer", "int", "isNullOrUnsignedId", xlink="manufacturers"),
        f("id_supplier", "int", "isNullOrUnsignedId", xlink="suppliers"),
        f("id_country", "int", "isUnsignedId", required=True, xlink="countries"),
        f("id_state", "int", "isNullOrUnsignedId", xlink="states"),
        f("id_warehouse", "int", "isNullOrUnsignedId"),
        f("alias", "string", "isGenericName", size=32, required=True),
        f("company", "string", "isGenericName", size=255),
        f("lastname", "string", "isName", size=255, required=True),
        f("firstname", "string", "isName", size=255, required=True),
        f("vat_number", "string", "isGenericName", size=32),
        f("address1", "string", "isAddress", size=128, required=True),
        f("address2", "string", "isAddress", size=128),
        f("postcode", "string", "isPostCode", size=12),
        f("city", "string", "isCityName", size=64, required=True),
        f("other", "string", "isMessage", size=4194303),
        f("phone", "string", "isPhoneNumber", size=32),
        f("phone_mobile", "string", "isPhoneNumber", size=32),
        f("dni", "string", "isDniLite", size=16),
        f("deleted", "bool", "isBool"),
        f("date_add", "date", "isDate"),
        f("date_upd", "date", "isDate"),
    ),
)

GROUPS = Resource(
    "groups",
    "group",
    "Group",
    fields=(
        f("reduction", "float", "isFloat", decimals=2),
        f("price_display_method", "int", "isPriceDisplayMethod", required=True),
        f("show_prices", "bool", "isBool"),
        f("date_add", "date", "isDate"),
        f("date_upd", "date", "isDate"),
        f("name", "string", "isGenericName", size=32, required=True, lang=True),
    ),
)
