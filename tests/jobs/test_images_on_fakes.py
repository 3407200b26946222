"""Product images on the fakes: found by reference in a folder (numbered, sub-folders) and from the
ERP's picture, uploaded once per content, re-sent only when changed, deleted when removed."""

from __future__ import annotations

import os
from pathlib import Path

from comptoir.demo.images import png
from comptoir.jobs.runner import JobName, RunStatus
from fakes import FakeWorld


def image(path: Path, colour: tuple[int, int, int] = (200, 40, 40)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png(8, 8, colour))
    return path


def names(world: FakeWorld, sku: str) -> list[str]:
    product = world.shop.product(sku)
    assert product is not None
    return [world.shop.media[i][1] for i in product.get("images") or ()]


async def test_images_are_found_uploaded_once_and_follow_the_folder(world: FakeWorld, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    image(folder / "MIEL-LAV.jpg".replace(".jpg", ".png"))
    image(folder / "miel-lav_02.png", (10, 200, 10))
    image(folder / "MIEL-LAV_01.png", (10, 10, 200))
    image(folder / "HUILE-OLIVE" / "b.png")
    image(folder / "HUILE-OLIVE" / "a.png", (1, 2, 3))
    (folder / "MIEL-LAV.txt").write_text("not an image")
    erp_pictures = tmp_path / "sage"
    image(erp_pictures / "photos" / "vin.png")
    world.erp.change_article("VIN-ROUGE", images=("photos\\vin.png",))
    world.configure(
        products={
            "images": {
                "enabled": True,
                "folder": str(folder),
                "subfolders": True,
                "from_erp": True,
                "erp_folder": str(erp_pictures),
            },
            "update_fields": ["name", "price", "stock", "images"],
        }
    )
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert names(world, "MIEL-LAV") == ["MIEL-LAV.png", "MIEL-LAV_01.png", "miel-lav_02.png"]
    assert names(world, "HUILE-OLIVE") == ["a.png", "b.png"]
    assert names(world, "VIN-ROUGE") == ["vin.png"]
    assert world.shop.requests["media"] == 6
    assert any("images de 3 produit(s) : 6 envoyé(s), 0 supprimé(s)" in line for line in lines), lines

    writes = world.shop.writes
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (again.counts.updated, again.counts.created) == (0, 0), lines
    assert world.shop.writes == writes, "no image is sent again"

    before = world.shop.product("MIEL-LAV").get("images")  # type: ignore[union-attr]
    image(folder / "MIEL-LAV_01.png", (10, 10, 201))
    (folder / "miel-lav_02.png").unlink()
    touched = folder / "MIEL-LAV.png"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    third, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert third.status is RunStatus.OK, lines
    assert world.shop.requests["media"] == 6 + 1 + 2, "one changed upload; the old and the removed deleted"
    after = world.shop.product("MIEL-LAV").get("images")  # type: ignore[union-attr]
    assert after[0] == before[0], "a file touched but unchanged keeps its shop image"
    assert names(world, "MIEL-LAV") == ["MIEL-LAV.png", "MIEL-LAV_01.png"]
    assert len(world.shop.media) == 5


async def test_images_added_by_hand_are_kept_unless_replaced(world: FakeWorld, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    image(folder / "SAVON.png")
    world.configure(products={"images": {"enabled": True, "folder": str(folder)}})
    await world.run(JobName.EXPORT_PRODUCTS)
    soap = world.shop.product("SAVON")
    assert soap is not None
    soap.data["images"] = (*soap.get("images"), "by-hand")
    image(folder / "SAVON_01.png", (0, 0, 0))
    world.configure(
        products={"images": {"enabled": True, "folder": str(folder)}, "update_fields": ["images"]}
    )
    await world.run(JobName.EXPORT_PRODUCTS)
    assert soap.get("images")[-1] == "by-hand" and len(soap.get("images")) == 3

    image(folder / "SAVON_02.png", (9, 9, 9))
    world.configure(
        products={
            "images": {"enabled": True, "folder": str(folder), "replace_shop_images": True},
            "update_fields": ["images"],
        }
    )
    await world.run(JobName.EXPORT_PRODUCTS)
    assert "by-hand" not in soap.get("images") and len(soap.get("images")) == 3


async def test_images_of_existing_products_wait_for_the_update_switch(
    world: FakeWorld, tmp_path: Path
) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    folder = tmp_path / "images"
    image(folder / "MIEL-LAV.png")
    world.configure(products={"images": {"enabled": True, "folder": str(folder)}})
    await world.run(JobName.EXPORT_PRODUCTS)
    assert names(world, "MIEL-LAV") == [], "images is not an updatable field by default"
    world.configure(
        products={"images": {"enabled": True, "folder": str(folder)}, "update_fields": ["images"]}
    )
    dry, lines = await world.run(JobName.EXPORT_PRODUCTS, dry_run=True)
    assert world.shop.requests["media"] == 0 and dry.status is RunStatus.OK
    assert any("1 envoyé(s), 0 supprimé(s) (simulation)" in line for line in lines), lines
    await world.run(JobName.EXPORT_PRODUCTS)
    assert names(world, "MIEL-LAV") == ["MIEL-LAV.png"]


async def test_a_refused_upload_fails_its_product_alone_and_is_tried_again(
    world: FakeWorld, tmp_path: Path
) -> None:
    folder = tmp_path / "images"
    image(folder / "MIEL-LAV.png")
    image(folder / "SAVON.png")
    world.configure(
        products={"images": {"enabled": True, "folder": str(folder)}, "update_fields": ["images"]}
    )
    await world.run(JobName.EXPORT_PRODUCTS)
    image(folder / "MIEL-LAV.png", (1, 1, 1))
    image(folder / "SAVON.png", (2, 2, 2))
    world.shop.refuse("MIEL-LAV", code="upload_refused", message="file too big", times=1)
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.counts.failed == 1 and any(
        "MIEL-LAV : en échec - images: upload_refused" in line for line in lines
    )
    assert world.shop.media[world.shop.product("SAVON").get("images")[0]][2] == png(8, 8, (2, 2, 2))  # type: ignore[union-attr]
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.failed == 0, lines
    assert world.shop.media[world.shop.product("MIEL-LAV").get("images")[0]][2] == png(8, 8, (1, 1, 1))  # type: ignore[union-attr]


async def test_documents_follow_the_extension_filter_and_sub_folders(
    world: FakeWorld, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "MIEL-LAV.pdf").write_bytes(b"%PDF-1.4 fiche")
    (folder / "MIEL-LAV_01.docx").write_bytes(b"PK docx")
    (folder / "MIEL-LAV_02.exe").write_bytes(b"MZ")
    (folder / "HUILE-OLIVE").mkdir()
    (folder / "HUILE-OLIVE" / "securite.pdf").write_bytes(b"%PDF-1.4 fds")
    world.configure(
        products={"documents": {"enabled": True, "folder": str(folder), "extensions": [".pdf", "docx"]}}
    )
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None
    assert [world.shop.media[i][1] for i in honey.get("documents")] == ["MIEL-LAV.pdf", "MIEL-LAV_01.docx"]
    oil = world.shop.product("HUILE-OLIVE")
    assert oil is not None and [world.shop.media[i][1] for i in oil.get("documents")] == ["securite.pdf"]
    assert any("documents de 2 produit(s) : 3 envoyé(s)" in line for line in lines), lines
    writes = world.shop.writes
    await world.run(JobName.EXPORT_PRODUCTS)
    assert world.shop.writes == writes
