"""What catalog objects do beyond their fields (PrestaShop 9.0.0 sources named per hook).

- Products (classes/Product.php): ``add`` creates the product's stock row
  (``StockAvailable::setProductOutOfStock``, out_of_stock 2); ``quantity`` is the stock row's
  quantity, read-only; ``type`` (``getWsType``/``setWsType``) is simple / pack / virtual;
  ``id_default_combination`` (``getDefaultAttribute``); associations categories
  (``setWsCategories``), combinations, product_option_values, images and stock_availables
  (``getWs…``, stock not writable); ``new`` is true for 20 days (``PS_NB_DAYS_NEW_PRODUCT``);
  ``delete`` takes its combinations, stock rows, specific prices and images with it.
- Combinations (classes/Combination.php): ``add`` creates the combination's stock row; the first
  or ``default_on`` combination becomes the product's default (``Product::updateDefaultAttribute``,
  which also sets ``product_type`` to ``combinations``); associations product_option_values
  (``setWsProductOptionValues``) and images; ``delete`` removes its stock row and prices.
- Stock (classes/stock/StockAvailable.php ``postSave``): saving a combination's row sets the
  product's row to the sum of its combinations' quantities.
- Categories (classes/Category.php): ``nb_products_recursive`` (``getWsNbProductsRecursive``),
  ``level_depth`` from the parent, position last among
  siblings, ``nleft``/``nright`` regenerated for the whole tree, associations categories
  (``getChildrenWs``) and products (``getProductsWs``); deleting a category deletes its subtree.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from comptoir.sandbox.core.store import Record
from comptoir.sandbox.prestashop.entities import After, Hooks, Shop
from comptoir.sandbox.prestashop.schema.base import Association, Field
from comptoir.sandbox.prestashop.values import SHOP_TZ, php_int


def _stock_row(hooks: Hooks, product: int, combination: int, out_of_stock: str = "2") -> Record:
    return hooks.shop.put(
        "stock_availables",
        {
            "id": None,
            "id_product": str(product),
            "id_product_attribute": str(combination),
            "id_shop": "1",
            "id_shop_group": "0",
            "quantity": "0",
            "depends_on_stock": "0",
            "out_of_stock": out_of_stock,
            "location": "",
            "_assoc": {},
        },
    )


def _of_product(hooks: Hooks, resource: str, product: int) -> list[Record]:
    """Records of ``resource`` whose ``id_product`` is ``product``, by id. Stored ids are the
    column's text (``"12"``), so they are compared as text: no conversion of every record."""
    key = str(product)
    found = [r for r in hooks.shop.store.records(resource) if r["id_product"] == key]
    return sorted(found, key=lambda r: int(r["id"]))


def stock_rows(hooks: Hooks, product: int) -> list[Record]:
    return _of_product(hooks, "stock_availables", product)


def combinations_of(hooks: Hooks, product: int) -> list[Record]:
    return _of_product(hooks, "combinations", product)


def default_combination(hooks: Hooks, product: int) -> int:
    found = combinations_of(hooks, product)
    marked = [c for c in found if c.get("default_on") == "1"]
    chosen = marked or found
    return int(chosen[0]["id"]) if chosen else 0


def update_default_attribute(hooks: Hooks, product: int) -> None:
    record = hooks.shop.get("products", product)
    if record is None:
        return
    chosen = default_combination(hooks, product)
    record["cache_default_attribute"] = str(chosen)
    if chosen:
        record["product_type"] = "combinations"
    hooks.shop.put("products", record)


class ProductHooks(Hooks):
    def value(self, record: Record, spec: Field) -> Any:
        ident = int(record["id"])
        if spec.name == "quantity":
            row = next((r for r in stock_rows(self, ident) if r["id_product_attribute"] == "0"), None)
            return row["quantity"] if row else "0"
        if spec.name == "type":
            if record.get("is_virtual") == "1":
                return "virtual"
            return "pack" if record.get("cache_is_pack") == "1" else "simple"
        if spec.name == "id_default_combination":
            return default_combination(self, ident)
        if spec.name == "id_default_image":
            cover = [
                i for i in self.shop.all("images") if php_int(i["id_product"]) == ident and i["cover"] == "1"
            ]
            return str(cover[0]["id"]) if cover else None
        if spec.name == "new":
            added = record.get("date_add") or ""
            try:
                moment = datetime.strptime(added, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHOP_TZ)
            except ValueError:
                return "0"
            days = int(self.shop.config("PS_NB_DAYS_NEW_PRODUCT", 20))
            now = datetime.strptime(self.shop.now(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHOP_TZ)
            return "1" if moment > now - timedelta(days=days) else "0"
        if spec.name == "manufacturer_name":
            return ""
        if spec.name == "position_in_category":
            return "0"
        return record.get(spec.name)

    def set(self, record: Record, spec: Field, text: str) -> After | None:
        if spec.name == "type" and text in ("simple", "pack", "virtual"):
            record["is_virtual"] = "1" if text == "virtual" else "0"
            record["cache_is_pack"] = "1" if text == "pack" else "0"
        if spec.name == "id_default_combination" and record.get("id"):
            product = int(record["id"])

            def choose() -> None:
                for combination in combinations_of(self, product):
                    combination["default_on"] = "1" if int(combination["id"]) == php_int(text) else None
                    self.shop.put("combinations", combination)
                update_default_attribute(self, product)

            return choose
        return None

    def rows(self, record: Record, spec: Association) -> list[dict[str, Any]]:
        ident = int(record["id"])
        if spec.name == "combinations":
            return [{"id": str(c["id"])} for c in combinations_of(self, ident)]
        if spec.name == "stock_availables":
            return [
                {"id": str(r["id"]), "id_product_attribute": r["id_product_attribute"]}
                for r in stock_rows(self, ident)
            ]
        if spec.name == "images":
            images = [i for i in self.shop.all("images") if php_int(i["id_product"]) == ident]
            return [{"id": str(i["id"])} for i in sorted(images, key=lambda i: php_int(i["position"]))]
        if spec.name == "product_option_values":
            seen: list[str] = []
            for combination in combinations_of(self, ident):
                for row in combination.get("_assoc", {}).get("product_option_values", []):
                    if row.get("id") not in seen:
                        seen.append(str(row.get("id")))
            return [{"id": value} for value in seen]
        return super().rows(record, spec)

    def set_rows(self, record: Record, spec: Association, rows: list[dict[str, str]]) -> bool:
        if spec.name in ("combinations", "images", "product_option_values"):
            return True
        if spec.name == "categories":
            unique: list[str] = []
            for row in rows:
                value = str(php_int(row.get("id", "0")))
                if value not in unique:
                    unique.append(value)
            rows = [{"id": value} for value in unique]
        return super().set_rows(record, spec, rows)

    def added(self, record: Record) -> None:
        _stock_row(self, int(record["id"]), 0)

    def deleted(self, record: Record) -> None:
        ident = int(record["id"])
        for combination in combinations_of(self, ident):
            self.shop.store.delete("combinations", int(combination["id"]))
        for row in stock_rows(self, ident):
            self.shop.store.delete("stock_availables", int(row["id"]))
        for price in self.shop.all("specific_prices"):
            if php_int(price["id_product"]) == ident:
                self.shop.store.delete("specific_prices", int(price["id"]))
        for image in self.shop.all("images"):
            if php_int(image["id_product"]) == ident:
                self.shop.store.delete("images", int(image["id"]))


class CombinationHooks(Hooks):
    def set_rows(self, record: Record, spec: Association, rows: list[dict[str, str]]) -> bool:
        return super().set_rows(record, spec, [{"id": str(php_int(r.get("id", "0")))} for r in rows])

    def added(self, record: Record) -> None:
        product = php_int(record["id_product"])
        parent = next((r for r in stock_rows(self, product) if r["id_product_attribute"] == "0"), None)
        _stock_row(self, product, int(record["id"]), parent["out_of_stock"] if parent else "2")
        if record.get("default_on") == "1":
            for other in combinations_of(self, product):
                if other["id"] != record["id"] and other.get("default_on") == "1":
                    other["default_on"] = None
                    self.shop.put("combinations", other)
        update_default_attribute(self, product)

    def updated(self, record: Record, old: Record) -> None:
        update_default_attribute(self, php_int(record["id_product"]))

    def deleted(self, record: Record) -> None:
        product = php_int(record["id_product"])
        for row in stock_rows(self, product):
            if php_int(row["id_product_attribute"]) == int(record["id"]):
                self.shop.store.delete("stock_availables", int(row["id"]))
        for price in self.shop.all("specific_prices"):
            if php_int(price["id_product_attribute"]) == int(record["id"]):
                self.shop.store.delete("specific_prices", int(price["id"]))
        sync_product_stock(self, product)
        update_default_attribute(self, product)


def sync_product_stock(hooks: Hooks, product: int) -> None:
    """``StockAvailable::postSave``: the product's row holds the sum of its combinations' rows."""
    rows = stock_rows(hooks, product)
    combos = [r for r in rows if r["id_product_attribute"] != "0"]
    parent = next((r for r in rows if r["id_product_attribute"] == "0"), None)
    if parent is not None and combos:
        parent["quantity"] = str(sum(php_int(r["quantity"]) for r in combos))
        hooks.shop.put("stock_availables", parent)


class StockHooks(Hooks):
    def updated(self, record: Record, old: Record) -> None:
        if record["id_product_attribute"] != "0":
            sync_product_stock(self, php_int(record["id_product"]))


class CategoryHooks(Hooks):
    def value(self, record: Record, spec: Field) -> Any:
        if spec.name == "nb_products_recursive":
            # getWsNbProductsRecursive: products of the category or of an active subcategory; -1 if none.
            low, high = php_int(record.get("nleft")), php_int(record.get("nright"))
            inside = {str(record["id"])} | {
                str(c["id"])
                for c in self.shop.all("categories")
                if php_int(c["nleft"]) > low and php_int(c["nright"]) < high and c.get("active") == "1"
            }
            count = sum(
                1
                for p in self.shop.all("products")
                if any(row.get("id") in inside for row in p.get("_assoc", {}).get("categories", []))
            )
            return str(count) if count else "-1"
        return record.get(spec.name)

    def rows(self, record: Record, spec: Association) -> list[dict[str, Any]]:
        ident = int(record["id"])
        if spec.name == "categories":
            children = [c for c in self.shop.all("categories") if php_int(c["id_parent"]) == ident]
            children.sort(key=lambda c: (php_int(c["position"]), int(c["id"])))
            return [{"id": str(c["id"])} for c in children]
        if spec.name == "products":
            return [
                {"id": str(p["id"])}
                for p in self.shop.all("products")
                if any(row.get("id") == str(ident) for row in p.get("_assoc", {}).get("categories", []))
            ]
        return super().rows(record, spec)

    def set_rows(self, record: Record, spec: Association, rows: list[dict[str, str]]) -> bool:
        return True

    def added(self, record: Record) -> None:
        parent = self.shop.get("categories", php_int(record["id_parent"]))
        record["level_depth"] = str(php_int(parent["level_depth"]) + 1) if parent else "0"
        siblings = [
            c
            for c in self.shop.all("categories")
            if c["id_parent"] == record["id_parent"] and c["id"] != record["id"]
        ]
        record["position"] = str(max((php_int(c["position"]) + 1 for c in siblings), default=0))
        self.shop.put("categories", record)
        regenerate_tree(self.shop)

    def updated(self, record: Record, old: Record) -> None:
        parent = self.shop.get("categories", php_int(record["id_parent"]))
        record["level_depth"] = str(php_int(parent["level_depth"]) + 1) if parent else "0"
        self.shop.put("categories", record)
        regenerate_tree(self.shop)

    def deleted(self, record: Record) -> None:
        for child in self.shop.all("categories"):
            if php_int(child["id_parent"]) == int(record["id"]):
                self.shop.store.delete("categories", int(child["id"]))
                self.deleted(child)
        regenerate_tree(self.shop)


def regenerate_tree(shop: Shop) -> None:
    """``Category::regenerateEntireNtree``: nested-set bounds walking children by position."""
    categories = shop.all("categories")
    children: dict[int, list[Record]] = {}
    for category in categories:
        children.setdefault(php_int(category["id_parent"]), []).append(category)
    counter = 0

    def walk(node: Record) -> None:
        nonlocal counter
        counter += 1
        node["nleft"] = str(counter)
        for child in sorted(
            children.get(int(node["id"]), []), key=lambda c: (php_int(c["position"]), c["id"])
        ):
            walk(child)
        counter += 1
        node["nright"] = str(counter)
        shop.put("categories", node)

    for root in sorted(children.get(0, []), key=lambda c: c["id"]):
        walk(root)
