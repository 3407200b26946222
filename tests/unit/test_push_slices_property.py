"""How the push engine cuts a large push into slices (``jobs/push.py``, ``_Slicing``).

Every draft is sent once, in order; a variation is in the slice of its product; a slice holds
creations or updates, not both; and a slice ends only where its top-level objects fill whole
write requests, so slicing costs no request. The drafts may come in pieces (built while the
first are sent): where the pieces end changes none of it. A list is cut into pieces of whole
families (``_whole_families``), however its families are mixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comptoir.jobs import push
from comptoir.jobs.push import Resource, _Slice, _Slicing, _whole_families
from comptoir.state import BoundObject


@dataclass(frozen=True)
class Item:
    key: str
    parent: str | None = None


def _resource() -> Resource[Item]:
    async def find(_keys: list[str]) -> dict[str, BoundObject]:
        return {}

    async def save(_c: object, _u: object) -> list[object]:
        return []

    return Resource(
        kind="product",
        key=lambda d: d.key,
        natural_key=lambda d: d.key,
        find=find,
        save=save,  # type: ignore[arg-type]
        only=lambda d, _names: d,
        parent_key=lambda d: d.parent,
    )


families = st.lists(
    st.tuples(st.booleans(), st.integers(min_value=0, max_value=6), st.booleans()), max_size=60
)
"""Each family: created or updated, its number of variations, whether its product is sent."""


@given(
    families,
    st.integers(min_value=1, max_value=7),
    st.integers(min_value=1, max_value=25),
    st.lists(st.integers(min_value=0, max_value=60), max_size=8),
)
def test_slices_keep_families_whole_and_fill_write_requests(
    shape: list[tuple[bool, int, bool]], batch: int, size: int, cuts: list[int]
) -> None:
    creates: list[Item] = []
    updates: list[tuple[BoundObject, Item]] = []
    pieces: list[tuple[list[Item], list[tuple[BoundObject, Item]]]] = [([], [])]
    ends = set(cuts)
    for number, (created, variations, with_product) in enumerate(shape):
        if number in ends:
            pieces.append(([], []))
        drafts = [Item(f"P{number}")] if with_product or created else []
        drafts += [Item(f"P{number}-{v}", f"P{number}") for v in range(variations)]
        if created:
            creates += drafts
            pieces[-1][0].extend(drafts)
        else:
            bound = [
                (BoundObject(f"shop-{d.key}", f"shop-{d.parent}" if d.parent else None), d) for d in drafts
            ]
            updates += bound
            pieces[-1][1].extend(bound)
    most = size * 4
    slicing = _Slicing(_resource(), batch=batch, size=size, most=most)
    slices = [part for piece in pieces for part in slicing.feed(*piece)] + slicing.close()
    creations = [part for part in slices if part.creates]
    updated = [part for part in slices if part.updates]

    assert all(not (part.creates and part.updates) for part in slices), "creations and updates apart"
    assert [d for s in creations for d in s.creates] == creates
    assert [p for s in updated for p in s.updates] == updates
    for kind in (creations, updated):
        _check(kind, batch=batch, size=size, most=most)


def _check(slices: list[_Slice[Item]], *, batch: int, size: int, most: int) -> None:
    home: dict[str, int] = {}
    for index, part in enumerate(slices):
        drafts = [*part.creates, *(d for _p, d in part.updates)]
        assert drafts, "no empty slice"
        for draft in drafts:
            home.setdefault(draft.parent or draft.key, index)
            assert home[draft.parent or draft.key] == index, f"{draft.key} is away from its family"
        if index < len(slices) - 1:
            top = sum(1 for d in drafts if d.parent is None)
            assert (len(drafts) >= size and top % batch == 0) or len(drafts) >= most


@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=8), st.booleans(), st.booleans()), max_size=80),
    st.integers(min_value=1, max_value=9),
)
def test_a_list_goes_in_pieces_of_whole_families_in_its_order(
    shape: list[tuple[int, bool, bool]], piece_items: int
) -> None:
    """Each draft: its family (products 0-8, or none), whether it is bound, whether it is the
    product itself. A family is whole in one piece, the pieces end near ``PIECE_ITEMS``, and
    every draft comes once, a family where its last member stood."""
    drafts: list[Item] = []
    places: dict[str, BoundObject] = {}
    for number, (family, bound, is_product) in enumerate(shape):
        item = (
            Item(f"P{family}")
            if is_product and family
            else Item(f"D{number}", f"P{family}" if family else None)
        )
        if item in drafts:
            continue
        drafts.append(item)
        if bound:
            parent = f"shop-{item.parent}" if item.parent else None
            places[item.key] = BoundObject(f"shop-{item.key}", parent)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(push, "PIECE_ITEMS", piece_items)
        pieces = list(_whole_families(_resource(), drafts, places))

    def family(item: Item) -> str:
        place = places.get(item.key)
        if place is not None and place.parent_id:
            return place.parent_id
        if place is not None and not item.parent:
            return place.shop_id
        return item.parent or item.key

    assert sorted(d.key for piece in pieces for d in piece) == sorted(d.key for d in drafts)
    assert all(len(piece) >= piece_items for piece in pieces[:-1])
    home = {family(d): index for index, piece in enumerate(pieces) for d in piece}
    assert all(home[family(d)] == index for index, piece in enumerate(pieces) for d in piece)
    last = {family(d): position for position, d in enumerate(drafts)}
    order = sorted(drafts, key=lambda d: (last[family(d)], drafts.index(d)))
    assert [d for piece in pieces for d in piece] == order
