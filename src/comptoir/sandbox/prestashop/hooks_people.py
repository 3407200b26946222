"""What customers and addresses do beyond their fields (PrestaShop 9.0.0 sources).

- Customers (classes/Customer.php): ``passwd`` goes through ``setWsPasswd`` (hashed unless it is
  the stored hash); ``addWs``/``updateWs`` refuse an e-mail another registered customer uses
  (500, codes 140/141, then 46 "Unable to save resource"; 8.x/9.x only — 1.7.6.2 has no such
  check); ``add`` sets ``secure_key``, shop, language and ``last_passwd_gen`` and puts the
  customer in its default group (``updateGroup``); associations groups (``setWsGroups``).
- Addresses (classes/Address.php): ``dni`` is required when the country needs an identification
  number (``validateField``); deleting an address used by an order only flags it ``deleted``.
"""

from __future__ import annotations

from comptoir.sandbox.core.store import Record
from comptoir.sandbox.prestashop.entities import After, Hooks
from comptoir.sandbox.prestashop.errors import WsError
from comptoir.sandbox.prestashop.schema.base import Association, Field
from comptoir.sandbox.prestashop.text import password_hash, secure_key
from comptoir.sandbox.prestashop.values import php_int


class CustomerHooks(Hooks):
    def set(self, record: Record, spec: Field, text: str) -> After | None:
        if spec.name == "passwd" and (not record.get("id") or record.get("passwd") != text):
            record["passwd"] = password_hash(text)
        return None

    def check(self, record: Record, method: str) -> None:
        if not self.shop.version.unique_customer_email or record.get("is_guest") == "1":
            return
        email = str(record.get("email") or "").casefold()
        for other in self.shop.all("customers"):
            same = str(other.get("email") or "").casefold() == email
            if (
                same
                and other.get("is_guest") != "1"
                and other.get("deleted") != "1"
                and other["id"] != record["id"]
            ):
                code = 140 if method == "POST" else 141
                raise WsError(500, code, "The email is already used, please choose another one").add(
                    500, 46, "Unable to save resource"
                )

    def added(self, record: Record) -> None:
        record["secure_key"] = secure_key()
        record["id_shop"] = record.get("id_shop") if record.get("id_shop") not in (None, "0") else "1"
        record["id_shop_group"] = (
            record.get("id_shop_group") if record.get("id_shop_group") not in (None, "0") else "1"
        )
        if record.get("id_lang") in (None, "0"):
            record["id_lang"] = self.shop.default_language
        record["last_passwd_gen"] = self.shop.now()
        if not record.get("_assoc", {}).get("groups"):
            record.setdefault("_assoc", {})["groups"] = [{"id": record.get("id_default_group") or "0"}]
        self.shop.put("customers", record)

    def set_rows(self, record: Record, spec: Association, rows: list[dict[str, str]]) -> bool:
        return super().set_rows(record, spec, [{"id": str(php_int(r.get("id", "0")))} for r in rows])


class AddressHooks(Hooks):
    def check(self, record: Record, method: str) -> None:
        country = self.shop.get("countries", php_int(record.get("id_country")))
        needs = country is not None and country.get("need_identification_number") == "1"
        if needs and record.get("deleted") != "1" and not record.get("dni"):
            raise WsError(400, 85, 'Validation error: "Property Address->dni is empty."')

    def keep_on_delete(self, record: Record) -> bool:
        """``Address::delete``: an address an order uses is only flagged deleted."""
        ident = str(record["id"])
        return any(
            ident in (o.get("id_address_delivery"), o.get("id_address_invoice"))
            for o in self.shop.all("orders")
        )
