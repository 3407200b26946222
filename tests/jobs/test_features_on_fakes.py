"""Features (brand, barcode, weights, custom fields) and dimensions, on the fakes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.profile.loader import ProfileError
from fakes import FakeWorld


async def test_features_and_dimensions_come_from_their_fields(world: FakeWorld) -> None:
    custom = {"Marque": "Rucher du Ventoux", "Largeur": "8,5", "Hauteur": "12", "Profondeur": "abc"}
    world.erp.change_article(
        "MIEL-LAV",
        custom_fields={**world.erp.articles["MIEL-LAV"].custom_fields, **custom},
        barcode="3760000000028",
        weight_net=Decimal("0.5"),
        weight_gross=Decimal("0.62"),
    )
    world.configure(
        products={
            "features": {"Marque": "field:Marque", "EAN": "barcode", "Poids brut": "weight_gross"},
            "dimensions": {"width": "Largeur", "height": "Hauteur", "depth": "Profondeur"},
            "weight": "gross",
        }
    )
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None
    assert honey.get("features") == (
        ("Marque", "Rucher du Ventoux"),
        ("EAN", "3760000000028"),
        ("Poids brut", "0.62"),
    )
    assert (honey.get("width"), honey.get("height"), honey.get("depth")) == (
        Decimal("8.5"),
        Decimal(12),
        None,
    )
    assert honey.get("weight") == Decimal("0.62")
    oil = world.shop.product("HUILE-OLIVE")
    assert oil is not None and oil.get("features") == (("EAN", "3760000000011"),), "empty values left out"
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None and parent.get("attributes"), "a variable product keeps its attributes"

    world.erp.change_article(
        "MIEL-LAV", custom_fields={**world.erp.articles["MIEL-LAV"].custom_fields, "Marque": "Autre"}
    )
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 1, lines
    assert honey.get("features")[0] == ("Marque", "Autre"), "features are the ERP's"


def test_a_feature_source_must_be_known(world: FakeWorld) -> None:
    with pytest.raises(ProfileError, match="features: Marque"):
        world.configure(products={"features": {"Marque": "Marque"}})
