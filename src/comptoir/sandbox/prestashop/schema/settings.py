"""Taxes, tax rules and their groups, currencies, countries, zones and languages.

Sources (PrestaShop 9.0.0): classes/tax/Tax.php, tax/TaxRule.php, tax/TaxRulesGroup.php,
Currency.php, Country.php, Zone.php, Language.php (``$definition`` and
``$webserviceParameters``); decimals from install-dev/data/db_structure.sql.
"""

from __future__ import annotations

from comptoir.sandbox.prestashop.schema.base import Resource, f

TAXES = Resource(
    "taxes",
    "tax",
    "Tax",
    fields=(
        f("rate", "float", "isFloat", required=True, decimals=3),
        f("active", "bool"),
        f("deleted", "bool"),
        f("name", "string", "isGenericName", size=32, required=True, lang=True),
    ),
)

TAX_RULES = Resource(
    "tax_rules",
    "tax_rule",
    "TaxRule",
    fields=(
        f("id_tax_rules_group", "int", "isUnsignedId", required=True, xlink="tax_rule_groups"),
        f("id_state", "int", "isUnsignedId", xlink="states"),
        f("id_country", "int", "isUnsignedId", required=True, xlink="countries"),
        f("zipcode_from", "string", "isPostCode", size=12),
        f("zipcode_to", "string", "isPostCode", size=12),
        f("id_tax", "int", "isUnsignedId", required=True),
        f("behavior", "int", "isUnsignedInt"),
        f("description", "string", "isString", size=100),
    ),
)

TAX_RULE_GROUPS = Resource(
    "tax_rule_groups",
    "tax_rule_group",
    "TaxRulesGroup",
    fields=(
        f("name", "string", "isGenericName", size=64, required=True),
        f("active", "bool", "isBool"),
        f("deleted", "bool", "isBool"),
        f("date_add", "date", "isDate"),
        f("date_upd", "date", "isDate"),
    ),
)

CURRENCIES = Resource(
    "currencies",
    "currency",
    "Currency",
    fields=(
        f("names", "virtual", getter="getLocalizedNames"),
        f(
            "name",
            "string",
            "isGenericName",
            size=255,
            lang=True,
            getter="getName",
            modifier="setNameForWebservice",
        ),
        f("symbol", "string", size=255, lang=True, getter="getLocalizedSymbols"),
        f(
            "iso_code",
            "string",
            "isLanguageIsoCode",
            size=3,
            required=True,
            modifier="setIsoCodeForWebService",
        ),
        f("numeric_iso_code", "string", "isNumericIsoCode", size=3, nullable=True),
        f("precision", "int", "isInt"),
        f("conversion_rate", "float", "isUnsignedFloat", required=True, decimals=6),
        f("deleted", "bool", "isBool"),
        f("active", "bool", "isBool"),
        f("unofficial", "bool", "isBool"),
        f("modified", "bool", "isBool"),
        f("pattern", "string", size=255, lang=True),
    ),
)

COUNTRIES = Resource(
    "countries",
    "country",
    "Country",
    fields=(
        f("id_zone", "int", "isUnsignedId", required=True, xlink="zones"),
        f("id_currency", "int", "isUnsignedId", xlink="currencies"),
        f("call_prefix", "int", "isInt"),
        f("iso_code", "string", "isLanguageIsoCode", size=3, required=True),
        f("active", "bool", "isBool"),
        f("contains_states", "bool", "isBool", required=True),
        f("need_identification_number", "bool", "isBool", required=True),
        f("need_zip_code", "bool", "isBool"),
        f("zip_code_format", "string", "isZipCodeFormat", size=12),
        f("display_tax_label", "bool", "isBool", required=True),
        f("name", "string", "isGenericName", size=64, required=True, lang=True),
    ),
)

ZONES = Resource(
    "zones",
    "zone",
    "Zone",
    fields=(
        f("name", "string", "isGenericName", size=64, required=True),
        f("active", "bool", "isBool"),
    ),
)

LANGUAGES = Resource(
    "languages",
    "language",
    "Language",
    fields=(
        f("name", "string", "isGenericName", size=32, required=True),
        f("iso_code", "string", "isLanguageIsoCode", size=2, required=True),
        f("locale", "string", "isLocale", size=5),
        f("language_code", "string", "isLanguageCode", size=5),
        f("active", "bool", "isBool"),
        f("is_rtl", "bool", "isBool"),
        f("date_format_lite", "string", "isPhpDateFormat", size=32, required=True),
        f("date_format_full", "string", "isPhpDateFormat", size=32, required=True),
    ),
)
