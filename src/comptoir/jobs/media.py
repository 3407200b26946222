"""Product images and documents (SPEC §3): found on disk, sent once per content.

**Finding files.** In a folder, files named by reference — ``REF.jpg``, then ``REF_01.jpg`` …
``REF_99.jpg`` — and, with ``subfolders``, every file of a sub-folder named after the reference;
for images, the ERP's own article picture too (``Article.images``, relative paths taken from
``images.erp_folder``). The folder is listed once per run, whatever the catalog size. Names are
matched without regard to case (Windows folders). Only the configured extensions are taken.

**Sending only what changed.** A product's files are fingerprinted by name, size and
modification time (no file is read when nothing moved); when that fingerprint changes, each
file's content hash (SHA-256) is compared with the one of the file the shop holds under that
key (``SKU/name``, a binding of kind ``image`` or ``document``): only new or changed contents are
uploaded, files no longer there are deleted from the shop, the others are kept with their shop
ids. ``replace_shop_*`` also removes what the product has in the shop that comptoir did not send.

The adapter uploads the bytes itself (``Shop.save_media``); a platform that cannot hold a kind
(its capabilities) is told nothing, and the journal says so once.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from comptoir.jobs.context import JobContext
from comptoir.jobs.push import describe_error
from comptoir.journal import Outcome
from comptoir.model import (
    Article,
    ItemResult,
    MediaFile,
    MediaKind,
    MediaPlan,
    ProductKind,
    ShopRef,
)
from comptoir.state import BoundObject

PRODUCT = "product"
CONTENT = "content"
"""Aspect of a file binding: the SHA-256 of the content the shop holds."""
_NUMBERED = 99


@dataclass(frozen=True, slots=True)
class Found:
    """The files found for one product, in the order the shop shows them."""

    files: tuple[Path, ...]

    def signature(self) -> list[tuple[str, int, int]]:
        out = []
        for path in self.files:
            stat = path.stat()
            out.append((path.name, stat.st_size, stat.st_mtime_ns))
        return out


def _index(folder: Path, extensions: set[str], subfolders: bool) -> tuple[dict[str, Path], dict[str, Path]]:
    """Files of ``folder`` by lower-cased stem, and sub-folders by lower-cased name: one listing."""
    files: dict[str, Path] = {}
    folders: dict[str, Path] = {}
    if not folder.is_dir():
        return files, folders
    with os.scandir(folder) as entries:
        for entry in entries:
            path = Path(entry.path)
            if entry.is_file() and path.suffix.lower() in extensions:
                files.setdefault(path.stem.casefold(), path)
            elif subfolders and entry.is_dir():
                folders[entry.name.casefold()] = path
    return files, folders


def find_files(
    folder: Path | None,
    references: Sequence[str],
    *,
    extensions: Sequence[str],
    subfolders: bool,
) -> dict[str, list[Path]]:
    """Reference → its files in ``folder``: ``REF``, ``REF_01`` … ``REF_99``, then its sub-folder."""
    if folder is None:
        return {}
    wanted = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    files, folders = _index(folder, wanted, subfolders)
    found: dict[str, list[Path]] = {}
    for reference in references:
        stem = reference.casefold()
        paths = [files[stem]] if stem in files else []
        paths += [files[s] for n in range(1, _NUMBERED + 1) if (s := f"{stem}_{n:02d}") in files]
        sub = folders.get(stem)
        if sub is not None:
            paths += sorted(
                (p for p in sub.iterdir() if p.is_file() and p.suffix.lower() in wanted),
                key=lambda p: p.name.casefold(),
            )
        if paths:
            found[reference] = paths
    return found


def erp_pictures(ctx: JobContext, articles: Sequence[Article]) -> dict[str, list[Path]]:
    """Reference → the ERP's own picture files that exist (relative paths from ``erp_folder``)."""
    options = ctx.profile.products.images
    base = options.erp_folder
    found: dict[str, list[Path]] = {}
    for article in articles:
        paths = []
        for raw in article.images:
            path = Path(raw.replace("\\", "/"))
            if not path.is_absolute() and base is not None:
                path = base / path
            if path.is_file() and path.suffix.lower() in options.extensions:
                paths.append(path)
        if paths:
            found[article.reference] = paths
    return found


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            sha.update(block)
    return sha.hexdigest()


def _mime(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@dataclass
class MediaReport:
    """What a media push did: products planned, files uploaded, deleted, products failed."""

    products: int = 0
    uploaded: int = 0
    deleted: int = 0
    failed: int = 0


async def push_media(
    ctx: JobContext,
    kind: MediaKind,
    wanted: Mapping[str, Sequence[Path]],
    places: Mapping[str, tuple[BoundObject, ProductKind]],
    *,
    replace_others: bool,
) -> MediaReport:
    """Send the files of ``wanted`` products (SKU → files in order) that changed since last sent.

    ``places`` says where each SKU's product is in the shop. Products with no file left lose the
    files comptoir sent them before."""
    report = MediaReport()
    state, name = ctx.state, ctx.name
    aspect = f"{kind.value}s"
    sent = state.fingerprints(name, PRODUCT, aspect)
    bound = state.bindings(name, kind.value)
    contents = state.fingerprints(name, kind.value, CONTENT)
    by_sku: dict[str, dict[str, BoundObject]] = defaultdict(dict)
    for key, place in bound.items():
        by_sku[key.split("/", 1)[0]][key] = place
    skus = [s for s in dict.fromkeys([*wanted, *by_sku]) if s in places]
    plans: list[MediaPlan] = []
    digests: dict[str, dict[str, str]] = {}
    signatures: dict[str, str] = {}
    for sku in skus:
        files = list(wanted.get(sku, ()))
        known = by_sku.get(sku, {})
        if not files and not known:
            continue
        signature = _signature_digest(Found(tuple(files)))
        if sent.get(sku) == signature:
            continue
        place, product_kind = places[sku]
        upload: list[MediaFile] = []
        keep: list[tuple[str, str]] = []
        hashes: dict[str, str] = {}
        order: list[str] = []
        for path in files:
            key = f"{sku}/{path.name}"
            if key in order:
                continue
            order.append(key)
            hashes[key] = _digest(path)
            if key in known and contents.get(key) == hashes[key]:
                keep.append((key, known[key].shop_id))
            else:
                upload.append(MediaFile(key, path.name, path, _mime(path)))
        kept = {k for k, _ in keep}
        delete = tuple(p.shop_id for k, p in known.items() if k not in kept)
        ref = ShopRef(place.shop_id, place.parent_id, sku, product_kind)
        plans.append(
            MediaPlan(sku, ref, kind, tuple(upload), tuple(keep), delete, tuple(order), replace_others)
        )
        digests[sku] = hashes
        signatures[sku] = signature
    report.products = len(plans)
    report.uploaded = sum(len(p.upload) for p in plans)
    report.deleted = sum(len(p.delete) for p in plans)
    if ctx.dry_run or not plans:
        return report
    results = {r.sku: r for r in await ctx.shop.save_media(plans)}
    new_bindings: dict[str, BoundObject] = {}
    drop: list[str] = []
    new_contents: dict[str, str] = {}
    done: dict[str, str] = {}
    for plan in plans:
        result = results.get(plan.sku)
        if result is None or not result.ok:
            report.failed += 1
            error = ItemResult(plan.sku, error=result.error) if result is not None else None
            ctx.journal.item(plan.sku, Outcome.FAILED, f"{kind.value}s: {describe_error(error)}")
            continue
        drop += [k for k in by_sku.get(plan.sku, {}) if k not in result.ids]
        for key, shop_id in result.ids.items():
            new_bindings[key] = BoundObject(shop_id, plan.product.shop_id)
            if key in digests[plan.sku]:
                new_contents[key] = digests[plan.sku][key]
        done[plan.sku] = signatures[plan.sku]
    state.unbind(name, kind.value, drop)
    state.bind(name, kind.value, new_bindings)
    state.record_fingerprints(name, kind.value, CONTENT, new_contents)
    state.record_fingerprints(name, PRODUCT, aspect, done)
    return report


def _signature_digest(found: Found) -> str:
    raw = repr(found.signature()).encode()
    return hashlib.sha256(raw).hexdigest()
