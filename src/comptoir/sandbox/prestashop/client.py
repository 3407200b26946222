"""A small synchronous webservice client for the sandbox's own users (the demo's shop owner and
customers, the contract suite's order placer): JSON reads, XML writes, the sandbox-only routes."""

from __future__ import annotations

import ssl
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx


def xml_body(
    node: str,
    fields: Mapping[str, Any],
    associations: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> bytes:
    """``<prestashop><node>…</node></prestashop>``; a dict value is per language (id → text);
    ``associations`` maps a name (``groups``) to rows, each row's node its singular."""
    root = ET.Element("prestashop")
    item = ET.SubElement(root, node)
    for name, value in fields.items():
        element = ET.SubElement(item, name)
        if isinstance(value, dict):
            for language, text in value.items():
                ET.SubElement(element, "language", id=str(language)).text = str(text)
        else:
            element.text = str(value)
    if associations:
        holder = ET.SubElement(item, "associations")
        for name, rows in associations.items():
            group = ET.SubElement(holder, name)
            for row in rows:
                child = ET.SubElement(group, name[:-1] if not name.endswith("ies") else name[:-3] + "y")
                for key, text in row.items():
                    ET.SubElement(child, key).text = str(text)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


class SandboxClient:
    """The webservice with the sandbox's admin key, and its ``/sandbox`` routes."""

    def __init__(self, url: str, key: str, ca_file: Path | None) -> None:
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
        self._client = httpx.Client(base_url=url, auth=(key, ""), verify=verify, timeout=30)

    def close(self) -> None:
        self._client.close()

    def list(self, resource: str, **params: str) -> list[dict[str, Any]]:
        query = {"output_format": "JSON", "display": "full", **params}
        response = self._client.get(f"/api/{resource}", params=query)
        response.raise_for_status()
        body = response.json()
        found = body.get(resource, []) if isinstance(body, dict) else []
        return [item for item in found if isinstance(item, dict)]

    def create(
        self, resource: str, node: str, fields: Mapping[str, Any], **associations: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any]:
        response = self._client.post(
            f"/api/{resource}", params={"output_format": "JSON"}, content=xml_body(node, fields, associations)
        )
        if response.status_code >= 400:
            raise RuntimeError(f"sandbox refused POST {resource}: {response.status_code} {response.text}")
        return dict(response.json()[node])

    def patch(self, resource: str, node: str, ident: int | str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Change some fields of one entity (as a shop employee would in the back office)."""
        response = self._client.patch(
            f"/api/{resource}/{ident}",
            params={"output_format": "JSON"},
            content=xml_body(node, {"id": ident, **fields}, {}),
        )
        if response.status_code >= 400:
            raise RuntimeError(
                f"sandbox refused PATCH {resource}/{ident}: {response.status_code} {response.text}"
            )
        return dict(response.json()[node])

    def image(self, product: int | str, image: int | str) -> bytes:
        """The bytes of one product image."""
        response = self._client.get(f"/api/images/products/{product}/{image}")
        response.raise_for_status()
        return response.content

    def delete(self, resource: str, ident: int | str) -> None:
        """Delete one entity (a product takes its combinations along)."""
        response = self._client.delete(f"/api/{resource}/{ident}")
        if response.status_code >= 400:
            raise RuntimeError(
                f"sandbox refused DELETE {resource}/{ident}: {response.status_code} {response.text}"
            )

    def admin(self, method: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        response = self._client.request(method, f"/sandbox/{path}", json=dict(body))
        if response.status_code >= 400:
            raise RuntimeError(
                f"sandbox refused {method} /sandbox/{path}: {response.status_code} {response.text}"
            )
        return dict(response.json())

    # --- what the demo and the contract suite need ------------------------------------------------
    def item_of(self, sku: str) -> tuple[int, int]:
        """(product id, combination id or 0) of the product or variation with this reference."""
        for combination in self.list("combinations", **{"filter[reference]": f"[{sku}]"}):
            if combination.get("reference") == sku:
                return int(combination["id_product"]), int(combination["id"])
        for product in self.list("products", **{"filter[reference]": f"[{sku}]"}):
            if product.get("reference") == sku:
                return int(product["id"]), 0
        raise LookupError(f"no product or combination has the reference {sku!r}")

    def customer(
        self, email: str, first: str, last: str, *, guest: bool = False, **address: str
    ) -> tuple[int, int]:
        """(customer id, address id) of the account with this e-mail, made when missing."""
        found = [
            c
            for c in self.list("customers", **{"filter[email]": f"[{email}]"})
            if (c.get("is_guest") == "1") == guest
        ]
        if found:
            customer = int(found[0]["id"])
        else:
            fields = {
                "email": email,
                "firstname": first,
                "lastname": last,
                "passwd": "sandbox-demo-password",
                "id_default_group": "2" if guest else "3",
                "is_guest": "1" if guest else "0",
                "active": "1",
            }
            customer = int(self.create("customers", "customer", fields)["id"])
        addresses = self.list("addresses", **{"filter[id_customer]": f"[{customer}]"})
        if addresses:
            return customer, int(addresses[0]["id"])
        fields = {
            "id_customer": str(customer),
            "id_country": "8",
            "alias": "Mon adresse",
            "firstname": first,
            "lastname": last,
            "address1": address.get("address1", "1 rue de la Paix"),
            "postcode": address.get("postcode", "75002"),
            "city": address.get("city", "Paris"),
            "phone": address.get("phone", ""),
        }
        return customer, int(self.create("addresses", "address", fields)["id"])

    def place(
        self,
        customer: tuple[int, int],
        lines: Sequence[tuple[str, int]],
        state: int,
        *,
        carrier: int = 2,
        cart_rules: Sequence[str] = (),
        module: str = "ps_wirepayment",
        payment: str = "Virement bancaire",
    ) -> dict[str, Any]:
        items = []
        for sku, quantity in lines:
            product, combination = self.item_of(sku)
            items.append({"product": product, "combination": combination, "quantity": quantity})
        spec = {
            "customer": customer[0],
            "address_delivery": customer[1],
            "address_invoice": customer[1],
            "carrier": carrier,
            "lines": items,
            "cart_rules": list(cart_rules),
            "state": state,
            "module": module,
            "payment": payment,
        }
        return self.admin("POST", "orders", spec)
