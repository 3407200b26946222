"""How the push engine cuts a large push into slices (``jobs/push.py``, ``_Slicing``).

Every draft is sent once, in order; a variation is in the slice of its product; a slice holds
creations or updates, not both; and a slice ends only where its top-level objects fill whole
write requests, so slicing costs no request. The drafts may come in pieces (built while the
first are sent): where the pieces end changes none of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from comptoir.jobs.push import Resource, _Slice, _Slicing
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
