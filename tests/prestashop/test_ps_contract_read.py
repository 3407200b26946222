"""Contract: reading lists and objects — output shapes of each version, display, filters, sort,
limit, date filters and schemas — as PrestaShop's webservice answers.

Sources (PrestaShop 1.7.6.2, 8.2.0, 9.0.0): classes/webservice/WebserviceRequest.php
(manageFilters, setFieldsToDisplay, getFilteredObjectDetails), SQLUtils.php
(getSQLRetrieveFilter), WebserviceOutputBuilder.php, WebserviceOutputJSON.php,
WebserviceOutputXML.php.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from comptoir.sandbox.prestashop import PrestaShopSandbox
from ps_helpers import client, create, errors, product


def _catalog(ps: PrestaShopSandbox) -> list[int]:
    with client(ps) as http:
        return [
            int(create(http, "products", product(ref, price))["id"])
            for ref, price in (("BOL-1", "19.9"), ("TASSE-2", "7.5"), ("bol-3", "12"), ("ASSIETTE-4", "25"))
        ]


@pytest.mark.parametrize("ps_version", ["1.7", "8", "9"], indirect=True)
def test_an_empty_list_is_a_bare_json_array_in_every_version(ps: PrestaShopSandbox) -> None:
    # WebserviceOutputJSON: a list without objects adds nothing to $content → json_encode([]) = "[]"
    # (PrestaShop issues #10172, #22760, #26752); XML keeps the <products> node.
    with client(ps) as http:
        as_json = http.get("/products", params={"output_format": "JSON"})
        as_xml = http.get("/products")
        filtered = http.get("/languages", params={"output_format": "JSON", "filter[iso_code]": "[de]"})
    assert as_json.status_code == 200 and as_json.text == "[]"
    assert filtered.text == "[]"
    assert "<products>\n</products>" in as_xml.text


def test_lists_are_ids_unless_display_asks_more(ps: PrestaShopSandbox) -> None:
    # getContent/renderEntityMinimum: {"products":[{"id":1}]}; XML <product id="1" xlink:href=…/>.
    ids = _catalog(ps)
    with client(ps) as http:
        as_json = http.get("/products", params={"output_format": "JSON"}).json()
        as_xml = http.get("/products").text
        chosen = http.get(
            "/products", params={"output_format": "JSON", "display": "[id,reference,price]"}
        ).json()
    assert as_json == {"products": [{"id": i} for i in ids]}
    assert f'<product id="{ids[0]}" xlink:href="{ps.api_url}/products/{ids[0]}"/>' in as_xml
    assert chosen["products"][1] == {"id": ids[1], "reference": "TASSE-2", "price": "7.500000"}


@pytest.mark.parametrize(
    ("ps_version", "keeps_empty"), [("1.7", True), ("8", False)], indirect=["ps_version"]
)
def test_a_single_object_in_json(ps: PrestaShopSandbox, keeps_empty: bool) -> None:
    # renderNodeFooter: without ``display`` in the query → {"product": {…}}; with it → {"products": [{…}]}.
    # 8.x/9.x overrideContent: array_filter drops a single object's "", "0" and null fields;
    # 1.7.6.2 keeps them. ``id`` is an integer, the rest MySQL's strings.
    [ident, *_] = _catalog(ps)
    with client(ps) as http:
        single = http.get(f"/products/{ident}", params={"output_format": "JSON"}).json()
        listed = http.get(f"/products/{ident}", params={"output_format": "JSON", "display": "full"}).json()
    body = single["product"]
    assert body["id"] == ident and body["price"] == "19.900000" and body["active"] == "1"
    assert ("quantity" in body) is keeps_empty and ("ean13" in body) is keeps_empty
    assert listed["products"][0]["quantity"] == "0", "lists are not filtered"
    assert body["name"] == [{"id": "1", "value": "Bol à café"}, {"id": "2", "value": "Coffee bowl"}]
    assert body["associations"]["categories"] == [{"id": "2"}]


def test_a_language_parameter_flattens_multilingual_values(ps: PrestaShopSandbox) -> None:
    # WebserviceOutputJSON::renderField: one language → the plain value (filterLanguage).
    [ident, *_] = _catalog(ps)
    with client(ps) as http:
        body = http.get(f"/products/{ident}", params={"output_format": "JSON", "language": "2"}).json()
        wrong = http.get(f"/products/{ident}", params={"language": "x"})
    assert body["product"]["name"] == "Coffee bowl"
    assert errors(wrong) == [(79, "language value is wrong")]


def test_an_object_in_xml(ps: PrestaShopSandbox) -> None:
    # WebserviceOutputXML: CDATA values, <language id="1" xlink:href=…>, xlink:href on linked ids
    # (none when the id is 0), notFilterable on computed fields, associations with nodeType/api.
    [ident, *_] = _catalog(ps)
    with client(ps) as http:
        text = http.get(f"/products/{ident}").text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink=')
    assert f"\t<id><![CDATA[{ident}]]></id>\n" in text
    assert (
        f'<id_category_default xlink:href="{ps.api_url}/categories/2"><![CDATA[2]]></id_category_default>'
        in text
    )
    assert "<id_manufacturer><![CDATA[0]]></id_manufacturer>" in text
    assert '<quantity notFilterable="true"><![CDATA[0]]></quantity>' in text
    assert f'<language id="1" xlink:href="{ps.api_url}/languages/1"><![CDATA[Bol à café]]></language>' in text
    assert '<categories nodeType="category" api="categories">' in text
    assert '<stock_availables readOnly="true" nodeType="stock_available" api="stock_availables">' in text
    assert '<combinations nodeType="combination" api="combinations"/>' in text


def test_an_unknown_id_is_404_without_content(ps: PrestaShopSandbox) -> None:
    # getFilteredObjectDetails: no object → status 404, output disabled.
    with client(ps) as http:
        answer = http.get("/products/999")
    assert answer.status_code == 404 and answer.content == b""


def test_display_errors(ps: PrestaShopSandbox) -> None:
    # setFieldsToDisplay: unknown field → 35; not bracketed → 36.
    with client(ps) as http:
        unknown = http.get("/products", params={"display": "[id,colour]"})
        syntax = http.get("/products", params={"display": "id,reference"})
        association = http.get(
            "/products", params={"display": "[id,categories[id]]", "output_format": "JSON"}
        )
    assert errors(unknown)[0][0] == 35 and 'Unable to display this field "colour"' in errors(unknown)[0][1]
    assert errors(syntax)[0][0] == 36
    assert association.status_code == 200


def test_filters(ps: PrestaShopSandbox) -> None:
    # getSQLRetrieveFilter: [a|b] OR, [x,y] BETWEEN (numbers), %[x]% LIKE, [x]% begins, [x] equal
    # case-insensitively (MySQL collation), ![a|b] not, >[x] greater.
    a, b, c, d = _catalog(ps)

    def ids(**params: str) -> list[int]:
        with client(ps) as http:
            answer = http.get("/products", params={"output_format": "JSON", **params})
        assert answer.status_code == 200, answer.text
        return [p["id"] for p in answer.json() and answer.json()["products"]]

    assert ids(**{"filter[id]": f"[{a}|{c}]"}) == [a, c]
    assert ids(**{"filter[id]": f"[0{a}|{c}.0|nope]"}) == [a, c], "IN compares the column's numbers"
    assert ids(**{"filter[reference]": "[BOL-1|bol-3 ]"}) == [a, c], "IN as the collation compares"
    assert ids(**{"filter[price]": "[10,20]"}) == [a, c]
    assert ids(**{"filter[price]": "[20,10]"}) == [a, c], "bounds are sorted"
    assert ids(**{"filter[reference]": "%[OL]%"}) == [a, c]
    assert ids(**{"filter[reference]": "[bol]%"}) == [a, c]
    assert ids(**{"filter[reference]": "[bol-1]"}) == [a]
    assert ids(**{"filter[reference]": "![BOL-1|bol-3]"}) == [b, d]
    assert ids(**{"filter[price]": ">[12]"}) == [a, d]
    assert ids(**{"filter[name]": "%[bowl]%"}) == [a, b, c, d], "multilingual fields filter in any language"


def test_filter_errors(ps: PrestaShopSandbox) -> None:
    # manageFilters: unknown 32 (Did you mean), empty 33, dynamic field 34, date fields need date=1.
    with client(ps) as http:
        unknown = http.get("/products", params={"filter[refrence]": "[X]"})
        empty = http.get("/products", params={"filter[reference]": ""})
        dynamic = http.get("/products", params={"filter[quantity]": "[1]"})
        dated = http.get("/products", params={"filter[date_upd]": "[2020-01-01,2030-01-01]"})
    assert errors(unknown)[0][0] == 32 and 'Did you mean: "reference"?' in errors(unknown)[0][1]
    assert errors(empty) == [(33, 'The filter "reference" is malformed.')]
    assert errors(dynamic) == [
        (34, 'The field "quantity" is dynamic. It is not possible to filter GET query with this field.')
    ]
    assert errors(dated)[0][0] == 32


def test_date_windows_need_date_1_and_follow_the_shop_clock(ps: PrestaShopSandbox) -> None:
    # manageFilters "Date feature": with date=1, date_add/date_upd become filterable and sortable.
    ps.clock.freeze(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    first = _catalog(ps)[:1]
    ps.clock.advance(timedelta(days=2))
    with client(ps) as http:
        later = create(http, "products", product("LATER-1"))["id"]
        window = http.get(
            "/products",
            params={
                "output_format": "JSON",
                "date": "1",
                "filter[date_upd]": "[2026-03-03 00:00:00,2026-03-04 00:00:00]",
                "sort": "[date_upd_DESC]",
            },
        ).json()
        unsorted = http.get("/products", params={"sort": "[date_upd_DESC]"})
    assert [p["id"] for p in window["products"]] == [later]
    assert first[0] != later
    assert errors(unsorted)[0][0] == 38


def test_sort_and_limit(ps: PrestaShopSandbox) -> None:
    # sort=[field_DIR,…] (37 malformed, 38 not a field); limit=N or offset,count (39 otherwise).
    a, b, c, d = _catalog(ps)
    with client(ps) as http:

        def ids(**params: str) -> list[int]:
            return [
                p["id"]
                for p in http.get("/products", params={"output_format": "JSON", **params}).json()["products"]
            ]

        assert ids(sort="[price_DESC]") == [d, a, c, b]
        assert ids(sort="[reference_ASC,id_DESC]") == [d, a, c, b]
        assert ids(sort="[price_ASC]", limit="2") == [b, c]
        assert ids(sort="[price_ASC]", limit="1,2") == [c, a]
        bad_sort = http.get("/products", params={"sort": "[price]"})
        bad_limit = http.get("/products", params={"limit": "1,2,3"})
    assert errors(bad_sort)[0][0] == 37
    assert errors(bad_limit) == [(39, 'The "limit" value has to be formed as this example: "5,25" or "10"')]


def test_schemas(ps: PrestaShopSandbox) -> None:
    # renderSchema: blank = the fields to fill (read-only ones left out); synopsis adds required,
    # maxSize, format; another value → 28.
    with client(ps) as http:
        blank = http.get("/products", params={"schema": "blank"}).text
        synopsis = http.get("/products", params={"schema": "synopsis"}).text
        wrong = http.get("/products", params={"schema": "full"})
    assert "<reference></reference>" in blank.replace("<![CDATA[]]>", "")
    fields = blank.split("<associations>")[0]
    assert "<quantity>" not in fields and "<manufacturer_name" not in fields
    assert '<price required="true" format="isPrice"><![CDATA[]]></price>' in synopsis
    assert '<reference maxSize="64" format="isReference"><![CDATA[]]></reference>' in synopsis
    assert errors(wrong)[0][0] == 28


def test_xml_writes_of_1_7_leave_empty_values_bare(ps_version: str, woo_tls_dir: object) -> None:
    # WebserviceOutputXML::renderField: 1.7.6.2 writes CDATA only for non-empty values; 8+ always.
    from pathlib import Path

    for version, expected in (("1.7", "<ean13></ean13>"), ("9", "<ean13><![CDATA[]]></ean13>")):
        with (
            PrestaShopSandbox(version=version, tls_dir=Path(str(woo_tls_dir))) as server,
            client(server) as http,
        ):
            created = http.post("/products", content=product()).text
        assert expected in created
