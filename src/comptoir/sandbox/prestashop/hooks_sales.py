"""What orders, their histories and carriers do beyond their fields (PrestaShop 9.0.0 sources).

- Orders (classes/order/Order.php): ``POST`` is refused (``addWs`` validates a cart, and carts are
  not simulated: orders come from ``POST /sandbox/orders``); ``order_rows`` are the order's
  details (``getWsOrderRows``, not writable); ``current_state`` written through
  ``setWsCurrentState`` changes the state as an order history does; ``shipping_number`` is the
  order carrier's tracking number (``getWsShippingNumber``/``setWsShippingNumber``).
- Order histories (classes/order/OrderHistory.php ``addWs``, ``add``, ``changeIdOrderState``):
  adding one sets the order's ``current_state`` and ``valid`` (the state's ``logable``), gives it
  an invoice number when the state has ``invoice``, a delivery number with ``delivery``, records
  the payment when the state is ``paid``; entering Canceled or Payment error puts the ordered
  quantities back in stock, leaving them takes them out again.
- Carriers (classes/Carrier.php): ``id_tax_rules_group`` through ``getIdTaxRulesGroup`` /
  ``setTaxRulesGroup``.
"""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.core.store import Record
from comptoir.sandbox.prestashop.entities import After, Hooks, Shop
from comptoir.sandbox.prestashop.errors import WsError
from comptoir.sandbox.prestashop.hooks_catalog import sync_product_stock
from comptoir.sandbox.prestashop.schema.base import Association, Field
from comptoir.sandbox.prestashop.values import php_float, php_int

ROW_FIELDS = (
    "product_id",
    "product_attribute_id",
    "product_quantity",
    "product_name",
    "product_reference",
    "product_ean13",
    "product_isbn",
    "product_upc",
    "product_price",
    "id_customization",
    "unit_price_tax_incl",
    "unit_price_tax_excl",
)


def move_stock(shop: Shop, product: int, combination: int, delta: int) -> None:
    """``StockAvailable::updateQuantity``: the row of the product or combination, then the sum."""
    for row in shop.all("stock_availables"):
        if php_int(row["id_product"]) == product and php_int(row["id_product_attribute"]) == combination:
            row["quantity"] = str(php_int(row["quantity"]) + delta)
            shop.put("stock_availables", row)
    if combination:
        sync_product_stock(shop.hooks["stock_availables"], product)


def change_state(shop: Shop, order: Record, new_state: int) -> None:
    """``OrderHistory::changeIdOrderState`` then ``add``, for the parts the sandbox keeps."""
    new = shop.get("order_states", new_state)
    old = shop.get("order_states", php_int(order.get("current_state")))
    if new is None:
        raise WsError(500, 46, "Unable to save resource")
    troubled = {str(shop.config("PS_OS_ERROR", 8)), str(shop.config("PS_OS_CANCELED", 6))}
    if old is not None:
        for row in details_of(shop, int(order["id"])):
            delta = 0
            new_logable, old_logable = new["logable"] == "1", old["logable"] == "1"
            if new_logable and not old_logable and str(old["id"]) in troubled:
                delta = -1
            elif (not new_logable and old_logable and str(new["id"]) in troubled) or (
                not new_logable
                and not old_logable
                and str(new["id"]) in troubled
                and str(old["id"]) not in troubled
            ):
                delta = 1
            elif (
                not new_logable
                and not old_logable
                and str(new["id"]) not in troubled
                and str(old["id"]) in troubled
            ):
                delta = -1
            if delta:
                qty = php_int(row["product_quantity"])
                move_stock(
                    shop, php_int(row["product_id"]), php_int(row["product_attribute_id"]), delta * qty
                )
    order["current_state"] = str(new_state)
    order["valid"] = new["logable"]
    if new["invoice"] == "1" and php_int(order.get("invoice_number")) == 0:
        number = php_int(shop.config("PS_INVOICE_START_NUMBER", 0)) or 0
        used = [php_int(o.get("invoice_number")) for o in shop.all("orders")]
        order["invoice_number"] = str(max([number, *used]) + 1)
        order["invoice_date"] = shop.now()
    if new["delivery"] == "1" and php_int(order.get("delivery_number")) == 0:
        used = [php_int(o.get("delivery_number")) for o in shop.all("orders")]
        order["delivery_number"] = str(max([0, *used]) + 1)
        order["delivery_date"] = shop.now()
    if new["paid"] == "1" and php_float(order.get("total_paid_real")) < php_float(order.get("total_paid")):
        order["total_paid_real"] = order["total_paid"]
    order["date_upd"] = shop.now()
    shop.put("orders", order)


def details_of(shop: Shop, order: int) -> list[Record]:
    return [d for d in shop.all("order_details") if php_int(d["id_order"]) == order]


class OrderHooks(Hooks):
    def check(self, record: Record, method: str) -> None:
        if method == "POST":
            # Order::addWs runs PaymentModule::validateOrder on the order's cart; carts are not
            # simulated, so the sandbox places orders through POST /sandbox/orders instead.
            raise WsError(
                501,
                0,
                "Orders are made from carts, which the comptoir sandbox does not simulate: "
                "place orders with POST /sandbox/orders.",
            )

    def value(self, record: Record, spec: Field) -> Any:
        if spec.name == "shipping_number":
            return record.get("_tracking")
        return record.get(spec.name)

    def set(self, record: Record, spec: Field, text: str) -> After | None:
        if spec.name == "shipping_number":
            record["_tracking"] = text
        if spec.name == "current_state" and record.get("id"):
            state = php_int(text)
            ident = int(record["id"])

            def apply() -> None:
                order = self.shop.get("orders", ident)
                if order is not None and state and state != php_int(order.get("current_state")):
                    add_history(self.shop, order, state)

            return apply
        return None

    def rows(self, record: Record, spec: Association) -> list[dict[str, Any]]:
        if spec.name == "order_rows":
            return [
                {"id": str(d["id"]), **{k: d.get(k) for k in ROW_FIELDS}}
                for d in details_of(self.shop, int(record["id"]))
            ]
        return super().rows(record, spec)

    def set_rows(self, record: Record, spec: Association, rows: list[dict[str, str]]) -> bool:
        return True


def add_history(shop: Shop, order: Record, state: int, employee: int = 0) -> Record:
    change_state(shop, order, state)
    return shop.put(
        "order_histories",
        {
            "id": None,
            "id_employee": str(employee),
            "id_order_state": str(state),
            "id_order": str(order["id"]),
            "date_add": shop.now(),
            "_assoc": {},
        },
    )


class OrderHistoryHooks(Hooks):
    def check(self, record: Record, method: str) -> None:
        if method != "POST":
            return
        order = self.shop.get("orders", php_int(record.get("id_order")))
        if order is None or self.shop.get("order_states", php_int(record.get("id_order_state"))) is None:
            raise WsError(500, 46, "Unable to save resource")

    def added(self, record: Record) -> None:
        order = self.shop.get("orders", php_int(record["id_order"]))
        if order is not None:
            change_state(self.shop, order, php_int(record["id_order_state"]))


class CarrierHooks(Hooks):
    def value(self, record: Record, spec: Field) -> Any:
        if spec.name == "id_tax_rules_group":
            return record.get("_tax_rules_group", "0")
        return record.get(spec.name)

    def set(self, record: Record, spec: Field, text: str) -> After | None:
        if spec.name == "id_tax_rules_group":
            record["_tax_rules_group"] = str(php_int(text))
        return None
