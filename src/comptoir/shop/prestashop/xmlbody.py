"""Write bodies for the webservice, built with ``xml.etree`` (never by pasting values into text).

The webservice reads XML only: ``<prestashop><product><price>19.9</price>…</product></prestashop>``.
A multilingual field is either one text for every language (``<name>Bol</name>``: PrestaShop then
gives each language that value) or one ``<language id="N">`` node per language asked for.
Associations go under ``<associations>``: ``<categories><category><id>2</id></category>…``.
Characters XML 1.0 cannot carry (control characters) are dropped from every value.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True, slots=True)
class Texts:
    """A multilingual value: ``text`` in ``languages`` (every language when empty)."""

    text: str
    languages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Assoc:
    """An association's rows: ``name`` (``categories``), each row's ``node`` (``category``)."""

    name: str
    node: str
    rows: Sequence[Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class PerLanguage:
    """A multilingual value as the shop holds it: one text per language id."""

    values: Mapping[int, str]


Value = str | Texts | PerLanguage
Fields = Mapping[str, Value]


def entity(node: str, fields: Fields, associations: Sequence[Assoc] = ()) -> bytes:
    """One entity as a write body, fields in the order given."""
    root = ET.Element("prestashop")
    item = ET.SubElement(root, node)
    for name, value in fields.items():
        field = ET.SubElement(item, name)
        if isinstance(value, PerLanguage):
            for language, text in value.values.items():
                ET.SubElement(field, "language", id=str(language)).text = clean(text)
        elif isinstance(value, Texts):
            if value.languages:
                for language in value.languages:
                    ET.SubElement(field, "language", id=str(language)).text = clean(value.text)
            else:
                field.text = clean(value.text)
        else:
            field.text = clean(value)
    if associations:
        holder = ET.SubElement(item, "associations")
        for association in associations:
            group = ET.SubElement(holder, association.name)
            for row in association.rows:
                child = ET.SubElement(group, association.node)
                for key, text in row.items():
                    ET.SubElement(child, key).text = clean(text)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def texts_from_json(value: object) -> dict[int, str]:
    """A multilingual value as the JSON output gives it (plain with one language, else a list of
    ``{"id", "value"}``) → language id → text; a plain value has no language (key 0)."""
    if isinstance(value, list):
        return {
            int(item.get("id") or 0): str(item.get("value") or "") for item in value if isinstance(item, dict)
        }
    return {0: "" if value is None else str(value)}
