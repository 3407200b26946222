"""A table of tricky orders, end to end: each placed in the sandbox shop (WooCommerce, prices
without tax, tax rounded per line) and imported into the Sage demo company, with the ERP lines
and totals worked out by hand in the table.

Demo prices (without tax): HUILE-NYONS-50 14.50 and MIEL-LAVANDE 7.80 at 5.5 % (C05),
VIN-CDR-BLANC 9.40 and SAVON-MARSEILLE 4.50 at 20 % (C20); the coupon BIENVENUE10 takes 10 %;
CARTE-CADEAU-25 (25.00, standard rate) exists in the shop only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.sandbox.woocommerce.demo_shop import COUPON, GIFT_CARD_SKU, WEB_CUSTOMER_EMAIL

D = Decimal


@dataclass(frozen=True)
class Tricky:
    name: str
    lines: list[tuple[str, int]]
    extra: dict[str, Any]
    guest: bool
    erp_lines: list[tuple[str, str, str, str]]
    """(reference, quantity, unit price, tax code) as the ERP holds them (``DL_TTC`` lines carry
    their price with tax)."""
    shipping: str
    """``DO_ValFrais``."""
    net: str
    gross: str
    customer: str = ""
    """The document's customer, when the table says which."""


SHIPPING = {"shipping_lines": [{"method_id": "flat_rate", "method_title": "Colissimo", "total": "6.90"}]}

TABLE = [
    Tricky(
        # 29.00 - 2.90 = 26.10 at 5.5 % → 1.4355 → 1.44; 28.20 - 2.82 = 25.38 at 20 % → 5.08;
        # shipping 6.90 + 1.38. Per code: C05 26.10 → 1.44, C20 25.38 + 6.90 = 32.28 → 6.46 = 5.08 + 1.38:
        # no rounding difference, net lines, one discount line per code. 58.38 + 7.90 = 66.28.
        "coupon over two rates, shipping in the footer",
        [("HUILE-NYONS-50", 2), ("VIN-CDR-BLANC", 3)],
        {"coupon_lines": [{"code": COUPON}], **SHIPPING},
        False,
        [
            ("HUILE-NYONS-50", "2", "14.50", "C05"),
            ("VIN-CDR-BLANC", "3", "9.40", "C20"),
            ("REMISE055", "1", "-2.90", "C05"),
            ("REMISE20", "1", "-2.82", "C20"),
        ],
        "6.90",
        "58.38",
        "66.28",
    ),
    Tricky(
        # The shop rounds each line's tax: 29.00 → 1.595 → 1.60, 7.80 → 0.429 → 0.43, total 38.83;
        # the ERP rounds the code's: 36.80 → 2.024 → 2.02 (38.82). Carried as the shop's amounts
        # with tax (line_amounts): 30.60 / 2 = 15.30 and 8.23; the ERP derives 38.83 / 1.055 = 36.81.
        "rounding per line carried as amounts with tax",
        [("HUILE-NYONS-50", 2), ("MIEL-LAVANDE", 1)],
        {},
        False,
        [("HUILE-NYONS-50", "2", "15.30", "C05"), ("MIEL-LAVANDE", "1", "8.23", "C05")],
        "0",
        "36.81",
        "38.83",
    ),
    Tricky(
        # Unknown in the ERP: the miscellaneous article with the shop's label and price; gift
        # wrapping (a fee) on the packaging article. 25.00 + 3.50 at 20 % = 28.50 → 5.70.
        "unknown reference on the miscellaneous article, gift wrapping fee",
        [(GIFT_CARD_SKU, 1)],
        {"fee_lines": [{"name": "Emballage cadeau", "total": "3.50", "tax_class": ""}]},
        False,
        [("DIVERS", "1", "25.00", "C20"), ("EMBALLAGE", "1", "3.50", "C20")],
        "0",
        "28.50",
        "34.20",
    ),
    Tricky(
        # A guest: the guest account. 4 × 4.50 = 18.00 at 20 % → 3.60; shipping 6.90 + 1.38.
        "guest order on the guest account",
        [("SAVON-MARSEILLE", 4)],
        SHIPPING,
        True,
        [("SAVON-MARSEILLE", "4", "4.50", "C20")],
        "6.90",
        "24.90",
        "29.88",
        "WEBINVITE",
    ),
]


def erp_rows(harness: Harness, sql: str, **params: object) -> list[dict[str, Any]]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text(sql), params).mappings()]
    engine.dispose()
    return rows


def place(harness: Harness, case: Tricky) -> str:
    items = []
    for sku, quantity in case.lines:
        [product] = harness.client.get("products", sku=sku)
        items.append({"product_id": product["id"], "quantity": quantity})
    body: dict[str, Any] = {
        "line_items": items,
        "status": "processing",
        "payment_method": "cod",
        **case.extra,
    }
    if case.guest:
        body["billing"] = {
            "first_name": "Paul",
            "last_name": "Passant",
            "email": "passant@exemple.fr",
            "address_1": "2 rue Haute",
            "postcode": "30000",
            "city": "Nîmes",
            "country": "FR",
        }
    else:
        [customer] = harness.client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")
        body |= {
            "customer_id": customer["id"],
            "billing": {**customer["billing"], "email": WEB_CUSTOMER_EMAIL},
        }
    return str(harness.client.post("orders", body)["id"])


@pytest.mark.parametrize("case", TABLE, ids=[c.name for c in TABLE])
async def test_tricky_order(harness: Harness, case: Tricky) -> None:
    harness.write_profile(orders={"unknown_reference": "miscellaneous"})
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    shop_id = place(harness, case)
    shop_total = D(harness.client.get(f"orders/{shop_id}")["total"])
    assert shop_total == D(case.gross), "the table's total is the shop's"

    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (1, 0), lines
    [header] = erp_rows(harness, 'SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o', o=shop_id)
    rows = erp_rows(
        harness,
        'SELECT "AR_Ref", "DL_Qte", "DL_PrixUnitaire", "DL_PUTTC", "DL_TTC", "DL_CodeTaxe1" '
        'FROM "F_DOCLIGNE" WHERE "DO_Piece" = :p AND "DO_Type" = :t ORDER BY "DL_Ligne"',
        p=header["DO_Piece"],
        t=header["DO_Type"],
    )
    found = [
        (
            r["AR_Ref"].strip(),
            f"{D(str(r['DL_Qte'])).normalize():f}",
            f"{D(str(r['DL_PUTTC'] if r['DL_TTC'] else r['DL_PrixUnitaire'])).quantize(D('0.01')):f}",
            r["DL_CodeTaxe1"].strip(),
        )
        for r in rows
    ]
    assert found == case.erp_lines
    assert D(str(header["DO_ValFrais"])).quantize(D("0.01")) == D(case.shipping).quantize(D("0.01"))
    assert D(str(header["DO_TotalHTNet"])).quantize(D("0.01")) == D(case.net)
    assert D(str(header["DO_TotalTTC"])).quantize(D("0.01")) == D(case.gross) == shop_total
    if case.customer:
        assert header["DO_Tiers"].strip() == case.customer
