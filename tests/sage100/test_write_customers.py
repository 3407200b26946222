"""Creating and updating customers (F_COMPTET + F_LIVRAISON + F_CONTACTT)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from comptoir.erp.base import ErpError
from comptoir.erp.sage100 import Sage100Erp
from comptoir.model import Address, Contact, Customer

Query = Callable[..., list[Any]]

BILLING = Address(
    first_name="Jean",
    last_name="Dupont",
    line1="1 rue de la Paix",
    postcode="75002",
    city="Paris",
    country="FR",
)


def web_customer(**changes: object) -> Customer:
    base = Customer(
        code="web000530",
        name="Jean DUPONT",
        first_name="Jean",
        last_name="DUPONT",
        email="jean.dupont@example.net",
        phone="01 23 45 67 89",
        billing=BILLING,
        deliveries=(
            Address(
                first_name="Jean", last_name="Dupont", line1="5 avenue Foch", postcode="75016", city="Paris"
            ),
        ),
        price_category="1",
        accounting_account="411W000530",
        vat_number="FR 12 345678901",
        siret="123 456 789 00012",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_create_customer(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    assert erp.save_customer(web_customer()) == "WEB000530"
    (account,) = sql(
        company_url,
        'SELECT "CT_Intitule", "CT_Type", "CG_NumPrinc", "N_CatTarif", "N_CatCompta", "CT_Identifiant", '
        '"CT_Siret", "CT_NumPayeur", "cbCreateur", "CT_Pays", "CT_DateCreate" FROM "F_COMPTET" '
        "WHERE \"CT_Num\" = 'WEB000530'",
    )
    assert account[:9] == (
        "Jean DUPONT",
        0,
        "411W000530",
        1,
        1,
        "FR12345678901",
        "12345678900012",
        "WEB000530",
        "TEST",
    )
    assert account[9] == "France" and not str(account[10]).startswith("1753")
    (general,) = sql(company_url, 'SELECT "CG_Intitule" FROM "F_COMPTEG" WHERE "CG_Num" = \'411W000530\'')
    assert general[0] == "Jean DUPONT"
    deliveries = sql(
        company_url,
        'SELECT "LI_Adresse", "LI_Principal", "LI_Contact" FROM "F_LIVRAISON" '
        'WHERE "CT_Num" = \'WEB000530\' ORDER BY "LI_No"',
    )
    assert [tuple(d) for d in deliveries] == [("5 avenue Foch", 1, "Jean Dupont")]
    contacts = sql(
        company_url, 'SELECT "CT_Nom", "CT_EMail" FROM "F_CONTACTT" WHERE "CT_Num" = \'WEB000530\''
    )
    assert [tuple(c) for c in contacts] == [("DUPONT", "jean.dupont@example.net")]
    found = erp.find_customer("WEB000530")
    assert found is not None and found.email == "jean.dupont@example.net"
    assert found.deliveries[0].city == "Paris" and found.accounting_account == "411W000530"
    assert erp.summary().customers == 13


def test_update_customer_keeps_one_principal_address(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    erp.save_customer(web_customer())
    second = Address(
        first_name="Jean", last_name="Dupont", line1="8 rue Lepic", postcode="75018", city="Paris"
    )
    moved = Address(
        first_name="Jean", last_name="Dupont", line1="2 rue Oberkampf", postcode="75011", city="Paris"
    )
    updated = web_customer(
        name="Jean DUPONT-MARTIN",
        deliveries=(moved, second),
        contacts=(Contact("Jean", "DUPONT", "jean.dupont@example.net", role="Acheteur"),),
    )
    assert erp.save_customer(updated) == "WEB000530"
    assert erp.save_customer(updated) == "WEB000530"
    rows = sql(
        company_url,
        'SELECT "LI_Adresse", "LI_Principal" FROM "F_LIVRAISON" '
        'WHERE "CT_Num" = \'WEB000530\' ORDER BY "LI_No"',
    )
    assert [tuple(r) for r in rows] == [("2 rue Oberkampf", 1), ("8 rue Lepic", 0)]
    contacts = sql(company_url, 'SELECT "CT_Fonction" FROM "F_CONTACTT" WHERE "CT_Num" = \'WEB000530\'')
    assert [c[0] for c in contacts] == ["Acheteur"]
    (account,) = sql(company_url, 'SELECT "CT_Intitule" FROM "F_COMPTET" WHERE "CT_Num" = \'WEB000530\'')
    assert account[0] == "Jean DUPONT-MARTIN"
    assert erp.summary().customers == 13


def test_long_texts_are_cut_to_sage_lengths(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    name = "Société Coopérative Agricole des Producteurs d'Olives de Nyons et des Baronnies"
    erp.save_customer(web_customer(name=name, billing=replace(BILLING, line1="x" * 50)))
    (row,) = sql(
        company_url,
        'SELECT "CT_Intitule", "CT_Classement", "CT_Adresse" FROM "F_COMPTET" WHERE "CT_Num" = \'WEB000530\'',
    )
    assert row[0] == name[:35] and row[1] == name.upper()[:17] and row[2] == "x" * 35


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"email": "a" * 70 + "@example.com"}, "F_COMPTET.CT_EMail"),
        ({"code": "C" * 18}, "CT_Num"),
        ({"billing": replace(BILLING, postcode="1234567890")}, "F_COMPTET.CT_CodePostal"),
        ({"siret": "1234567890123456"}, "F_COMPTET.CT_Siret"),
    ],
)
def test_values_that_do_not_fit_are_refused(erp: Sage100Erp, changes: dict[str, object], column: str) -> None:
    with pytest.raises(ErpError, match=column.replace(".", r"\.")):
        erp.save_customer(web_customer(**changes))
    assert erp.summary().customers == 12


def test_refusals_name_the_customer(erp: Sage100Erp) -> None:
    with pytest.raises(ErpError, match="customer WEB000530: price category 7 does not exist"):
        erp.save_customer(web_customer(price_category="7"))
    with pytest.raises(ErpError, match="CT_Type 1"):
        erp.save_customer(web_customer(code="FMOULIN"))
    with pytest.raises(ErpError, match="warehouse 9"):
        erp.save_customer(web_customer(home_warehouse="9"))
    with pytest.raises(ErpError, match="purchasing central NOBODY"):
        erp.save_customer(web_customer(central_code="NOBODY"))
    with pytest.raises(ErpError, match="account number"):
        erp.save_customer(web_customer(code=" "))
    assert erp.summary().customers == 12


def test_customer_with_credit_limit_and_home_warehouse(erp: Sage100Erp) -> None:
    erp.save_customer(
        web_customer(credit_limit=Decimal("1500.50"), home_warehouse="2", central_code="CENTRALESUD")
    )
    found = erp.find_customer("WEB000530")
    assert found is not None
    assert (found.credit_limit, found.home_warehouse, found.central_code) == (
        Decimal("1500.5"),
        "2",
        "CENTRALESUD",
    )


def test_update_keeps_account_and_category_unless_given(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    erp.save_customer(web_customer(price_category="2", accounting_account="411W000530"))
    erp.save_customer(web_customer(price_category="", accounting_account="", name="Jean DUPONT (web)"))
    (row,) = sql(
        company_url,
        'SELECT "CG_NumPrinc", "N_CatTarif", "CT_Intitule" FROM "F_COMPTET" WHERE "CT_Num" = \'WEB000530\'',
    )
    assert tuple(row) == ("411W000530", 2, "Jean DUPONT (web)")


def test_custom_fields_go_to_text_free_fields(erp: Sage100Erp) -> None:
    erp.save_customer(
        web_customer(custom_fields={"Origine": "Boutique en ligne WooCommerce", "Inconnu": "x"})
    )
    found = erp.find_customer("WEB000530")
    assert found is not None and found.custom_fields == {"Origine": "Boutique en ligne Woo"}
