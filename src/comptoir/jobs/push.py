"""The one engine of the ERP → shop push jobs (products, variations, categories, customers…).

resolve → adopt by natural key → bind → fingerprint → plan → apply → record, written once:

1. **Resolve**: bindings say where each ERP key lives in the shop.
2. **Adopt**: unbound drafts are looked up in bulk by their natural key (SKU, e-mail, name); what
   is found is bound, so an object that already exists in the shop is never created twice. A
   shop object already bound to another key is not adopted (the draft is created instead, and
   the shop's uniqueness rule reports the clash by name).
3. **Fingerprint and plan**: each draft is cut into aspects (the fields one job owns); an aspect
   whose fingerprint equals the one last sent costs nothing. Unbound drafts are created when the
   job may create, else reported as missing from the shop.
4. **Apply** through the resource's ``save`` (the adapter batches as its platform allows); each
   item answers alone.
5. **Record**: bindings and fingerprints for what succeeded only; the journal says what was
   created, updated, unchanged, skipped or failed, and why.
6. **Gone objects**: an update the shop answers with the neutral ``not_found`` code (the bound
   object was deleted, or put in the trash) drops that binding and its fingerprints, journaled;
   the object is then looked up by its natural key (adopted when shop staff recreated it) or
   created again (when the job may create), in the same run. A variation whose parent is gone
   takes its parent and its siblings with it: the parent is recreated first.

A dry run stops after the plan and journals it, writing nothing anywhere.

Drafts come as a list, or announced by key and built while the first are sent (``Pieces``): each
piece is planned as it comes and the slices it fills leave at once; the answers are recorded
once the whole plan is journaled, in the drafts' order. A list is planned in pieces too, of whole
families (``_whole_families``), so that its first slices leave while the rest is planned.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from comptoir.jobs.context import JobContext
from comptoir.journal import Outcome
from comptoir.model import Aspect, ItemResult, fingerprints
from comptoir.state import BoundObject

D = TypeVar("D")

Find = Callable[[list[str]], Awaitable[dict[str, BoundObject]]]
"""Natural keys → where the objects holding them are in the shop (the ones that exist)."""
Save = Callable[[Sequence[D], Sequence[tuple[BoundObject, D]]], Awaitable[list[ItemResult]]]
"""Create these drafts and update these bound ones; one result per draft, keyed by its key."""


@dataclass(frozen=True)
class Resource(Generic[D]):
    """How the engine handles one kind of shop object."""

    kind: str
    """Binding kind in the state store (``product``, ``customer``, ``category``)."""
    key: Callable[[D], str]
    """The ERP key of a draft (the result key too)."""
    natural_key: Callable[[D], str | None]
    """The key that finds an existing shop object (SKU, lower-cased e-mail, name); None: none."""
    find: Find
    save: Save[D]
    only: Callable[[D, set[str]], D]
    """The update draft carrying only the named fields."""
    prepare_update: Callable[[BoundObject, D], D] = field(default=lambda _place, draft: draft)
    """A last adjustment of an update draft from where the object lives (a variation's kind)."""
    prepare_create: Callable[[D], D] = field(default=lambda draft: draft)
    """What a creation sends instead of the desired draft (e.g. created disabled); fingerprints
    stay those of the desired draft, so a later update does not undo the creation's choice."""
    parent_key: Callable[[D], str | None] = field(default=lambda _draft: None)
    """The key of the object this one lives under (a variation's product), if any."""
    describe: Callable[[D], str] = field(default=lambda _draft: "")
    """What the journal says of a created item."""


@dataclass
class PushReport:
    """What one push did (also journaled)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    places: dict[str, BoundObject] = field(default_factory=dict)
    """Where each key lives after the push (bound, adopted or created)."""


def describe_error(result: ItemResult | None) -> str:
    """``code [field]: message`` of a refused item, or that the shop said nothing."""
    if result is None:
        return "no answer from the shop"
    error = result.error
    if error is None:
        return ""
    where = f" [{error.field}]" if error.field else ""
    return f"{error.code}{where}: {error.message}"


async def resolve(ctx: JobContext, resource: Resource[D], drafts: Sequence[D]) -> dict[str, BoundObject]:
    """Where each draft's key lives: bindings first, then one bulk lookup by natural key."""
    return await resolve_keys(ctx, resource, [(resource.key(d), resource.natural_key(d)) for d in drafts])


async def resolve_keys(
    ctx: JobContext, resource: Resource[D], keys: Sequence[tuple[str, str | None]]
) -> dict[str, BoundObject]:
    """``resolve`` of drafts known by their (key, natural key) pairs, before they are built."""
    bound = ctx.state.bindings(ctx.name, resource.kind, [key for key, _natural in keys])
    wanted = {natural: key for key, natural in keys if key not in bound and natural}
    if not wanted:
        return bound
    adopted = await _adoptable(ctx, resource, wanted)
    if adopted and not ctx.dry_run:
        ctx.state.bind(ctx.name, resource.kind, adopted)
    return bound | adopted


async def _adoptable(
    ctx: JobContext, resource: Resource[D], wanted: Mapping[str, str]
) -> dict[str, BoundObject]:
    """ERP key → the shop object found by its natural key (``wanted``: natural key → ERP key),
    unless that object is already bound to another key."""
    if not wanted:
        return {}
    found = {n: place for n, place in (await resource.find(list(wanted))).items() if n in wanted}
    taken = ctx.state.taken_shop_ids(ctx.name, resource.kind, {p.shop_id for p in found.values()})
    return {wanted[n]: place for n, place in found.items() if place.shop_id not in taken}


def _changed(
    draft: Any,
    key: str,
    aspects: Mapping[Aspect, frozenset[str]],
    sent: Mapping[Aspect, dict[str, str]],
) -> tuple[set[str], dict[Aspect, str]]:
    names: set[str] = set()
    digests: dict[Aspect, str] = {}
    for aspect, digest in fingerprints(draft, aspects).items():
        if sent[aspect].get(key) != digest:
            names |= aspects[aspect]
            digests[aspect] = digest
    return names, digests


@dataclass(frozen=True)
class Pieces(Generic[D]):
    """Drafts announced before they are built, so that the first are sent while the next are made.

    ``keys`` are every draft's (key, natural key), in the order the drafts will come: the push
    finds them all in the shop at once, as for a list. ``pieces`` gives the drafts, built as it
    is iterated, each piece whole families (a variable product with all its variations)."""

    keys: Sequence[tuple[str, str | None]]
    pieces: Iterable[Sequence[D]]


async def push(
    ctx: JobContext,
    resource: Resource[D],
    drafts: Sequence[D] | Pieces[D],
    *,
    aspects: Mapping[Aspect, frozenset[str]],
    creation_aspects: Mapping[Aspect, frozenset[str]] | None = None,
    create_missing: bool,
    update_detail: Callable[[D], str] = lambda _draft: "",
) -> PushReport:
    """Send what changed of ``drafts`` (creating the missing ones when allowed), journaling each.

    ``aspects`` are what an update may send; ``creation_aspects`` (default: ``aspects``) are the
    fingerprints a creation records, so that a later job owning another aspect sends nothing
    until the ERP changes.

    Slices of what changed are sent as soon as they are planned; with ``Pieces``, while the next
    pieces are built. The answers are recorded (bindings, fingerprints, journal lines) once the
    whole plan is known and journaled, in the order of the drafts: creations first, then updates,
    as for a list.
    """
    journal = ctx.journal
    report = PushReport()
    if isinstance(drafts, Pieces):
        announced, pieces = drafts.keys, drafts.pieces
    else:
        announced = [(resource.key(d), resource.natural_key(d)) for d in drafts]
    places = await resolve_keys(ctx, resource, announced)
    if not isinstance(drafts, Pieces):
        pieces = [drafts] if ctx.dry_run else _whole_families(resource, drafts, places)
    created_aspects = creation_aspects if creation_aspects is not None else aspects
    keys = [key for key, _natural in announced]
    del announced
    sent = {
        aspect: ctx.state.fingerprints(ctx.name, resource.kind, aspect, keys)
        for aspect in {*aspects, *created_aspects}
    }
    del keys
    creates: list[D] = []
    updates: list[tuple[BoundObject, D]] = []
    digests_of: dict[str, dict[Aspect, str]] = {}
    by_key: dict[str, D] = {}
    sender = None if ctx.dry_run else _Sender(resource, batch=ctx.capabilities.batch_size)
    gone: list[str] = []

    async def record(part: _Slice[D], results: Mapping[str, ItemResult]) -> None:
        gone.extend(
            await _record(ctx, resource, part, results, created_aspects, digests_of, report, update_detail)
        )

    try:
        turn = _Turn()
        for piece in pieces:
            piece_creates: list[D] = []
            piece_updates: list[tuple[BoundObject, D]] = []
            for draft in piece:
                key = resource.key(draft)
                by_key[key] = draft
                place = places.get(key)
                if place is None:
                    if create_missing:
                        piece_creates.append(draft)
                    else:
                        report.missing.append(key)
                    continue
                report.places[key] = place
                names, digests = _changed(draft, key, aspects, sent)
                if not names:
                    report.unchanged += 1
                    continue
                piece_updates.append((place, resource.prepare_update(place, resource.only(draft, names))))
                digests_of[key] = digests
            creates += piece_creates
            updates += piece_updates
            # A slice just cut starts at once; else the loop runs every ``TURN_SECONDS``: the
            # slices' requests leave, their answers are read.
            if sender is None or sender.stopped:
                continue
            if sender.feed(piece_creates, piece_updates) or turn.due():
                await asyncio.sleep(0)
        if sender is not None:
            sender.close()
    except BaseException:
        if sender is not None:
            await sender.abandon(record)
        raise
    del sent

    if report.missing:
        sample = ", ".join(report.missing[:10]) + (" …" if len(report.missing) > 10 else "")
        journal.warning("item.not_in_shop", count=len(report.missing), sample=sample)
        journal.tally(Outcome.SKIPPED, len(report.missing))
    if report.unchanged:
        journal.info("unchanged.summary", count=report.unchanged)
        journal.tally(Outcome.UNCHANGED, report.unchanged)
    journal.plan(len(creates) + len(updates))

    if sender is None:
        for draft in creates:
            journal.item(resource.key(draft), Outcome.CREATED, resource.describe(draft), would=True)
        for _place, draft in updates:
            journal.item(resource.key(draft), Outcome.UPDATED, update_detail(draft), would=True)
        return report
    if not creates and not updates:
        return report

    await sender.record(record)
    if gone:
        await _recover_gone(
            ctx,
            resource,
            gone,
            by_key,
            places,
            aspects,
            created_aspects,
            report,
            create_missing=create_missing,
            sent_before={resource.key(d) for _p, d in updates},
        )
    return report


def _whole_families(
    resource: Resource[D], drafts: Sequence[D], places: Mapping[str, BoundObject]
) -> Iterable[Sequence[D]]:
    """A list of drafts as pieces of whole families, so that the first slices leave while the
    rest is planned: each family goes as soon as its last member comes, in pieces of about
    ``PIECE_ITEMS`` drafts. A family is what ``_families`` groups (``_family``)."""
    family_of = [_family(resource, draft, places.get(resource.key(draft))) for draft in drafts]
    members = Counter(family_of)
    waiting: dict[tuple[str, str], list[D]] = defaultdict(list)
    piece: list[D] = []
    for draft, family in zip(drafts, family_of, strict=True):
        if members[family] == 1:
            piece.append(draft)
        else:
            waiting[family].append(draft)
            if len(waiting[family]) == members[family]:
                piece += waiting.pop(family)
        if len(piece) >= PIECE_ITEMS:
            yield piece
            piece = []
    if piece:
        yield piece


PIECE_ITEMS = 250
"""Drafts of a list planned before the slices they fill are sent (``_whole_families``)."""
SLICE_ITEMS = 500
"""Drafts per ``save`` call. A slice's answers are recorded (bindings, fingerprints, journal)
while the next slices are in flight, so the job's work and the shop's answers overlap."""
SLICE_ITEMS_MAX = 2000
"""A slice ends here even when its last write request is not full."""
SLICES_IN_FLIGHT = 6
"""Slices sent and not yet answered, at most (the HTTP client bounds the requests in flight)."""
TURN_SECONDS = 0.002
"""The event loop runs at least this often while a push plans or records: every request in
flight holds one of the HTTP client's few slots until the loop has read its answer, so each
moment the loop is kept from running is one the shop may spend waiting."""


class _Turn:
    """When the event loop is next due to run."""

    def __init__(self) -> None:
        self.next = time.perf_counter() + TURN_SECONDS

    def due(self) -> bool:
        now = time.perf_counter()
        if now < self.next:
            return False
        self.next = now + TURN_SECONDS
        return True


@dataclass
class _Slice(Generic[D]):
    """Drafts sent in one ``save`` call: whole families (a product with its variations)."""

    creates: list[D] = field(default_factory=list)
    updates: list[tuple[BoundObject, D]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.creates) + len(self.updates)


class _Stopped(Exception):
    """A slice not sent: an earlier one failed as a whole."""


class _Slicer(Generic[D]):
    """Creates or updates cut into slices of whole families, fed a piece at a time.

    A variation goes with its product (the adapter creates the product before its variations; the
    shop takes a product's variations in requests of their own), known by where it lives (an
    update) or its ``parent_key``. A slice ends past ``size`` drafts once its top-level objects
    fill whole write requests of ``batch``, so slicing adds no request; past ``most`` it ends
    anyway."""

    def __init__(self, resource: Resource[D], *, batch: int, size: int, most: int) -> None:
        self.resource = resource
        self.batch = max(batch, 1)
        self.size = size
        self.most = most
        self.current: _Slice[D] = _Slice()
        self.top = 0

    def feed(self, families: Iterable[_Slice[D]]) -> list[_Slice[D]]:
        """Add whole families; the slices they fill."""
        full: list[_Slice[D]] = []
        parent_key = self.resource.parent_key
        for whole in families:
            self.current.creates += whole.creates
            self.current.updates += whole.updates
            self.top += sum(1 for d in whole.creates if parent_key(d) is None)
            self.top += sum(1 for p, d in whole.updates if parent_key(d) is None and p.parent_id is None)
            size = len(self.current)
            if (size >= self.size and self.top % self.batch == 0) or size >= self.most:
                full.append(self.current)
                self.current, self.top = _Slice(), 0
        return full

    def close(self) -> list[_Slice[D]]:
        """The last slice, not full."""
        last, self.current, self.top = self.current, _Slice(), 0
        return [last] if len(last) else []


class _Slicing(Generic[D]):
    """The creates and the updates of a push, fed a piece at a time, cut into slices of whole
    families: creations and updates apart (each slice holds one or the other), as they are
    recorded apart (every creation first)."""

    def __init__(self, resource: Resource[D], *, batch: int, size: int, most: int) -> None:
        self.resource = resource
        self.creates = _Slicer(resource, batch=batch, size=size, most=most)
        self.updates = _Slicer(resource, batch=batch, size=size, most=most)

    def feed(self, creates: Sequence[D], updates: Sequence[tuple[BoundObject, D]]) -> list[_Slice[D]]:
        """The slices these drafts fill (a family is whole in one piece)."""
        created, updated = _families(self.resource, creates, updates)
        return [*self.creates.feed(created), *self.updates.feed(updated)]

    def close(self) -> list[_Slice[D]]:
        return [*self.creates.close(), *self.updates.close()]


def _families(
    resource: Resource[D], creates: Sequence[D], updates: Sequence[tuple[BoundObject, D]]
) -> tuple[list[_Slice[D]], list[_Slice[D]]]:
    """The creates and the updates of one piece grouped by family, in order of first appearance:
    a created draft's family is its parent's ERP key (or its own), an update's the shop product
    it lives under (or its parent's ERP key, or its own shop id)."""
    created: dict[tuple[str, str], _Slice[D]] = {}
    for draft in creates:
        created.setdefault(_family(resource, draft, None), _Slice()).creates.append(draft)
    updated: dict[tuple[str, str], _Slice[D]] = {}
    for place, draft in updates:
        updated.setdefault(_family(resource, draft, place), _Slice()).updates.append((place, draft))
    return list(created.values()), list(updated.values())


def _family(resource: Resource[D], draft: D, place: BoundObject | None) -> tuple[str, str]:
    """The family of a draft to create (``place`` None): its parent's ERP key, or its own; of an
    update: the shop product it lives under, or its parent's ERP key, or its own shop id."""
    parent = resource.parent_key(draft)
    if place is None:
        return ("erp", parent or resource.key(draft))
    if place.parent_id:
        return ("shop", place.parent_id)
    return ("erp", parent) if parent else ("shop", place.shop_id)


Record = Callable[[_Slice[D], Mapping[str, ItemResult]], Awaitable[None]]


class _Sender(Generic[D]):
    """Sends slices as they are fed, up to ``SLICES_IN_FLIGHT`` awaiting their answers at once,
    and records them, in order, once told to. A failure of the whole shop stops the sending (the
    slices not yet sent are not); what was recorded stays."""

    def __init__(self, resource: Resource[D], *, batch: int) -> None:
        self.resource = resource
        self.slicing = _Slicing(resource, batch=batch, size=SLICE_ITEMS, most=SLICE_ITEMS_MAX)
        self.sent: tuple[list[tuple[_Slice[D], asyncio.Task[list[ItemResult]]]], ...] = ([], [])
        self.gate = asyncio.Semaphore(SLICES_IN_FLIGHT)
        self.stopped = False
        self.failure: BaseException | None = None

    def feed(self, creates: Sequence[D], updates: Sequence[tuple[BoundObject, D]]) -> int:
        """Send the slices these drafts fill; how many."""
        full = self.slicing.feed(creates, updates)
        for part in full:
            self._send(part)
        return len(full)

    def close(self) -> None:
        for part in self.slicing.close():
            self._send(part)

    def _send(self, part: _Slice[D]) -> None:
        self.sent[0 if part.creates else 1].append((part, asyncio.ensure_future(self._save(part))))

    async def _save(self, part: _Slice[D]) -> list[ItemResult]:
        async with self.gate:
            if self.stopped:
                raise _Stopped
            resource = self.resource
            try:
                return await resource.save([resource.prepare_create(d) for d in part.creates], part.updates)
            except BaseException as error:
                self.stopped = True
                self.failure = self.failure or error
                raise

    def _queue(self) -> deque[tuple[_Slice[D], asyncio.Task[list[ItemResult]]]]:
        creations, updates = self.sent
        queue = deque([*creations, *updates])
        self.sent = ([], [])
        return queue

    async def record(self, record: Record[D]) -> None:
        """Record every slice in order (creations first) as its answers come."""
        queue = self._queue()
        try:
            while queue:
                part, task = queue[0]
                try:
                    answers = await task
                except _Stopped:
                    assert self.failure is not None
                    raise self.failure from None
                queue.popleft()
                await record(part, {r.key: r for r in answers})
        finally:
            await _cancel(queue)

    async def abandon(self, record: Record[D]) -> None:
        """The run stopped while the drafts were built: nothing more is sent, and what the shop
        answered is recorded (it exists in the shop)."""
        self.stopped = True
        queue = self._queue()
        await asyncio.gather(*(task for _part, task in queue), return_exceptions=True)
        for part, task in queue:
            if not task.cancelled() and task.exception() is None:
                await record(part, {r.key: r for r in task.result()})


async def _cancel(queue: Iterable[tuple[Any, asyncio.Task[Any]]]) -> None:
    tasks = [task for _part, task in queue]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _record(
    ctx: JobContext,
    resource: Resource[D],
    part: _Slice[D],
    results: Mapping[str, ItemResult],
    created_aspects: Mapping[Aspect, frozenset[str]],
    digests_of: Mapping[str, dict[Aspect, str]],
    report: PushReport,
    update_detail: Callable[[D], str],
) -> list[str]:
    """Bindings, fingerprints and journal lines of one slice's answers; returns the keys whose
    bound object the shop no longer holds. It lets the event loop run every ``TURN_SECONDS``,
    so the answers of the slices in flight are read and the next requests sent while it records
    (the shop would otherwise wait for them)."""
    journal = ctx.journal
    gone: list[str] = []
    new_places: dict[str, BoundObject] = {}
    recorded: dict[Aspect, dict[str, str]] = defaultdict(dict)
    turn = _Turn()
    for draft in part.creates:
        if turn.due():
            await asyncio.sleep(0)
        key = resource.key(draft)
        result = results.get(key)
        if result is None or not result.ok or result.shop_id is None:
            report.failed[key] = describe_error(result)
            journal.item(key, Outcome.FAILED, report.failed[key])
            continue
        new_places[key] = BoundObject(result.shop_id, result.parent_id)
        for aspect, digest in fingerprints(draft, created_aspects).items():
            recorded[aspect][key] = digest
        report.created.append(key)
        journal.item(key, Outcome.CREATED, f"id {result.shop_id}")
    for _place, draft in part.updates:
        if turn.due():
            await asyncio.sleep(0)
        key = resource.key(draft)
        result = results.get(key)
        if result is not None and result.gone:
            gone.append(key)
            continue
        if result is None or not result.ok:
            report.failed[key] = describe_error(result)
            journal.item(key, Outcome.FAILED, report.failed[key])
            continue
        for aspect, digest in digests_of[key].items():
            recorded[aspect][key] = digest
        report.updated.append(key)
        journal.item(key, Outcome.UPDATED, update_detail(draft))
    await ctx.state.record_sent_aside(ctx.name, resource.kind, new_places, recorded)
    report.places |= new_places
    return gone


async def _recover_gone(
    ctx: JobContext,
    resource: Resource[D],
    gone_keys: Sequence[str],
    by_key: Mapping[str, D],
    places: Mapping[str, BoundObject],
    aspects: Mapping[Aspect, frozenset[str]],
    created_aspects: Mapping[Aspect, frozenset[str]],
    report: PushReport,
    *,
    create_missing: bool,
    sent_before: set[str],
) -> None:
    """Bindings whose shop object is gone: unbind, then adopt by natural key or create again.

    ``sent_before`` are the keys the first pass sent (the others were counted unchanged)."""
    journal = ctx.journal
    gone = set(gone_keys)
    parents = {
        p
        for k in gone
        if (p := resource.parent_key(by_key[k])) and p in by_key and p in places and p not in gone
    }
    if parents:
        naturals = {n: p for p in parents if (n := resource.natural_key(by_key[p]))}
        still = await resource.find(list(naturals))
        lost = {p for n, p in naturals.items() if (still.get(n) or places[p]).shop_id != places[p].shop_id}
        lost |= {p for n, p in naturals.items() if n not in still}
        gone |= lost | {k for k, d in by_key.items() if resource.parent_key(d) in lost and k in places}
    ordered = [k for k in by_key if k in gone]
    counted_unchanged = [k for k in ordered if k not in sent_before]
    if counted_unchanged:
        report.unchanged -= len(counted_unchanged)
        journal.tally(Outcome.UNCHANGED, -len(counted_unchanged))
    for key in ordered:
        report.places.pop(key, None)
    journal.warning("item.gone", count=len(ordered), sample=_sample(ordered))
    ctx.state.unbind(ctx.name, resource.kind, ordered)
    naturals = {n: k for k in ordered if (n := resource.natural_key(by_key[k]))}
    adopted = await _adoptable(ctx, resource, naturals)
    ctx.state.bind(ctx.name, resource.kind, adopted)
    creates = [by_key[k] for k in ordered if k not in adopted and create_missing]
    missing = [k for k in ordered if k not in adopted and not create_missing]
    journal.plan(len(ordered) - len(gone_keys))
    for key in missing:
        report.missing.append(key)
        journal.item(key, Outcome.SKIPPED, journal.t("item.gone_detail"))
    update_fields = set().union(*aspects.values()) if aspects else set()
    updates = [
        (adopted[k], resource.prepare_update(adopted[k], resource.only(by_key[k], update_fields)))
        for k in ordered
        if k in adopted
    ]
    if not creates and not updates:
        return
    results = {r.key: r for r in await resource.save([resource.prepare_create(d) for d in creates], updates)}
    new_places: dict[str, BoundObject] = {}
    recorded: dict[Aspect, dict[str, str]] = defaultdict(dict)
    for key in [*(resource.key(d) for d in creates), *(resource.key(d) for _p, d in updates)]:
        result = results.get(key)
        if result is None or not result.ok:
            report.failed[key] = describe_error(result)
            journal.item(key, Outcome.FAILED, report.failed[key])
            continue
        place = adopted.get(key) or BoundObject(result.shop_id or "", result.parent_id)
        new_places[key] = place
        for aspect, digest in fingerprints(
            by_key[key], aspects if key in adopted else created_aspects
        ).items():
            recorded[aspect][key] = digest
        if key in adopted:
            report.updated.append(key)
            journal.item(key, Outcome.UPDATED, journal.t("item.gone_adopted", id=place.shop_id))
        else:
            report.created.append(key)
            journal.item(key, Outcome.CREATED, journal.t("item.gone_created", id=place.shop_id))
    new_bindings = {k: p for k, p in new_places.items() if k not in adopted}
    ctx.state.record_sent(ctx.name, resource.kind, new_bindings, recorded)
    report.places |= new_places


def _sample(keys: Sequence[str]) -> str:
    return ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
