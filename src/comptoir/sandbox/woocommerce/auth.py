"""WooCommerce REST authentication, as ``WC_REST_Authentication`` does it.

Over HTTPS: ``consumer_key``/``consumer_secret`` in the query string (checked first), else HTTP
Basic. Over plain HTTP: OAuth 1.0a one-legged signatures (HMAC-SHA1/SHA256, WooCommerce's own
base string: keys and values encoded once, ``=`` and ``&`` as ``%3D``/``%26``). An unknown key
is no error (the request runs as a guest and the routes' permission checks refuse it); a wrong
secret or signature is a 401. Key permissions are checked per HTTP method.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from comptoir.sandbox.woocommerce.calls import Principal
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.store import Store

AUTH_ERROR = "woocommerce_rest_authentication_error"
BASIC_REALM = (
    'Basic realm="WooCommerce API - Use a consumer key in the username field and a consumer secret '
    'in the password field."'
)
_OAUTH_PARAMS = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
NONCE_WINDOW = 15 * 60


def api_hash(consumer_key: str) -> str:
    """``wc_api_hash``: what the keys table stores instead of the consumer key."""
    return hmac.new(b"wc-api", consumer_key.encode(), hashlib.sha256).hexdigest()


def create_key(store: Store, permissions: str, description: str = "", user_id: int = 1) -> tuple[str, str]:
    """A new key pair (``ck_…``, ``cs_…``), stored the way WooCommerce stores it."""
    if permissions not in ("read", "write", "read_write"):
        raise ValueError(f"permissions must be read, write or read_write, not {permissions!r}")
    consumer_key = "ck_" + secrets.token_hex(20)
    consumer_secret = "cs_" + secrets.token_hex(20)
    key_id = store.next_id("api_key")
    store.put(
        "api_key",
        key_id,
        {
            "key_id": key_id,
            "user_id": user_id,
            "description": description,
            "permissions": permissions,
            "consumer_key": api_hash(consumer_key),
            "consumer_secret": consumer_secret,
            "truncated_key": consumer_key[-7:],
        },
    )
    return consumer_key, consumer_secret


def create_app_password(store: Store, user_id: int = 1, name: str = "comptoir") -> str:
    """A new application password (``WP_Application_Passwords::create_new_application_password``):
    24 letters and digits, shown in groups of four."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    plain = "".join(secrets.choice(alphabet) for _ in range(24))
    ident = store.next_id("app_password")
    store.put(
        "app_password",
        ident,
        {
            "id": ident,
            "uuid": secrets.token_hex(16),
            "user_id": user_id,
            "name": name,
            "password": hashlib.sha256(plain.encode()).hexdigest(),
        },
    )
    return " ".join(plain[i : i + 4] for i in range(0, 24, 4))


@dataclass
class RequestAuth:
    """What authentication looks at in a request."""

    method: str
    https: bool
    url_without_query: str
    query: Sequence[tuple[str, str]]
    form: Sequence[tuple[str, str]]
    authorization: str | None
    wc_route: bool = True
    """The request goes to a WooCommerce namespace (``wc/…``), where API keys are valid."""


class Authenticator:
    """Finds the principal of a request or raises the 401 WooCommerce answers."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._nonces: dict[int, dict[str, float]] = {}

    def _key_by_consumer_key(self, consumer_key: str) -> dict[str, Any] | None:
        wanted = api_hash(consumer_key)
        for record in self._store.records("api_key"):
            if record["consumer_key"] == wanted:
                return record
        return None

    def authenticate(self, req: RequestAuth) -> Principal:
        key = self._https_key(req) if req.https else self._oauth_key(req)
        if key is None:
            return self._application_password(req)
        if not req.wc_route:
            # WooCommerce 11.1+: a key authenticates WooCommerce's namespaces only.
            raise WooError(AUTH_ERROR, "The provided API key cannot be used to access this endpoint.", 401)
        permissions = key["permissions"]
        if req.method in ("GET", "HEAD") and permissions not in ("read", "read_write"):
            raise WooError(AUTH_ERROR, "The API key provided does not have read permissions.", 401)
        if req.method in ("POST", "PUT", "PATCH", "DELETE") and permissions not in ("write", "read_write"):
            raise WooError(AUTH_ERROR, "The API key provided does not have write permissions.", 401)
        return Principal(user_id=int(key["user_id"]), permissions=permissions)

    # --- WordPress application passwords -----------------------------------------------
    def _application_password(self, req: RequestAuth) -> Principal:
        """``wp_authenticate_application_password``: HTTP Basic with a user's login (or e-mail)
        and one of its application passwords, over HTTPS, once the site has any."""
        passwords = list(self._store.records("app_password"))
        if not req.https or not passwords:
            return Principal()
        username, password = _basic_credentials(req.authorization)
        if username is None or password is None:
            return Principal()
        users = list(self._store.records("user"))
        user = next((u for u in users if u["username"] == username), None)
        if user is None and "@" in username:
            user = next((u for u in users if str(u["email"]).lower() == username.lower()), None)
            if user is None:
                raise WooError(
                    "invalid_email",
                    "<strong>Error</strong>: Unknown email address. Check again or try your username.",
                    401,
                )
        if user is None:
            raise WooError(
                "invalid_username",
                "<strong>Error</strong>: Unknown username. Check again or try your email address.",
                401,
            )
        plain = "".join(c for c in password if c.isascii() and c.isalnum())
        digest = hashlib.sha256(plain.encode()).hexdigest()
        for record in passwords:
            if record["user_id"] == user["id"] and hmac.compare_digest(record["password"], digest):
                return Principal(user_id=int(user["id"]), permissions="read_write")
        raise WooError("incorrect_password", "The provided password is an invalid application password.", 401)

    # --- HTTPS: query string or Basic ----------------------------------------------------
    def _https_key(self, req: RequestAuth) -> dict[str, Any] | None:
        query = dict(req.query)
        consumer_key = query.get("consumer_key")
        consumer_secret = query.get("consumer_secret")
        if not consumer_key or not consumer_secret:
            consumer_key, consumer_secret = _basic_credentials(req.authorization)
        if not consumer_key or not consumer_secret:
            return None
        key = self._key_by_consumer_key(consumer_key)
        if key is None:
            return None
        if not hmac.compare_digest(key["consumer_secret"], consumer_secret):
            raise WooError(AUTH_ERROR, "Consumer secret is invalid.", 401)
        return key

    # --- HTTP: OAuth 1.0a ----------------------------------------------------------------
    def _oauth_key(self, req: RequestAuth) -> dict[str, Any] | None:
        params = _oauth_params(req)
        present = [p for p in _OAUTH_PARAMS if params.get(p)]
        if not present:
            return None
        missing = [p for p in _OAUTH_PARAMS if not params.get(p)]
        if missing:
            raise WooError(
                "woocommerce_rest_authentication_missing_parameter",
                "Missing OAuth parameter " + ", ".join(missing),
                401,
            )
        key = self._key_by_consumer_key(str(params["oauth_consumer_key"]))
        if key is None:
            raise WooError(AUTH_ERROR, "Consumer key is invalid.", 401)
        method = str(params["oauth_signature_method"])
        if method not in ("HMAC-SHA1", "HMAC-SHA256"):
            raise WooError(AUTH_ERROR, "Invalid signature - signature method is invalid.", 401)
        given = unquote(str(params["oauth_signature"]).replace(" ", "+"))
        expected = oauth_signature(req.method, req.url_without_query, params, key["consumer_secret"], method)
        if not hmac.compare_digest(expected, given):
            raise WooError(AUTH_ERROR, "Invalid signature - provided signature does not match.", 401)
        self._check_nonce(key, str(params["oauth_timestamp"]), str(params["oauth_nonce"]))
        return key

    def _check_nonce(self, key: dict[str, Any], timestamp: str, nonce: str) -> None:
        now = time.time()
        try:
            moment = int(timestamp)
        except ValueError:
            moment = 0
        if moment < now - NONCE_WINDOW or moment > now + NONCE_WINDOW:
            raise WooError(AUTH_ERROR, "Invalid timestamp.", 401)
        used = self._nonces.setdefault(int(key["key_id"]), {})
        for old, seen in list(used.items()):
            if seen < now - NONCE_WINDOW:
                del used[old]
        if nonce in used:
            raise WooError(AUTH_ERROR, "Invalid nonce - nonce has already been used.", 401)
        used[nonce] = float(moment)


def _basic_credentials(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else (None, None)


def _oauth_params(req: RequestAuth) -> dict[str, Any]:
    """``$_GET`` + ``$_POST`` (+ the ``Authorization: OAuth`` header), PHP-style arrays kept."""
    params: dict[str, Any] = {}
    for key, value in [*req.query, *req.form]:
        if key.endswith("[]"):
            existing = params.setdefault(key[:-2], [])
            if isinstance(existing, list):
                existing.append(value)
        else:
            params[key] = value
    header = req.authorization or ""
    if header.lower().startswith("oauth "):
        for part in header[6:].split(","):
            name, sep, value = part.strip().partition("=")
            if sep and name.startswith("oauth_"):
                params[name] = unquote(value.strip().strip('"'))
    return params


def _encode(value: str) -> str:
    """``wc_rest_urlencode_rfc3986`` = PHP ``rawurlencode``."""
    return quote(value, safe="-_.~")


def oauth_signature(
    method: str, url: str, params: Mapping[str, Any], consumer_secret: str, signature_method: str
) -> str:
    """The signature WooCommerce computes (``check_oauth_signature``)."""
    pairs: list[str] = []
    for key in sorted((k for k in params if k != "oauth_signature"), key=lambda k: k.encode()):
        value = params[key]
        if isinstance(value, list):
            for index, inner in enumerate(value):
                pairs.append(f"{_encode(key)}%255B{index}%255D%3D{_encode(str(inner))}")
        else:
            pairs.append(f"{_encode(key)}%3D{_encode(str(value))}")
    base = f"{method.upper()}&{_encode(url)}&{'%26'.join(pairs)}"
    digest = hashlib.sha256 if signature_method == "HMAC-SHA256" else hashlib.sha1
    raw = hmac.new(f"{consumer_secret}&".encode(), base.encode(), digest).digest()
    return base64.b64encode(raw).decode()
