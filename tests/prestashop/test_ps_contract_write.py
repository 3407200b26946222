"""Contract: writes — XML only, validation from the classes' definitions, full-replace PUT,
PATCH, deletes, and what products, combinations, stock, categories and customers do on save.

Sources (PrestaShop 9.0.0 unless stated): classes/webservice/WebserviceRequest.php
(saveEntityFromXml, executeEntityDelete), webservice/dispatcher.php, classes/ObjectModel.php
(validateField, add, update), classes/Product.php, Combination.php, stock/StockAvailable.php,
Category.php, Customer.php.
"""

from __future__ import annotations

import pytest

from comptoir.sandbox.prestashop import PrestaShopSandbox
from ps_helpers import client, create, errors, names, product, xml


def test_a_post_creates_the_product_and_its_stock_row(ps: PrestaShopSandbox) -> None:
    # saveEntityFromXml → 201 with the object; Product::add → StockAvailable::setProductOutOfStock
    # (out_of_stock 2, quantity 0); modifierWsLinkRewrite makes link_rewrite from the name.
    with client(ps) as http:
        answer = http.post("/products", content=product())
        made = create(http, "products", product("BOL-2"))
        stock = http.get(
            "/stock_availables",
            params={"output_format": "JSON", "display": "full", "filter[id_product]": f"[{made['id']}]"},
        ).json()
    assert answer.status_code == 201 and "<reference><![CDATA[BOL-1]]></reference>" in answer.text
    assert made["link_rewrite"] == [{"id": "1", "value": "bol-a-cafe"}, {"id": "2", "value": "coffee-bowl"}]
    [row] = stock["stock_availables"]
    assert row["id_product_attribute"] == "0" and row["quantity"] == "0" and row["out_of_stock"] == "2"
    assert made["associations"]["stock_availables"] == [{"id": str(row["id"]), "id_product_attribute": "0"}]


def test_writes_are_xml_only(ps: PrestaShopSandbox) -> None:
    # saveEntityFromXml: new SimpleXMLElement($xml) throws on a JSON body → 500 code 127.
    body = '{"product": {"price": "1"}}'
    with client(ps) as http:
        answer = http.post("/products", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 500
    [(code, message)] = errors(answer)
    assert code == 127
    assert (
        message
        == f"XML error : String could not be parsed as XML\nXML length : {len(body)}\nOriginal XML : {body}"
    )


def test_an_xml_form_field_is_read_without_decoding(ps: PrestaShopSandbox) -> None:
    # dispatcher.php strips a leading "xml=" from the raw body and decodes nothing.
    with client(ps) as http:
        plain = http.post("/products", content="xml=" + product())
        encoded = http.post("/products", data={"xml": product()})
    assert plain.status_code == 201
    assert encoded.status_code == 500 and errors(encoded)[0][0] == 127


def test_ids_on_writes(ps: PrestaShopSandbox) -> None:
    # saveEntityFromXml: POST with <id> → 91; PUT without → 90; twice the same → 89; unknown → 404 92.
    with client(ps) as http:
        with_id = http.post("/products", content=product(extra="<id>5</id>"))
        without = http.put("/products/1", content=product())
        twice = http.put(
            "/products",
            content=xml("product", "<id>1</id>").replace(
                "</prestashop>", "<product><id>1</id></product></prestashop>"
            ),
        )
        unknown = http.put("/products/77", content=product(extra="<id>77</id>"))
    assert errors(with_id) == [(91, "id is forbidden when adding a new resource")]
    assert errors(without) == [(90, "id is required when modifying a resource")]
    assert errors(twice) == [(89, "id is duplicate in request")]
    assert unknown.status_code == 404 and errors(unknown) == [(92, "Invalid ID")]


def test_required_read_only_and_invalid_fields(ps: PrestaShopSandbox) -> None:
    # 41 required absent; 93 read-only field present (Product::$webserviceParameters quantity
    # 'setter' => false); 84 multilingual field invalid (validateFieldsLang); 85 other field
    # (validateFields: "is not valid", the length message, "has a bad value").
    with client(ps) as http:
        no_price = http.post("/products", content=xml("product", names("Bol")))
        quantity = http.post("/products", content=product(extra="<quantity>5</quantity>"))
        bad_name = http.post(
            "/products", content=xml("product", "<price>1</price>" + names("Bol &lt;b&gt;", "x"))
        )
        bad_price = http.post("/products", content=xml("product", "<price>1,5</price>"))
        long_ref = http.post(
            "/products", content=xml("product", f"<price>1</price><reference>{'R' * 65}</reference>")
        )
        bad_value = http.post(
            "/products", content=xml("product", "<price>1</price><condition>broken</condition>")
        )
    assert errors(no_price) == [(41, 'parameter "price" required')]
    assert errors(quantity) == [
        (93, 'parameter "quantity" not writable. Please remove this attribute of this XML')
    ]
    assert errors(bad_name) == [(84, 'Validation error: "Property Product->name is not valid"')]
    assert errors(bad_price) == [(85, 'Validation error: "Property Product->price is not valid"')]
    assert errors(long_ref) == [
        (
            85,
            'Validation error: "The length of property Product->reference is currently 65 chars. '
            'It must be between 0 and 64 chars."',
        )
    ]
    assert errors(bad_value)[0][1].startswith(
        'Validation error: "Property Product->condition has a bad value '
        "(allowed values are: new, used, refurbished)."
    )


def test_put_replaces_everything_patch_only_what_is_sent(ps: PrestaShopSandbox) -> None:
    # saveEntityFromXml: PUT sets every non-required field absent from the XML to NULL (stored 0 or
    # ''), multilingual ones to '' in every language; PATCH (8.0+) skips absent fields.
    with client(ps) as http:
        made = create(http, "products", product(extra="<ean13>3760001234567</ean13>"))
        ident = made["id"]
        patched = http.patch(
            f"/products/{ident}", content=xml("product", f"<id>{ident}</id><price>21</price>")
        )
        after_patch = http.get(
            f"/products/{ident}", params={"output_format": "JSON", "display": "full"}
        ).json()
        put = http.put(f"/products/{ident}", content=xml("product", f"<id>{ident}</id><price>22</price>"))
        after_put = http.get(f"/products/{ident}", params={"output_format": "JSON", "display": "full"}).json()
    assert patched.status_code == put.status_code == 200
    kept = after_patch["products"][0]
    assert kept["price"] == "21.000000" and kept["ean13"] == "3760001234567" and kept["active"] == "1"
    assert kept["name"][0]["value"] == "Bol à café"
    replaced = after_put["products"][0]
    assert replaced["price"] == "22.000000" and replaced["ean13"] == "" and replaced["active"] == "0"
    assert replaced["reference"] == "" and replaced["name"] == [
        {"id": "1", "value": ""},
        {"id": "2", "value": ""},
    ]


def test_several_entities_in_one_body_are_saved_one_by_one(ps: PrestaShopSandbox) -> None:
    # saveEntityFromXml iterates over every child of <prestashop>; an error stops the rest but what
    # was saved stays (no transaction). Not documented by PrestaShop; there is no batch endpoint.
    one = product("MULTI-1").split("<prestashop>")[1].split("</prestashop>")[0]
    bad = "<product><price>x</price></product>"
    with client(ps) as http:
        answer = http.post("/products", content=f"<prestashop>{one}{bad}</prestashop>")
        listed = http.get("/products", params={"output_format": "JSON", "display": "[reference]"}).json()
    assert errors(answer)[0][0] == 85
    assert listed["products"] == [{"reference": "MULTI-1"}]


def test_deletes(ps: PrestaShopSandbox) -> None:
    # executeEntityDelete: one id or ?id=[a,b]; any unknown id → 404 code 87 and nothing deleted;
    # success is 200 without content. Product::delete takes its stock rows with it.
    with client(ps) as http:
        a, b, c = (create(http, "products", product(f"D-{i}"))["id"] for i in range(3))
        unknown = http.delete("/products", params={"id": f"[{a},999]"})
        one = http.delete(f"/products/{a}")
        both = http.delete("/products", params={"id": f"[{b},{c}]"})
        left = http.get("/stock_availables", params={"output_format": "JSON"}).text
    assert unknown.status_code == 404 and errors(unknown) == [(87, "Id(s) not exists: 999")]
    assert one.status_code == 200 and one.content == b""
    assert both.status_code == 200
    assert left == "[]"


def test_combinations_stock_and_default(ps: PrestaShopSandbox) -> None:
    # Combination::add creates its stock row and becomes the default (Product::updateDefaultAttribute,
    # product_type "combinations"); StockAvailable::postSave sums the combinations into the product's
    # row; Product::getWsProductOptionValues lists the values of its combinations.
    with client(ps) as http:
        size = create(
            http,
            "product_options",
            xml(
                "product_option",
                "<group_type>select</group_type>"
                + names("Taille", "Size")
                + names("Taille", "Size", "public_name"),
            ),
        )
        small = create(
            http,
            "product_option_values",
            xml(
                "product_option_value", f"<id_attribute_group>{size['id']}</id_attribute_group>" + names("S")
            ),
        )
        large = create(
            http,
            "product_option_values",
            xml(
                "product_option_value", f"<id_attribute_group>{size['id']}</id_attribute_group>" + names("L")
            ),
        )
        shirt = create(http, "products", product("TEE"))
        combos = [
            create(
                http,
                "combinations",
                xml(
                    "combination",
                    f"<id_product>{shirt['id']}</id_product><minimal_quantity>1</minimal_quantity><reference>TEE-{v['id']}</reference>"
                    f"<price>{impact}</price><associations><product_option_values><product_option_value><id>{v['id']}</id>"
                    "</product_option_value></product_option_values></associations>",
                ),
            )
            for v, impact in ((small, "0"), (large, "2.5"))
        ]
        stock = http.get(
            "/stock_availables",
            params={"output_format": "JSON", "display": "full", "filter[id_product]": f"[{shirt['id']}]"},
        ).json()["stock_availables"]
        by_combination = {row["id_product_attribute"]: row for row in stock}
        for quantity, combo in ((4, combos[0]), (6, combos[1])):
            row = by_combination[str(combo["id"])]
            body = xml(
                "stock_available",
                f"<id>{row['id']}</id><id_product>{shirt['id']}</id_product><id_product_attribute>{combo['id']}</id_product_attribute>"
                f"<quantity>{quantity}</quantity><depends_on_stock>0</depends_on_stock><out_of_stock>2</out_of_stock>",
            )
            assert http.put(f"/stock_availables/{row['id']}", content=body).status_code == 200
        shirt_now = http.get(
            f"/products/{shirt['id']}", params={"output_format": "JSON", "display": "full"}
        ).json()["products"][0]
    assert set(by_combination) == {"0", str(combos[0]["id"]), str(combos[1]["id"])}
    assert shirt_now["quantity"] == "10"
    assert shirt_now["id_default_combination"] == combos[0]["id"]
    assert shirt_now["product_type"] == "combinations"
    assert shirt_now["associations"]["combinations"] == [{"id": str(c["id"])} for c in combos]
    assert shirt_now["associations"]["product_option_values"] == [
        {"id": str(small["id"])},
        {"id": str(large["id"])},
    ]
    assert combos[1]["price"] == "2.500000"


def test_categories_form_a_tree(ps: PrestaShopSandbox) -> None:
    # Category: 1 Root / 2 Home; level_depth from the parent (read-only: 93), nleft/nright hidden,
    # children through getChildrenWs; deleting a category deletes its subtree.
    with client(ps) as http:
        body = (
            "<id_parent>{}</id_parent><active>1</active>"
            + names("Bols", "Bowls")
            + names("bols", "bowls", "link_rewrite")
        )
        bowls = create(http, "categories", xml("category", body.format(2)))
        small = create(
            http, "categories", xml("category", body.format(bowls["id"]).replace("Bols", "Petits"))
        )
        read_only = http.post(
            "/categories", content=xml("category", body.format(2) + "<level_depth>4</level_depth>")
        )
        home = http.get("/categories/2", params={"output_format": "JSON"}).json()["category"]
        no_name = http.post(
            "/categories", content=xml("category", "<id_parent>2</id_parent><active>1</active>")
        )
        http.delete(f"/categories/{bowls['id']}")
        gone = http.get(f"/categories/{small['id']}")
    assert (bowls["level_depth"], small["level_depth"]) == ("2", "3")
    assert "nleft" not in bowls
    assert {"id": str(bowls["id"])} in home["associations"]["categories"]
    assert errors(read_only) == [
        (93, 'parameter "level_depth" not writable. Please remove this attribute of this XML')
    ]
    assert errors(no_name) == [(84, 'Validation error: "Property Category->name is empty."')]
    assert gone.status_code == 404


@pytest.mark.parametrize(("ps_version", "refused"), [("1.7", False), ("8", True)], indirect=["ps_version"])
def test_customers(ps: PrestaShopSandbox, refused: bool) -> None:
    # Customer: passwd required, hashed by setWsPasswd; addWs refuses an e-mail in use (8.x/9.x:
    # 500 codes 140 then 46; 1.7.6.2 has no such check); add puts the customer in its default group.
    body = (
        "<passwd>secret-1</passwd><lastname>Martin</lastname><firstname>Jeanne</firstname>"
        "<email>jeanne@example.fr</email><id_default_group>3</id_default_group><active>1</active>"
    )
    with client(ps) as http:
        no_password = http.post(
            "/customers", content=xml("customer", body.replace("<passwd>secret-1</passwd>", ""))
        )
        made = create(http, "customers", xml("customer", body))
        again = http.post("/customers", content=xml("customer", body))
        bad_name = http.post("/customers", content=xml("customer", body.replace("Jeanne", "Jeanne2")))
    assert errors(no_password) == [(41, 'parameter "passwd" required')]
    assert made["passwd"] != "secret-1" and len(made["passwd"]) == 60
    assert made["associations"]["groups"] == [{"id": "3"}]
    assert len(made["secure_key"]) == 32
    if refused:
        assert again.status_code == 500
        assert errors(again) == [
            (140, "The email is already used, please choose another one"),
            (46, "Unable to save resource"),
        ]
    else:
        assert again.status_code == 201
    assert errors(bad_name)[0] == (85, 'Validation error: "Property Customer->firstname is not valid"')


def test_addresses_and_specific_prices_validate_as_their_classes(ps: PrestaShopSandbox) -> None:
    # Address: id_country, alias, lastname, firstname, address1, city required; SpecificPrice:
    # reduction_type must be amount or percentage (isReductionType).
    with client(ps) as http:
        address = http.post(
            "/addresses", content=xml("address", "<id_country>8</id_country><alias>Maison</alias>")
        )
        price = http.post(
            "/specific_prices",
            content=xml(
                "specific_price",
                "<id_shop>1</id_shop><id_cart>0</id_cart><id_product>0</id_product><id_currency>0</id_currency>"
                "<id_country>0</id_country><id_group>3</id_group><id_customer>0</id_customer><price>-1</price>"
                "<from_quantity>1</from_quantity><reduction>0.1</reduction><reduction_tax>1</reduction_tax>"
                "<reduction_type>percent</reduction_type>"
                "<from>0000-00-00 00:00:00</from><to>0000-00-00 00:00:00</to>",
            ),
        )
    assert errors(address) == [(41, 'parameter "lastname" required')]
    assert errors(price) == [(85, 'Validation error: "Property SpecificPrice->reduction_type is not valid"')]
