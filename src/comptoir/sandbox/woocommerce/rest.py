"""WordPress's REST request handling (``WP_REST_Request``, ``rest-api.php``): parameter sources
and their order, and the validation and sanitization of a route's declared arguments.

* Sources, highest first: the JSON body (only with a JSON ``Content-Type``), the form body, the
  query string, the URL's own placeholders, then the route's defaults
  (``WP_REST_Request::get_parameter_order``). A ``null`` value counts as absent (``isset``).
* Before the permission check, ``has_valid_params`` refuses missing required arguments
  (``rest_missing_callback_param``) and validates each non-null argument against its schema;
  ``sanitize_params`` then coerces every declared argument, in every source, to its type
  (``rest_sanitize_value_from_schema``: a ``null`` string becomes ``""``, integer ``0``…).
* Query strings and form bodies are read as PHP's ``parse_str`` reads them (``a[]=1&a[]=2``,
  ``a[b]=1``); a scalar given for an ``array`` argument is split on commas and spaces
  (``wp_parse_list``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from comptoir.sandbox.woocommerce.errors import WooError

Schema = dict[str, Any]
"""A JSON schema as WordPress reads it, plus the argument keys ``required``, ``default``,
``validate`` (False: no ``validate_callback``) and ``sanitize`` (a callable replacing the
schema's sanitization)."""

JSON_ERROR_SYNTAX = 4

_NUMERIC = re.compile(r"^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::\d{2})?)?$")
_EMAIL_LOCAL = re.compile(r"^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_EMAIL_LABEL = re.compile(r"^[a-z0-9-]+$", re.IGNORECASE)


# --- PHP and WordPress value helpers -------------------------------------------------------


def is_numeric(value: Any) -> bool:
    """PHP ``is_numeric``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value))


def is_integer(value: Any) -> bool:
    """``rest_is_integer``: numeric and whole."""
    if not is_numeric(value):
        return False
    number = float(value)
    return number == round(number)


def is_boolean(value: Any) -> bool:
    """``rest_is_boolean``: true/false, "true"/"false"/"1"/"0" (any case), 0/1."""
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return value.lower() in ("false", "true", "0", "1")
    if isinstance(value, int):
        return value in (0, 1)
    return False


def to_int(value: Any) -> int:
    """PHP ``(int)``."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value and abs(value) != float("inf") else 0
    if isinstance(value, str):
        found = re.match(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value)
        if not found:
            return 0
        text = found.group(0).strip()
        return int(float(text)) if any(c in text for c in ".eE") else int(text)
    if isinstance(value, list | dict):
        return 1 if value else 0
    return 0


def to_float(value: Any) -> float:
    """PHP ``(float)``."""
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        found = re.match(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value)
        return float(found.group(0)) if found else 0.0
    return 0.0


def to_bool(value: Any) -> bool:
    """``rest_sanitize_boolean``."""
    if isinstance(value, str):
        if value.lower() in ("false", "0"):
            return False
        return value != ""
    return bool(value)


def to_string(value: Any) -> str:
    """PHP ``(string)``."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float):
        return php_float(value)
    if isinstance(value, list | dict):
        return "Array"
    return str(value)


def php_float(value: float) -> str:
    """A float as PHP prints it (``10.0`` → ``"10"``, ``0.1`` → ``"0.1"``)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def parse_list(value: Any) -> list[Any]:
    """``wp_parse_list``: a list as is, a scalar split on commas and white space."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [part for part in re.split(r"[\s,]+", to_string(value)) if part]


def parse_id_list(value: Any) -> list[int]:
    """``wp_parse_id_list``: absolute integers, duplicates removed."""
    out: list[int] = []
    for part in parse_list(value):
        number = abs(to_int(part))
        if number not in out:
            out.append(number)
    return out


def is_email(value: str) -> bool:
    """WordPress ``is_email``: at least ``a@b.cc``, a sane local part, a dotted domain."""
    if len(value) < 6 or value.count("@") != 1 or value.index("@") == 0:
        return False
    local, domain = value.split("@")
    if not _EMAIL_LOCAL.match(local) or ".." in domain or domain.strip(". \t\n\r\0\x0b") != domain:
        return False
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    return all(label and label.strip("-") == label and _EMAIL_LABEL.match(label) for label in labels)


def is_date(value: Any) -> bool:
    """``rest_parse_date``: an RFC 3339 date and time (a date alone is refused)."""
    return isinstance(value, str) and bool(_DATE.match(value))


def enum_text(values: Sequence[Any]) -> str:
    """``wp_sprintf('%l')``: ``a``, ``a and b``, ``a, b, and c``."""
    shown = [v if isinstance(v, str) else json.dumps(v) for v in values]
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + ", and " + shown[-1]


# --- schema validation and sanitization ----------------------------------------------------


@dataclass
class Invalid(Exception):
    """A value refused by its schema: WordPress's ``WP_Error`` from the validator."""

    code: str
    message: str
    data: Any = None


def _best_type(value: Any, types: Sequence[str]) -> str:
    checks: dict[str, Callable[[Any], bool]] = {
        "array": lambda v: isinstance(v, list) or (not isinstance(v, dict) and _scalar(v)),
        "object": lambda v: v == "" or isinstance(v, dict) or (isinstance(v, list) and not v),
        "integer": is_integer,
        "number": is_numeric,
        "boolean": is_boolean,
        "string": lambda v: isinstance(v, str),
        "null": lambda v: v is None,
    }
    if value == "" and "string" in types:
        return "string"
    for kind in types:
        check = checks.get(kind)
        if check is not None and check(value):
            return kind
    return ""


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _type_of(value: Any, schema: Schema, name: str) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        best = _best_type(value, kind)
        if not best:
            raise Invalid("rest_invalid_type", f"{name} is not of type {','.join(kind)}.", {"param": name})
        return best
    return str(kind or "")


def _not_of(name: str, kind: str) -> Invalid:
    return Invalid("rest_invalid_type", f"{name} is not of type {kind}.", {"param": name})


def validate(value: Any, schema: Schema, name: str) -> None:
    """``rest_validate_value_from_schema``; raises ``Invalid``."""
    kind = _type_of(value, schema, name)
    if kind == "null" and value is not None:
        raise _not_of(name, "null")
    if kind == "boolean" and not is_boolean(value):
        raise _not_of(name, "boolean")
    if kind == "object":
        _validate_object(value, schema, name)
    if kind == "array":
        if not (isinstance(value, list) or (_scalar(value) and not isinstance(value, dict))):
            raise _not_of(name, "array")
        items = schema.get("items")
        if items:
            for index, item in enumerate(parse_list(value)):
                validate(item, items, f"{name}[{index}]")
    if kind in ("number", "integer"):
        _validate_number(value, schema, name, kind)
    if kind == "string" and not isinstance(value, str):
        raise _not_of(name, "string")
    enum = schema.get("enum")
    if enum:
        clean = sanitize(value, {k: v for k, v in schema.items() if k != "sanitize"}, name)
        if not any(_equal(clean, allowed) for allowed in enum):
            if len(enum) == 1:
                raise Invalid("rest_not_in_enum", f"{name} is not {enum_text(enum)}.")
            raise Invalid("rest_not_in_enum", f"{name} is not one of {enum_text(enum)}.")
    fmt = schema.get("format")
    if fmt and kind == "string":
        if fmt == "date-time" and not is_date(value):
            raise Invalid("rest_invalid_date", "Invalid date.")
        if fmt == "email" and not is_email(value):
            raise Invalid("rest_invalid_email", "Invalid email address.")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b and type(a) is type(b))


def _validate_object(value: Any, schema: Schema, name: str) -> None:
    if value == "" or (isinstance(value, list) and not value):
        value = {}
    if not isinstance(value, dict):
        raise _not_of(name, "object")
    properties: Mapping[str, Schema] = schema.get("properties") or {}
    for prop, sub in properties.items():
        if sub.get("required") is True and prop not in value:
            raise Invalid("rest_property_required", f"{prop} is a required property of {name}.")
    extra = schema.get("additionalProperties")
    for prop, item in value.items():
        if prop in properties:
            validate(item, properties[prop], f"{name}[{prop}]")
        elif extra is False:
            raise Invalid(
                "rest_additional_properties_forbidden", f"{prop} is not a valid property of Object."
            )
        elif isinstance(extra, dict):
            validate(item, extra, f"{name}[{prop}]")


def _validate_number(value: Any, schema: Schema, name: str, kind: str) -> None:
    if not is_numeric(value):
        raise _not_of(name, kind)
    number = float(value)
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is None and number < low:
        raise Invalid("rest_out_of_bounds", f"{name} must be greater than or equal to {int(low)}")
    if high is not None and low is None and number > high:
        raise Invalid("rest_out_of_bounds", f"{name} must be less than or equal to {int(high)}")
    if low is not None and high is not None and not low <= number <= high:
        raise Invalid(
            "rest_out_of_bounds", f"{name} must be between {int(low)} (inclusive) and {int(high)} (inclusive)"
        )
    if kind == "integer" and not is_integer(value):
        raise _not_of(name, "integer")


def sanitize(value: Any, schema: Schema, name: str = "") -> Any:
    """``rest_sanitize_value_from_schema``."""
    custom = schema.get("sanitize")
    if callable(custom):
        return custom(value)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = _best_type(value, kind)
        if not kind:
            return None
    if kind == "array":
        items = parse_list(value) if not isinstance(value, dict) else list(value.values())
        sub = schema.get("items")
        return [sanitize(item, sub, f"{name}[{i}]") for i, item in enumerate(items)] if sub else items
    if kind == "object":
        if not isinstance(value, dict):
            return {}
        properties: Mapping[str, Schema] = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        out: dict[str, Any] = {}
        for prop, item in value.items():
            if prop in properties:
                out[prop] = sanitize(item, properties[prop], f"{name}[{prop}]")
            elif extra is False:
                continue
            elif isinstance(extra, dict):
                out[prop] = sanitize(item, extra, f"{name}[{prop}]")
            else:
                out[prop] = item
        return out
    if kind == "null":
        return None
    if kind == "integer":
        return to_int(value)
    if kind == "number":
        return to_float(value)
    if kind == "boolean":
        return to_bool(value)
    if kind == "string":
        return (
            to_string(value).strip() if schema.get("format") in ("date-time", "email") else to_string(value)
        )
    return value


# --- PHP's parse_str -----------------------------------------------------------------------


def php_parse(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``parse_str``: ``a=1``, ``a[]=1&a[]=2`` (a list), ``a[b]=1`` (a map); the last value wins."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        if not rest or not head:
            out[key] = value
            continue
        parts = [head, *re.findall(r"\[([^\]]*)\]", "[" + rest)]
        target: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(target, list):
                if part == "":
                    if last:
                        target.append(value)
                        break
                    target.append({})
                    target = target[-1]
                    continue
                target = _list_to_map(target)
            if last:
                if part == "":
                    break
                target[part] = value
                break
            nxt = target.get(part)
            if not isinstance(nxt, list | dict):
                nxt = [] if parts[i + 1] == "" else {}
                target[part] = nxt
            elif isinstance(nxt, list) and parts[i + 1] != "":
                nxt = _list_to_map(nxt)
                target[part] = nxt
            target = nxt
    return out


def _list_to_map(items: list[Any]) -> dict[str, Any]:
    return {str(i): v for i, v in enumerate(items)}


# --- the request -----------------------------------------------------------------------------


@dataclass
class Request:
    """A REST request's parameters by source, as ``WP_REST_Request`` keeps them."""

    method: str
    url: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)

    def sources(self) -> list[dict[str, Any]]:
        """Highest priority first: JSON, body (POST/PUT/PATCH/DELETE), query, URL, defaults."""
        out: list[dict[str, Any]] = []
        if self.json is not None:
            out.append(self.json)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            out.append(self.body)
        out += [self.query, self.url, self.defaults]
        return out

    def get(self, name: str, default: Any = None) -> Any:
        """``$request[name]``: the first source holding a non-null value."""
        for source in self.sources():
            if source.get(name) is not None:
                return source[name]
        return default

    def has(self, name: str) -> bool:
        """``has_param``: present in a source, even as ``null`` (defaults excepted)."""
        return any(name in source for source in self.sources()[:-1])

    def params(self) -> dict[str, Any]:
        """``get_params``: every source merged, the highest priority winning (``null`` included)."""
        out: dict[str, Any] = {}
        for source in reversed(self.sources()):
            out.update(source)
        return out

    def with_body(self, body: dict[str, Any]) -> Request:
        """A copy whose body is ``body`` (JSON when the original was JSON)."""
        if self.json is not None:
            return Request(self.method, dict(self.url), dict(self.query), {}, dict(body), dict(self.defaults))
        return Request(self.method, dict(self.url), dict(self.query), dict(body), None, dict(self.defaults))


def parse_json_body(raw: bytes) -> dict[str, Any] | None:
    """``parse_json_params``: an empty body is no JSON; malformed JSON is ``rest_invalid_json``."""
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        raise WooError(
            "rest_invalid_json",
            "Invalid JSON body passed.",
            400,
            json_error_code=JSON_ERROR_SYNTAX,
            json_error_message="Syntax error",
        ) from None
    if isinstance(data, dict):
        return data
    if isinstance(data, list):
        return {str(i): v for i, v in enumerate(data)}
    return {}


def check_args(request: Request, args: Mapping[str, Schema]) -> None:
    """``has_valid_params`` then ``sanitize_params``: raises the 400 WordPress answers; sanitizes
    every declared argument in place, in every source."""
    request.defaults = {k: a["default"] for k, a in args.items() if "default" in a}
    missing = [k for k, a in args.items() if a.get("required") is True and request.get(k) is None]
    if missing:
        raise WooError(
            "rest_missing_callback_param", "Missing parameter(s): " + ", ".join(missing), 400, params=missing
        )
    problems: dict[str, str] = {}
    details: dict[str, Any] = {}
    for key, arg in args.items():
        value = request.get(key)
        if value is None or arg.get("validate") is False:
            continue
        try:
            validate(value, arg, key)
        except Invalid as exc:
            problems[key] = exc.message
            details[key] = {"code": exc.code, "message": exc.message, "data": exc.data}
    if problems:
        raise _invalid(problems, details)
    for source in request.sources()[:-1]:
        for key in list(source):
            found = args.get(key)
            if found is None:
                continue
            arg = found
            try:
                if arg.get("validate") is not False and "sanitize" not in arg:
                    validate(source[key], arg, key)
                source[key] = sanitize(source[key], arg, key)
            except Invalid as exc:
                problems[key] = exc.message
                details[key] = {"code": exc.code, "message": exc.message, "data": exc.data}
    if problems:
        raise _invalid(problems, details)


def _invalid(problems: dict[str, str], details: dict[str, Any]) -> WooError:
    return WooError(
        "rest_invalid_param",
        "Invalid parameter(s): " + ", ".join(problems),
        400,
        params=problems,
        details=details,
    )


# --- endpoint arguments from an item schema --------------------------------------------------


def endpoint_args(schema: Mapping[str, Schema], method: str) -> dict[str, Schema]:
    """``get_endpoint_args_for_item_schema``: the writable properties; for creation their
    defaults and ``required`` flags too."""
    out: dict[str, Schema] = {}
    for name, prop in schema.items():
        if prop.get("readonly"):
            continue
        arg = {k: v for k, v in prop.items() if k not in ("default", "required", "readonly", "context")}
        if method == "POST":
            if "default" in prop:
                arg["default"] = prop["default"]
            if prop.get("required") is True:
                arg["required"] = True
        # Arguments are sanitized by ``rest_sanitize_request_arg`` (no second validation).
        arg.setdefault("sanitize", _schema_sanitizer(arg))
        out[name] = arg
    return out


def _schema_sanitizer(arg: Schema) -> Callable[[Any], Any]:
    plain = {k: v for k, v in arg.items() if k != "sanitize"}
    return lambda value: sanitize(value, plain)


def item_defaults(schema: Mapping[str, Schema]) -> dict[str, Any]:
    """The defaults a batch ``create`` item receives (``set_default_params`` in ``batch_items``)."""
    return {
        name: prop["default"]
        for name, prop in schema.items()
        if "default" in prop and not prop.get("readonly")
    }


# --- response shaping --------------------------------------------------------------------------


def filter_fields(data: Any, fields_param: Any) -> Any:
    """``rest_filter_response_fields``: keep the ``_fields`` listed (``a``, ``a.b``)."""
    if fields_param in (None, ""):
        return data
    wanted = [f for f in parse_list(fields_param) if isinstance(f, str)]
    if not wanted:
        return data
    if isinstance(data, list):
        return [_pick(item, wanted) if isinstance(item, dict) else item for item in data]
    return _pick(data, wanted) if isinstance(data, dict) else data


def _pick(item: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in wanted:
        head, _, rest = path.partition(".")
        if head not in item:
            continue
        if not rest or not isinstance(item[head], dict):
            out[head] = item[head]
            continue
        nested = _pick(item[head], [rest])
        existing = out.get(head)
        out[head] = {**existing, **nested} if isinstance(existing, dict) else nested
    return out
