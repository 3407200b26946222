"""PrestaShop's field validation: the ``Validate::is…`` checks the simulated resources use, and
``ObjectModel::validateField`` with its (non-human) messages.

Sources (PrestaShop 9.0.0): classes/Validate.php; classes/ObjectModel.php (``validateField``,
``validateFields``, ``validateFieldsLang``); src/Core/ConstraintValidator/CustomerNameValidator.php;
src/Core/Domain/Currency/ValueObject/NumericIsoCode.php; Customer/ValueObject/ApeCode.php.
A validator missing here accepts every value (named in docs/shops/prestashop.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from comptoir.sandbox.prestashop.schema.base import Field
from comptoir.sandbox.prestashop.values import SHOP_TZ, is_numeric, php_empty

MYSQL_UNSIGNED_INT_MAX = 4294967295


def _match(pattern: str, flags: int = 0) -> Callable[[str], bool]:
    compiled = re.compile(pattern, flags)
    return lambda value: compiled.search(value) is not None


def is_unsigned_int(value: str) -> bool:
    """``(string) (int) $value === (string) $value`` and within MySQL's unsigned INT."""
    return re.fullmatch(r"0|[1-9][0-9]*", value) is not None and int(value) <= MYSQL_UNSIGNED_INT_MAX


def is_int(value: str) -> bool:
    return re.fullmatch(r"0|-?[1-9][0-9]*", value) is not None


def is_float(value: str) -> bool:
    """``(string) ((float) $value) == (string) $value``: true for PHP's numeric strings only."""
    return is_numeric(value)


def is_unsigned_float(value: str) -> bool:
    return is_float(value) and float(value) >= 0


def is_date(value: str) -> bool:
    day = r"((?:0?[0-9])|(?:[1-2][0-9])|(?:3[01]))"
    found = re.match(
        rf"^([0-9]{{4}})-((?:0?[0-9])|(?:1[0-2]))-{day}( [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}})?$", value
    )
    if not found:
        return False
    try:
        date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return False
    return True


def is_birth_date(value: str) -> bool:
    if not value or value == "0000-00-00":
        return True
    try:
        born = date.fromisoformat(value)
    except ValueError:
        return False
    today = datetime.now(SHOP_TZ).date()
    return today.replace(year=today.year - 200) <= born <= today


def is_customer_name(value: str) -> bool:
    name = r"^(?!\s*$)(?:[^0-9!<>,;?=+()/\\@#\"°*`{}_^$%:¤\[\]|.。]|[。.](?:\s|$))*$"
    if not re.search(name, value):
        return False
    if "." not in value and "。" not in value:
        return True
    return re.search(r"[.。](\s{1}[^ ]|$)", value) is not None


def is_email(value: str) -> bool:
    """Symfony's ``Email`` constraint in ``loose`` mode: ``/^.+\\@\\S+\\.\\S+$/``."""
    return bool(value) and re.search(r"^.+@\S+\.\S+$", value) is not None


def is_clean_html(value: str) -> bool:
    if re.search(r"<\s*\w+[^>]*\s(on\w+)=[\"'][^\"']*[\"']", value, re.I | re.M | re.S):
        return False
    if re.search(r"(<\s*script)|(javascript:)|(<\s*object)|(<\s*embed)", value, re.I):
        return False
    return re.search(r"<\s*(i?frame|form|input)", value, re.I) is None


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "isUnsignedId": is_unsigned_int,
    "isUnsignedInt": is_unsigned_int,
    "isNullOrUnsignedId": is_unsigned_int,
    "isPositiveInt": lambda v: is_unsigned_int(v) and int(v) > 0,
    "isInt": is_int,
    "isBool": _match(r"^(0|1)$"),
    "isPrice": _match(r"^[0-9]{1,10}(\.[0-9]{1,9})?$"),
    "isNegativePrice": _match(r"^[-]?[0-9]{1,10}(\.[0-9]{1,9})?$"),
    "isFloat": is_float,
    "isUnsignedFloat": is_unsigned_float,
    "isOptFloat": lambda v: not v or is_float(v),
    "isPercentage": lambda v: is_float(v) and 0 <= float(v) <= 100,
    "isGenericName": lambda v: not v or re.search(r"^[^<>={}]*$", v) is not None,
    "isCatalogName": _match(r"^[^<>;=#{}]*$"),
    "isCarrierName": lambda v: not v or re.search(r"^[^<>;=#{}]*$", v) is not None,
    "isReference": _match(r"^[^<>;={}]*$"),
    "isName": _match(r"^[^0-9!<>,;?=+()@#\"°{}_$%:¤|]*$"),
    "isCustomerName": is_customer_name,
    "isAddress": lambda v: not v or re.search(r"^[^!<>?=+@{}_$%]*$", v) is not None,
    "isCityName": _match(r"^[^!<>;?=+@#\"°{}_$%]*$"),
    "isPostCode": lambda v: not v or re.search(r"^[a-zA-Z 0-9-]+$", v) is not None,
    "isZipCodeFormat": lambda v: not v or re.search(r"^[NLCnlc 0-9-]+$", v) is not None,
    "isPhoneNumber": _match(r"^[+0-9. ()/-]*$"),
    "isDniLite": lambda v: not v or re.search(r"^[0-9A-Za-z-.]{1,16}$", v) is not None,
    "isMessage": lambda v: re.search(r"[<>{}]", v) is None,
    "isEmail": is_email,
    "isDate": is_date,
    "isDateFormat": _match(
        r"^([0-9]{4})-((0?[0-9])|(1[0-2]))-((0?[0-9])|([1-2][0-9])|(3[01]))( [0-9]{2}:[0-9]{2}:[0-9]{2})?$"
    ),
    "isDateOrNull": lambda v: v in ("0000-00-00 00:00:00", "0000-00-00") or is_date(v),
    "isBirthDate": is_birth_date,
    "isLinkRewrite": _match(r"^[_a-zA-Z0-9\-]+$"),
    "isLanguageIsoCode": _match(r"^[a-zA-Z]{2,3}$"),
    "isNumericIsoCode": _match(r"^[0-9]{3}$"),
    "isColor": _match(r"^(#[0-9a-fA-F]{6}|[a-zA-Z0-9-]*)$"),
    "isModuleName": _match(r"^[a-zA-Z0-9_-]+$"),
    "isTplName": _match(r"^[a-zA-Z0-9_-]+$"),
    "isUrl": _match(r"^[~:#,$%&_=().? +\-@/a-zA-Z0-9\w-]+$"),
    "isAbsoluteUrl": lambda v: (
        not v or re.search(r"^(https?:)?//[$~:;#,%&_=()\[\].? +\-@/a-zA-Z0-9]+$", v) is not None
    ),
    "isCleanHtml": is_clean_html,
    "isString": lambda v: True,
    "isGtin": lambda v: not v or re.search(r"^[0-9]{0,14}$", v) is not None,
    "isEan13": lambda v: not v or re.search(r"^[0-9]{0,13}$", v) is not None,
    "isUpc": lambda v: not v or re.search(r"^[0-9]{0,12}$", v) is not None,
    "isMpn": lambda v: len(v) <= 40,
    "isIsbn": lambda v: not v or re.search(r"^[0-9-]{0,32}$", v) is not None,
    "isApe": _match(r"^[0-9]{1,2}?\.?[0-9]{1,2}[a-zA-Z]{1}$"),
    "isHashedPassword": lambda v: len(v) in (32, 60),
    "isReductionType": lambda v: v in ("amount", "percentage"),
    "isProductVisibility": _match(r"^both|catalog|search|none$", re.I),
    "isPriceDisplayMethod": lambda v: v in ("0", "1"),
}


def validate_field(cls: str, spec: Field, value: str | None, *, default_language: bool = True) -> str | None:
    """``ObjectModel::validateField`` (``$human_errors`` false): the first problem, or None.

    ``value`` is what the object holds: a string, or None for a field left out of a write."""
    if default_language and spec.required and php_empty(value):
        return f"Property {cls}->{spec.name} is empty."
    text = value or ""
    if not text and spec.default:
        text = spec.default
    if spec.values and text not in spec.values:
        allowed = ", ".join(spec.values)
        return f"Property {cls}->{spec.name} has a bad value (allowed values are: {allowed})."
    if spec.size is not None and len(text) > spec.size:
        return (
            f"The length of property {cls}->{spec.name} is currently {len(text)} chars. "
            f"It must be between 0 and {spec.size} chars."
        )
    if spec.validate and text and text != "0":
        check = VALIDATORS.get(spec.validate) or VALIDATORS.get(spec.validate[0].lower() + spec.validate[1:])
        if check is not None and not check(text):
            return f"Property {cls}->{spec.name} is not valid"
    return None
