"""Contract: authentication, permissions and headers answered as PrestaShop's webservice does.

Sources are PrestaShop's files (1.7.6.2, 8.2.0, 9.0.0): webservice/dispatcher.php and
classes/webservice/WebserviceRequest.php unless stated.
"""

from __future__ import annotations

import hashlib

import httpx
import pytest

from comptoir.sandbox.prestashop import PrestaShopSandbox
from ps_helpers import anonymous, client, errors

REALM = 'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login.'


def test_no_key_at_all_is_a_bare_401_page(ps: PrestaShopSandbox) -> None:
    # dispatcher.php: neither PHP_AUTH_USER nor ws_key → "401 Unauthorized" and WWW-Authenticate.
    with anonymous(ps) as http:
        answer = http.get("/products")
    assert answer.status_code == 401
    assert answer.text == "401 Unauthorized"
    assert answer.headers["WWW-Authenticate"].startswith(REALM)
    assert "PSWS-Version" not in answer.headers


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("", [(17, "Authentication key is empty")]),
        ("SHORT", [(18, "Invalid authentication key format")]),
        (
            "A" * 32,
            [(20, "Authentification key is not active"), (21, "No permission for this authentication key")],
        ),
    ],
)
def test_bad_keys_are_401_with_codes_17_18_20_21(
    ps: PrestaShopSandbox, key: str, expected: list[tuple[int, str]]
) -> None:
    # WebserviceRequest::authenticate: empty 17, length ≠ 32 18, unknown/inactive 20 (+21), and the
    # WWW-Authenticate header; PSWS-Version only once authenticated (returnOutput).
    with anonymous(ps) as http:
        answer = http.get("/products", params={"ws_key": key})
    assert answer.status_code == 401
    assert errors(answer) == expected
    assert answer.headers["WWW-Authenticate"].startswith(REALM)
    assert "PSWS-Version" not in answer.headers


def test_a_disabled_key_is_refused_and_keys_match_case_insensitively(ps: PrestaShopSandbox) -> None:
    # WebserviceKey::isKeyActive: WHERE key = '…' under MySQL's case-insensitive collation.
    key = ps.create_key("all")
    with client(ps, key.lower()) as http:
        assert http.get("/products").status_code == 200
    ps.set_key_active(key, False)
    with client(ps, key) as http:
        answer = http.get("/products")
    assert answer.status_code == 401
    assert [code for code, _ in errors(answer)] == [20, 21]


def test_the_key_may_come_as_ws_key_in_the_query(ps: PrestaShopSandbox) -> None:
    # dispatcher.php: $_GET['ws_key'] when there is no Basic user.
    with anonymous(ps) as http:
        answer = http.get("/products", params={"ws_key": ps.admin_key})
    assert answer.status_code == 200
    assert answer.headers["PSWS-Version"] == "9.0.0"


def test_per_resource_permissions(ps: PrestaShopSandbox) -> None:
    # checkResource: resource not granted → 401 code 26; checkHTTPMethod: method not granted → 405 25.
    key = ps.create_key({"products": ["GET", "HEAD"]})
    with client(ps, key) as http:
        assert http.get("/products").status_code == 200
        refused_resource = http.get("/customers")
        refused_method = http.post("/products", content="<prestashop/>")
    assert refused_resource.status_code == 401
    assert errors(refused_resource) == [
        (26, 'Resource of type "customers" is not allowed with this authentication key')
    ]
    assert "WWW-Authenticate" not in refused_resource.headers
    assert refused_method.status_code == 405
    assert errors(refused_method) == [
        (25, "Method POST is not allowed for the resource products with this authentication key")
    ]


def test_unknown_resource_proposes_the_closest(ps: PrestaShopSandbox) -> None:
    # checkResource + setErrorDidYouMean (getClosest by Levenshtein distance).
    with client(ps) as http:
        answer = http.get("/product")
    assert answer.status_code == 400
    [(code, message)] = errors(answer)
    assert code == 27
    assert message.startswith(
        'Resource of type "product" does not exists. Did you mean: "products"? The full list is:'
    )


def test_methods_forbidden_for_a_resource(ps: PrestaShopSandbox) -> None:
    # getResources: stock_availables forbids POST and DELETE → 405 code 101.
    with client(ps) as http:
        answer = http.delete("/stock_availables/1")
    assert answer.status_code == 405
    assert errors(answer) == [(101, "Method DELETE is not allowed for the resource stock_availables")]


@pytest.mark.parametrize("ps_version", ["1.7"], indirect=True)
def test_patch_is_not_a_method_of_1_7(ps: PrestaShopSandbox) -> None:
    # 1.7.6.2 checkHTTPMethod lists GET, POST, PUT, DELETE, HEAD: PATCH → 405 code 23.
    with client(ps) as http:
        answer = http.patch("/products/1", content="<prestashop/>")
    assert answer.status_code == 405
    assert errors(answer) == [(23, "Method PATCH is not valid")]
    assert answer.headers["PSWS-Version"] == "1.7.6.2"


def test_webservice_disabled_is_503_code_22(ps: PrestaShopSandbox) -> None:
    # WebserviceRequest::isActivated: PS_WEBSERVICE off.
    ps.configure(PS_WEBSERVICE="0")
    with client(ps) as http:
        answer = http.get("/products")
    assert answer.status_code == 503
    assert errors(answer) == [
        (22, "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office")
    ]


def test_headers_of_an_answer(ps: PrestaShopSandbox) -> None:
    # returnOutput: Access-Time, X-Powered-By, Execution-Time, PSWS-Version, Content-Sha1 (sha1 of
    # the content); WebserviceOutputXML::getContentType text/xml. dispatcher.php: Local-Content-Sha1
    # equal to the content's → 304 without content.
    with client(ps) as http:
        answer = http.get("/languages")
        cached = http.get("/languages", headers={"Local-Content-Sha1": answer.headers["Content-Sha1"]})
        as_json = http.get("/languages", params={"output_format": "JSON"})
        by_header = http.get("/languages", headers={"Io-Format": "JSON"})
    assert answer.status_code == 200
    assert answer.headers["X-Powered-By"] == "PrestaShop Webservice"
    assert answer.headers["PSWS-Version"] == "9.0.0"
    assert answer.headers["Access-Time"].isdigit()
    float(answer.headers["Execution-Time"])
    assert answer.headers["Content-Type"].startswith("text/xml")
    assert answer.headers["Content-Sha1"] == hashlib.sha1(answer.content).hexdigest()
    assert cached.status_code == 304 and cached.content == b""
    assert as_json.headers["Content-Type"] == "application/json"
    assert as_json.json() == by_header.json() == {"languages": [{"id": 1}, {"id": 2}]}


def test_errors_as_json(ps: PrestaShopSandbox) -> None:
    # WebserviceOutputJSON::renderErrors: {"errors": [{"code": int, "message": text}]}.
    with client(ps) as http:
        answer = http.get("/products", params={"output_format": "JSON", "filter[nope]": "[1]"})
    assert answer.status_code == 400
    body = answer.json()
    assert body["errors"][0]["code"] == 32
    assert body["errors"][0]["message"].startswith('This filter does not exist. Did you mean: "')


def test_the_root_lists_what_the_key_may_do(ps: PrestaShopSandbox) -> None:
    # WebserviceOutputBuilder::getResourcesList: one node per granted resource with get/put/post/
    # patch/delete/head flags and its schema links.
    key = ps.create_key({"products": ["GET"], "orders": ["GET", "PUT"]})
    with client(ps, key) as http:
        answer = http.get("/")
    assert answer.status_code == 200
    assert '<products xlink:href="' in answer.text
    assert 'get="true" put="false" post="false" patch="false" delete="false" head="false"' in answer.text
    assert '<orders xlink:href="' in answer.text and 'put="true"' in answer.text
    assert "<customers" not in answer.text
    assert 'type="synopsis"' in answer.text


@pytest.mark.parametrize(("ps_version", "status"), [("1.7", 200), ("8", 500)], indirect=["ps_version"])
def test_the_root_in_json(ps: PrestaShopSandbox, status: int) -> None:
    # 1.7.6.2 renders the root as a JSON list of names; 8.x/9.x's overrideContent runs array_filter
    # on those strings: a fatal TypeError (PrestaShop issues #32179, #34794).
    with client(ps) as http:
        answer = http.get("/", params={"output_format": "JSON"})
    assert answer.status_code == status
    if status == 200:
        assert "products" in answer.json()


def test_client_errors_are_reported_not_raised(ps: PrestaShopSandbox) -> None:
    # A path outside /api is not the webservice.
    with httpx.Client(verify=False, timeout=5) as http:
        assert http.get(f"{ps.url}/index.php").status_code == 404
