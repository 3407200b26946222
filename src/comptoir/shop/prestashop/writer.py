"""PrestaShop's side of the shared batch writer (``comptoir.shop.batching``).

The webservice has no batch endpoint: each object is one request (chunks of 1), and throughput
comes from the HTTP client's bounded concurrency. A create is a POST; an update a PATCH of the
fields that changed where PrestaShop has PATCH (8.0 and later, when the key may use it), else a
read of the object and a PUT of the whole of it with the changes (PUT replaces: a field left out
would be emptied). PrestaShop's own refusals (an error body with its codes) are answers: the
item fails alone, named with the code, message and field. No answer, or a proxy's 5xx page,
leaves the outcome unknown: the shared writer looks the natural key up before sending again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from comptoir.model import NOT_FOUND, ItemError
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
from comptoir.shop.prestashop.api import PsApi, PsApiError, items, whole_shop_error
from comptoir.shop.prestashop.xmlbody import Assoc, Fields, PerLanguage, Value, entity

NOT_RESENT = {
    "products": frozenset(
        {"position_in_category", "id_default_image", "id_default_combination", "type", "new", "quantity"}
    ),
}
"""Computed fields whose setter would act (move the product, change its cover…) if a PUT sent
their current value back: a read-modify-PUT leaves them out."""


@dataclass(frozen=True)
class Write:
    """One entity to write: its resource and node, the fields to send (all of them for a create,
    the changed ones for an update), associations to replace, or why it is refused unsent."""

    resource: str
    node: str
    fields: Fields = field(default_factory=dict)
    associations: tuple[Assoc, ...] = ()
    refused: ItemError | None = None


_FIELD_PATTERNS = (
    re.compile(r"Property \w+->(\w+)"),
    re.compile(r'parameter "(\w+)"'),
    re.compile(r'association "(\w+)"'),
)


def refusal(exc: PsApiError) -> ItemError:
    """An item's refusal: ``ps_<code>``, PrestaShop's messages, the field they name."""
    found = ""
    for pattern in _FIELD_PATTERNS:
        match = pattern.search(exc.message)
        if match:
            found = match.group(1)
            break
    return ItemError(f"ps_{exc.code}", exc.message, found, False)


class Updater:
    """Updates by PATCH where the shop has it, else read → merge → PUT (blank schemas cached)."""

    def __init__(self, api: PsApi) -> None:
        self.api = api
        self._writable: dict[str, frozenset[str]] = {}
        self.patch_allowed: dict[str, bool] = {}
        """Per resource, whether the key may PATCH (from the webservice's root listing)."""

    async def writable(self, resource: str) -> frozenset[str]:
        """Fields a write may carry: the resource's ``schema=blank`` (read-only ones left out)."""
        if resource not in self._writable:
            body = await self.api.json(resource, {"schema": "blank"})
            blank = (
                next((v for v in body.values() if isinstance(v, dict)), {}) if isinstance(body, dict) else {}
            )
            if isinstance(blank, list):
                blank = blank[0] if blank else {}
            self._writable[resource] = frozenset(k for k in blank if k not in ("id", "associations"))
        return self._writable[resource]

    async def update(self, write: Write, ident: str) -> dict[str, Any]:
        if self.api.version is None:
            await self.api.json(write.resource, {"limit": "1"})
        if self.api.has_patch and self.patch_allowed.get(write.resource, True):
            body = entity(write.node, {"id": ident, **write.fields}, write.associations)
            return await self.api.write("PATCH", write.resource, body, ident)
        current = await self.api.json(write.resource, {"display": "full", "filter[id]": f"[{ident}]"})
        found = items(current, write.resource)
        if not found:
            raise PsApiError(404, [(92, f"{write.node} {ident} is not in the shop")])
        merged: dict[str, Value] = {}
        keep = await self.writable(write.resource) - NOT_RESENT.get(write.resource, frozenset())
        for name, value in found[0].items():
            if name in keep and name not in write.fields:
                merged[name] = _as_value(value)
        body = entity(write.node, {"id": ident, **merged, **write.fields}, write.associations)
        return await self.api.write("PUT", write.resource, body, ident)


def _as_value(value: Any) -> Value:
    if isinstance(value, list):
        return PerLanguage(
            {
                int(item.get("id") or 0): str(item.get("value") or "")
                for item in value
                if isinstance(item, dict)
            }
        )
    return "" if value is None else str(value)


def sender(
    api: PsApi,
    updater: Updater,
    *,
    adopt_codes: frozenset[int] = frozenset(),
    parent_of: Callable[[dict[str, Any]], str | None] | None = None,
) -> SendChunk:
    """``send`` for the shared writer: one request per operation (chunks of 1)."""

    async def send(chunk: Sequence[WriteOp]) -> Sequence[Answer]:
        answers: list[Answer] = []
        for op in chunk:
            answers.append(await _one(op))
        return answers

    async def _one(op: WriteOp) -> Answer:
        write: Write = op.payload
        if write.refused is not None:
            return Refused(write.refused)
        try:
            if op.ident is None:
                body = entity(write.node, write.fields, write.associations)
                saved = await api.write("POST", write.resource, body)
            else:
                saved = await updater.update(write, op.ident)
        except TransportFailure as exc:
            if exc.kind == "tls":
                raise ShopError("tls", str(exc)) from exc
            raise ChunkUnknown(
                ItemError(exc.kind, str(exc), "", True), maybe_processed=exc.maybe_processed
            ) from exc
        except PsApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            if exc.status < 400 or exc.retryable:
                error = ItemError(f"http_{exc.status}", exc.message, "", True)
                raise ChunkUnknown(error, maybe_processed=exc.status not in (429, 503)) from exc
            if op.ident is not None and exc.status == 404:
                return Refused(ItemError(NOT_FOUND, f"{exc.message} (HTTP 404)", "id"))
            return Refused(refusal(exc), bool(exc.codes & adopt_codes))
        return Written(str(saved["id"]), parent_of(saved) if parent_of else None)

    return send


def writer(
    api: PsApi,
    updater: Updater,
    find: Finder,
    *,
    rounds: int,
    adopt_codes: frozenset[int] = frozenset(),
    parent_of: Callable[[dict[str, Any]], str | None] | None = None,
) -> BatchWriter:
    """The shared writer over single-entity requests."""
    send = sender(api, updater, adopt_codes=adopt_codes, parent_of=parent_of)
    return BatchWriter(send, find, chunk_size=1, rounds=rounds)
