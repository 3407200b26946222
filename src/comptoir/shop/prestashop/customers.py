"""Customers and their addresses over the webservice.

A customer is found by e-mail (``filter[email]=[…]``, guests and deleted accounts left out); a
create is looked up first, so an account already there is adopted rather than created twice
(PrestaShop 8 and 9 refuse a second account with the same e-mail — code 140, adopted too —
while 1.7 would accept it). Addresses are kept by alias: the billing address under
``shop.billing_alias`` (with the VAT number), the delivery address under ``shop.shipping_alias``
when it is another place; each is created or replaced whole. A customer's group (its ERP price
category) is found by name or created (``prices.py``) and made its default group.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from typing import Any

from comptoir.model import Address, CustomerDraft, GroupDraft, ItemError, ItemResult
from comptoir.shop.batching import WriteOp
from comptoir.shop.http import TransportFailure
from comptoir.shop.prestashop import mapping
from comptoir.shop.prestashop.api import PsApi, PsApiError, whole_shop_error
from comptoir.shop.prestashop.prices import SpecificPrices
from comptoir.shop.prestashop.settings import PrestaShopSettings
from comptoir.shop.prestashop.writer import Updater, Write, refusal, writer
from comptoir.shop.prestashop.xmlbody import entity

EMAIL_TAKEN = frozenset({140})
"""``Customer::addWs``: "The email is already used" (8.0 and later)."""


class Customers:
    """The customer side of the ``Shop`` protocol."""

    def __init__(
        self,
        api: PsApi,
        updater: Updater,
        settings: PrestaShopSettings,
        groups: SpecificPrices,
        *,
        rounds: int,
    ) -> None:
        self.api = api
        self.updater = updater
        self.settings = settings
        self.groups = groups
        self.rounds = rounds
        self._countries: dict[str, str] | None = None

    async def find(self, emails: Collection[str]) -> dict[str, str]:
        wanted = {e.strip().lower() for e in emails if e and e.strip()}
        if not wanted:
            return {}
        found = await self.api.lookup(
            "customers",
            "email",
            sorted(wanted),
            {"display": "[id,email,is_guest,deleted]", "filter[is_guest]": "0", "filter[deleted]": "0"},
        )
        result: dict[str, str] = {}
        for item in sorted(found, key=lambda c: int(c["id"])):
            email = str(item.get("email") or "").lower()
            if email in wanted:
                result.setdefault(email, str(item["id"]))
        return result

    async def save(
        self, creates: Sequence[CustomerDraft], updates: Sequence[tuple[str, CustomerDraft]]
    ) -> list[ItemResult]:
        existing = await self.find([d.email or "" for d in creates])
        names = sorted({d.group for d in [*creates, *(d for _, d in updates)] if d.group})
        groups = await self.groups.group_ids([GroupDraft(n) for n in names]) if names else {}

        def write_of(draft: CustomerDraft, creating: bool) -> Write:
            group = groups.get(draft.group) if draft.group else None
            if group is not None and not group.ok:
                assert group.error is not None
                error = ItemError(group.error.code, f"group {draft.group!r}: {group.error.message}", "group")
                return Write("customers", "customer", refused=error)
            group_id = group.shop_id if group is not None else None
            return mapping.customer_write(draft, self.settings, creating=creating, group_id=group_id)

        ops: list[WriteOp] = []
        for draft in creates:
            email = (draft.email or "").lower()
            if email in existing:
                ops.append(WriteOp(draft.erp_code, email, write_of(draft, False), existing[email]))
            else:
                ops.append(WriteOp(draft.erp_code, email, write_of(draft, True)))
        for shop_id, draft in updates:
            ops.append(WriteOp(draft.erp_code, (draft.email or "").lower(), write_of(draft, False), shop_id))
        run = writer(self.api, self.updater, self.find, rounds=self.rounds, adopt_codes=EMAIL_TAKEN)
        results = await run.run(ops)
        drafts = [*creates, *(d for _, d in updates)]
        await self._save_addresses(drafts, results)
        return [results[d.erp_code] for d in drafts]

    # --- addresses ----------------------------------------------------------------------------
    async def countries(self) -> dict[str, str]:
        """ISO code → country id."""
        if self._countries is None:
            found = await self.api.list_all("countries", {"display": "[id,iso_code]"})
            self._countries = {str(c.get("iso_code") or "").upper(): str(c["id"]) for c in found}
        return self._countries

    async def _save_addresses(self, drafts: Sequence[CustomerDraft], results: dict[str, ItemResult]) -> None:
        todo = [
            d
            for d in drafts
            if (d.billing is not None or d.shipping is not None)
            and results[d.erp_code].ok
            and results[d.erp_code].shop_id
        ]
        if not todo:
            return
        ids = sorted({str(results[d.erp_code].shop_id) for d in todo})
        current = await self.api.lookup(
            "addresses",
            "id_customer",
            ids,
            {"display": "[id,id_customer,alias,deleted]", "filter[deleted]": "0"},
        )
        by_alias = {(str(a["id_customer"]), str(a.get("alias") or "")): str(a["id"]) for a in current}
        countries = await self.countries()
        jobs = []
        for draft in todo:
            customer = str(results[draft.erp_code].shop_id)
            for alias, address, vat in self._wanted(draft):
                jobs.append(
                    self._save_address(draft, customer, alias, address, vat, by_alias, countries, results)
                )
        await asyncio.gather(*jobs)

    def _wanted(self, draft: CustomerDraft) -> list[tuple[str, Address, str | None]]:
        wanted: list[tuple[str, Address, str | None]] = []
        billing, shipping = draft.billing, draft.shipping
        if billing is not None and mapping.usable(billing):
            wanted.append((self.settings.billing_alias, billing, draft.vat_number or ""))
        if (
            shipping is not None
            and mapping.usable(shipping)
            and not (billing is not None and mapping.same_place(billing, shipping))
        ):
            wanted.append((self.settings.shipping_alias, shipping, None))
        return wanted

    async def _save_address(
        self,
        draft: CustomerDraft,
        customer: str,
        alias: str,
        address: Address,
        vat: str | None,
        by_alias: dict[tuple[str, str], str],
        countries: dict[str, str],
        results: dict[str, ItemResult],
    ) -> None:
        country = countries.get((address.country or "FR").upper())
        if country is None:
            error = ItemError(
                "unknown_country", f"country {address.country!r} is not one of the shop's", "billing.country"
            )
            results[draft.erp_code] = _with_error(results[draft.erp_code], error)
            return
        names = (draft.first_name or "", draft.last_name or "")
        write = mapping.address_write(
            address, customer_id=customer, alias=alias, country_id=country, names=names, vat_number=vat
        )
        ident = by_alias.get((customer, alias))
        try:
            await self._send(write, ident)
        except PsApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            error = refusal(exc)
            error = ItemError(error.code, f"address {alias}: {error.message}", error.field, error.retryable)
            results[draft.erp_code] = _with_error(results[draft.erp_code], error)
        except TransportFailure as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            error = ItemError(exc.kind, f"address {alias} not saved: {exc}", "billing", True)
            results[draft.erp_code] = _with_error(results[draft.erp_code], error)

    async def _send(self, write: Write, ident: str | None) -> dict[str, Any]:
        if ident is None:
            return await self.api.write("POST", "addresses", entity(write.node, write.fields))
        return await self.updater.update(write, ident)


def _with_error(result: ItemResult, error: ItemError) -> ItemResult:
    return ItemResult(result.key, result.shop_id, result.parent_id, error)
