"""The jobs end to end on PrestaShop × Sage 100: the demo company and the PrestaShop sandbox as a
real server, through the registry and the demo profile, checked in both databases.

Catalog: what the shop holds after export (prices excluding tax, tax rules groups, variations as
combinations, stock rows), and that nothing is written again until the ERP changes. Orders: one
document per imported order with the shop's totals to the cent, payments of paid orders, the
refused order named, every imported order carrying comptoir's transfer message, nothing doubled
by a second run nor by a mark lost on the way.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from ps_harness import PsHarness

from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.simulate import transform_document
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import DocumentType
from comptoir.profile import load_profile
from comptoir.sandbox.prestashop.demo_shop import GIFT_CARD_SKU
from comptoir.shop.platform import PlacedOrder

MASTER = "Référence mère"


async def test_catalog_jobs_fill_the_shop_then_write_only_changes(ps: PsHarness) -> None:
    articles = {a.reference: a for a in ps.articles() if a.published and not a.dormant}
    masters = {a.custom_fields[MASTER] for a in articles.values() if a.custom_fields.get(MASTER)}
    assert masters, "the demo company groups some articles as variations"
    for job in (JobName.EXPORT_PRODUCTS, JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        result, lines = await ps.run(job)
        assert result.status is RunStatus.OK, lines
    products = {p["reference"]: p for p in ps.shop("products") if p["reference"] != GIFT_CARD_SKU}
    combinations = {c["reference"]: c for c in ps.shop("combinations")}
    grouped = {r for r, a in articles.items() if a.custom_fields.get(MASTER, "") not in ("", r)}
    assert set(combinations) == grouped and masters <= set(products)
    assert set(products) - masters == set(articles) - grouped - masters
    groups = {"C20": "1", "C10": "2", "C05": "3"}
    for reference, product in products.items():
        if reference in masters:
            assert product["price"] == "0.000000" and product["product_type"] == "combinations"
            continue
        article = articles[reference]
        assert Decimal(product["price"]) == article.sale_price, reference
        assert product["id_tax_rules_group"] == groups[article.tax_code], reference
    for reference, combination in combinations.items():
        assert Decimal(combination["price"]) == articles[reference].sale_price, reference
    writes = ps.writes()
    for job in (JobName.EXPORT_PRODUCTS, JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        again, lines = await ps.run(job)
        assert again.counts.created == again.counts.updated == 0, lines
    assert ps.writes() == writes, "nothing changed in the ERP: nothing is written"

    reference = sorted(grouped)[0]
    ps.erp('UPDATE "F_ARTICLE" SET "AR_PrixVen" = 61.50 WHERE "AR_Ref" = :r', r=reference)
    prices, lines = await ps.run(JobName.UPDATE_PRICES)
    assert prices.counts.updated == 1, lines
    assert ps.writes() == writes + 1, "one PATCH of one combination"
    assert ps.shop("combinations", **{"filter[reference]": f"[{reference}]"})[0]["price"] == "61.500000"


async def _orders(ps: PsHarness) -> list[PlacedOrder]:
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await ps.run(job)
        assert result.status is RunStatus.OK, lines
    erp = Sage100Erp(ps.company_url)
    try:
        return ps.demo.place_orders(erp.read_articles(), erp.read_customers())
    finally:
        erp.close()


async def test_import_orders_end_to_end(ps: PsHarness) -> None:
    placed = await _orders(ps)
    expected = [p for p in placed if p.expect_imported]
    result, lines = await ps.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (len(expected), 1), lines
    failing = next(p for p in placed if not p.expect_imported and p.status == "2")
    assert any(f"#{failing.shop_id}" in line and "CARTE-CADEAU-25" in line for line in lines), lines
    headers = {h["DO_NoWeb"]: h for h in ps.erp('SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')}
    assert set(headers) == {p.shop_id for p in expected}
    for order in expected:
        header = headers[order.shop_id]
        assert Decimal(str(header["DO_TotalTTC"])).quantize(Decimal("0.01")) == order.total, order
    assert [h["DO_NoWeb"] for h in headers.values() if h["DO_Type"] == 0] == [
        next(p.shop_id for p in expected if p.status == "10")
    ], "the order awaiting a bank wire becomes a quote"
    payments = ps.erp(
        'SELECT r."RG_Montant", a."DO_Piece" FROM "F_CREGLEMENT" r '
        'JOIN "F_REGLECH" a ON a."RG_No" = r."RG_No"'
    )
    paid = [p for p in expected if p.status == "2"]
    assert sorted(p["DO_Piece"] for p in payments) == sorted(headers[p.shop_id]["DO_Piece"] for p in paid)
    messages = {m["id_order"]: m["message"] for m in ps.shop("messages")}
    for order in expected:
        assert messages[order.shop_id].endswith(f"pièce {headers[order.shop_id]['DO_Piece']}")
    assert failing.shop_id not in messages
    again, lines = await ps.run(JobName.IMPORT_ORDERS, full=True)
    assert (again.counts.created, again.counts.unchanged) == (0, len(expected)), lines
    assert len(ps.erp('SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')) == len(expected)
    assert len(ps.erp('SELECT * FROM "F_CREGLEMENT"')) == len(paid), "payments are recorded once"
    assert len(ps.shop("messages")) == len(expected), "each order is marked once"


async def test_a_mark_the_shop_refused_is_written_by_the_next_run_only(ps: PsHarness) -> None:
    placed = await _orders(ps)
    expected = [p for p in placed if p.expect_imported]
    ps.sandbox.faults.status(503, route="POST /api/messages")
    result, lines = await ps.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == len(expected), lines
    assert not ps.shop("messages")
    ps.sandbox.faults.clear()
    second, lines = await ps.run(JobName.IMPORT_ORDERS)
    assert second.counts.created == 0, lines
    assert len(ps.erp('SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')) == len(expected)
    assert sorted(m["id_order"] for m in ps.shop("messages")) == sorted(p.shop_id for p in expected)


async def test_customers_are_exported_with_addresses_then_updated_in_place(ps: PsHarness) -> None:
    result, lines = await ps.run(JobName.EXPORT_CUSTOMERS)
    assert result.status is RunStatus.OK and result.counts.created > 0, lines
    [row] = ps.erp('SELECT "CT_Num", "CT_EMail" FROM "F_COMPTET" WHERE "CT_Num" = \'AUBERGE\'')
    [account] = ps.shop("customers", **{"filter[email]": f"[{row['CT_EMail']}]"})
    addresses = ps.shop("addresses", **{"filter[id_customer]": f"[{account['id']}]"})
    assert [a["alias"] for a in addresses] == ["Facturation"] and addresses[0][
        "vat_number"
    ] == "FR14698548831"
    ps.erp('UPDATE "F_COMPTET" SET "CT_CodePostal" = \'84000\' WHERE "CT_Num" = \'AUBERGE\'')
    changed, lines = await ps.run(JobName.EXPORT_CUSTOMERS)
    assert changed.counts.updated == 1, lines
    after = {a["alias"]: a for a in ps.shop("addresses", **{"filter[id_customer]": f"[{account['id']}]"})}
    moved = after["Facturation"]
    assert moved["id"] == addresses[0]["id"] and moved["postcode"] == "84000", "replaced in place"
    assert after["Livraison"]["postcode"] == "84410", "the ERP's delivery address is now another place"


@pytest.mark.parametrize("round_type", ["1", "2", "3"])
async def test_random_orders_go_in_to_the_cent_whatever_the_rounding_type(
    ps: PsHarness, round_type: str
) -> None:
    """Ordinary prices (random cents), random quantities, the 10 % coupon, shipping or pick-up, in
    each of PrestaShop's rounding types: every order is imported and the ERP total is the shop's."""
    chance = random.Random(int(round_type) * 7919)
    for reference in sorted(a.reference for a in ps.articles()):
        price = Decimal(chance.randint(150, 9_999)) / 100
        ps.erp(f'UPDATE "F_ARTICLE" SET "AR_PrixVen" = {price} WHERE "AR_Ref" = :r', r=reference)
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    ps.sandbox.server.configure(PS_ROUND_TYPE=round_type)
    skus = sorted(c["reference"] for c in ps.shop("combinations")) + sorted(
        p["reference"] for p in ps.shop("products") if p["product_type"] != "combinations"
    )
    skus.remove(GIFT_CARD_SKU)
    client = ps.sandbox.client
    buyers = [client.customer(f"client{i}@example.fr", "Client", f"Numéro{'abcdef'[i]}") for i in range(6)]
    totals: dict[str, Decimal] = {}
    for _ in range(25):
        lines_ = [(sku, chance.randint(1, 5)) for sku in chance.sample(skus, chance.randint(1, 4))]
        placed = client.place(
            chance.choice(buyers),
            lines_,
            2,
            carrier=chance.choice([1, 2]),
            cart_rules=["BIENVENUE10"] if chance.random() < 0.4 else [],
        )
        totals[str(placed["id"])] = Decimal(str(placed["total_paid"])).quantize(Decimal("0.01"))
    imported, lines = await ps.run(JobName.IMPORT_ORDERS)
    failed = [line for line in lines if "échec" in line]
    assert (imported.counts.created, imported.counts.failed) == (len(totals), 0), failed
    headers = ps.erp('SELECT "DO_NoWeb", "DO_TotalTTC" FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')
    assert {
        h["DO_NoWeb"]: Decimal(str(h["DO_TotalTTC"])).quantize(Decimal("0.01")) for h in headers
    } == totals


async def test_statuses_follow_the_erp_document_on_prestashop(ps: PsHarness) -> None:
    """Each stage of an order's ERP document becomes one order history (PrestaShop's state ids)
    and one private message naming the document, once; a stage told already is not told again."""
    placed = await _orders(ps)
    order = next(p for p in placed if p.expect_imported and p.status == "2")
    result, lines = await ps.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ITEMS_FAILED, lines  # the demo's refused order, as above
    raw = (ps.workdir / "profile.toml").read_text(encoding="utf-8")
    (ps.workdir / "profile.toml").write_text(
        raw + '\n[statuses.map]\norder = "3"\ndelivery_note = "4"\n', encoding="utf-8"
    )
    ps.profile = load_profile(ps.workdir / "profile.toml")
    [header] = ps.erp('SELECT "DO_Piece" FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o', o=order.shop_id)
    number = header["DO_Piece"].strip()

    result, lines = await ps.run(JobName.UPDATE_ORDER_STATUSES)
    assert result.status is RunStatus.OK, lines
    assert any(f"#{order.shop_id} :" in line and "statut 3" in line for line in lines), lines
    erp = Sage100Erp(ps.company_url)
    try:
        delivery = transform_document(erp, number, DocumentType.ORDER, DocumentType.DELIVERY_NOTE)
    finally:
        erp.close()
    moved, lines = await ps.run(JobName.UPDATE_ORDER_STATUSES)
    assert moved.counts.updated == 1, lines
    histories = ps.shop("order_histories", **{"filter[id_order]": f"[{order.shop_id}]"})
    states = [h["id_order_state"] for h in sorted(histories, key=lambda h: int(h["id"]))]
    assert states[-2:] == ["3", "4"]
    [current] = ps.shop("orders", **{"filter[id]": f"[{order.shop_id}]"})
    assert current["current_state"] == "4"
    notes = [m["message"] for m in ps.shop("messages", **{"filter[id_order]": f"[{order.shop_id}]"})]
    assert notes.count(f"Gestion commerciale : bon de commande {number}") == 1
    assert notes.count(f"Gestion commerciale : bon de livraison {delivery}") == 1
    again, lines = await ps.run(JobName.UPDATE_ORDER_STATUSES)
    assert again.counts.updated == 0, lines
    refused, lines = await ps.run(JobName.SEND_INVOICES)
    assert refused.status is RunStatus.ABORTED
    assert any("la plateforme prestashop ne le permet pas (attachments)" in line for line in lines), lines


PS_TRICKY = {
    # 3 × HUILE-NYONS-50 (14.50, 5.5 %) and 1 × MIEL-LAVANDE (7.80, 5.5 %), picked up in store.
    # per item: 14.50 × 1.055 = 15.2975 → 15.30, × 3 = 45.90; 7.80 × 1.055 = 8.229 → 8.23: 54.13
    "1": ([("HUILE-NYONS-50", "3", "15.30"), ("MIEL-LAVANDE", "1", "8.23")], "51.31", "54.13"),
    # per line: 43.50 × 1.055 = 45.8925 → 45.89 (15.296667 a unit); 8.23: 54.12
    "2": ([("HUILE-NYONS-50", "3", "15.30"), ("MIEL-LAVANDE", "1", "8.23")], "51.30", "54.12"),
    # on the total: 51.30 × 1.055 = 54.1215 → 54.12, the rows 45.89 and 8.23 as per line
    "3": ([("HUILE-NYONS-50", "3", "15.30"), ("MIEL-LAVANDE", "1", "8.23")], "51.30", "54.12"),
}


@pytest.mark.parametrize("round_type", sorted(PS_TRICKY))
async def test_tricky_order_in_each_prestashop_rounding_type(ps: PsHarness, round_type: str) -> None:
    """The same order under PrestaShop's three rounding types, with the ERP's lines (amounts with
    tax, ``DL_TTC``) and totals worked out by hand: 54.12 × 100 / 105.5 = 51.298… → 51.30 net."""
    lines, net, gross = PS_TRICKY[round_type]
    result, journal = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, journal
    ps.sandbox.server.configure(PS_ROUND_TYPE=round_type)
    client = ps.sandbox.client
    buyer = client.customer("tricky@exemple.fr", "Client", "Exact")
    placed = client.place(buyer, [("HUILE-NYONS-50", 3), ("MIEL-LAVANDE", 1)], 2, carrier=1)
    [order] = ps.shop("orders", **{"filter[id]": f"[{placed['id']}]"})
    assert Decimal(order["total_paid_tax_incl"]).quantize(Decimal("0.01")) == Decimal(gross)

    result, journal = await ps.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (1, 0), journal
    [header] = ps.erp('SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o', o=str(placed["id"]))
    rows = ps.erp(
        'SELECT "AR_Ref", "DL_Qte", "DL_PUTTC", "DL_MontantTTC" FROM "F_DOCLIGNE" WHERE "DO_Piece" = :p '
        'AND "DO_Type" = :t ORDER BY "DL_Ligne"',
        p=header["DO_Piece"],
        t=header["DO_Type"],
    )
    found = [
        (
            r["AR_Ref"].strip(),
            f"{Decimal(str(r['DL_Qte'])).normalize():f}",
            f"{Decimal(str(r['DL_PUTTC'])):.2f}",
        )
        for r in rows
    ]
    assert found == lines
    assert sum(Decimal(str(r["DL_MontantTTC"])) for r in rows).quantize(Decimal("0.01")) == Decimal(gross)
    assert Decimal(str(header["DO_TotalHTNet"])).quantize(Decimal("0.01")) == Decimal(net)
    assert Decimal(str(header["DO_TotalTTC"])).quantize(Decimal("0.01")) == Decimal(gross)
