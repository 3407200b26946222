"""``fingerprints`` (every aspect of a draft at once) says exactly what ``fingerprint`` says of
each aspect alone: a creation records them, an update compares them with the ones sent."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from comptoir.model import AttributeDraft, ProductDraft, fingerprint, fingerprints

texts = st.none() | st.text(max_size=20)
amounts = st.none() | st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False)
attributes = st.none() | st.lists(
    st.builds(
        AttributeDraft, st.text(min_size=1, max_size=8), st.lists(st.text(max_size=6), max_size=3).map(tuple)
    ),
    max_size=3,
).map(tuple)
drafts = st.builds(
    ProductDraft,
    sku=st.text(min_size=1, max_size=10),
    name=texts,
    description=texts,
    regular_price=amounts,
    sale_price=amounts,
    stock_quantity=st.none() | st.integers(-5, 500),
    manage_stock=st.none() | st.booleans(),
    enabled=st.none() | st.booleans(),
    attributes=attributes,
)
FIELDS = [
    "name",
    "description",
    "regular_price",
    "sale_price",
    "stock_quantity",
    "manage_stock",
    "enabled",
    "attributes",
    "sku",
]
groups = st.dictionaries(
    st.sampled_from(["catalog", "price", "stock", "status", "other"]),
    st.frozensets(st.sampled_from(FIELDS)),
    max_size=5,
)


@given(drafts, groups)
def test_fingerprints_of_all_aspects_are_those_of_each_aspect(
    draft: ProductDraft, aspects: dict[str, frozenset[str]]
) -> None:
    assert fingerprints(draft, aspects) == {name: fingerprint(draft, set(f)) for name, f in aspects.items()}


def test_a_changed_field_changes_only_its_aspect() -> None:
    aspects = {"price": frozenset({"regular_price"}), "stock": frozenset({"stock_quantity"})}
    before = fingerprints(ProductDraft("A", regular_price=Decimal("10"), stock_quantity=3), aspects)
    after = fingerprints(ProductDraft("A", regular_price=Decimal("10.00"), stock_quantity=4), aspects)
    assert before["price"] == after["price"], "10 and 10.00 are the same price"
    assert before["stock"] != after["stock"]


def _stored_form(value: object) -> object:
    """What a fingerprint has always hashed of a value (the digests in every state store)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, tuple | list):
        return [_stored_form(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _stored_form(v) for k, v in sorted(value.items())}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _stored_form(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


@given(drafts, groups)
def test_fingerprints_stay_those_already_stored(
    draft: ProductDraft, aspects: dict[str, frozenset[str]]
) -> None:
    """A digest is the SHA-256 of the sorted JSON of the named fields that are not ``None``: a
    draft sent before an upgrade is found unchanged after it."""
    expected = {}
    for name, names in aspects.items():
        data = {
            f.name: _stored_form(getattr(draft, f.name))
            for f in dataclasses.fields(draft)
            if f.name in names and getattr(draft, f.name) is not None
        }
        raw = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        expected[name] = hashlib.sha256(raw.encode()).hexdigest()
    assert fingerprints(draft, aspects) == expected
