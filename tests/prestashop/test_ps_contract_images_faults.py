"""Contract: product images (multipart upload, listing, binary read), the shared core's faults,
latency and stats on PrestaShop's routes, the store kept across restarts, and the
``comptoir sandbox prestashop`` command.

Image sources: PrestaShop 9.0.0 classes/webservice/WebserviceSpecificManagementImages.php
(manageEntityDeclinatedImages, manageDeclinatedImagesCRUD, writePostedImageOnDisk).
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from comptoir.cli import sandbox as sandbox_cli
from comptoir.sandbox.prestashop import PrestaShopSandbox
from ps_helpers import client, create, errors, product

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_product_images(ps: PrestaShopSandbox) -> None:
    # POST images/products/{id} with a multipart "image": the first image is the cover; the answer
    # is the image entity with its content in base64. GET lists declinations, GET …/{image} gives
    # the bytes, the product lists it in associations images and id_default_image.
    with client(ps) as http:
        item = create(http, "products", product())["id"]
        none_yet = http.get(f"/images/products/{item}")
        first = http.post(f"/images/products/{item}", files={"image": ("bol.png", PNG, "image/png")})
        second = http.post(f"/images/products/{item}", files={"image": ("bol2.png", PNG, "image/png")})
        listing = http.get(f"/images/products/{item}")
        everything = http.get("/images/products")
        binary = http.get(f"/images/products/{item}/1")
        seen = http.get(f"/products/{item}", params={"output_format": "JSON"}).json()["product"]
    assert none_yet.status_code == 404 and none_yet.content == b""
    assert first.status_code == 200
    assert "<cover><![CDATA[1]]></cover>" in first.text and "<cover><![CDATA[]]></cover>" in second.text
    assert f'<content encode="base64"><![CDATA[{base64.b64encode(PNG).decode()}]]></content>' in first.text
    assert f'<declination id="2" xlink:href="{ps.api_url}/images/products/{item}/2"/>' in listing.text
    assert f'<image id="{item}" xlink:href="{ps.api_url}/images/products/{item}"/>' in everything.text
    assert binary.content == PNG and binary.headers["Content-Type"] == "image/png"
    assert seen["id_default_image"] == "1"
    assert seen["associations"]["images"] == [{"id": "1"}, {"id": "2"}]


def test_image_refusals(ps: PrestaShopSandbox) -> None:
    # 76 no "image" part / unknown product; 73 not an image (the type comes from the bytes); 57 an
    # image id the product does not have; 48 an unknown image type.
    with client(ps) as http:
        item = create(http, "products", product())["id"]
        no_part = http.post(f"/images/products/{item}", files={"picture": ("a.png", PNG, "image/png")})
        not_image = http.post(
            f"/images/products/{item}", files={"image": ("a.png", b"%PDF-1.4", "image/png")}
        )
        no_product = http.post("/images/products/999", files={"image": ("a.png", PNG, "image/png")})
        http.post(f"/images/products/{item}", files={"image": ("a.png", PNG, "image/png")})
        wrong_image = http.get(f"/images/products/{item}/9")
        wrong_type = http.get("/images/product")
    assert errors(no_part) == [(76, 'Please set an "image" parameter with image data for value')]
    assert not_image.status_code == 400 and errors(not_image)[0][0] == 73
    assert errors(no_product) == [(76, "Product 999 does not exist")]
    assert errors(wrong_image) == [(57, "This image id does not exist")]
    assert errors(wrong_type)[0][0] == 48 and 'Did you mean: "products"?' in errors(wrong_type)[0][1]


def test_faults_latency_and_stats_on_prestashop_routes(ps: PrestaShopSandbox) -> None:
    # The shared core: route names spell the resource; a status fault is the web server's page
    # with Retry-After; latency delays every answer; stats count each request.
    ps.faults.rate_limit(route="GET /api/products", count=1, retry_after=2)
    ps.faults.latency(120, route="GET /api/customers")
    with client(ps) as http:
        limited = http.get("/products")
        served = http.get("/products")
        started = time.perf_counter()
        http.get("/customers")
        slow = time.perf_counter() - started
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
    assert limited.headers["Content-Type"].startswith("text/html")
    assert served.status_code == 200
    assert slow >= 0.12
    assert ps.stats.count("GET /api/products") == 2
    assert ps.stats.by_status[429] == 1


def test_an_item_fault_fails_one_entity_of_a_write(ps: PrestaShopSandbox) -> None:
    # Core item faults matched by reference: PrestaShop's "Unable to save resource" (500, code 46).
    ps.faults.fail_item(route="POST /api/products", sku="BAD-1", count=1)
    with client(ps) as http:
        refused = http.post("/products", content=product("BAD-1"))
        accepted = http.post("/products", content=product("GOOD-1"))
        retried = http.post("/products", content=product("BAD-1"))
    assert refused.status_code == 500 and errors(refused) == [(46, "Unable to save resource")]
    assert accepted.status_code == retried.status_code == 201


def test_a_timeout_after_processing_keeps_the_write(ps: PrestaShopSandbox) -> None:
    # Core timeout fault with process=True: the client gives up, the product exists all the same.
    ps.faults.timeout(route="POST /api/products", count=1, hang_s=1.5, process=True)
    with client(ps, timeout=0.5) as http, pytest.raises(httpx.ReadTimeout):
        http.post("/products", content=product("LOST-1"))
    with client(ps) as http:
        found = http.get(
            "/products", params={"output_format": "JSON", "filter[reference]": "[LOST-1]"}
        ).json()
    assert len(found["products"]) == 1


def test_a_shop_on_disk_keeps_its_keys_and_data(tmp_path: Path, woo_tls_dir: Path) -> None:
    db = tmp_path / "shop.sqlite"
    with PrestaShopSandbox(db, tls_dir=woo_tls_dir) as first, client(first) as http:
        key = first.admin_key
        item = create(http, "products", product())["id"]
    with PrestaShopSandbox(db, tls_dir=woo_tls_dir) as again, client(again, key) as http:
        assert http.get(f"/products/{item}").status_code == 200
        assert again.admin_key == key


def test_the_sandbox_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sandbox_cli, "wait_forever", stop)
    result = CliRunner().invoke(
        sandbox_cli.app, ["prestashop", "--port", "0", "--db", str(tmp_path / "ps.sqlite"), "--version", "8"]
    )
    assert result.exit_code == 0, result.output
    assert "PrestaShop sandbox listening on https://127.0.0.1:" in result.output
    assert "PrestaShop 8.2.0" in result.output
    assert "export COMPTOIR_SHOP_KEY=" in result.output and "ca.pem" in result.output
    wrong = CliRunner().invoke(sandbox_cli.app, ["prestashop", "--version", "7"])
    assert wrong.exit_code == 2 and "Unknown version '7'" in wrong.output
