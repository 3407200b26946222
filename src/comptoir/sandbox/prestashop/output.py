"""What an answer contains, before it is written as XML or JSON: the tree that
``WebserviceOutputBuilder`` walks (``getContent``, ``renderEntity``, ``renderField``,
``renderAssociations``, ``renderFlatAssociation``, ``renderSchema``, ``getSynopsisDetails``).

Rules kept from the source (PrestaShop 9.0.0 classes/webservice/WebserviceOutputBuilder.php):
hidden fields never shown; an ``id_…`` field whose value is empty or 0 loses its ``xlink``;
``blank`` schemas hide read-only fields and ``synopsis`` schemas hide ``id``; associations are
shown with ``display=full`` or when one is asked for (``display=[id,categories[id]]``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comptoir.sandbox.prestashop.query import Display
from comptoir.sandbox.prestashop.schema.base import Association, Field, Resource


@dataclass
class Out:
    name: str
    value: Any
    lang: bool = False
    xlink: str | None = None
    dynamic: bool = False
    read_only: bool = False
    synopsis: dict[str, str] | None = None
    encode: str | None = None


@dataclass
class AssocRow:
    xlink: str | None
    fields: list[Out]


@dataclass
class AssocOut:
    spec: Association
    rows: list[AssocRow]


@dataclass
class Entity:
    node: str
    fields: list[Out]
    associations: list[AssocOut] | None


ValueFn = Callable[[dict[str, Any], Field], Any]
RowsFn = Callable[[dict[str, Any], Association], list[dict[str, Any]]]


@dataclass
class Builder:
    resource: Resource
    ws_url: str
    value: ValueFn
    rows: RowsFn

    def entity(self, record: dict[str, Any], show: Display) -> Entity:
        fields = [
            self._field(record, spec)
            for spec in self.resource.all_fields
            if spec.name not in self.resource.hidden
            and (show == "full" or (isinstance(show, dict) and spec.name in show))
        ]
        wanted = show == "full" or (
            isinstance(show, dict) and any(isinstance(v, list) for v in show.values())
        )
        associations = None
        if self.resource.associations and wanted:
            associations = []
            for spec in self.resource.associations:
                if show == "full":
                    associations.append(self._association(record, spec, None))
                elif isinstance(show, dict) and spec.name in show:
                    associations.append(self._association(record, spec, show[spec.name] or []))
        return Entity(self.resource.node, fields, associations)

    def _field(self, record: dict[str, Any], spec: Field) -> Out:
        value = record["id"] if spec.name == "id" else self.value(record, spec)
        xlink = None
        if spec.xlink and not (spec.name.startswith("id_") and _php_false(value)):
            if "/" in spec.xlink:
                xlink = f"{self.ws_url}{spec.xlink}/{record['id']}/{value}"
            else:
                xlink = f"{self.ws_url}{spec.xlink}/{value}"
        if spec.name.startswith("id_") and value is None:
            value = ""
        return Out(spec.name, value, spec.lang, xlink, spec.dynamic, spec.setter is False)

    def _association(self, record: dict[str, Any], spec: Association, only: list[str] | None) -> AssocOut:
        out: list[AssocRow] = []
        for row in self.rows(record, spec):
            if spec.name == "images":
                # renderFlatAssociation: images/<entities>/<object id>/<image id>, a combination's
                # images under its product.
                combination = self.resource.name == "combinations"
                owner = record.get("id_product") if combination else record["id"]
                link = f"{self.ws_url}images/products/{owner}/{row.get('id')}"
            else:
                link = f"{self.ws_url}{spec.name}/{row.get('id')}"
            fields = [
                Out(item.name, row.get(item.name))
                for item in spec.fields
                if only is None or item.name in only
            ]
            out.append(AssocRow(link, fields))
        return AssocOut(spec, out)

    def schema(self, kind: str) -> Entity:
        """``renderSchema``: every field empty; ``synopsis`` adds format / required / maxSize."""
        fields: list[Out] = []
        for spec in self.resource.all_fields:
            if spec.name in self.resource.hidden:
                continue
            if kind == "synopsis" and spec.name == "id":
                continue
            if kind == "blank" and spec.setter is False:
                continue
            details = _synopsis(spec) if kind == "synopsis" else None
            fields.append(Out(spec.name, "", spec.lang, None, spec.dynamic, spec.setter is False, details))
        associations = [
            AssocOut(
                spec,
                [
                    AssocRow(
                        None,
                        [
                            Out(
                                f.name,
                                None,
                                synopsis={"required": "true"} if f.required and kind == "synopsis" else None,
                            )
                            for f in spec.fields
                        ],
                    )
                ],
            )
            for spec in self.resource.associations
        ]
        return Entity(self.resource.node, fields, associations or None)


def _synopsis(spec: Field) -> dict[str, str]:
    details: dict[str, str] = {}
    if spec.required:
        details["required"] = "true"
    if spec.size:
        details["maxSize"] = str(spec.size)
    if spec.validate:
        details["format"] = spec.validate
    if spec.setter is False:
        details["readOnly"] = "true"
    return details


def _php_false(value: Any) -> bool:
    return value is None or value in ("", "0", 0, False)
