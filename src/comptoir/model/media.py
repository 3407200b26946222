"""Files a product shows in the shop (images, documents): what the job found, what the shop must do.

A job finds the files (an images folder, the ERP's own image columns, a documents folder) and
plans per product what changed: files to upload (new, or whose content changed), files already in
the shop to keep (their shop ids), shop files to delete. Each adapter carries the plan out as its
platform allows, uploading the bytes itself (never a public URL), and answers the shop id of
every file it holds for the product.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from comptoir.model.drafts import ItemError, ShopRef


class MediaKind(StrEnum):
    IMAGE = "image"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file of a product: its key (``SKU/name``), name shown in the shop, where it is, its type."""

    key: str
    name: str
    path: Path
    mime: str


@dataclass(frozen=True, slots=True)
class MediaPlan:
    """What the shop must do with one product's files of one kind; ``order`` lists every file key
    the product shows, in order (the first image is the main one)."""

    sku: str
    product: ShopRef
    kind: MediaKind
    upload: tuple[MediaFile, ...] = ()
    keep: tuple[tuple[str, str], ...] = ()
    """(file key, shop id) of files already in the shop, unchanged."""
    delete: tuple[str, ...] = ()
    """Shop ids of files the product no longer shows (removed, or replaced by a new content)."""
    order: tuple[str, ...] = ()
    replace_others: bool = False
    """Also remove the product's files comptoir did not send (added in the shop by hand)."""


@dataclass(frozen=True, slots=True)
class MediaResult:
    """What the shop holds for one product after its plan: file key → shop id, or an error."""

    sku: str
    ids: dict[str, str] = field(default_factory=dict)
    error: ItemError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
