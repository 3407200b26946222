"""Request bodies: XML only, as ``new SimpleXMLElement($this->_inputXml)`` reads them.

The dispatcher reads the raw body of POST/PUT/PATCH and strips a leading ``xml=`` (without URL
decoding it); ``saveEntityFromXml`` parses it and takes every child of the root as one entity.
Anything that does not parse — a JSON body included — is a 500 with code 127 and PrestaShop's
message. Sources: PrestaShop 9.0.0 webservice/dispatcher.php, classes/webservice/
WebserviceRequest.php (``saveEntityFromXml``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from comptoir.sandbox.prestashop.errors import WsError


@dataclass
class Node:
    """An element as SimpleXMLElement exposes it: its direct text, attributes and children."""

    name: str
    text: str
    attributes: dict[str, str]
    children: list[Node] = field(default_factory=list)

    def child(self, name: str) -> Node | None:
        """``$node->name``: the first child of that name (``isset`` is ``child(...) is not None``)."""
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[Node]:
        return [c for c in self.children if c.name == name]


def _node(element: ET.Element) -> Node:
    name = element.tag.rsplit("}", 1)[-1]
    # (string) $element: the element's own text nodes, not its descendants'.
    text = (element.text or "") + "".join(child.tail or "" for child in element)
    attributes = {k.rsplit("}", 1)[-1]: v for k, v in element.attrib.items()}
    return Node(name, text, attributes, [_node(child) for child in element])


def strip_form_prefix(body: bytes) -> bytes:
    """The dispatcher's ``strncmp($input_xml, 'xml=', 4)``: the prefix goes, nothing is decoded."""
    return body[4:] if body.startswith(b"xml=") else body


def parse_entities(body: bytes) -> list[Node]:
    """The entities of a write: the children of the root element, whatever their names."""
    text = body.decode("utf-8", errors="replace")
    try:
        if not text.strip():
            raise ET.ParseError("empty")
        root = ET.fromstring(body)
    except ET.ParseError:
        raise WsError(
            500,
            127,
            f"XML error : String could not be parsed as XML\nXML length : {len(body)}\nOriginal XML : {text}",
        ) from None
    return [_node(child) for child in root]
