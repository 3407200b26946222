"""Contract tests: the catalog routes answer as WooCommerce's controllers do.

Paths are under ``plugins/woocommerce/`` in the woocommerce/woocommerce repository;
``Tests/Version3/…`` are its legacy REST unit tests
(``tests/legacy/unit-tests/rest-api/Tests/Version3/``), whose assertions are ported here.
"""

from __future__ import annotations

import ssl

import httpx

from comptoir.sandbox.woocommerce import SandboxServer


def _verify(server: SandboxServer) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(server.ca_file))


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000002000000030806000000b9eade810000000d49444154789c63600002"
    "0000050001e226059b0000000049454e44ae426082"
)


def test_prices_are_kept_as_wc_format_decimal_gives_them(woo: httpx.Client) -> None:
    # includes/wc-formatting-functions.php wc_format_decimal (no trimming unless asked; every dot
    # but the last and every character but 0-9.- removed); abstract-wc-product.php set_regular_price
    made = woo.post(
        "/products/batch",
        json={
            "create": [
                {"name": "a", "regular_price": "29.00"},
                {"name": "b", "regular_price": "1,5"},
                {"name": "c", "regular_price": 10},
            ]
        },
    ).json()["create"]
    assert [p["regular_price"] for p in made] == ["29.00", "15", "10"]
    assert made[0]["price"] == "29.00"


def test_product_defaults_and_edit_context_on_writes(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-products-controller.php get_item_schema (defaults: simple, publish,
    # visible, taxable, instock…); create_item answers in the edit context (raw description),
    # get_item in the view context (wpautop); Location header (class-wc-rest-crud-controller.php)
    made = woo.post("/products", json={"name": "Lampe", "description": "Une lampe.\n\nEn laiton."})
    body = made.json()
    assert made.status_code == 201
    assert made.headers["Location"].endswith(f"/wp-json/wc/v3/products/{body['id']}")
    assert (body["type"], body["status"], body["catalog_visibility"], body["tax_status"]) == (
        "simple",
        "publish",
        "visible",
        "taxable",
    )
    assert body["description"] == "Une lampe.\n\nEn laiton."
    shown = woo.get(f"/products/{body['id']}").json()
    assert shown["description"] == "<p>Une lampe.</p>\n<p>En laiton.</p>\n"
    assert shown["categories"] == [
        {"id": shown["categories"][0]["id"], "name": "Uncategorized", "slug": "uncategorized"}
    ]
    assert shown["permalink"].endswith("/product/lampe/")
    assert shown["_links"]["self"][0]["href"].endswith(f"/wp-json/wc/v3/products/{body['id']}")


def test_products_legacy_expectations(woo: httpx.Client) -> None:
    # Ports Tests/Version3/products.php: test_get_products (trash excluded by default, listed with
    # status=trash), test_get_product (a trashed product is still readable), test_create_product
    # (price "10", external products are not purchasable), test_create_product_with_shipping_class
    woo.post("/products/shipping_classes", json={"name": "Colis", "slug": "colis"})
    simple = woo.post(
        "/products", json={"name": "Dummy", "regular_price": "10", "shipping_class": "colis"}
    ).json()
    external = woo.post(
        "/products",
        json={
            "name": "Ext",
            "type": "external",
            "regular_price": "10",
            "external_url": "https://example.org/x",
        },
    ).json()
    trashed = woo.post("/products", json={"name": "Old"}).json()
    woo.delete(f"/products/{trashed['id']}")
    listed = {p["id"] for p in woo.get("/products").json()}
    in_trash = [p["id"] for p in woo.get("/products", params={"status": "trash"}).json()]
    assert simple["price"] == "10" and simple["purchasable"] is True
    assert simple["shipping_class"] == "colis" and simple["shipping_class_id"] > 0
    assert external["purchasable"] is False and external["external_url"] == "https://example.org/x"
    assert trashed["id"] not in listed and in_trash == [trashed["id"]]
    assert woo.get(f"/products/{trashed['id']}").json()["status"] == "trash"
    again = woo.delete(f"/products/{trashed['id']}")
    assert again.status_code == 410 and again.json()["message"] == "The product has already been deleted."


def test_sku_filter_finds_products_and_variations_but_not_the_trash(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-products-controller.php prepare_objects_query: sku= splits on commas
    # and keeps the whole string as one more SKU; with a SKU the query covers product and
    # product_variation posts; status=any leaves the trash out, status=trash lists it
    plain = woo.post("/products", json={"name": "Lampe", "sku": "LAMPE"}).json()
    comma = woo.post("/products", json={"name": "Odd", "sku": "A,B"}).json()
    parent = woo.post(
        "/products",
        json={
            "name": "Chaise",
            "sku": "CHAISE",
            "type": "variable",
            "attributes": [{"name": "Couleur", "options": ["Rouge"], "variation": True}],
        },
    ).json()
    variation = woo.post(
        f"/products/{parent['id']}/variations",
        json={"sku": "CHAISE-R", "attributes": [{"name": "Couleur", "option": "Rouge"}]},
    ).json()
    old = woo.post("/products", json={"name": "Vieux", "sku": "VIEUX"}).json()
    woo.delete(f"/products/{old['id']}")

    def ids(**params: str) -> set[int]:
        return {p["id"] for p in woo.get("/products", params={"per_page": "100", **params}).json()}

    assert ids(sku="LAMPE,CHAISE-R,VIEUX,NONE") == {plain["id"], variation["id"]}
    assert ids(sku="A,B") == {comma["id"]}
    assert ids(sku="lampe") == set()
    assert ids(sku="VIEUX") == set()
    assert ids(sku="VIEUX", status="trash") == {old["id"]}
    assert ids(sku="LAMPE", status="draft") == set()
    found = woo.get("/products", params={"sku": "CHAISE-R"}).json()
    assert found[0]["parent_id"] == parent["id"]


def test_unknown_status_is_stored_as_draft_in_a_batch(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-products-controller.php prepare_object_for_database:
    # get_post_status_object( status ) ? status : 'draft' (batch items skip schema validation)
    made = woo.post("/products/batch", json={"create": [{"name": "x", "status": "published"}]}).json()
    assert made["create"][0]["status"] == "draft"


def test_stock_rules_per_product_type(woo: httpx.Client) -> None:
    # prepare_object_for_database (v3): grouped products never manage stock; external ones are in
    # stock; an unmanaged product loses quantity, backorders and low stock amount
    made = woo.post(
        "/products/batch",
        json={
            "create": [
                {"name": "g", "type": "grouped", "manage_stock": True, "stock_quantity": 5},
                {"name": "e", "type": "external", "stock_status": "outofstock"},
                {"name": "s", "manage_stock": True, "stock_quantity": 4, "low_stock_amount": 2},
            ]
        },
    ).json()["create"]
    assert made[0]["manage_stock"] is False and made[0]["stock_quantity"] is None
    assert made[1]["stock_status"] == "instock"
    assert made[2]["low_stock_amount"] == 2
    unmanaged = woo.put(f"/products/{made[2]['id']}", json={"manage_stock": False}).json()
    assert unmanaged["stock_quantity"] is None and unmanaged["low_stock_amount"] is None


def test_variation_through_products_is_refused_with_the_escaped_message(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-products-controller.php prepare_object_for_database (&lt; &gt; as written)
    parent = woo.post("/products", json={"name": "V", "type": "variable"}).json()
    variation = woo.post(f"/products/{parent['id']}/variations", json={"regular_price": "4"}).json()
    answer = woo.put(f"/products/{variation['id']}", json={"name": "x"})
    assert answer.status_code == 404
    assert answer.json()["message"] == (
        "To manipulate product variations you should use the "
        "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint."
    )


def test_variations_name_attributes_and_trash(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-product-variations-controller.php: name = the option values
    # (wc_get_formatted_variation without names), no type field, parent_id; attributes must be the
    # parent's variation attributes; DELETE without force trashes (410 the second time).
    # Ports Tests/Version3/product-variations.php (test_create_variation, test_delete_variation).
    # A "|"-separated options string is split only in a batch: a single request sanitizes it into a
    # one-item array first (rest_sanitize_array), which prepare_attributes then keeps whole.
    parent = woo.post(
        "/products",
        json={
            "name": "T-shirt",
            "type": "variable",
            "attributes": [
                {"name": "Taille", "options": ["S", "M"], "variation": True},
                {"name": "Matière", "options": "Coton|Lin", "variation": False},
            ],
        },
    ).json()
    made = woo.post(
        f"/products/{parent['id']}/variations",
        json={
            "regular_price": "12",
            "attributes": [{"name": "Taille", "option": "M"}, {"name": "Matière", "option": "Lin"}],
        },
    )
    body = made.json()
    assert made.status_code == 201
    assert body["name"] == "M" and body["parent_id"] == parent["id"] and "type" not in body
    assert body["attributes"] == [{"id": 0, "name": "Taille", "option": "M"}]
    assert [a["options"] for a in parent["attributes"]] == [["S", "M"], ["Coton|Lin"]]
    batch = woo.post(
        "/products/batch",
        json={"create": [{"name": "B", "attributes": [{"name": "Matière", "options": "Coton|Lin"}]}]},
    ).json()["create"][0]
    assert batch["attributes"][0]["options"] == ["Coton", "Lin"]
    trashed = woo.delete(f"/products/{parent['id']}/variations/{body['id']}")
    again = woo.delete(f"/products/{parent['id']}/variations/{body['id']}")
    assert trashed.status_code == 200 and trashed.json()["status"] == "trash"
    assert again.status_code == 410
    refused = woo.post(f"/products/{parent['id']}/variations", json={"status": "trash"})
    assert refused.json()["data"]["params"] == {
        "status": "status is not one of draft, pending, private, and publish."
    }


def test_global_attribute_options_become_terms(woo: httpx.Client) -> None:
    # Version2/class-wc-rest-products-v2-controller.php prepare_attributes: an attribute named like a
    # global one (wc_attribute_taxonomy_id_by_name) is that global attribute, its options term names
    color = woo.post("/products/attributes", json={"name": "Couleur", "slug": "pa_couleur"}).json()
    product = woo.post(
        "/products",
        json={
            "name": "P",
            "attributes": [{"name": "couleur", "options": ["Rouge", "Bleu"], "visible": True}],
        },
    ).json()
    terms = woo.get(f"/products/attributes/{color['id']}/terms").json()
    assert color["slug"] == "pa_couleur"
    assert product["attributes"] == [
        {
            "id": color["id"],
            "name": "Couleur",
            "position": 0,
            "visible": True,
            "variation": False,
            "options": ["Rouge", "Bleu"],
        }
    ]
    assert sorted(t["name"] for t in terms) == ["Bleu", "Rouge"]


def test_tags_by_name_are_created(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-products-controller.php save_taxonomy_terms (tags by id or by name)
    made = woo.post("/products", json={"name": "P", "status": "publish", "tags": [{"name": "Promo"}]}).json()
    tags = woo.get("/products/tags").json()
    assert [t["name"] for t in made["tags"]] == ["Promo"]
    assert [(t["name"], t["count"]) for t in tags] == [("Promo", 1)]


def test_images_are_attachments(woo: httpx.Client, woo_sandbox: SandboxServer) -> None:
    # Version3/class-wc-rest-products-controller.php set_product_images / get_images: an image by
    # src is uploaded (wc_rest_upload_image_from_url), the first is the featured image; an id that is
    # no image attachment is woocommerce_product_invalid_image_id; a bad src is
    # woocommerce_product_image_upload_error
    made = woo.post(
        "/products",
        json={
            "name": "P",
            "images": [
                {"src": "https://cdn.example.org/a.jpg", "alt": "Vue"},
                {"src": "https://cdn.example.org/b.png"},
            ],
        },
    ).json()
    first, second = made["images"]
    assert first["alt"] == "Vue" and first["name"] == "a"
    assert first["src"].startswith(woo_sandbox.url + "/wp-content/uploads/") and first["src"].endswith(
        "/a.jpg"
    )
    assert httpx.get(first["src"], verify=_verify(woo_sandbox)).content[:3] == b"\xff\xd8\xff"
    kept = woo.put(f"/products/{made['id']}", json={"images": [{"id": second["id"]}]}).json()
    assert [i["id"] for i in kept["images"]] == [second["id"]]
    bad_id = woo.put(f"/products/{made['id']}", json={"images": [{"id": 999999}]})
    assert bad_id.status_code == 400 and bad_id.json()["message"] == "#999999 is an invalid image ID."
    bad_src = woo.put(
        f"/products/{made['id']}", json={"images": [{"src": "https://cdn.example.org/notice.pdf"}]}
    )
    assert bad_src.json()["code"] == "woocommerce_product_image_upload_error"
    assert bad_src.json()["message"] == "Invalid image: Sorry, you are not allowed to upload this file type."


def test_category_errors_from_wp_insert_term(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-terms-controller.php create_item → wp_insert_term (term_exists with the
    # existing id, missing_parent); delete_item (force required; the default category stays)
    first = woo.post("/products/categories", json={"name": "Lampes"}).json()
    again = woo.post("/products/categories", json={"name": "Lampes"})
    orphan = woo.post("/products/categories", json={"name": "X", "parent": 999999})
    default = woo.get("/products/categories", params={"slug": "uncategorized"}).json()[0]
    assert again.status_code == 400
    assert again.json()["code"] == "term_exists"
    assert again.json()["message"] == "A term with the name provided already exists with this parent."
    assert again.json()["data"] == {"status": 400, "resource_id": first["id"]}
    assert (
        orphan.json()["code"] == "missing_parent"
        and orphan.json()["message"] == "Parent term does not exist."
    )
    assert woo.delete(f"/products/categories/{first['id']}").status_code == 501
    kept = woo.delete(f"/products/categories/{default['id']}", params={"force": "true"})
    assert kept.status_code == 500 and kept.json()["message"] == "Default product category cannot be deleted."


def test_category_count_is_published_products(woo: httpx.Client) -> None:
    # WordPress term counts (_update_post_term_count): published objects only
    cat = woo.post("/products/categories", json={"name": "C"}).json()
    woo.post(
        "/products/batch",
        json={
            "create": [
                {"name": "a", "categories": [{"id": cat["id"]}]},
                {"name": "b", "status": "draft", "categories": [{"id": cat["id"]}]},
            ]
        },
    )
    assert woo.get(f"/products/categories/{cat['id']}").json()["count"] == 1


def test_tags_and_shipping_classes_are_flat(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-terms-controller.php: parent on a non-hierarchical taxonomy;
    # Version1/class-wc-rest-product-tags-v1-controller.php / -shipping-classes-v1-controller.php items
    tag = woo.post("/products/tags", json={"name": "Soldes", "description": "Été"})
    flat = woo.post("/products/shipping_classes", json={"name": "Lourd", "parent": 3})
    dup = woo.post("/products/tags", json={"name": "soldes"})
    assert tag.status_code == 201
    assert set(tag.json()) == {"id", "name", "slug", "description", "count", "_links"}
    assert flat.status_code == 400 and flat.json()["code"] == "woocommerce_rest_taxonomy_not_hierarchical"
    assert dup.json()["message"] == "A term with the name provided already exists in this taxonomy."
    suggestion = woo.get("/products/shipping_classes/slug-suggestion", params={"name": "Soldes"})
    assert suggestion.json() == {"slug": "soldes"}


def test_attributes_slug_and_errors(woo: httpx.Client) -> None:
    # Version1/class-wc-rest-product-attributes-v1-controller.php + wc_create_attribute: slug without
    # pa_ checked (in use, reserved, 28 characters); unknown attribute is woocommerce_rest_taxonomy_invalid
    made = woo.post("/products/attributes", json={"name": "Taille", "slug": "pa_taille"})
    taken = woo.post("/products/attributes", json={"name": "Taille 2", "slug": "taille"})
    reserved = woo.post("/products/attributes", json={"name": "Type", "slug": "type"})
    unknown = woo.get("/products/attributes/999/terms")
    assert made.status_code == 201 and made.json()["slug"] == "pa_taille"
    assert taken.json()["message"] == 'Slug "taille" is already in use. Change it, please.'
    assert (
        reserved.json()["message"]
        == 'Slug "type" is not allowed because it is a reserved term. Change it, please.'
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "woocommerce_rest_taxonomy_invalid"
    listed = woo.get("/products/attributes")
    assert listed.headers["X-WP-Total"] == "1" and listed.headers["X-WP-TotalPages"] == "1"


def test_media_upload_raw_body(woo_sandbox: SandboxServer) -> None:
    # WordPress class-wp-rest-attachments-controller.php create_item / upload_from_data: raw body with
    # Content-Disposition; 201, Location, source_url served; the title is the stored file's name
    # (sanitize_file_name) without extension; errors
    user, password = woo_sandbox.create_app_password()
    with httpx.Client(
        base_url=woo_sandbox.url + "/wp-json/wp/v2", verify=_verify(woo_sandbox), auth=(user, password)
    ) as wp:
        made = wp.post(
            "/media",
            content=PNG,
            headers={
                "Content-Type": "image/png",
                "Content-Disposition": 'attachment; filename="Photo produit.png"',
            },
        )
        pdf = wp.post(
            "/media",
            content=b"%PDF-1.4\n%%EOF\n",
            headers={
                "Content-Type": "application/pdf",
                "Content-Disposition": "attachment; filename=facture-12.pdf",
            },
        )
        no_name = wp.post(
            "/media", content=PNG, headers={"Content-Type": "image/png", "Content-Disposition": "attachment"}
        )
        fake = wp.post(
            "/media",
            content=b"not a pdf",
            headers={"Content-Type": "application/pdf", "Content-Disposition": "attachment; filename=x.pdf"},
        )
        empty = wp.post("/media", content=b"", headers={"Content-Type": "image/png"})
    body = made.json()
    assert made.status_code == 201 and made.headers["Location"].endswith(f"/wp/v2/media/{body['id']}")
    assert body["title"] == {"raw": "Photo-produit", "rendered": "Photo-produit"}
    assert body["media_type"] == "image" and body["mime_type"] == "image/png"
    assert body["media_details"]["width"] == 2 and body["media_details"]["height"] == 3
    assert body["source_url"].endswith("/Photo-produit.png")
    assert httpx.get(body["source_url"], verify=_verify(woo_sandbox)).content == PNG
    assert (
        pdf.status_code == 201
        and pdf.json()["media_type"] == "file"
        and pdf.json()["mime_type"] == "application/pdf"
    )
    assert no_name.status_code == 400 and no_name.json()["code"] == "rest_upload_invalid_disposition"
    assert fake.status_code == 500 and fake.json() == {
        "code": "rest_upload_sideload_error",
        "message": "Sorry, you are not allowed to upload this file type.",
        "data": {"status": 500},
    }
    assert empty.json()["code"] == "rest_upload_no_data"


def test_media_authentication(woo_sandbox: SandboxServer) -> None:
    # WooCommerce keys authenticate wc/ routes only (class-wc-rest-authentication.php, 11.1+);
    # WordPress application passwords (user.php wp_authenticate_application_password) authenticate
    # any route, wc/v3 included; a guest may not upload (rest_cannot_create, 401)
    url = woo_sandbox.url + "/wp-json/wp/v2/media"
    verify = _verify(woo_sandbox)
    headers = {"Content-Type": "image/png", "Content-Disposition": "attachment; filename=a.png"}
    guest = httpx.post(url, content=PNG, headers=headers, verify=verify)
    key = httpx.post(
        url,
        content=PNG,
        headers=headers,
        verify=verify,
        auth=(woo_sandbox.consumer_key, woo_sandbox.consumer_secret),
    )
    user, password = woo_sandbox.create_app_password()
    wrong = httpx.post(
        url, content=PNG, headers=headers, verify=verify, auth=(user, "aaaa bbbb cccc dddd eeee ffff")
    )
    unknown = httpx.post(url, content=PNG, headers=headers, verify=verify, auth=("nobody", password))
    on_wc = httpx.get(woo_sandbox.api_url + "/products", verify=verify, auth=(user, password))
    assert guest.status_code == 401 and guest.json()["code"] == "rest_cannot_create"
    assert (
        key.status_code == 401
        and key.json()["message"] == "The provided API key cannot be used to access this endpoint."
    )
    assert wrong.status_code == 401 and wrong.json()["code"] == "incorrect_password"
    assert unknown.status_code == 401 and unknown.json()["code"] == "invalid_username"
    assert on_wc.status_code == 200
