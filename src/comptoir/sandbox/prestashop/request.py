"""One webservice request, from the key to the answer: ``webservice/dispatcher.php`` then
``WebserviceRequest::fetch`` and ``returnOutput`` (PrestaShop 9.0.0; 1.7.6.2 and 8.2.0 alike
except where ``Version`` says).

Order of checks: no key at all → a bare ``401 Unauthorized`` page with ``WWW-Authenticate``;
webservice disabled → 503 (22); key empty (17), not 32 characters (18), unknown or inactive
(20, with 21 "No permission" as well), no permission at all (21) → 401 with ``WWW-Authenticate``;
``language`` (78–81); resource unknown → 400 (27, "Did you mean"); resource not granted to the
key → 401 (26); method not valid (23), forbidden for the resource (101), not granted to the key
for this resource (25) → 405. Headers: ``Access-Time``, ``X-Powered-By: PrestaShop Webservice``,
``Execution-Time``, ``PSWS-Version`` (authenticated requests only), ``Content-Sha1`` (with content);
an answer without content has no ``Content-Type``; ``Local-Content-Sha1`` equal to the content's
gives 304. Output format: header ``Io-Format`` or ``Output-Format``, else query ``output_format``
or ``io_format`` (``JSON``), else XML.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comptoir.sandbox.prestashop import entities, keys, query
from comptoir.sandbox.prestashop.entities import Shop
from comptoir.sandbox.prestashop.errors import AUTH_REALM, WsError, did_you_mean
from comptoir.sandbox.prestashop.formats import JsonWriter, Lang, XmlWriter
from comptoir.sandbox.prestashop.output import Builder
from comptoir.sandbox.prestashop.schema import DESCRIPTIONS, SIMULATED
from comptoir.sandbox.prestashop.schema.base import Association, Field, Resource
from comptoir.sandbox.prestashop.versions import FORBIDDEN_METHODS
from comptoir.sandbox.prestashop.xml_in import parse_entities, strip_form_prefix

Writer = XmlWriter | JsonWriter


@dataclass
class Incoming:
    method: str
    segments: list[str]
    """The path after ``/api/`` split on ``/``."""
    pairs: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    ws_url: str
    images: Callable[[WsRequest], tuple[int, str | bytes | None, str | None]] | None = None


@dataclass
class Outgoing:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def auth_key(incoming: Incoming, params: dict[str, Any]) -> str | None:
    """The key as the dispatcher reads it: the Basic user name (tags stripped), else ``ws_key``."""
    header = incoming.headers.get("authorization", "")
    found = re.match(r"Basic\s+(.*)$", header, re.I)
    if found:
        try:
            decoded = base64.b64decode(found.group(1), validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            decoded = ""
        return re.sub(r"<[^>]*>", "", decoded.split(":", 1)[0])
    value = params.get("ws_key")
    return value if isinstance(value, str) else None


class WsRequest:
    """``WebserviceRequest`` for one call."""

    def __init__(self, shop: Shop, incoming: Incoming) -> None:
        self.shop = shop
        self.incoming = incoming
        self.params = query.php_query(incoming.pairs)
        self.started = time.perf_counter()
        self.authenticated = False
        self.languages: list[Lang] = list(shop.languages)
        self.key: keys.Key | None = None
        self.method = incoming.method
        self.format = "XML"
        self.content_sha1: str | None = None

    # --- entry ------------------------------------------------------------------------------
    def run(self) -> Outgoing:
        key = auth_key(self.incoming, self.params)
        if key is None:
            return Outgoing(
                401,
                b"401 Unauthorized",
                {"WWW-Authenticate": AUTH_REALM, "Content-Type": "text/html; charset=UTF-8"},
            )
        override = self.params.get("ps_method")
        if isinstance(override, str) and override:
            self.method = override
        self.format = self._output_format()
        writer = self.writer()
        try:
            status, content, content_type = self._fetch(key.strip())
        except _Fatal:
            return Outgoing(500, b"", {"Content-Type": "text/html; charset=UTF-8"})
        except WsError as exc:
            headers = {"WWW-Authenticate": AUTH_REALM} if exc.www_authenticate else {}
            return self._answer(
                exc.status, writer.errors(exc.errors), headers, writer.content_type, errors=True
            )
        return self._answer(status, content, {}, content_type or writer.content_type)

    def _output_format(self) -> str:
        headers = self.incoming.headers
        for source in (headers.get("io-format"), headers.get("output-format")):
            if source:
                return source
        for name in ("output_format", "io_format"):
            value = self.params.get(name)
            if isinstance(value, str):
                return value
        return "XML"

    def writer(self) -> Writer:
        if self.format == "JSON":
            return JsonWriter(self.shop.version, self.languages, "display" in self.params)
        return XmlWriter(self.shop.version, self.languages, self.incoming.ws_url)

    def _answer(
        self,
        status: int,
        content: str | bytes | None,
        extra: dict[str, str],
        content_type: str | None,
        *,
        errors: bool = False,
    ) -> Outgoing:
        headers = {
            "Access-Time": str(int(time.time())),
            "X-Powered-By": "PrestaShop Webservice",
            "Execution-Time": f"{time.perf_counter() - self.started:.3f}".rstrip("0").rstrip(".") or "0",
        }
        if self.authenticated:
            headers["PSWS-Version"] = self.shop.version.number
        payload = content.encode() if isinstance(content, str) else (content or b"")
        if payload:
            if content_type:
                headers["Content-Type"] = content_type
            if not errors:
                digest = hashlib.sha1(payload).hexdigest()
                headers["Content-Sha1"] = digest
                if self.incoming.headers.get("local-content-sha1") == digest:
                    return Outgoing(304, b"", {**headers, **extra})
        if self.incoming.method == "HEAD":
            payload = b""
        return Outgoing(status, payload, {**headers, **extra})

    # --- WebserviceRequest::fetch ---------------------------------------------------------
    def _fetch(self, key: str) -> tuple[int, str | bytes | None, str | None]:
        if str(self.shop.config("PS_WEBSERVICE", "1")) != "1":
            raise WsError(
                503,
                22,
                "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office",
            )
        self._authenticate(key)
        if "language" in self.params:
            self.languages = self._filter_language(str(self.params["language"]))
        if not self.languages:
            raise WsError(400, 81, "language is not available")
        resource = self.incoming.segments[0] if self.incoming.segments else ""
        self._check_resource(resource)
        self._check_method(resource)
        if resource == "":
            return 200, self._resources_list(), None
        if resource == "images" and self.incoming.images is not None:
            return self.incoming.images(self)
        spec = SIMULATED.get(resource)
        if spec is None:
            raise WsError(501, 0, f'The resource "{resource}" is not simulated by the comptoir sandbox.')
        status, content = self._entity(spec)
        return status, content, None

    def _authenticate(self, key: str) -> None:
        error: WsError | None = None
        if key == "":
            error = WsError(401, 17, "Authentication key is empty")
        elif len(key) != 32:
            error = WsError(401, 18, "Invalid authentication key format")
        else:
            found = keys.find(self.shop.store, key)
            if found is None or not found.active:
                error = WsError(401, 20, "Authentification key is not active")
                error.add(401, 21, "No permission for this authentication key")
            elif not found.permissions:
                error = WsError(401, 21, "No permission for this authentication key")
            else:
                self.key = found
        if error is not None:
            error.www_authenticate = True
            raise error
        self.authenticated = True

    def _filter_language(self, raw: str) -> list[Lang]:
        """``filterLanguage``: ``1``, ``[1|2]`` (ids kept as text), ``[1,3]`` (a range)."""
        chosen: list[Lang] = []
        if raw.isdigit():
            chosen = [int(raw)]
        elif raw.startswith("[") and raw.endswith("]"):
            inner = raw[1:-1]
            if ("|" in inner) != ("," in inner):
                if "|" in inner:
                    chosen = list(inner.split("|"))
                else:
                    bounds = inner.split(",")
                    if len(bounds) != 2:
                        raise WsError(400, 78, "A range value for a language must contains only 2 values")
                    chosen = list(range(int(bounds[0] or 0), int(bounds[1] or 0) + 1))
            elif re.match(r"^\[(\d)+\]$", raw):
                chosen = [raw[1:-1]]
        else:
            raise WsError(400, 79, "language value is wrong")
        if any(not str(lang).isdigit() for lang in chosen[1:]):
            raise WsError(400, 80, "Language ID must be numeric")
        return [lang for lang in chosen if str(lang) in self.shop.languages]

    def _check_resource(self, resource: str) -> None:
        assert self.key is not None
        names = list(self.shop.version.resources)
        if resource == "":
            return
        if resource in names:
            if resource not in self.key.permissions:
                raise WsError(
                    401, 26, f'Resource of type "{resource}" is not allowed with this authentication key'
                )
            return
        raise did_you_mean(400, f'Resource of type "{resource}" does not exists', resource, names, 27)

    def _check_method(self, resource: str) -> None:
        assert self.key is not None
        method = self.method
        if method not in self.shop.version.methods:
            raise WsError(405, 23, f"Method {method} is not valid")
        if method in FORBIDDEN_METHODS.get(resource, ()):
            raise WsError(405, 101, f"Method {method} is not allowed for the resource {resource}")
        if resource and method not in self.key.permissions.get(resource, []):
            raise WsError(
                405,
                25,
                f"Method {method} is not allowed for the resource {resource} with this authentication key",
            )

    def _resources_list(self) -> str:
        assert self.key is not None
        if self.format == "JSON" and self.shop.version.json_drops_empty:
            # WebserviceOutputJSON::overrideContent runs array_filter on every entry; the root
            # list's entries are strings: a TypeError, a fatal error (PrestaShop #32179, #34794).
            raise _Fatal()
        listed = [
            (
                name,
                DESCRIPTIONS.get(name, ""),
                self.key.permissions[name],
                name in ("images", "search", "attachments"),
            )
            for name in self.shop.version.resources
            if name in self.key.permissions
        ]
        return self.writer().api(html.escape(str(self.shop.config("PS_SHOP_NAME", "comptoir"))), listed)

    # --- entities ---------------------------------------------------------------------------
    def _entity(self, resource: Resource) -> tuple[int, str | None]:
        method = self.method
        if method in ("GET", "HEAD"):
            return self._get(resource)
        if method in ("POST", "PUT", "PATCH"):
            if self.incoming.method not in (
                ("POST", "PUT", "PATCH") if self.shop.version.patch else ("POST", "PUT")
            ):
                raise WsError(
                    500, 127, "XML error : String could not be parsed as XML\nXML length : 0\nOriginal XML : "
                )
            nodes = parse_entities(strip_form_prefix(self.incoming.body))
            saved = entities.save_from_xml(self.shop, resource, method, nodes)
            builder = self._builder(resource)
            writer = self.writer()
            content = writer.entities(
                resource.name, [builder.entity(r, "full") for r in saved], as_list=False
            )
            return (201 if method == "POST" else 200), content
        ids_param = self.params.get("id")
        if isinstance(ids_param, str) and (found := re.match(r"^\[(.*)\]$", ids_param, re.S)):
            ids = found.group(1).split(",")
        else:
            segment = self.incoming.segments[1] if len(self.incoming.segments) > 1 else "0"
            ids = [str(_php_int(segment))]
        entities.delete(self.shop, resource, ids)
        return 200, None

    def _builder(self, resource: Resource) -> Builder:
        hooks = self.shop.hooks[resource.name]

        def value(record: dict[str, Any], spec: Field) -> Any:
            return hooks.value(record, spec)

        def rows(record: dict[str, Any], spec: Association) -> list[dict[str, Any]]:
            return hooks.rows(record, spec)

        return Builder(resource, self.incoming.ws_url, value, rows)

    def _get(self, resource: Resource) -> tuple[int, str | None]:
        writer = self.writer()
        builder = self._builder(resource)
        segment = self.incoming.segments[1] if len(self.incoming.segments) > 1 else ""
        if segment != "":
            show = query.display(resource, _text(self.params.get("display")), "full")
            record = self.shop.get(resource.name, _php_int(segment))
            if record is None:
                return 404, None
            return 200, writer.entities(resource.name, [builder.entity(record, show)], as_list=False)
        schema = self.params.get("schema")
        if schema is not None:
            if schema not in ("blank", "synopsis"):
                raise WsError(
                    400,
                    28,
                    SCHEMA_ERROR,
                )
            return 200, writer.schema(resource.name, builder.schema(str(schema)), str(schema))
        hooks = self.shop.hooks[resource.name]
        records = query.select(
            resource, self.shop.all(resource.name), self.params, self.shop.languages, hooks.value
        )
        show = query.display(resource, _text(self.params.get("display")), "minimum")
        if show == "minimum":
            return 200, writer.minimal(resource.name, resource.node, [int(r["id"]) for r in records])
        return 200, writer.entities(resource.name, [builder.entity(r, show) for r in records], as_list=True)


SCHEMA_ERROR = (
    "Please select a schema of type 'synopsis' to get the whole schema informations (which fields are "
    "required, which kind of content...) or 'blank' to get an empty schema to fill before using POST request"
)


class _Fatal(WsError):
    def __init__(self) -> None:
        super().__init__(500, 0, "")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _php_int(text: str) -> int:
    found = re.match(r"^\s*([+-]?\d+)", text)
    return int(found.group(1)) if found else 0
