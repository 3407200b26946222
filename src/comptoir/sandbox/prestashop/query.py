"""List parameters: ``display``, ``filter[…]``, ``sort``, ``limit``, ``date`` and ``schema``, as
``WebserviceRequest::manageFilters`` and ``setFieldsToDisplay`` read them and as MySQL then
compares (numbers numerically, text case-insensitively, dates as dates).

Filter values (``SQLUtils::getSQLRetrieveFilter``): ``[a|b]`` any of, ``[1,10]`` an interval of
numbers or dates (``BETWEEN``, bounds sorted), ``[x]`` or ``x`` equal, ``%[x]%``/``[x]%``/``%[x]``
``LIKE`` (``%`` and ``_`` are wildcards), ``>[x]``, ``<[x]``, ``![a|b]`` not equal to any. Without
``date=1`` the date fields are not filterable nor sortable. Sources: PrestaShop 9.0.0
classes/webservice/WebserviceRequest.php, classes/webservice/SQLUtils.php.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from comptoir.sandbox.prestashop.errors import WsError, did_you_mean
from comptoir.sandbox.prestashop.schema.base import Field, Resource
from comptoir.sandbox.prestashop.values import php_float, php_int

Display = str | dict[str, list[str] | None]
"""``full``, ``minimum``, or field name → None (a field) / sub-field names (an association)."""
ValueOf = Callable[[dict[str, Any], Field], Any]


def php_query(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The query string as PHP's ``$_GET`` holds it: ``filter[name]=x`` → ``{"filter": {"name": "x"}}``."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        found = re.match(r"^([^\[]+)((?:\[[^\]]*\])*)$", key)
        if found is None or not found.group(2):
            out[key] = value
            continue
        parts = [found.group(1), *re.findall(r"\[([^\]]*)\]", found.group(2))]
        target = out
        for part in parts[:-1]:
            nxt = target.get(part)
            if not isinstance(nxt, dict):
                nxt = {}
                target[part] = nxt
            target = nxt
        last = parts[-1]
        if last == "":
            last = str(len(target))
        target[last] = value
    return out


def split_display(text: str) -> dict[str, list[str] | None]:
    """``parseDisplayFields``: ``id,name,categories[id,name]`` split on top-level commas."""
    parts: list[str] = []
    level = 0
    current = ""
    for char in text:
        if char == "," and level == 0:
            parts.append(current)
            current = ""
        else:
            current += char
        level += char == "["
        level -= char == "]"
    if current:
        parts.append(current)
    fields: dict[str, list[str] | None] = {}
    for part in parts:
        name = part.split("[", 1)[0].strip()
        fields.setdefault(name, None)
        if "[" in part:
            subs = part[part.index("[") + 1 : -1].split(",")
            existing = fields[name]
            fields[name] = [*existing, *subs] if existing else subs
    return fields


def display(resource: Resource, raw: str | None, default: str) -> Display:
    """``setFieldsToDisplay``: errors 35 (unknown field) and 36 (bad syntax)."""
    if raw is None:
        return default
    if raw in ("full", "minimum"):
        return raw
    names = ", ".join(f.name for f in resource.all_fields)
    found = re.match(r"^\[(.*)\]$", raw, re.S)
    if found is None:
        raise WsError(
            400,
            36,
            "The 'display' syntax is wrong. You can set 'full' or '[field_1,field_2,field_3,...]'. "
            f"These are available: {names}",
        )
    fields = split_display(found.group(1))
    for name, part in fields.items():
        if part is None:
            bad = resource.field(name) is None
        else:
            association = resource.association(name)
            bad = association is None or any(
                sub != "id" and sub not in {af.name for af in association.fields} for sub in part
            )
        if bad:
            detail = f" (details : {_var_export(part)})" if part is not None else ""
            raise WsError(
                400,
                35,
                f'Unable to display this field "{name}{detail}". However, these are available: {names}',
            )
    return fields


def _var_export(items: list[str]) -> str:
    lines = "".join(f"  {i} => '{v}',\n" for i, v in enumerate(items))
    return f"array (\n{lines})"


@dataclass(frozen=True)
class Filters:
    available: list[str]
    i18n: list[str]


def filterable(resource: Resource, dates: bool) -> Filters:
    available = [f.name for f in resource.all_fields if f.name not in resource.hidden and not f.lang]
    i18n = [f.name for f in resource.fields if f.name not in resource.hidden and f.lang]
    if dates:
        available += [d for d in ("date_add", "date_upd") if d not in available]
    else:
        available = [n for n in available if n not in ("date_add", "date_upd")]
    return Filters(available, i18n)


def select(
    resource: Resource,
    records: list[dict[str, Any]],
    params: dict[str, Any],
    languages: Sequence[str],
    value_of: ValueOf,
) -> list[dict[str, Any]]:
    """Filter, sort and cut a list as ``manageFilters`` + ``getWebserviceObjectList`` would."""
    allowed = filterable(resource, bool(params.get("date")) and params.get("date") != "0")
    out = list(records)
    raw_filters = params.get("filter")
    if isinstance(raw_filters, dict):
        for name, value in raw_filters.items():
            if name in ("sort", "limit"):
                continue
            out = _apply_filter(resource, allowed, out, name, value, languages, value_of)
    out.sort(key=lambda r: r["id"])
    if "sort" in params:
        out = _sort(resource, allowed, out, str(params["sort"]), languages, value_of)
    if "limit" in params:
        args = str(params["limit"]).split(",")
        if len(args) > 2:
            raise WsError(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
        if len(args) == 2:
            out = out[max(php_int(args[0]), 0) :][: max(php_int(args[1]), 0)]
        else:
            out = out[: max(php_int(args[0]), 0)]
    return out


def _apply_filter(
    resource: Resource,
    allowed: Filters,
    records: list[dict[str, Any]],
    name: str,
    value: Any,
    languages: Sequence[str],
    value_of: ValueOf,
) -> list[dict[str, Any]]:
    if name not in allowed.available:
        if value != "" and name in allowed.i18n and isinstance(value, str):
            spec = resource.by_name[name]
            test = _predicate(value, spec)
            return [r for r in records if any(test(_lang(r, name, lang)) for lang in languages)]
        if isinstance(value, dict):
            raise WsError(400, 31, "There is no existing linked table for this resource")
        raise did_you_mean(400, "This filter does not exist", name, allowed.available, 32)
    if value == "" or not isinstance(value, str):
        raise WsError(400, 33, f'The filter "{name}" is malformed.')
    spec = resource.by_name.get(name) or Field(name, "date")
    if spec.dynamic:
        raise WsError(
            400, 34, f'The field "{name}" is dynamic. It is not possible to filter GET query with this field.'
        )
    test = _predicate(value, spec)
    return [r for r in records if test(value_of(r, spec))]


def _lang(record: dict[str, Any], name: str, lang: str) -> Any:
    values = record.get(name) or {}
    return values.get(lang, "") if isinstance(values, dict) else values


def _predicate(raw: str, spec: Field) -> Callable[[Any], bool]:
    value_key, literal_key = _keys(spec)
    found = re.match(r"^(.*)\[(.*)\](.*)$", raw, re.S)
    if found is None:
        equal = literal_key(raw)
        return lambda v: value_key(v) == equal
    before, inner, after = found.groups()
    if before == "%" or after == "%":
        pattern = _like(before + inner + after)
        return lambda v: pattern.match(_text(v)) is not None
    if before == "" and after == "":
        if inner.find("|") > 0:
            # ``[1|2|3]`` is MySQL's ``IN``: each value's key is looked up among the options'.
            wanted = {literal_key(o) for o in inner.split("|")}
            return lambda v: value_key(v) in wanted
        interval = re.match(r"^([\d.:\-\s]+),([\d.:\-\s]+)$", inner)
        if interval:
            low, high = (literal_key(b) for b in sorted(interval.groups(), key=_php_sort_key))
            return lambda v: low <= value_key(v) <= high
        equal = literal_key(inner)
        return lambda v: value_key(v) == equal
    if before == ">":
        bound = literal_key(inner)
        return lambda v: value_key(v) > bound
    if before == "<":
        bound = literal_key(inner)
        return lambda v: value_key(v) < bound
    if before == "!":
        unwanted = {literal_key(o) for o in inner.split("|")}
        return lambda v: value_key(v) not in unwanted
    return lambda v: True


def _php_sort_key(value: str) -> tuple[int, Any]:
    try:
        return (0, Decimal(value.strip()))
    except ArithmeticError:
        return (1, value)


def _like(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.I | re.S)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _numeric(spec: Field) -> bool:
    return spec.kind in ("int", "bool", "float") or spec.name == "id"


def _keys(spec: Field) -> tuple[Callable[[Any], Any], Callable[[str], Any]]:
    """What a stored value and a filter's literal are compared as, for this field: numbers as
    PHP's ``(float)`` reads them, dates as text (a day alone at midnight), other texts as MySQL's
    case-insensitive collation compares them, trailing spaces ignored."""
    if _numeric(spec):
        return (lambda value: php_float(_text(value))), php_float
    if spec.kind == "date":

        def moment(literal: str) -> str:
            text = literal.strip()
            return text + " 00:00:00" if len(text) == 10 and not spec.day else text

        return _text, moment
    return (lambda value: _text(value).rstrip(" ").casefold()), (
        lambda literal: literal.rstrip(" ").casefold()
    )


def _sort(
    resource: Resource,
    allowed: Filters,
    records: list[dict[str, Any]],
    raw: str,
    languages: Sequence[str],
    value_of: ValueOf,
) -> list[dict[str, Any]]:
    found = re.match(r"^\[(.*)\]$", raw, re.S)
    sorts = found.group(1).split(",") if found else [raw]
    keys: list[tuple[Field, bool, bool]] = []
    for item in sorts:
        position = item.rfind("_")
        name, direction = (item[:position], item[position + 1 :].upper()) if position >= 0 else ("", "")
        if position < 0 or direction not in ("ASC", "DESC"):
            raise WsError(
                400,
                37,
                'The "sort" value has to be formed as this example: "field_ASC" or '
                "'[field_1_DESC,field_2_ASC,field_3_ASC,...]' (\"field\" has to be an available field)",
            )
        if name not in allowed.available and name not in allowed.i18n:
            raise WsError(
                400,
                38,
                "Unable to filter by this field. However, these are available: "
                + ", ".join(allowed.available)
                + ", for i18n fields:"
                + ", ".join(allowed.i18n),
            )
        spec = resource.by_name.get(name) or Field(name, "date")
        keys.append((spec, direction == "DESC", name in allowed.i18n))
    out = list(records)
    for spec, descending, i18n in reversed(keys):

        def key(record: dict[str, Any], spec: Field = spec, i18n: bool = i18n) -> Any:
            value = _lang(record, spec.name, languages[0]) if i18n else value_of(record, spec)
            return php_float(_text(value)) if _numeric(spec) else _text(value).casefold()

        out.sort(key=key, reverse=descending)
    return out
