"""Writes that survive retries without duplicates, for every platform.

A platform supplies two things: ``send`` (write one chunk of operations — a batch request of up
to ``chunk_size`` items where the platform has a batch endpoint, one request per item where it
has not) and ``find`` (look natural keys such as SKUs or e-mails up in bulk). This module does
the rest, the same way everywhere:

- chunks run concurrently (the HTTP client bounds how many requests are in flight);
- a chunk whose fate is unknown (a timeout, a dropped connection, a 5xx answer) is not blindly
  repeated when it held creates: their keys are looked up first, and those found become updates
  of what the shop already holds;
- a create refused as a duplicate is adopted: the object named by the refusal (or found by its
  key) is updated instead, and if that fails too the original refusal is reported;
- a retryable refusal of one item is tried again, up to ``rounds`` times;
- each operation ends with exactly one ``ItemResult``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from comptoir.model import ItemError, ItemResult


@dataclass(frozen=True)
class WriteOp:
    """One object to write; ``ident`` (its shop id) is ``None`` for a create."""

    key: str
    """The key the job gave (SKU, ERP code…), by which the result is reported."""
    lookup: str
    """The natural key that finds the object in the shop (SKU, e-mail…)."""
    payload: Any
    ident: str | None = None
    original: ItemError | None = None
    """For an adopted duplicate: the refusal to report if adopting fails too."""


@dataclass(frozen=True, slots=True)
class Written:
    """The shop holds the object: its id (and its parent's, for a variation)."""

    shop_id: str
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """The shop refused the item. ``duplicate`` asks for adoption, with the existing object's id
    when the refusal names it."""

    error: ItemError
    duplicate: bool = False
    existing_id: str | None = None


Answer = Written | Refused | None
"""One item's answer; ``None`` when the answer did not say (the item is tried again)."""


class ChunkUnknown(Exception):
    """The chunk got no usable answer: a transport failure or a retryable error status.

    ``maybe_processed`` tells whether the shop may have acted on it (then creates are looked up
    before being repeated)."""

    def __init__(self, error: ItemError, *, maybe_processed: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.maybe_processed = maybe_processed


SendChunk = Callable[[Sequence[WriteOp]], Awaitable[Sequence[Answer]]]
"""Write one chunk; one answer per operation, in order. Raises ``ChunkUnknown`` when the chunk's
fate is unknown, ``ShopError`` when the whole shop is unusable (bad key, TLS)."""

Finder = Callable[[list[str]], Awaitable[dict[str, str]]]
"""Bulk lookup: natural keys → shop ids of the ones that exist."""


@dataclass
class _Round:
    results: dict[str, ItemResult] = field(default_factory=dict)
    again: list[WriteOp] = field(default_factory=list)
    adopt: list[tuple[WriteOp, str | None]] = field(default_factory=list)


def chunked(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), max(size, 1))]


def query_groups(values: Iterable[str], *, most: int, chars: int) -> list[list[str]]:
    """Values in groups of one look-up each: at most ``most`` values, joined by commas (or bars)
    within ``chars`` characters, so the URL stays one a server takes."""
    groups: list[list[str]] = []
    current: list[str] = []
    length = 0
    for value in values:
        if current and (len(current) >= most or length + len(value) + 1 > chars):
            groups.append(current)
            current, length = [], 0
        current.append(value)
        length += len(value) + 1
    if current:
        groups.append(current)
    return groups


class BatchWriter:
    """Runs write operations through a platform's ``send`` and ``find``."""

    def __init__(self, send: SendChunk, find: Finder, *, chunk_size: int, rounds: int) -> None:
        self._send = send
        self._find = find
        self._chunk_size = max(chunk_size, 1)
        self._rounds = max(rounds, 1)

    async def run(self, ops: Sequence[WriteOp]) -> dict[str, ItemResult]:
        results: dict[str, ItemResult] = {}
        pending = list(ops)
        last_error: dict[str, ItemError] = {}
        for _ in range(self._rounds + 1):
            if not pending:
                break
            rounds = await asyncio.gather(*(self._chunk(c) for c in chunked(pending, self._chunk_size)))
            pending = []
            adopt: list[tuple[WriteOp, str | None]] = []
            for outcome in rounds:
                results.update(outcome.results)
                pending.extend(outcome.again)
                adopt.extend(outcome.adopt)
            pending.extend(await self._adopt(adopt, results))
            for op in pending:
                last_error.setdefault(
                    op.key, ItemError("retry_exhausted", "the shop did not answer in time", "", True)
                )
        for op in pending:
            results[op.key] = ItemResult(op.key, error=last_error[op.key])
        return results

    async def _adopt(
        self, adopt: list[tuple[WriteOp, str | None]], results: dict[str, ItemResult]
    ) -> list[WriteOp]:
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

    async def _reconcile(self, chunk: Sequence[WriteOp]) -> list[WriteOp]:
        """After an unknown outcome: creates that did happen become updates."""
        creates = [op for op in chunk if op.ident is None]
        if not creates:
            return list(chunk)
        found = await self._find([op.lookup for op in creates])
        return [
            replace(op, ident=found[op.lookup]) if op.ident is None and op.lookup in found else op
            for op in chunk
        ]

    async def _chunk(self, chunk: Sequence[WriteOp]) -> _Round:
        outcome = _Round()
        try:
            answers = await self._send(chunk)
        except ChunkUnknown as unknown:
            outcome.again = await self._reconcile(chunk) if unknown.maybe_processed else list(chunk)
            return outcome
        for index, op in enumerate(chunk):
            answer = answers[index] if index < len(answers) else None
            if answer is None:
                outcome.again.append(op)
            elif isinstance(answer, Written):
                outcome.results[op.key] = ItemResult(op.key, answer.shop_id, answer.parent_id)
            elif answer.duplicate and op.ident is None and op.original is None:
                outcome.adopt.append((replace(op, original=answer.error), answer.existing_id))
            elif answer.error.retryable:
                outcome.again.append(op)
            else:
                outcome.results[op.key] = ItemResult(op.key, error=op.original or answer.error)
        return outcome
