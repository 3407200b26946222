"""Generate the configuration reference (docs/configuration.md) from the profile models."""

from __future__ import annotations

import inspect
import json
import types
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from comptoir.profile.docstrings import field_doc
from comptoir.profile.models import ErpSettings, Profile, ShopSettings
from comptoir.profile.secrets import SecretRef, is_secret_field

HEADER = """# Configuration reference

A profile is a TOML file: one ERP database, one shop, and the options of every job. This page
is generated from the profile models (`comptoir profile doc > docs/configuration.md`); a test
keeps it current.

Secrets are never written in a profile: a secret field holds `env:VARIABLE_NAME`, read from
the environment, or from the profile's `secrets_file` (`KEY=VALUE` lines, owner-only
permissions) when the variable is not set. Relative paths are taken from the profile's folder.

Example:

```toml
name = "boutique"
language = "fr"

{platforms}
[stock]
warehouses = [1, 2]
quantity = "available"

[orders]
statuses = {{ processing = "order", "on-hold" = "quote" }}
miscellaneous_article = "DIVERS"
shipping_article = "PORT"
packaging_article = "EMBALLAGE"
discount_articles = {{ C20 = "REMISE20", C10 = "REMISE10", C05 = "REMISE055" }}
tax_codes = {{ "20" = "C20", "10" = "C10", "5.5" = "C05" }}
```
"""


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is Annotated:
        return "secret (`env:NAME`)" if annotation == SecretRef else _type_name(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(annotation) if a is not type(None)) + " (optional)"
    if origin is not None:
        args = ", ".join(_type_name(a) for a in get_args(annotation))
        name = getattr(origin, "__name__", str(origin))
        if name == "Literal":
            return " | ".join(json.dumps(a) for a in get_args(annotation))
        return f"{name}[{args}]"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " | ".join(f'"{m.value}"' for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return ""
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return ""
    if isinstance(value, Enum):
        return f'`"{value.value}"`'
    if isinstance(value, frozenset | set):
        value = sorted(v.value if isinstance(v, Enum) else v for v in value)
    if isinstance(value, dict):
        value = {k: (v.value if isinstance(v, Enum) else v) for k, v in value.items()}
    if value is None:
        return "none"
    return f"`{json.dumps(value, ensure_ascii=False, default=str)}`"


def _section(
    model: type[BaseModel],
    path: str,
    out: list[str],
    title: str | None = None,
    seen: dict[type[BaseModel], str] | None = None,
) -> None:
    """One table's options, then its sub-tables (a model met again links to its first place)."""
    seen = {} if seen is None else seen
    doc = inspect.cleandoc(model.__doc__ or "")
    out.append(f"\n## {title}\n" if title else f"\n## `[{path}]`\n" if path else "\n## Top level\n")
    if doc:
        out.append(doc + "\n")
    out.append("| option | type | default | meaning |")
    out.append("| --- | --- | --- | --- |")
    nested: list[tuple[type[BaseModel], str]] = []
    for name, field in model.model_fields.items():
        if title and name in _BASES.get(path, {}):
            continue
        annotation = field.annotation
        candidates: list[Any] = [*get_args(annotation), annotation]
        sub = next((a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)), None)
        description = " ".join(field_doc(model, name).split()).replace("``", "`").replace("|", "\\|")
        if sub is not None:
            sub_path = f"{path}.{name}" if path else name
            target = seen.get(sub, sub_path)
            if sub not in seen:
                seen[sub] = sub_path
                nested.append((sub, sub_path))
            out.append(f"| `{name}` | table | | {description} See `[{target}]`. |")
            continue
        kind = _type_name(annotation).replace("|", "\\|")
        if is_secret_field(field) and "secret" not in kind:
            kind = "secret (`env:NAME`)"
        out.append(f"| `{name}` | {kind} | {_default(field)} | {description} |")
    for sub, sub_path in nested:
        _section(sub, sub_path, out, seen=seen)


_BASES: dict[str, dict[str, FieldInfo]] = {
    "erp": ErpSettings.model_fields,
    "shop": ShopSettings.model_fields,
}
"""Options every platform's table shares, documented once in ``[erp]`` / ``[shop]``."""


def configuration_reference() -> str:
    """The Markdown reference of every profile option, then each platform's own table."""
    from comptoir.registry import ERPS, SHOPS, erp_platform, shop_platform

    first_erp = erp_platform(next(iter(ERPS))).settings
    first_shop = shop_platform(next(iter(SHOPS))).settings
    out = [HEADER.format(platforms=_example("erp", first_erp) + "\n" + _example("shop", first_shop))]
    _section(Profile, "", out)
    for kind in ERPS:
        platform = erp_platform(kind)
        _section(platform.settings, "erp", out, f'`[erp]` with `kind = "{kind}"` ({platform.label})')
    for kind in SHOPS:
        shop = shop_platform(kind)
        _section(shop.settings, "shop", out, f'`[shop]` with `kind = "{kind}"` ({shop.label})')
    return "\n".join(out).rstrip() + "\n"


def _example(table: str, model: type[BaseModel]) -> str:
    """The ``[erp]`` or ``[shop]`` table of a platform's first example (its settings' examples)."""
    import tomli_w

    extra = model.model_config.get("json_schema_extra")
    examples = extra.get("examples") if isinstance(extra, dict) else None
    example = examples[0] if isinstance(examples, list) and examples else {}
    return tomli_w.dumps({table: example})
