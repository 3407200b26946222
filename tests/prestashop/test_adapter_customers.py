"""The PrestaShop adapter's customers against the sandbox: accounts with their billing and
delivery addresses kept by alias, names as PrestaShop accepts them, an existing e-mail adopted
on every version (1.7 would accept a second account), guests left alone."""

from __future__ import annotations

import pytest

from comptoir.model import Address, CustomerDraft
from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.shop.prestashop import PrestaShopShop
from ps_helpers import listed

HOME = Address(
    first_name="Marion",
    last_name="CHABERT",
    company="Auberge du Mont Ventoux",
    line1="Route du Mont Ventoux",
    postcode="84410",
    city="Bédoin",
    country="FR",
    phone="04 90 01 63 50",
)
DEPOT = Address(
    first_name="Marion", last_name="CHABERT", line1="ZA Les Garrigues", postcode="84200", city="Carpentras"
)


def auberge(**more: object) -> CustomerDraft:
    fields: dict[str, object] = {
        "email": "marion.chabert@example.com",
        "first_name": "Marion",
        "last_name": "CHABERT",
        "billing": HOME,
        "shipping": DEPOT,
        "vat_number": "FR14698548831",
        "siret": "69854883100750",
        **more,
    }
    return CustomerDraft("AUBERGE", **fields)  # type: ignore[arg-type]


async def test_a_customer_is_created_with_billing_and_delivery_addresses(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    [created] = await ps_shop.save_customers([auberge()], [])
    assert created.ok, created
    [account] = listed(ps, "customers", **{"filter[id]": f"[{created.shop_id}]"})
    assert (account["email"], account["firstname"], account["lastname"]) == (
        "marion.chabert@example.com",
        "Marion",
        "CHABERT",
    )
    assert account["company"] == "Auberge du Mont Ventoux" and account["siret"] == "69854883100750"
    assert account["id_default_group"] == "3" and account["active"] == "1" and account["is_guest"] == "0"
    addresses = {
        a["alias"]: a for a in listed(ps, "addresses", **{"filter[id_customer]": f"[{created.shop_id}]"})
    }
    assert set(addresses) == {"Facturation", "Livraison"}
    billing = addresses["Facturation"]
    assert billing["vat_number"] == "FR14698548831" and billing["id_country"] == "8"
    assert (billing["address1"], billing["postcode"], billing["city"]) == (
        "Route du Mont Ventoux",
        "84410",
        "Bédoin",
    )
    assert addresses["Livraison"]["city"] == "Carpentras" and addresses["Livraison"]["vat_number"] == ""
    assert await ps_shop.find_customers(["Marion.Chabert@example.com".lower()]) == {
        "marion.chabert@example.com": created.shop_id
    }


@pytest.mark.parametrize("ps_version", ["1.7", "9"], indirect=True)
async def test_an_address_update_replaces_it_in_place(ps: PrestaShopSandbox, ps_shop: PrestaShopShop) -> None:
    [created] = await ps_shop.save_customers([auberge()], [])
    before = {
        a["alias"]: a["id"]
        for a in listed(ps, "addresses", **{"filter[id_customer]": f"[{created.shop_id}]"})
    }
    moved = Address(
        first_name="Marion",
        last_name="CHABERT",
        company=HOME.company,
        line1="1 place de la Mairie",
        postcode="84410",
        city="Bédoin",
        country="FR",
    )
    [updated] = await ps_shop.save_customers(
        [], [(str(created.shop_id), CustomerDraft("AUBERGE", billing=moved))]
    )
    assert updated.ok, updated
    after = {
        a["alias"]: a for a in listed(ps, "addresses", **{"filter[id_customer]": f"[{created.shop_id}]"})
    }
    assert {k: v["id"] for k, v in after.items()} == before, "the same addresses, not new ones"
    assert after["Facturation"]["address1"] == "1 place de la Mairie"
    [account] = listed(ps, "customers", **{"filter[id]": f"[{created.shop_id}]"})
    assert account["firstname"] == "Marion" and account["email"] == "marion.chabert@example.com"


@pytest.mark.parametrize("ps_version", ["1.7", "9"], indirect=True)
async def test_an_existing_email_is_adopted_never_doubled(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    [first] = await ps_shop.save_customers([auberge()], [])
    [second] = await ps_shop.save_customers([auberge(last_name="Chabert-Roux")], [])
    assert second.ok and second.shop_id == first.shop_id, "1.7 would accept a second account"
    accounts = listed(ps, "customers", **{"filter[email]": "[marion.chabert@example.com]"})
    assert [a["lastname"] for a in accounts] == ["Chabert-Roux"]


async def test_guests_are_not_adopted_and_names_are_made_acceptable(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    from ps_helpers import client, create, xml

    with client(ps) as http:
        guest = create(
            http,
            "customers",
            xml(
                "customer",
                "<passwd>pw-123456</passwd><lastname>Guest</lastname><firstname>Jean</firstname>"
                "<email>jean@example.fr</email><is_guest>1</is_guest><active>1</active>",
            ),
        )
    assert await ps_shop.find_customers(["jean@example.fr"]) == {}
    draft = CustomerDraft(
        "JEAN", email="jean@example.fr", first_name="", last_name="Dupont & Fils (2e)", billing=None
    )
    [created] = await ps_shop.save_customers([draft], [])
    assert created.ok and created.shop_id != str(guest["id"]), created
    [account] = listed(ps, "customers", **{"filter[id]": f"[{created.shop_id}]"})
    assert (account["firstname"], account["lastname"]) == ("-", "Dupont & Fils e")
