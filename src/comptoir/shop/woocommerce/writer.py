"""Batch writes that survive retries without duplicates.

Items go 100 to a request to a ``…/batch`` endpoint; chunks run concurrently within the HTTP
client's bound. A request with creates is not blindly repeated: when its fate is unknown (a
timeout, a dropped connection, a 5xx), the items' keys (SKU, e-mail) are looked up in bulk first,
and those found become updates of what the shop already holds. A create refused as a duplicate
(``product_invalid_sku`` with its ``resource_id``, an e-mail already registered) is adopted the
same way. Each item ends with one ``ItemResult``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from comptoir.model import ItemError, ItemResult
from comptoir.shop.base import ShopError
from comptoir.shop.http import TransportFailure
from comptoir.shop.woocommerce.api import BATCH_LIMIT, WooApi, WooApiError, chunks, whole_shop_error
from comptoir.shop.woocommerce.mapping import item_error

Finder = Callable[[list[str]], Awaitable[dict[str, int]]]
"""Bulk lookup: keys (SKUs, e-mails) → shop ids of the ones that exist."""


@dataclass(frozen=True)
class Op:
    """One item to write: ``ident`` None means create."""

    key: str
    lookup: str
    payload: dict[str, Any]
    ident: int | None = None
    original: ItemError | None = None
    """For an adopted duplicate: the refusal to report if adopting fails too."""


@dataclass
class Outcome:
    results: dict[str, ItemResult] = field(default_factory=dict)
    again: list[Op] = field(default_factory=list)
    adopt: list[tuple[Op, int | None]] = field(default_factory=list)


class BatchWriter:
    def __init__(
        self,
        api: WooApi,
        path: Callable[[Sequence[Op]], str],
        find: Finder,
        *,
        adopt_codes: frozenset[str],
        rounds: int,
        parent_of: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        self._api = api
        self._path = path
        self._find = find
        self._adopt_codes = adopt_codes
        self._rounds = max(rounds, 1)
        self._parent_of = parent_of

    async def run(self, ops: Sequence[Op]) -> dict[str, ItemResult]:
        results: dict[str, ItemResult] = {}
        pending = list(ops)
        last_error: dict[str, ItemError] = {}
        for _ in range(self._rounds + 1):
            if not pending:
                break
            outcomes = await asyncio.gather(*(self._send(chunk) for chunk in chunks(pending, BATCH_LIMIT)))
            pending = []
            adopt: list[tuple[Op, int | None]] = []
            for outcome in outcomes:
                results.update(outcome.results)
                pending.extend(outcome.again)
                adopt.extend(outcome.adopt)
            pending.extend(await self._adopt(adopt, results))
            for op in pending:
                last_error[op.key] = ItemError("retry_exhausted", "the shop did not answer in time", "", True)
        for op in pending:
            results[op.key] = ItemResult(op.key, error=last_error[op.key])
        return results

    async def _adopt(self, adopt: list[tuple[Op, int | None]], results: dict[str, ItemResult]) -> list[Op]:
        if not adopt:
            return []
        unknown = [op.lookup for op, ident in adopt if ident is None]
        found = await self._find(unknown) if unknown else {}
        again = []
        for op, ident in adopt:
            target = ident if ident is not None else found.get(op.lookup)
            if target is None:
                results[op.key] = ItemResult(op.key, error=op.original)
                continue
            again.append(replace(op, ident=target))
        return again

    async def _reconcile(self, chunk: Sequence[Op]) -> list[Op]:
        """After an unknown outcome: creates that did happen become updates."""
        creates = [op for op in chunk if op.ident is None]
        if not creates:
            return list(chunk)
        found = await self._find([op.lookup for op in creates])
        return [
            replace(op, ident=found[op.lookup]) if op.ident is None and op.lookup in found else op
            for op in chunk
        ]

    async def _send(self, chunk: Sequence[Op]) -> Outcome:
        outcome = Outcome()
        creates = [op for op in chunk if op.ident is None]
        updates = [op for op in chunk if op.ident is not None]
        body: dict[str, Any] = {}
        if creates:
            body["create"] = [op.payload for op in creates]
        if updates:
            body["update"] = [{**op.payload, "id": op.ident} for op in updates]
        try:
            data, _ = await self._api.json("POST", self._path(chunk), json=body, idempotent=not creates)
        except TransportFailure as exc:
            if exc.kind == "tls":
                raise ShopError("tls", str(exc)) from exc
            outcome.again = await self._reconcile(chunk) if exc.maybe_processed else list(chunk)
            return outcome
        except WooApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            if exc.retryable:
                outcome.again = await self._reconcile(chunk)
                return outcome
            error = ItemError(exc.code, exc.message, "", False)
            outcome.results = {op.key: ItemResult(op.key, error=error) for op in chunk}
            return outcome
        answers = data if isinstance(data, dict) else {}
        for group, sent in (("create", creates), ("update", updates)):
            received = answers.get(group) or []
            for index, op in enumerate(sent):
                item = received[index] if index < len(received) else None
                if not isinstance(item, dict):
                    outcome.again.append(op)
                    continue
                self._read_item(op, item, outcome)
        return outcome

    def _read_item(self, op: Op, item: dict[str, Any], outcome: Outcome) -> None:
        error = item.get("error")
        if not isinstance(error, dict):
            parent = self._parent_of(item) if self._parent_of else None
            outcome.results[op.key] = ItemResult(op.key, shop_id=str(item.get("id")), parent_id=parent)
            return
        refused = item_error(error)
        code = str(error.get("code", ""))
        if op.ident is None and code in self._adopt_codes and op.original is None:
            data = error.get("data") if isinstance(error.get("data"), dict) else {}
            resource = data.get("resource_id") if isinstance(data, dict) else None
            outcome.adopt.append((replace(op, original=refused), int(resource) if resource else None))
            return
        if refused.retryable:
            outcome.again.append(op)
            return
        outcome.results[op.key] = ItemResult(op.key, error=op.original or refused)
