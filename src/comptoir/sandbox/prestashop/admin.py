"""Sandbox-only routes (not PrestaShop's): what a shop's customers and back office do outside the
webservice, so tests and the demo can make the shop state they need.

- ``POST /sandbox/orders`` places an order as a customer checking out would
  (``PaymentModule::validateOrder`` from a cart): ``{"customer": 3, "address_delivery": 5,
  "address_invoice": 5, "carrier": 2, "lines": [{"product": 1, "combination": 0, "quantity": 2}],
  "cart_rules": ["CODE" or id], "state": 2, "payment": "Bank wire", "module": "ps_wirepayment"}``.
  Totals as ``totals.compute``; order rows with their unit and line prices; stock taken out
  (unless the state is Canceled or Payment error); the first order history; answers
  ``{"id": …, "reference": …}``.
- ``POST /sandbox/keys``: a webservice key, ``{"permissions": {"products": ["GET"]} or "all",
  "active": true}`` → ``{"key": …}``; ``PATCH /sandbox/keys/<key>``: ``{"active": false}``.
- ``PUT /sandbox/configuration``: shop settings (``PS_ROUND_TYPE``, ``PS_PRICE_ROUND_MODE``,
  ``PS_WEBSERVICE``, ``SANDBOX_SHIPPING_<carrier id>`` — a carrier's price excl. tax…).
They need the sandbox's admin key, sent as the webservice takes it (Basic, key as user name).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from comptoir.sandbox.core.store import Record
from comptoir.sandbox.prestashop import keys, totals
from comptoir.sandbox.prestashop.entities import Shop
from comptoir.sandbox.prestashop.hooks_sales import add_history, move_stock
from comptoir.sandbox.prestashop.schema import SIMULATED
from comptoir.sandbox.prestashop.schema.base import Resource
from comptoir.sandbox.prestashop.text import order_reference
from comptoir.sandbox.prestashop.values import decimal_text, php_float, php_int, stored


class AdminError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def make(resource: Resource, raw: dict[str, Any], languages: list[str]) -> Record:
    """A record with every field of ``resource`` stored as the column holds it."""
    record: Record = {"id": raw.get("id"), "_assoc": {}}
    for spec in resource.fields:
        if spec.kind == "virtual":
            continue
        value = raw.get(spec.name)
        if spec.lang:
            text = "" if value is None else str(value)
            record[spec.name] = value if isinstance(value, dict) else {lang: text for lang in languages}
        else:
            record[spec.name] = stored(spec, None if value is None else str(value))
    return record


def _need(shop: Shop, resource: str, ident: Any, what: str) -> Record:
    record = shop.get(resource, php_int(ident))
    if record is None:
        raise AdminError(f"{what} {ident} does not exist")
    return record


def tax_rules(shop: Shop, group: int, address: Record) -> totals.Taxes:
    """``TaxRulesTaxManager::getTaxCalculator`` for a group and an address."""
    if group == 0 or str(shop.config("PS_TAX", "1")) != "1":
        return totals.Taxes()
    active = shop.get("tax_rule_groups", group)
    if active is None or active.get("active") != "1":
        return totals.Taxes()
    postcode = str(address.get("postcode") or "0")
    rows = [
        r
        for r in shop.all("tax_rules")
        if php_int(r["id_tax_rules_group"]) == group
        and r["id_country"] == address.get("id_country")
        and php_int(r["id_state"]) in (0, php_int(address.get("id_state")))
        and _zip_matches(r, postcode)
    ]
    rows.sort(key=lambda r: (r["zipcode_from"], r["zipcode_to"], php_int(r["id_state"])), reverse=True)
    rates: list[Decimal] = []
    ids: list[int] = []
    behavior = php_int(rows[0]["behavior"]) if rows else 0
    for row in rows:
        tax = shop.get("taxes", php_int(row["id_tax"]))
        rates.append(php_float(tax["rate"]) if tax else Decimal(0))
        if tax is not None:
            ids.append(int(tax["id"]))
        if php_int(row["behavior"]) == 0:
            break
    return totals.Taxes(tuple(rates), behavior, tuple(ids))


def _zip_matches(rule: Record, postcode: str) -> bool:
    low, high = str(rule["zipcode_from"] or "0"), str(rule["zipcode_to"] or "0")
    if high == "0":
        return low in ("0", postcode)
    return low <= postcode <= high


def specific_price(
    shop: Shop, product: int, combination: int, customer: Record, country: int, quantity: int
) -> Record | None:
    """``SpecificPrice::getSpecificPrice`` for the sandbox's one shop and currency."""
    now = shop.now()
    group = php_int(customer.get("id_default_group"))
    candidates = []
    for price in shop.all("specific_prices"):
        if php_int(price["id_product"]) not in (0, product) or php_int(price["id_product_attribute"]) not in (
            0,
            combination,
        ):
            continue
        if php_int(price["id_customer"]) not in (0, int(customer["id"])) or php_int(price["id_cart"]) != 0:
            continue
        if php_int(price["id_shop"]) not in (0, 1) or php_int(price["id_currency"]) not in (0, 1):
            continue
        if php_int(price["id_country"]) not in (0, country) or php_int(price["id_group"]) not in (0, group):
            continue
        start, end = price["from"], price["to"]
        if (start != "0000-00-00 00:00:00" and now < start) or (end != "0000-00-00 00:00:00" and now > end):
            continue
        threshold = php_int(price["from_quantity"])
        if (threshold if threshold > 1 else 0) > quantity:
            continue
        score = sum(
            weight
            for field, weight in (
                ("id_customer", 32),
                ("id_shop", 16),
                ("id_currency", 8),
                ("id_country", 4),
                ("id_group", 2),
            )
            if php_int(price[field]) != 0
        )
        candidates.append(
            (
                php_int(price["id_product_attribute"]),
                php_int(price["from_quantity"]),
                score,
                price["to"],
                price["from"],
                price,
            )
        )
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1], c[2], c[3], c[4]), reverse=True)
    return candidates[0][5]


def place_order(shop: Shop, spec: dict[str, Any]) -> Record:
    customer = _need(shop, "customers", spec.get("customer"), "customer")
    delivery = _need(shop, "addresses", spec.get("address_delivery"), "address")
    invoice = _need(shop, "addresses", spec.get("address_invoice") or spec.get("address_delivery"), "address")
    carrier = _need(shop, "carriers", spec.get("carrier") or shop.config("PS_CARRIER_DEFAULT", 1), "carrier")
    state = php_int(spec.get("state") or shop.config("PS_OS_PAYMENT", 2))
    _need(shop, "order_states", state, "order state")
    tax_address = invoice if shop.config("PS_TAX_ADDRESS_TYPE") == "id_address_invoice" else delivery
    country = php_int(tax_address.get("id_country"))
    group = shop.get("groups", php_int(customer.get("id_default_group")))
    raw_lines = spec.get("lines") or []
    if not raw_lines:
        raise AdminError("an order needs lines")
    quantities: dict[int, int] = {}
    for item in raw_lines:
        quantities[php_int(item.get("product"))] = quantities.get(php_int(item.get("product")), 0) + php_int(
            item.get("quantity")
        )
    lines: list[totals.Line] = []
    sources: list[tuple[Record, Record | None]] = []
    for item in raw_lines:
        product = _need(shop, "products", item.get("product"), "product")
        combination = None
        if php_int(item.get("combination")):
            combination = _need(shop, "combinations", item.get("combination"), "combination")
            if php_int(combination["id_product"]) != int(product["id"]):
                raise AdminError(f"combination {combination['id']} is not one of product {product['id']}")
        quantity = php_int(item.get("quantity"))
        if quantity <= 0:
            raise AdminError(f"product {product['id']}: the quantity must be positive")
        found = specific_price(
            shop,
            int(product["id"]),
            int(combination["id"]) if combination else 0,
            customer,
            country,
            quantities[int(product["id"])],
        )
        specific = None
        if found is not None:
            specific = totals.Specific(
                php_float(found["price"]),
                php_float(found["reduction"]),
                found["reduction_type"],
                found["reduction_tax"] == "1",
                php_int(found["id_product_attribute"]),
            )
        lines.append(
            totals.Line(
                base_price=php_float(product["price"]),
                impact=php_float(combination["price"]) if combination else Decimal(0),
                quantity=quantity,
                taxes=tax_rules(shop, php_int(product["id_tax_rules_group"]), tax_address),
                specific=specific,
                group_reduction=php_float(group["reduction"]) if group else Decimal(0),
                additional_shipping=php_float(product.get("additional_shipping_cost")),
            )
        )
        sources.append((product, combination))
    rules = [_rule(shop, code, sources) for code in spec.get("cart_rules") or []]
    carrier_taxes = tax_rules(shop, php_int(carrier.get("_tax_rules_group")), tax_address)
    handling = (
        php_float(shop.config("PS_SHIPPING_HANDLING", "0"))
        if carrier.get("shipping_handling") == "1"
        else Decimal(0)
    )
    shipping = totals.Shipping(
        php_float(shop.config(f"SANDBOX_SHIPPING_{carrier['id']}", "0")),
        handling,
        carrier_taxes,
        carrier.get("is_free") == "1",
    )
    rounding = {
        "round_type": php_int(shop.config("PS_ROUND_TYPE", 2)),
        "round_mode": php_int(shop.config("PS_PRICE_ROUND_MODE", 2)),
        "precision": php_int(shop.config("PS_PRICE_DISPLAY_PRECISION", 2)),
    }
    free_above = php_float(shop.config("PS_SHIPPING_FREE_PRICE", "0"))
    if free_above > 0 and not shipping.free:
        # getPackageShippingCost: free when the order without shipping reaches PS_SHIPPING_FREE_PRICE.
        without = totals.compute(copy.deepcopy(lines), rules, totals.Shipping(free=True), **rounding)
        if without.paid_incl >= free_above:
            shipping = totals.Shipping(free=True)
    result = totals.compute(lines, rules, shipping, **rounding)
    now = shop.now()
    order = make(
        SIMULATED["orders"],
        {
            "id_address_delivery": delivery["id"],
            "id_address_invoice": invoice["id"],
            "id_cart": shop.store.next_id("carts"),
            "id_currency": 1,
            "id_lang": customer.get("id_lang") or shop.default_language,
            "id_customer": customer["id"],
            "id_carrier": carrier["id"],
            "current_state": 0,
            "module": spec.get("module", "ps_wirepayment"),
            "date_add": now,
            "date_upd": now,
            "id_shop_group": 1,
            "id_shop": 1,
            "secure_key": customer.get("secure_key"),
            "payment": spec.get("payment", "Virement bancaire"),
            "conversion_rate": "1",
            "total_discounts": result.discounts_incl,
            "total_discounts_tax_incl": result.discounts_incl,
            "total_discounts_tax_excl": result.discounts_excl,
            "total_paid": result.paid_incl,
            "total_paid_tax_incl": result.paid_incl,
            "total_paid_tax_excl": result.paid_excl,
            "total_paid_real": 0,
            "total_products": result.products_excl,
            "total_products_wt": result.products_incl,
            "total_shipping": result.shipping_incl,
            "total_shipping_tax_incl": result.shipping_incl,
            "total_shipping_tax_excl": result.shipping_excl,
            "carrier_tax_rate": decimal_text(carrier_taxes.total_rate, 3),
            "round_mode": shop.config("PS_PRICE_ROUND_MODE", 2),
            "round_type": shop.config("PS_ROUND_TYPE", 2),
            "reference": order_reference(),
            "note": spec.get("note", ""),
        },
        shop.languages,
    )
    shop.put("orders", order)
    for line, (product, combination) in zip(lines, sources, strict=True):
        _detail(shop, order, line, product, combination)
    troubled = (php_int(shop.config("PS_OS_CANCELED", 6)), php_int(shop.config("PS_OS_ERROR", 8)))
    if state not in troubled:
        for line, (product, combination) in zip(lines, sources, strict=True):
            move_stock(shop, int(product["id"]), int(combination["id"]) if combination else 0, -line.quantity)
    add_history(shop, order, state)
    return shop.get("orders", int(order["id"])) or order


def _rule(shop: Shop, code: Any, sources: list[tuple[Record, Record | None]]) -> totals.Rule:
    rule = shop.get("cart_rules", php_int(code)) if str(code).isdigit() else None
    if rule is None:
        rule = next((r for r in shop.all("cart_rules") if r.get("code") and r["code"] == str(code)), None)
    if rule is None or rule.get("active") != "1":
        raise AdminError(f"cart rule {code} does not exist or is not active")
    target = php_int(rule.get("reduction_product"))
    index = None
    if target > 0:
        index = next((i for i, (p, _) in enumerate(sources) if int(p["id"]) == target), None)
        if index is None:
            raise AdminError(f"cart rule {code} applies to product {target}, not in the order")
    return totals.Rule(
        percent=php_float(rule.get("reduction_percent")),
        amount=php_float(rule.get("reduction_amount")),
        amount_tax_included=rule.get("reduction_tax") == "1",
        product_index=index,
        free_shipping=rule.get("free_shipping") == "1",
    )


def _detail(
    shop: Shop, order: Record, line: totals.Line, product: Record, combination: Record | None
) -> None:
    default = shop.default_language
    name = (product.get("name") or {}).get(default, "")
    if combination is not None:
        colon = " : " if default == "1" else ": "
        parts = []
        for row in combination.get("_assoc", {}).get("product_option_values", []):
            value = shop.get("product_option_values", php_int(row.get("id")))
            option = shop.get("product_options", php_int(value["id_attribute_group"])) if value else None
            if value and option:
                parts.append(
                    f"{option['public_name'].get(default, '')}{colon}{value['name'].get(default, '')}"
                )
        attributes = "- ".join(parts)
        if attributes:
            name = (
                f"{name} - {attributes}"
                if shop.version.number.startswith("1.7")
                else f"{name} ({attributes})"
            )
    source = combination if combination is not None else product
    specific = line.specific
    make_detail = make(
        SIMULATED["order_details"],
        {
            "id_order": order["id"],
            "product_id": product["id"],
            "product_attribute_id": combination["id"] if combination else 0,
            "id_warehouse": 0,
            "id_shop": 1,
            "id_customization": 0,
            "product_name": name,
            "product_quantity": line.quantity,
            "product_quantity_in_stock": line.quantity,
            "product_price": line.unit_excl,
            "reduction_percent": specific.reduction * 100
            if specific and specific.reduction_type == "percentage"
            else 0,
            "reduction_amount": specific.reduction if specific and specific.reduction_type == "amount" else 0,
            "group_reduction": line.group_reduction,
            "product_ean13": source.get("ean13") or "",
            "product_upc": source.get("upc") or "",
            "product_isbn": source.get("isbn") or "",
            "product_reference": source.get("reference") or "",
            "product_weight": product.get("weight"),
            "tax_rate": line.taxes.total_rate,
            "tax_computation_method": line.taxes.behavior,
            "id_tax_rules_group": product.get("id_tax_rules_group"),
            "unit_price_tax_incl": line.unit_incl,
            "unit_price_tax_excl": line.unit_excl,
            "total_price_tax_incl": line.total_incl,
            "total_price_tax_excl": line.total_excl,
            "original_product_price": totals.unit_price(line, with_tax=False, with_reduction=False),
            "purchase_supplier_price": product.get("wholesale_price"),
            "original_wholesale_price": product.get("wholesale_price"),
        },
        shop.languages,
    )
    # OrderDetail::saveTaxCalculator writes one order_detail_tax row per tax of the row;
    # getWsTaxes lists them as the ``taxes`` association.
    make_detail["_assoc"] = {"taxes": [{"id": str(i)} for i in line.taxes.ids]}
    shop.put("order_details", make_detail)


def create_key(shop: Shop, spec: dict[str, Any]) -> str:
    permissions = spec.get("permissions", "all")
    if permissions == "all":
        permissions = keys.full_access(shop.version.resources, shop.version.methods)
    if not isinstance(permissions, dict):
        raise AdminError('"permissions" is "all" or {resource: [methods]}')
    return keys.create(
        shop.store,
        {str(k): [str(m) for m in v] for k, v in permissions.items()},
        active=bool(spec.get("active", True)),
    )


def configure(shop: Shop, settings: dict[str, Any]) -> None:
    for name, value in settings.items():
        shop.store.set_setting(f"config:{name}", str(value))
