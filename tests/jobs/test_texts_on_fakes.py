"""Shop texts mapped to ERP fields, RTF descriptions as clean HTML, the designation kept off the
shop: on the fakes."""

from __future__ import annotations

import pytest

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.profile.loader import ProfileError
from fakes import FakeWorld

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}\f0\fs20 "
    r"Miel cr\'e9meux de {\b lavande} <script>alert(1)</script>\par "
    r"R\u233?colt\'e9 en Provence\par}"
)


def fields(world: FakeWorld, sku: str, **values: str) -> None:
    world.erp.change_article(sku, custom_fields={**world.erp.articles[sku].custom_fields, **values})


async def test_every_shop_text_comes_from_its_mapped_field(world: FakeWorld) -> None:
    fields(world, "MIEL-LAV", **{"Nom web": "Miel de lavande bio", "Accroche": "Le miel du Ventoux"})
    fields(world, "MIEL-LAV", **{"Titre SEO": "Miel lavande | Épicerie", "Lien": "miel-lavande"})
    world.erp.change_article("MIEL-LAV", description=RTF)
    world.configure(
        products={
            "texts": {
                "name": "field:Nom web",
                "description": "description",
                "short_description": "field:Accroche",
                "seo_title": "field:Titre SEO",
                "seo_description": "field:Accroche",
                "slug": "field:Lien",
            }
        }
    )
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None
    assert honey.get("name") == "Miel de lavande bio"
    assert honey.get("description") == (
        "<p>Miel crémeux de lavande &lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>Récolté en Provence</p>"
    )
    assert honey.get("short_description") == "Le miel du Ventoux"
    assert honey.get("seo_title") == "Miel lavande | Épicerie"
    assert honey.get("seo_description") == "Le miel du Ventoux"
    assert honey.get("slug") == "miel-lavande"
    oil = world.shop.product("HUILE-OLIVE")
    assert oil is not None and oil.get("name") == "HUILE-OLIVE", "an empty name field: the reference"
    assert oil.get("slug") is None, "an empty slug: the shop derives one"


async def test_seo_and_slug_are_updated_only_when_allowed(world: FakeWorld) -> None:
    fields(world, "MIEL-LAV", **{"Titre SEO": "Avant"})
    world.configure(products={"texts": {"seo_title": "field:Titre SEO"}})
    await world.run(JobName.EXPORT_PRODUCTS)
    fields(world, "MIEL-LAV", **{"Titre SEO": "Après"})
    await world.run(JobName.EXPORT_PRODUCTS)
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("seo_title") == "Avant", "seo is not an updatable field by default"

    world.configure(products={"texts": {"seo_title": "field:Titre SEO"}, "update_fields": ["name", "seo"]})
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.counts.updated >= 1, lines
    assert honey.get("seo_title") == "Après"


async def test_the_designation_can_be_kept_off_the_shop(world: FakeWorld) -> None:
    for sku in world.erp.articles:
        fields(world, sku, **{"Nom web": f"Web {sku}"})
    fields(world, "NAPPE-PROV", **{"Nom web": "Nappe en coton"})
    world.configure(
        products={"texts": {"name": "field:Nom web", "description": "none", "show_designation": False}}
    )
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    designations = {a.designation for a in world.erp.articles.values()}
    for product in world.shop.products.values():
        shown = {product.get("name"), product.get("description"), product.get("short_description")}
        assert not shown & designations, product.sku
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None and parent.get("name") == "Nappe en coton"


def test_a_text_mapping_naming_the_designation_while_hidden_is_refused(world: FakeWorld) -> None:
    with pytest.raises(ProfileError, match="show_designation"):
        world.configure(products={"texts": {"name": "designation", "show_designation": False}})
    with pytest.raises(ProfileError, match="seo_title"):
        world.configure(products={"texts": {"seo_title": "Titre"}})


def test_the_former_description_field_option_still_reads(world: FakeWorld) -> None:
    profile = world.configure(products={"description_field": "none"})
    assert profile.products.texts.description == "none"
