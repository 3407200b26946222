"""Hostile text end to end: an order full of NUL, controls, bidi overrides and emoji imported from the
sandbox shop, a customer code the ERP cannot hold, and ERP designations that must not reach the shop
with their invisible characters.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from job_harness import Harness
from sqlalchemy import MetaData, String, create_engine, select, text

from comptoir.jobs.runner import JobName, RunStatus

USER = "HOST"
HOSTILE = "Zo\x00é \u202eŁukasz😀\x07 Cœur\u200b\u2066"
CLEAN = "Zoé Lukasz Cœur"
"""What Sage holds of ``HOSTILE``: é and œ kept, ł transliterated, the rest gone."""


def invisible(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}


def written_texts(url: str) -> list[tuple[str, str, int, str]]:
    """(table, column, declared length, value) of every non-empty text the job wrote."""
    engine = create_engine(url)
    found: list[tuple[str, str, int, str]] = []
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as conn:
            for table in tables.sorted_tables:
                if "cbCreateur" not in table.c:
                    continue
                texts = [c for c in table.c if isinstance(c.type, String)]
                for row in conn.execute(select(*texts).where(table.c.cbCreateur == USER)):
                    for column, value in zip(texts, row, strict=True):
                        if value:
                            found.append((table.name, column.name, int(column.type.length or 0), value))
    finally:
        engine.dispose()
    return found


def query(harness: Harness, sql: str, **params: object) -> list[dict[str, Any]]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text(sql), params).mappings()]
    engine.dispose()
    return rows


def hostile_address(email: str) -> dict[str, str]:
    return {
        "first_name": HOSTILE,
        "last_name": HOSTILE,
        "company": "",
        "address_1": f"12 rue {HOSTILE}",
        "address_2": HOSTILE,
        "city": HOSTILE,
        "state": HOSTILE,
        "postcode": "84000",
        "country": "FR",
        "email": email,
        "phone": "04\x00 90\u202e 12 34 56",
    }


async def test_a_hostile_order_is_imported_with_text_sage_can_hold(harness: Harness) -> None:
    harness.write_profile(erp={"user_code": USER})
    exported, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert exported.status is RunStatus.OK, lines
    # The edit context shows the description as stored (the view context runs it through wpautop:
    # Version2/class-wc-rest-products-v2-controller.php get_product_data).
    [product] = harness.client.get("products", sku="BOL-UZES", context="edit")
    email = "zoe.hostile@example.org"
    customer = harness.client.post(
        "customers",
        {"email": email, "first_name": HOSTILE, "last_name": HOSTILE, "billing": hostile_address(email)},
    )
    order = harness.client.post(
        "orders",
        {
            "customer_id": customer["id"],
            "billing": hostile_address(email),
            "shipping": hostile_address(""),
            "line_items": [{"product_id": product["id"], "quantity": 2, "name": f"Bol {HOSTILE}"}],
            "shipping_lines": [{"method_id": "flat_rate", "method_title": HOSTILE, "total": "5.00"}],
            "customer_note": f"Sonner\x00 deux fois {HOSTILE}",
            "payment_method": "cod",
            "status": "processing",
        },
    )
    assert "\x00" in order["billing"]["first_name"] and "\u202e" in order["line_items"][0]["name"]

    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (1, 0), lines

    written = written_texts(harness.company_url)
    tables = {t for t, _, _, _ in written}
    assert {"F_COMPTET", "F_LIVRAISON", "F_CONTACTT", "F_DOCENTETE", "F_DOCLIGNE"} <= tables
    for table, column, length, value in written:
        where = f"{table}.{column} = {value!r}"
        value.encode("cp1252")
        assert not any(invisible(c) for c in value), where
        assert len(value) <= length, where

    [header] = query(harness, 'SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o', o=str(order["id"]))
    assert header["DO_Ref"] == f"Web {order['id']} - {CLEAN}"[:17].rstrip()
    assert header["Commentaires"] == f"Sonner deux fois {CLEAN}"
    [line] = query(
        harness,
        'SELECT "DL_Design" FROM "F_DOCLIGNE" WHERE "DO_Piece" = :p AND "AR_Ref" = :r',
        p=header["DO_Piece"],
        r="BOL-UZES",
    )
    assert line["DL_Design"] == f"Bol {CLEAN}"
    [account] = query(harness, 'SELECT * FROM "F_COMPTET" WHERE "CT_Num" = :c', c=header["DO_Tiers"])
    assert account["CT_Ville"] == CLEAN and account["CT_Adresse"] == f"12 rue {CLEAN}"
    assert account["CT_Telephone"] == "04 90 12 34 56"
    assert account["CT_Intitule"] == f"{CLEAN} {CLEAN}"


async def test_a_customer_code_the_erp_cannot_hold_fails_its_order_alone(harness: Harness) -> None:
    account = "MARKETPLACE-AMAZON-FR"
    profile = harness.write_profile(erp={"user_code": USER})
    methods = profile.orders.model_dump(mode="json", exclude_none=True)["payment_methods"]
    harness.write_profile(
        erp={"user_code": USER},
        orders={"payment_methods": {**methods, "amazon": {"mode": "4", "account": account}}},
    )
    await harness.run(JobName.EXPORT_PRODUCTS)
    # The edit context shows the description as stored (the view context runs it through wpautop:
    # Version2/class-wc-rest-products-v2-controller.php get_product_data).
    [product] = harness.client.get("products", sku="BOL-UZES", context="edit")
    placed = {}
    for method in ("amazon", "cod"):
        email = f"{method}.buyer@example.org"
        placed[method] = harness.client.post(
            "orders",
            {
                "billing": {**hostile_address(email), "first_name": "Léa", "last_name": "Martin"},
                "line_items": [{"product_id": product["id"], "quantity": 1}],
                "payment_method": method,
                "status": "processing",
            },
        )

    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (1, 1), lines
    assert result.status is RunStatus.ITEMS_FAILED
    failing = f"#{placed['amazon']['id']}"
    refusal = f"customer {account}: F_COMPTET.CT_Num holds 17 characters, {account!r} has 21"
    assert any(failing in line and refusal in line for line in lines), lines
    documents = {r["DO_NoWeb"] for r in query(harness, 'SELECT "DO_NoWeb" FROM "F_DOCENTETE"')}
    assert str(placed["cod"]["id"]) in documents and str(placed["amazon"]["id"]) not in documents
    assert not query(harness, 'SELECT * FROM "F_COMPTET" WHERE "CT_Num" LIKE :c', c="MARKETPLACE%")


async def test_erp_texts_reach_the_shop_without_invisible_characters(harness: Harness) -> None:
    """An ERP designation, description, family and customer holding NUL and bidi controls."""
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        conn.execute(
            text('UPDATE "F_ARTICLE" SET "AR_Design" = :d, "Description" = :x WHERE "AR_Ref" = :r'),
            {"d": f"Bol\x00 {HOSTILE}", "x": "Émaillé\u202e\x00 main.\r\n\r\nUzès\x07", "r": "BOL-UZES"},
        )
        conn.execute(
            text('UPDATE "F_FAMILLE" SET "FA_Intitule" = :n WHERE "FA_CodeFamille" = :f'),
            {"n": f"Table\u202e {HOSTILE}", "f": "TABLE"},
        )
        conn.execute(
            text('UPDATE "F_COMPTET" SET "CT_Ville" = :v, "CT_Adresse" = :a WHERE "CT_Num" = :c'),
            {"v": HOSTILE, "a": f"1 rue\x00 {HOSTILE}", "c": "AUBERGE"},
        )
        conn.execute(
            text('UPDATE "F_CONTACTT" SET "CT_Prenom" = :p, "CT_Nom" = :n WHERE "CT_Num" = :c'),
            {"p": HOSTILE, "n": "\u202eCHABERT\x00", "c": "AUBERGE"},
        )
    engine.dispose()
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines

    shown = "Zoé Łukasz😀 Cœur"
    """What the shop may hold of ``HOSTILE``: every visible character, nothing invisible."""
    # The edit context shows the description as stored (the view context runs it through wpautop:
    # Version2/class-wc-rest-products-v2-controller.php get_product_data).
    [product] = harness.client.get("products", sku="BOL-UZES", context="edit")
    assert product["name"] == f"Bol {shown}"
    assert product["description"] == "Émaillé main.\n\nUzès"
    [category] = product["categories"]
    assert category["name"] == f"Table {shown}"
    [account] = harness.client.get("customers", email="marion.chabert@example.com", role="all")
    assert (account["first_name"], account["last_name"]) == (shown, "CHABERT")
    assert account["billing"]["city"] == shown
    assert account["billing"]["address_1"] == f"1 rue {shown}"
