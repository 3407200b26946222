"""B2B end to end on PrestaShop: groups from price categories, customers in their group, group and
customer prices as ``specific_prices`` (quantity breaks, exception prices, a central's member),
only changes written again, stale prices removed — and an order placed in the sandbox paying
them, as PrestaShop computes it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from test_prestashop_jobs import PsHarness

from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.profile import load_profile

D = Decimal


@pytest.fixture
def ps(tmp_path: Path) -> Iterator[PsHarness]:
    made = PsHarness(tmp_path)
    data = tomllib.loads((tmp_path / "profile.toml").read_text(encoding="utf-8"))
    data["prices"] = {"specific_prices": True}
    (tmp_path / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    made.profile = load_profile(tmp_path / "profile.toml")
    yield made
    made.demo.close()
    made.sandbox.stop()


def ids(ps: PsHarness) -> dict[str, tuple[str, str]]:
    """Reference → (id_product, id_product_attribute)."""
    found = {p["reference"]: (str(p["id"]), "0") for p in ps.shop("products")}
    for c in ps.shop("combinations"):
        found[c["reference"]] = (str(c["id_product"]), str(c["id"]))
    return found


def customers(ps: PsHarness) -> dict[str, dict[str, Any]]:
    """ERP code → the shop's customer."""
    erp = Sage100Erp(ps.company_url)
    try:
        emails = {c.email.lower(): c.code for c in erp.read_customers() if c.email}
    finally:
        erp.close()
    return {emails[c["email"].lower()]: c for c in ps.shop("customers") if c["email"].lower() in emails}


def prices(ps: PsHarness, item: tuple[str, str]) -> dict[tuple[str, str, str], D]:
    """(id_group, id_customer, from_quantity) → price of the item's specific prices."""
    rows = ps.shop("specific_prices", **{"filter[id_product]": f"[{item[0]}]"})
    return {
        (r["id_group"], r["id_customer"], r["from_quantity"]): D(r["price"])
        for r in rows
        if r["id_product_attribute"] == item[1]
    }


async def test_groups_and_specific_prices_on_prestashop(ps: PsHarness) -> None:
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS, JobName.UPDATE_PRICES):
        result, lines = await ps.run(job)
        assert result.status is RunStatus.OK, lines
    groups = {}
    for group in ps.shop("groups"):
        names = group["name"] if isinstance(group["name"], list) else [{"value": group["name"]}]
        for name in names:
            groups[name["value"]] = str(group["id"])
    wholesale, retail = groups["Grossistes"], groups["Détaillants"]
    people = customers(ps)
    assert people["HOTELCASSIS"]["id_default_group"] == wholesale
    assert people["MARTINJ"]["id_default_group"] == retail
    assert {g["id"] for g in people["HOTELCASSIS"]["associations"]["groups"]} >= {wholesale}

    items = ids(ps)
    hotel, caveau = people["HOTELCASSIS"]["id"], people["CAVEAUNIMES"]["id"]
    tavel = prices(ps, items["VIN-TAVEL-ROSE"])
    # Grossistes: 10.63 less the family's 5 % → 10.10; the hotel's exception price 9.90.
    assert tavel == {(wholesale, "0", "1"): D("10.10"), ("0", str(hotel), "1"): D("9.90")}
    oil = prices(ps, items["HUILE-NYONS-50"])
    assert oil[(retail, "0", "6")] == D("13.80") and oil[(retail, "0", "12")] == D("12.90")
    # The central's member: its own 4.70 for the tea.
    tea = prices(ps, items["THE-VERT-MENTHE"])
    assert tea[("0", str(caveau), "1")] == D("4.70")

    # PrestaShop charges them: the hotel orders 3 bottles of Tavel at 9.90 without tax.
    placed = ps.sandbox.client.place((int(hotel), _address(ps, int(hotel))), [("VIN-TAVEL-ROSE", 3)], 2)
    [order] = ps.shop("orders", **{"filter[id]": f"[{placed['id']}]"})
    assert D(order["total_products"]) == D("29.70")

    writes = ps.writes()
    again, lines = await ps.run(JobName.UPDATE_PRICES)
    assert again.counts.created == again.counts.updated == 0, lines
    assert ps.writes() == writes
    dry, lines = await ps.run(JobName.UPDATE_PRICES, dry_run=True)
    assert dry.status is RunStatus.OK and not any("seraient" in line for line in lines), lines

    # The exception price removed in Sage: the hotel's specific price leaves the shop.
    ps.erp("DELETE FROM F_ARTCLIENT WHERE CT_Num = 'HOTELCASSIS' AND AR_Ref = 'VIN-TAVEL-ROSE'")
    changed, lines = await ps.run(JobName.UPDATE_PRICES)
    assert changed.status is RunStatus.OK, lines
    assert prices(ps, items["VIN-TAVEL-ROSE"]) == {(wholesale, "0", "1"): D("10.10")}
    assert any("client HOTELCASSIS : 0 fixé(s), 1 retiré(s)" in line for line in lines), lines


def _address(ps: PsHarness, customer: int) -> int:
    """The customer's address (exported customers have their billing address)."""
    found = ps.shop("addresses", **{"filter[id_customer]": f"[{customer}]"})
    return int(found[0]["id"])
