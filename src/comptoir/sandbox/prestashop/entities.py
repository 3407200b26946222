"""The object layer: records of a resource read, written from XML and deleted as ``ObjectModel``
and ``WebserviceRequest::saveEntityFromXml`` / ``executeEntityDelete`` do.

Writing (PrestaShop 9.0.0 classes/webservice/WebserviceRequest.php, ``saveEntityFromXml``):
several entities may come in one body and are saved one after the other (an error stops the
rest, what was saved stays); POST refuses an ``<id>`` (91); PUT/PATCH need one per entity (90),
unique (89), existing (92); a read-only field present is refused (93); a required field absent
is refused (41); **PUT and POST set every other absent field to NULL** (stored as 0, '' or
0000-00-00 unless the column allows NULL), PATCH (8.0+) leaves absent fields alone; multilingual
fields take ``<language id="…">`` nodes (an absent language becomes '' — or the default
language's value for a required field — on POST, is kept on PUT), a plain text sets every
language; multilingual fields are validated first (84), then the others (85); associations
are replaced by their setter, an unknown one is refused (86). ``date_add``/``date_upd`` are set
by ``ObjectModel::add``/``update``. Platform specifics (stock rows, the category tree, order
states…) are in the resource's ``Hooks``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from comptoir.sandbox.core.faults import FaultRule
from comptoir.sandbox.core.store import Record, Store
from comptoir.sandbox.prestashop.errors import WsError
from comptoir.sandbox.prestashop.schema.base import Association, Field, Resource
from comptoir.sandbox.prestashop.validate import validate_field
from comptoir.sandbox.prestashop.values import stored
from comptoir.sandbox.prestashop.versions import Version
from comptoir.sandbox.prestashop.xml_in import Node

After = Callable[[], None]


@dataclass
class Shop:
    """What every hook may use: the store, the clock, the version, the shop's settings."""

    store: Store
    now: Callable[[], str]
    version: Version
    languages: list[str]
    hooks: dict[str, Hooks] = field(default_factory=dict)
    item_fault: Callable[[int, str], FaultRule | None] | None = None
    """Injected failure of the n-th entity of a write (matched by index or ``reference``)."""

    @property
    def default_language(self) -> str:
        return str(self.config("PS_LANG_DEFAULT", "1"))

    def config(self, name: str, default: Any = None) -> Any:
        return self.store.setting(f"config:{name}", default)

    def get(self, resource: str, ident: int) -> Record | None:
        return self.store.get(resource, ident)

    def all(self, resource: str) -> list[Record]:
        return sorted(self.store.records(resource), key=lambda r: r["id"])

    def put(self, resource: str, record: Record) -> Record:
        if record.get("id") is None:
            record["id"] = self.store.next_id(resource)
        self.store.put(resource, int(record["id"]), record)
        return record


class Hooks:
    """What a resource does beyond storing fields (``ObjectModel`` subclasses' overrides)."""

    def __init__(self, shop: Shop, resource: Resource) -> None:
        self.shop = shop
        self.resource = resource

    def value(self, record: Record, spec: Field) -> Any:
        """A computed field's value (``getter``); None when the resource does not compute it."""
        return record.get(spec.name)

    def set(self, record: Record, spec: Field, text: str) -> After | None:
        """A field with a custom ``setter``; may return work to run once the record is saved."""
        return None

    def rows(self, record: Record, spec: Association) -> list[dict[str, Any]]:
        """An association's rows (``getWs…``)."""
        return list(record.get("_assoc", {}).get(spec.name, []))

    def set_rows(self, record: Record, spec: Association, rows: list[dict[str, str]]) -> bool:
        """``setWs…``: replace an association's rows."""
        record.setdefault("_assoc", {})[spec.name] = rows
        return True

    def check(self, record: Record, method: str) -> None:
        """Refusals of ``addWs``/``updateWs`` beyond field validation."""

    def added(self, record: Record) -> None:
        """After ``add``: rows the object creates with it."""

    def updated(self, record: Record, old: Record) -> None:
        """After ``update``."""

    def deleted(self, record: Record) -> None:
        """After ``delete``: what goes with it."""

    def keep_on_delete(self, record: Record) -> bool:
        """True when ``delete`` only flags the object ``deleted`` (an address an order uses)."""
        return False


def fresh(resource: Resource, languages: list[str]) -> Record:
    record: Record = {"id": None, "_assoc": {}}
    for spec in resource.fields:
        if spec.lang:
            record[spec.name] = {lang: "" for lang in languages}
    return record


def save_from_xml(shop: Shop, resource: Resource, method: str, entities: list[Node]) -> list[Record]:
    ids: list[int] = []
    for entity in entities:
        node = entity.child("id")
        if node is not None and node.text != "":
            ids.append(_int(node.text))
    if method in ("PUT", "PATCH"):
        if len(set(ids)) != len(ids):
            raise WsError(400, 89, "id is duplicate in request")
        if len(entities) != len(ids):
            raise WsError(400, 90, "id is required when modifying a resource")
    elif method == "POST" and ids:
        raise WsError(400, 91, "id is forbidden when adding a new resource")
    hooks = shop.hooks[resource.name]
    saved: list[Record] = []
    for index, entity in enumerate(entities):
        reference = entity.child("reference")
        rule = shop.item_fault(index, reference.text if reference else "") if shop.item_fault else None
        if rule is not None:
            code = int(rule.code) if rule.code.isdigit() else 46
            message = rule.message if rule.message != "Injected failure." else "Unable to save resource"
            raise WsError(500, code, message)
        saved.append(_save_one(shop, hooks, resource, method, entity))
    return saved


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


def _save_one(shop: Shop, hooks: Hooks, resource: Resource, method: str, entity: Node) -> Record:
    old: Record | None = None
    if method == "POST":
        record = fresh(resource, shop.languages)
    else:
        ident = _int((entity.child("id") or Node("id", "", {})).text)
        found = shop.get(resource.name, ident)
        if found is None:
            raise WsError(404, 92, "Invalid ID")
        old = found
        record = copy.deepcopy(found)
    raw: dict[str, str | None] = {}
    afters: list[After] = []
    setters: list[tuple[Field, str]] = []
    for spec in resource.all_fields:
        node = entity.child(spec.name)
        if method == "PATCH" and node is None:
            continue
        if spec.name == "id":
            continue
        if spec.lang:
            _set_lang(shop, record, spec, node, method)
            continue
        if node is not None:
            if spec.setter is False:
                raise WsError(
                    400, 93, f'parameter "{spec.name}" not writable. Please remove this attribute of this XML'
                )
            if isinstance(spec.setter, str):
                setters.append((spec, node.text))
            elif spec.kind != "virtual":
                raw[spec.name] = node.text
        elif spec.required:
            raise WsError(400, 41, f'parameter "{spec.name}" required')
        elif spec.kind != "virtual":
            raw[spec.name] = None
    for spec, text in setters:
        after = hooks.set(record, spec, text)
        if after is not None:
            afters.append(after)
    if method == "POST":
        for spec in resource.fields:
            if spec.modifier == "modifierWsLinkRewrite":
                _link_rewrite(record, spec)
    _validate(shop, resource, record, raw)
    for name, value in raw.items():
        record[name] = stored(resource.by_name[name], value)
    moment = shop.now()
    if method == "POST" and "date_add" in resource.by_name:
        record["date_add"] = moment
    if "date_upd" in resource.by_name:
        record["date_upd"] = moment
    hooks.check(record, method)
    shop.put(resource.name, record)
    associations = entity.child("associations")
    if associations is not None:
        _associations(hooks, resource, record, associations)
        shop.put(resource.name, record)
    if old is None:
        hooks.added(record)
    else:
        hooks.updated(record, old)
    for after in afters:
        after()
    return shop.get(resource.name, record["id"]) or record


def _set_lang(shop: Shop, record: Record, spec: Field, node: Node | None, method: str) -> None:
    languages = shop.languages
    if node is None or not node.all("language"):
        text = node.text if node is not None else ""
        record[spec.name] = {lang: text for lang in languages}
        return
    values: dict[str, str] = dict(record.get(spec.name) or {}) if method != "POST" else {}
    for item in node.all("language"):
        values[str(_int(item.attributes.get("id", "0")))] = item.text
    default = values.get(shop.default_language, "")
    record[spec.name] = {
        lang: values[lang] if values.get(lang) else (default if spec.required else values.get(lang, ""))
        for lang in languages
    }


def _link_rewrite(record: Record, spec: Field) -> None:
    """``Product::modifierWsLinkRewrite``: an empty link_rewrite is made from the name."""
    from comptoir.sandbox.prestashop.text import str2url

    names = record.get("name") or {}
    links = dict(record.get(spec.name) or {})
    for lang, name in names.items():
        current = links.get(lang, "")
        if not current:
            links[lang] = str2url(name)
        elif validate_field("", Field("x", "string", "isLinkRewrite"), current) is not None:
            links[lang] = str2url(current)
    record[spec.name] = links


def _validate(shop: Shop, resource: Resource, record: Record, raw: dict[str, str | None]) -> None:
    default = shop.default_language
    for spec in resource.fields:
        if not spec.lang:
            continue
        for lang, value in (record.get(spec.name) or {}).items():
            problem = validate_field(resource.cls, spec, value, default_language=lang == default)
            if problem:
                raise WsError(400, 84, f'Validation error: "{problem}"')
    for spec in resource.fields:
        if spec.lang or spec.kind == "virtual":
            continue
        value = raw[spec.name] if spec.name in raw else record.get(spec.name)
        problem = validate_field(resource.cls, spec, value)
        if problem:
            raise WsError(400, 85, f'Validation error: "{problem}"')
        if not value and spec.default and spec.name in raw:
            raw[spec.name] = spec.default


def _associations(hooks: Hooks, resource: Resource, record: Record, node: Node) -> None:
    for child in node.children:
        spec = resource.association(child.name)
        if spec is None:
            if child.name != "i18n":
                raise WsError(400, 86, f'The association "{child.name}" does not exists')
            continue
        rows = [{f.name: f.text for f in item.children} for item in child.children]
        if spec.writable and not hooks.set_rows(record, spec, rows):
            raise WsError(500, 85, f"Error occurred while setting the {child.name} value")


def delete(shop: Shop, resource: Resource, ids: list[str]) -> None:
    """``executeEntityDelete``: every id must exist (404, 87) before any is deleted."""
    missing = [i for i in ids if shop.get(resource.name, _int(i)) is None]
    if missing or not ids:
        raise WsError(404, 87, "Id(s) not exists: " + ", ".join(missing))
    hooks = shop.hooks[resource.name]
    for ident in ids:
        record = shop.get(resource.name, _int(ident))
        if record is None:
            continue
        if hooks.keep_on_delete(record):
            record["deleted"] = "1"
            shop.put(resource.name, record)
            continue
        shop.store.delete(resource.name, record["id"])
        hooks.deleted(record)
