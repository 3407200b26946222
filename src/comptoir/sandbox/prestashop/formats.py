"""Writing answers as ``WebserviceOutputXML`` and ``WebserviceOutputJSON`` write them.

XML: ``<prestashop xmlns:xlink=…>``, one tab before fields, values in CDATA (an empty value is
``<![CDATA[]]>`` from 8.0, nothing in 1.7), ``xlink:href`` on linked ids, ``notFilterable`` on
computed fields, ``<language id="1" xlink:href=…>`` for each language of a multilingual field,
``<associations>`` with ``nodeType``/``api`` (``virtualEntity`` for order rows, ``readOnly`` when
not writable). JSON: ``json_encode`` with ``JSON_UNESCAPED_UNICODE`` (``/`` still escaped); a
list is ``{"products": [{"id": 1}]}`` — or ``[]`` when empty, in every supported version; a
single object is ``{"product": {…}}`` — but ``{"products": [{…}]}`` whenever ``display`` is in
the query; a multilingual value is the plain value with one language, else
``[{"id": "1", "value": …}]``; 8.x/9.x drop a single object's empty fields (``array_filter``).
Sources: PrestaShop 1.7.6.2 / 8.2.0 / 9.0.0 classes/webservice/WebserviceOutputXML.php,
WebserviceOutputJSON.php, WebserviceOutputBuilder.php (``getResourcesList``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from comptoir.sandbox.prestashop.output import Entity, Out
from comptoir.sandbox.prestashop.values import php_falsy
from comptoir.sandbox.prestashop.versions import Version

Lang = int | str
"""A language id as the output holds it: a string from the database, an int after ``language=N``."""


def _cdata(value: Any, version: Version) -> str:
    text = "" if value is None else str(value)
    if text == "" and not version.xml_empty_cdata:
        return ""
    return f"<![CDATA[{text}]]>"


class XmlWriter:
    content_type = "text/xml;charset=UTF-8"

    def __init__(self, version: Version, languages: Sequence[Lang], ws_url: str) -> None:
        self.version = version
        self.languages = languages
        self.ws_url = ws_url

    def wrap(self, content: str) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            f"{content}</prestashop>\n"
        )

    def errors(self, errors: Sequence[tuple[int, str]]) -> str:
        body = "".join(
            f"<error>\n<code><![CDATA[{code}]]></code>\n<message><![CDATA[{message}]]></message>\n</error>\n"
            for code, message in errors
        )
        return self.wrap(f"<errors>\n{body}</errors>\n")

    def field(self, out: Out, schema: str | None = None) -> str:
        attrs = ""
        if out.lang:
            inner = ""
            for lang in self.languages:
                more = ""
                if out.synopsis is not None or isinstance(out.value, dict):
                    more = f' xlink:href="{self.ws_url}languages/{lang}"'
                    if out.synopsis is not None and schema != "blank":
                        more += ' format="isUnsignedId" '
                value = out.value.get(str(lang), "") if isinstance(out.value, dict) else ""
                inner += f'<language id="{lang}"{more}><![CDATA[{value}]]></language>'
        else:
            if out.xlink and schema != "blank":
                attrs += f' xlink:href="{out.xlink}"'
            if out.dynamic and schema != "blank":
                attrs += ' notFilterable="true"'
            if out.read_only and schema == "synopsis":
                attrs += ' read_only="true"'
            inner = _cdata(out.value, self.version)
        if out.encode:
            attrs += f' encode="{out.encode}"'
        if out.synopsis and schema != "blank":
            attrs += "".join(f' {k}="{v}"' for k, v in out.synopsis.items())
        return f"<{out.name}{attrs}>{inner}</{out.name}>\n"

    def entity(self, entity: Entity, schema: str | None = None) -> str:
        text = f"<{entity.node}>\n"
        text += "".join("\t" + self.field(out, schema) for out in entity.fields)
        if entity.associations is not None:
            text += "<associations>\n"
            for assoc in entity.associations:
                spec = assoc.spec
                more = ""
                if schema != "blank":
                    more += ' readOnly="true"' if not spec.writable else ""
                    more += f' nodeType="{spec.node}"'
                    more += ' virtualEntity="true"' if spec.virtual else f' api="{spec.api or spec.name}"'
                if not assoc.rows:
                    text += f"<{spec.name}{more}/>\n"
                    continue
                text += f"<{spec.name}{more}>\n"
                for row in assoc.rows:
                    link = f' xlink:href="{row.xlink}"' if row.xlink and schema is None else ""
                    text += f"\t<{spec.node}{link}>\n"
                    text += "".join("\t" + self.field(out, schema) for out in row.fields)
                    text += f"\t</{spec.node}>\n"
                text += f"</{spec.name}>\n"
            text += "</associations>\n"
        return text + f"</{entity.node}>\n"

    def minimal(self, nodes: str, node: str, ids: Sequence[int]) -> str:
        items = "".join(f'<{node} id="{i}" xlink:href="{self.ws_url}{nodes}/{i}"/>\n' for i in ids)
        return self.wrap(f"<{nodes}>\n{items}</{nodes}>\n")

    def entities(self, nodes: str, entities: Sequence[Entity], as_list: bool) -> str:
        body = "".join(self.entity(e) for e in entities)
        return self.wrap(f"<{nodes}>\n{body}</{nodes}>\n" if as_list else body)

    def schema(self, nodes: str, entity: Entity, kind: str) -> str:
        return self.wrap(self.entity(entity, kind))

    def api(self, shop_name: str, resources: Sequence[tuple[str, str, list[str], bool]]) -> str:
        text = f'<api shopName="{shop_name}">\n'
        for name, description, methods, specific in resources:
            flags = " ".join(
                f'{m.lower()}="{"true" if m in methods else "false"}"'
                for m in ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD")
                if m != "PATCH" or self.version.patch
            )
            attrs = f' xlink:href="{self.ws_url}{name}" {flags}'
            text += f"<{name}{attrs}>\n<description{attrs}>\n{description}</description>\n"
            if not specific:
                for kind in ("blank", "synopsis"):
                    text += f'<schema xlink:href="{self.ws_url}{name}?schema={kind}" type="{kind}"/>\n'
            text += f"</{name}>\n"
        return self.wrap(text + "</api>\n")


class JsonWriter:
    content_type = "application/json"

    def __init__(self, version: Version, languages: Sequence[Lang], display_in_query: bool) -> None:
        self.version = version
        self.languages = languages
        self.display_in_query = display_in_query

    def dump(self, content: Any) -> str:
        if self.version.json_drops_empty and isinstance(content, dict):
            content = {k: _filtered(v) for k, v in content.items()}
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).replace("/", "\\/")

    def errors(self, errors: Sequence[tuple[int, str]]) -> str:
        return self.dump({"errors": [{"code": code, "message": message} for code, message in errors]})

    def value(self, out: Out) -> Any:
        if not out.lang:
            return out.value
        values = out.value if isinstance(out.value, dict) else {}
        items = [
            {"id": lang, "value": values.get(str(lang)) if values else out.value} for lang in self.languages
        ]
        return items[0]["value"] if len(items) == 1 else items

    def entity(self, entity: Entity) -> dict[str, Any]:
        body: dict[str, Any] = {out.name: self.value(out) for out in entity.fields}
        for assoc in entity.associations or []:
            if assoc.rows:
                body.setdefault("associations", {})[assoc.spec.name] = [
                    {out.name: out.value for out in row.fields} for row in assoc.rows
                ]
        return body

    def minimal(self, nodes: str, node: str, ids: Sequence[int]) -> str:
        return self.dump({nodes: [{"id": i} for i in ids]} if ids else [])

    def entities(self, nodes: str, entities: Sequence[Entity], as_list: bool) -> str:
        if not entities:
            return self.dump([])
        if self.display_in_query:
            return self.dump({nodes: [self.entity(e) for e in entities]})
        content: dict[str, Any] = {}
        for entity in entities:
            content[entity.node] = self.entity(entity)
        return self.dump(content)

    def schema(self, nodes: str, entity: Entity, kind: str) -> str:
        body = self.entity(entity)
        return self.dump({nodes: [body]} if self.display_in_query else {entity.node: body})

    def api(self, shop_name: str, resources: Sequence[tuple[str, str, list[str], bool]]) -> str:
        return self.dump([name for name, _, _, _ in resources])


def _filtered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not php_falsy(v)}
    if isinstance(value, list):
        return [v for v in value if not php_falsy(v)]
    return value
