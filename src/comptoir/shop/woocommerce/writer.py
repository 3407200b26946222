"""WooCommerce's side of the shared batch writer (``comptoir.shop.batching``).

Items go 100 to a request to a ``…/batch`` endpoint: ``create`` and ``update`` lists in, one
answer per item out (an object, or an ``error`` with WooCommerce's code). A create refused as a
duplicate (``product_invalid_sku`` with its ``resource_id``, an e-mail already registered) is
adopted by the shared writer; a retryable status or no answer makes the chunk's fate unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from comptoir.model import ItemError
from comptoir.shop.base import ShopError
from comptoir.shop.batching import (
    Answer,
    BatchWriter,
    ChunkUnknown,
    Finder,
    Refused,
    SendChunk,
    WriteOp,
    Written,
)
from comptoir.shop.http import TransportFailure
from comptoir.shop.woocommerce.api import BATCH_LIMIT, WooApi, WooApiError, whole_shop_error
from comptoir.shop.woocommerce.mapping import item_error, trashed


def batch_sender(
    api: WooApi,
    path: Callable[[Sequence[WriteOp]], str],
    *,
    adopt_codes: frozenset[str],
    parent_of: Callable[[dict[str, Any]], str | None] | None = None,
) -> SendChunk:
    """``send`` for the shared writer: one ``POST …/batch`` per chunk."""

    async def send(chunk: Sequence[WriteOp]) -> Sequence[Answer]:
        creates = [op for op in chunk if op.ident is None]
        updates = [op for op in chunk if op.ident is not None]
        body: dict[str, Any] = {}
        if creates:
            body["create"] = [op.payload for op in creates]
        if updates:
            body["update"] = [{**op.payload, "id": int(op.ident or 0)} for op in updates]
        try:
            data, _ = await api.json("POST", path(chunk), json=body, idempotent=not creates)
        except TransportFailure as exc:
            if exc.kind == "tls":
                raise ShopError("tls", str(exc)) from exc
            error = ItemError(exc.kind, str(exc), "", True)
            raise ChunkUnknown(error, maybe_processed=exc.maybe_processed) from exc
        except WooApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            error = item_error({"code": exc.code, "message": exc.message, "data": exc.data})
            error = replace(error, retryable=exc.retryable)
            if exc.retryable:
                raise ChunkUnknown(error, maybe_processed=True) from exc
            return [Refused(error) for _ in chunk]
        answers = data if isinstance(data, dict) else {}
        by_op: dict[int, Answer] = {}
        for group, sent in (("create", creates), ("update", updates)):
            received = answers.get(group) or []
            for index, op in enumerate(sent):
                item = received[index] if index < len(received) else None
                by_op[id(op)] = _answer(item, adopt_codes, parent_of) if isinstance(item, dict) else None
        return [by_op[id(op)] for op in chunk]

    return send


def _answer(
    item: dict[str, Any],
    adopt_codes: frozenset[str],
    parent_of: Callable[[dict[str, Any]], str | None] | None,
) -> Answer:
    error = item.get("error")
    if not isinstance(error, dict):
        gone = trashed(item)
        if gone is not None:
            return Refused(gone)
        return Written(str(item.get("id")), parent_of(item) if parent_of else None)
    code = str(error.get("code", ""))
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    resource = data.get("resource_id") if isinstance(data, dict) else None
    return Refused(item_error(error), code in adopt_codes, str(resource) if resource else None)


def batch_writer(
    api: WooApi,
    path: Callable[[Sequence[WriteOp]], str],
    find: Finder,
    *,
    adopt_codes: frozenset[str],
    rounds: int,
    parent_of: Callable[[dict[str, Any]], str | None] | None = None,
) -> BatchWriter:
    """The shared writer over WooCommerce's batch endpoint at ``path``."""
    send = batch_sender(api, path, adopt_codes=adopt_codes, parent_of=parent_of)
    return BatchWriter(send, find, chunk_size=BATCH_LIMIT, rounds=rounds)
