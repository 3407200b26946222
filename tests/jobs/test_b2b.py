"""B2B end to end on WooCommerce: group and customer prices, per-warehouse stock, home warehouses,
withdrawn articles — the jobs against the sandbox as a real server, checked against the ERP.

Expected prices are worked out from the small demo company's conditions (in the comments) and,
for whole families, with the resolver from what the ERP holds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.jobs.specific_prices import priced_article, pricing_customers
from comptoir.model import PriceBook, QuantityKind

D = Decimal
HOME = {
    "source": "postcode",
    "postcodes": {"84": "1", "26": "1", "69": "2", "38": "2", "30": "1"},
    "default": "1",
}


def execute(harness: Harness, sql: str, **params: object) -> None:
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def query(harness: Harness, sql: str, **params: object) -> list[Any]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = list(conn.execute(text(sql), params))
    engine.dispose()
    return rows


def b2b_profile(harness: Harness) -> None:
    harness.write_profile(
        prices={"specific_prices": True},
        stock={"quantity": "available", "per_warehouse": True},
        customers={"home_warehouse": HOME},
    )


async def export_all(harness: Harness) -> None:
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines


def product_ids(harness: Harness) -> dict[str, int]:
    found = {p["sku"]: int(p["id"]) for p in harness.shop_all("products")}
    for parent in [p for p in harness.shop_all("products") if p["type"] == "variable"]:
        for variation in harness.client.get(f"products/{parent['id']}/variations", per_page=100):
            found[variation["sku"]] = int(variation["id"])
    return found


def customer_ids(harness: Harness) -> dict[str, int]:
    by_email = {c["email"]: int(c["id"]) for c in harness.shop_all("customers", role="all")}
    erp = Sage100Erp(harness.company_url)
    try:
        return {
            c.code: by_email[c.email.lower()] for c in erp.read_customers() if c.email.lower() in by_email
        }
    finally:
        erp.close()


def group_prices(harness: Harness, pid: int) -> dict[tuple[str, D], D]:
    rows = harness.client.get(f"csp/gsp/product-id/{pid}")
    return {(r["group_name"], D(r["min_qty"])): D(r["gsp_price"]) for r in rows.get(str(pid), [])}


def customer_prices(harness: Harness, uid: int) -> dict[tuple[int, D], D]:
    rows = harness.client.get(f"csp/usp/user-id/{uid}")
    return {(int(pid), D(r["min_qty"])): D(r["csp_price"]) for pid, items in rows.items() for r in items}


def meta(item: dict[str, Any]) -> dict[str, Any]:
    return {m["key"]: m["value"] for m in item["meta_data"]}


async def test_group_and_customer_prices_are_sent_as_rules_then_only_changes(harness: Harness) -> None:
    b2b_profile(harness)
    await export_all(harness)
    result, lines = await harness.run(JobName.UPDATE_PRICES)
    assert result.status is RunStatus.OK, lines
    ids, people = product_ids(harness), customer_ids(harness)

    # Grossistes (category 2): Tavel 10.63, less the family CAVE's 5 % → 10.10.
    assert group_prices(harness, ids["VIN-TAVEL-ROSE"]) == {("Grossistes", D(1)): D("10.10")}
    # Détaillants (category 1) pay the base price, but for the oil's net prices by quantity:
    # 14.50 (the base price) up to 5, 13.80 from 6, 12.90 from 12.
    oil = group_prices(harness, ids["HUILE-NYONS-50"])
    assert oil[("Détaillants", D(6))] == D("13.80") and oil[("Détaillants", D(12))] == D("12.90")
    assert ("Détaillants", D(1)) not in oil

    # The hotel's exception prices: 9.90 and 7.20, whatever the family's discount.
    hotel = customer_prices(harness, people["HOTELCASSIS"])
    assert hotel == {(ids["VIN-TAVEL-ROSE"], D(1)): D("9.90"), (ids["VIN-VENTOUX-RGE"], D(1)): D("7.20")}
    # A member of the central: its own 4.70 beats the central's 4.90; the other member gets 4.90.
    tea = ids["THE-VERT-MENTHE"]
    assert customer_prices(harness, people["CAVEAUNIMES"])[(tea, D(1))] == D("4.70")
    assert customer_prices(harness, people["EPICERIEAIX"])[(tea, D(1))] == D("4.90")
    # A customer with nothing of its own gets its group's prices: no row at all.
    assert customer_prices(harness, people["BISTROTLYON"]) == {}

    # The auberge's family discount (EPICERIE 8 %, against its group's 3 %): a row for each of the
    # family's articles, at the resolver's price.
    erp = Sage100Erp(harness.company_url)
    try:
        articles = {a.reference: a for a in erp.read_articles()}
        rates = {t.code: t.rate for t in erp.read_tax_rates()}
        book = PriceBook(erp.read_price_rules(), pricing_customers(erp.read_customers()))
    finally:
        erp.close()
    auberge = customer_prices(harness, people["AUBERGE"])
    grocery = [a for a in articles.values() if a.family_code == "EPICERIE" and a.published and not a.dormant]
    assert grocery
    for article in grocery:
        expected = book.schedule(priced_article(article, rates), customer="AUBERGE")
        for quantity, price in expected:
            assert auberge[(ids[article.reference], quantity)] == price, article.reference
    assert {pid for pid, _ in auberge} == {ids[a.reference] for a in grocery}
    assert any("client AUBERGE" in line and "fixé(s)" in line for line in lines)
    assert any("une matrice clients × articles en compterait" in line for line in lines)

    # A second run sends nothing.
    stats = harness.server.stats
    writes = stats.count_matching("POST /wc/v3/csp/*") + stats.count_matching("DELETE /wc/v3/csp/*")
    assert writes > 0
    again, lines = await harness.run(JobName.UPDATE_PRICES)
    assert again.status is RunStatus.OK and again.counts.created == again.counts.updated == 0, lines
    assert stats.count_matching("POST /wc/v3/csp/*") + stats.count_matching("DELETE /wc/v3/csp/*") == writes

    # A rule removed in the ERP: its price leaves the shop; a changed one is replaced.
    execute(harness, "DELETE FROM F_ARTCLIENT WHERE CT_Num = 'HOTELCASSIS' AND AR_Ref = 'VIN-TAVEL-ROSE'")
    execute(harness, "UPDATE F_ARTCLIENT SET AC_PrixVen = 6.95 WHERE CT_Num = 'HOTELCASSIS'")
    changed, lines = await harness.run(JobName.UPDATE_PRICES)
    assert changed.status is RunStatus.OK, lines
    assert changed.counts.updated == 1, lines
    assert customer_prices(harness, people["HOTELCASSIS"]) == {(ids["VIN-VENTOUX-RGE"], D(1)): D("6.95")}
    assert any("client HOTELCASSIS : 1 fixé(s), 1 retiré(s)" in line for line in lines), lines


async def test_dry_run_names_what_would_be_set_and_writes_nothing(harness: Harness) -> None:
    b2b_profile(harness)
    await export_all(harness)
    result, lines = await harness.run(JobName.UPDATE_PRICES, dry_run=True)
    assert result.status is RunStatus.OK, lines
    assert any("client HOTELCASSIS : 2 seraient fixé(s), 0 seraient retiré(s)" in line for line in lines)
    assert harness.client.get("csp/gsp/group") == {}


def available(harness: Harness) -> dict[tuple[str, str], int]:
    erp = Sage100Erp(harness.company_url)
    try:
        return {
            (level.reference, level.warehouse): max(int(level.quantity(QuantityKind.AVAILABLE)), 0)
            for level in erp.read_stock()
        }
    finally:
        erp.close()


async def test_per_warehouse_stock_home_warehouses_and_withdrawn_articles(harness: Harness) -> None:
    b2b_profile(harness)
    await export_all(harness)
    result, lines = await harness.run(JobName.UPDATE_STOCK)
    assert result.status is RunStatus.OK, lines
    levels = available(harness)
    products = {p["sku"]: p for p in harness.shop_all("products")}
    for sku in ("VIN-TAVEL-ROSE", "HUILE-NYONS-50", "TAPENADE-NOIRE"):
        shown = meta(products[sku])
        one, two = levels.get((sku, "1"), 0), levels.get((sku, "2"), 0)
        assert (int(shown["stock_warehouse_1"]), int(shown["stock_warehouse_2"])) == (one, two), sku
        assert products[sku]["stock_quantity"] == max(
            sum(int(q) for (ref, _), q in levels.items() if ref == sku), 0
        )

    # Home warehouses from the postal-code rule: Bédoin (84) → 1, Lyon (69) → 2, Cassis (13) → default.
    people = {c["email"]: c for c in harness.shop_all("customers", role="all")}
    erp = Sage100Erp(harness.company_url)
    try:
        emails = {c.code: c.email.lower() for c in erp.read_customers()}
    finally:
        erp.close()
    homes = {
        code: meta(people[emails[code]]).get("home_warehouse")
        for code in ("AUBERGE", "BISTROTLYON", "HOTELCASSIS")
    }
    assert homes == {"AUBERGE": "1", "BISTROTLYON": "2", "HOTELCASSIS": "1"}

    # Warehouses summed as one group: the shop gets the group's key, the customers too.
    harness.write_profile(
        prices={"specific_prices": True},
        stock={"quantity": "available", "per_warehouse": True, "warehouse_groups": {"PROVENCE": ["1", "2"]}},
        customers={"home_warehouse": HOME},
    )
    for job in (JobName.UPDATE_STOCK, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    tavel = next(p for p in harness.shop_all("products") if p["sku"] == "VIN-TAVEL-ROSE")
    total = levels.get(("VIN-TAVEL-ROSE", "1"), 0) + levels.get(("VIN-TAVEL-ROSE", "2"), 0)
    assert int(meta(tavel)["stock_warehouse_PROVENCE"]) == total
    bistrot = next(
        c for c in harness.shop_all("customers", role="all") if c["email"] == emails["BISTROTLYON"]
    )
    assert meta(bistrot)["home_warehouse"] == "PROVENCE"

    # An article put to sleep is disabled, not deleted; awake again, it is enabled again.
    execute(harness, "UPDATE F_ARTICLE SET AR_Sommeil = 1 WHERE AR_Ref = 'TAPENADE-NOIRE'")
    result, lines = await harness.run(JobName.UPDATE_STOCK)
    assert result.status is RunStatus.OK, lines
    tapenade = next(p for p in harness.shop_all("products") if p["sku"] == "TAPENADE-NOIRE")
    assert tapenade["status"] == "draft"
    again, _ = await harness.run(JobName.UPDATE_STOCK)
    assert again.counts.updated == 0
    execute(harness, "UPDATE F_ARTICLE SET AR_Sommeil = 0 WHERE AR_Ref = 'TAPENADE-NOIRE'")
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    tapenade = next(p for p in harness.shop_all("products") if p["sku"] == "TAPENADE-NOIRE")
    assert tapenade["status"] == "publish"


async def test_imported_orders_go_to_the_customers_home_warehouse(harness: Harness) -> None:
    b2b_profile(harness)
    await export_all(harness)
    erp = Sage100Erp(harness.company_url)
    try:
        emails = {c.code: c.email.lower() for c in erp.read_customers()}
    finally:
        erp.close()
    people = {c["email"]: c for c in harness.shop_all("customers", role="all")}
    tavel = next(p for p in harness.shop_all("products") if p["sku"] == "VIN-TAVEL-ROSE")
    placed = {}
    for code in ("AUBERGE", "BISTROTLYON"):
        customer = people[emails[code]]
        order = harness.client.post(
            "orders",
            {
                "customer_id": customer["id"],
                "billing": customer["billing"],
                "shipping": customer["shipping"],
                "line_items": [{"product_id": tavel["id"], "quantity": 2}],
                "status": "processing",
            },
        )
        placed[code] = str(order["id"])
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK and result.counts.created == 2, lines
    rows = query(
        harness,
        "SELECT DO_Tiers, DE_No FROM F_DOCENTETE WHERE DO_NoWeb IN (:a, :b)",
        **{
            "a": placed["AUBERGE"],
            "b": placed["BISTROTLYON"],
        },
    )
    assert {tiers.strip(): depot for tiers, depot in rows} == {"AUBERGE": 1, "BISTROTLYON": 2}
    lines_depots = query(
        harness,
        "SELECT DISTINCT DE_No FROM F_DOCLIGNE WHERE CT_Num = 'BISTROTLYON' AND AR_Ref = 'VIN-TAVEL-ROSE'",
    )
    assert [r[0] for r in lines_depots] == [2]


async def test_a_home_warehouse_rule_naming_an_unknown_warehouse_stops_export_customers(
    harness: Harness,
) -> None:
    harness.write_profile(
        customers={"home_warehouse": {"source": "postcode", "postcodes": {"84": "1", "69": "7"}}}
    )
    before = len(harness.shop_all("customers", role="all"))
    result, lines = await harness.run(JobName.EXPORT_CUSTOMERS)
    assert result.status is RunStatus.ABORTED
    assert result.error is not None and "customers.home_warehouse.postcodes.69 = 7" in result.error, lines
    assert len(harness.shop_all("customers", role="all")) == before, "nothing is sent"
