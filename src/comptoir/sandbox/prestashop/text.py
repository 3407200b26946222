"""Text helpers PrestaShop applies on its own: URL slugs, password hashes, order references.

Sources: PrestaShop 9.0.0 src/Core/Util/String/StringModifier.php (``str2url``),
classes/order/Order.php (``generateReference``), src/Core/Crypto/Hashing.php (``hash``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import unicodedata


def str2url(text: str) -> str:
    """``Tools::str2url`` with accented characters not allowed (the default): lower case,
    transliterated, other characters dropped, spaces and separators become one dash."""
    value = text.strip().lower()
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-zA-Z0-9\s':/\[\]\-]", "", value)
    value = re.sub(r"[\s':/\[\]\-]+", " ", value)
    return value.replace(" ", "-").replace("/", "-")


def password_hash(password: str) -> str:
    """Stands in for ``password_hash`` (bcrypt, 60 characters, what ``isHashedPassword`` checks);
    the sandbox never checks a password, so a salted SHA-256 in bcrypt's shape will do."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((salt + password).encode()).hexdigest()
    return ("$2y$10$" + salt + digest)[:60]


def order_reference() -> str:
    """``Order::generateReference``: 9 random upper-case letters."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(9))


def secure_key() -> str:
    """``md5(uniqid(…))``: 32 hexadecimal characters."""
    return secrets.token_hex(16)
