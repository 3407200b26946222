"""Importing 1,000 orders into the reference company through the real job, over a slow shop.

Builds the reference demo company (~15,000 articles), starts the sandbox shop, exports the
catalog and the customers (without latency: setting up is not measured), places N orders of
about three lines (half from customers the ERP already knows, half from new web customers and
guests, some paid by cheque so that their payments are recorded), then sets the sandbox's
latency per request and runs ``import-orders``. Prints:

- seconds, shop requests, orders imported and failed;
- ERP queries per order (every SQL statement the Sage adapter sent, counted with a SQLAlchemy
  event), split into lookups (articles, customers, documents, tax rates: set-wise, a fixed
  handful per run) and writes (each order's document, customer, payment);
- the naive baseline of the lookups: one customer lookup by e-mail and one by code per order,
  as the import did before, measured on the same company;
- the documents whose total differs from the shop's (0 expected).

Usage:
    python benchmarks/orders_import.py [--orders 1000] [--latency-ms 50] [--seed 2026] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from comptoir.demo.company import build_company
from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, connect, run_job
from comptoir.journal import MemorySink
from comptoir.profile import load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.sandbox.woocommerce.demo_shop import DemoShopClient, demo_profile_options, set_up_shop
from comptoir.sandbox.woocommerce.running import RunningWooSandbox

WRITES = ("INSERT", "UPDATE", "DELETE")


class QueryCounter:
    """Counts the SQL statements sent to one database file, by kind (reads and writes)."""

    def __init__(self, database: Path) -> None:
        self.database = str(database)
        self.counts: Counter[str] = Counter()
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if str(conn.engine.url.database or "") != self.database:
            return
        verb = statement.lstrip().split(None, 1)[0].upper()
        self.counts["write" if verb in WRITES else "read"] += 1

    def reset(self) -> None:
        self.counts.clear()

    def close(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._seen)


def place_orders(client: DemoShopClient, count: int, seed: int) -> dict[str, Decimal]:
    """``count`` orders of ~3 lines, half from known customers; the shop's totals by order id."""
    chance = random.Random(seed)
    products = []
    page = 1
    while len(products) < 400:
        batch = client.get("products", per_page=100, page=page, type="simple", status="publish")
        if not batch:
            break
        products += [p for p in batch if p.get("sku") and p.get("price")]
        page += 1
    customers = [c for c in client.get("customers", per_page=100, role="all") if c.get("email")]
    orders: list[dict[str, Any]] = []
    for number in range(count):
        lines = [
            {"product_id": p["id"], "quantity": chance.randint(1, 4)}
            for p in chance.sample(products, chance.choice((2, 3, 3, 4)))
        ]
        body: dict[str, Any] = {
            "line_items": lines,
            "status": "processing",
            "payment_method": chance.choice(("cheque", "cod", "bacs")),
            "set_paid": True,
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Colissimo", "total": "6.90"}],
        }
        if number % 2 == 0 and customers:
            known = chance.choice(customers)
            body |= {"customer_id": known["id"], "billing": {**known["billing"], "email": known["email"]}}
        else:
            body["billing"] = {
                "first_name": "Client",
                "last_name": f"Web{number}",
                "address_1": f"{number} rue du Commerce",
                "postcode": "69002",
                "city": "Lyon",
                "country": "FR",
                "email": f"web{number}@exemple.fr",
            }
        orders.append(body)
    totals: dict[str, Decimal] = {}
    for start in range(0, len(orders), 100):
        created = client.post("orders/batch", {"create": orders[start : start + 100]})
        for order in created["create"]:
            assert "error" not in order, order
            totals[str(order["id"])] = Decimal(order["total"])
    return totals


def stored_totals(company_url: str) -> dict[str, Decimal]:
    engine = create_engine(company_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text('SELECT "DO_NoWeb", "DO_TotalTTC" FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')
        )
        found = {str(n).strip(): Decimal(str(t)).quantize(Decimal("0.01")) for n, t in rows}
    engine.dispose()
    return found


async def main(workdir: Path, count: int, latency_ms: int, seed: int) -> None:
    company = workdir / "company.sqlite"
    company_url = f"sqlite:///{company.as_posix()}"
    if not company.exists():
        start = time.perf_counter()
        facts = build_company(company_url, scale="reference")
        print(f"reference company: {facts.articles} articles built in {time.perf_counter() - start:.1f} s")
    with SandboxServer(workdir / "shop.sqlite") as server:
        assert server.ca_file is not None
        sandbox = RunningWooSandbox(server)
        write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
        data = demo_profile(
            workdir, erp_platform("sage100").demo(workdir, "reference"), sandbox, demo_profile_options()
        )
        (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        profile = load_profile(workdir / "profile.toml")
        client = DemoShopClient(server.url, server.consumer_key, server.consumer_secret, Path(server.ca_file))
        set_up_shop(client)
        start = time.perf_counter()
        for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
            async with connect(profile) as connections:
                await run_job(profile, job, connections)
        placed = place_orders(client, count, seed)
        client.close()
        print(f"catalog, customers and {len(placed)} orders set up in {time.perf_counter() - start:.1f} s")

        server.faults.latency(latency_ms)
        counter = QueryCounter(company)
        before = server.stats.requests
        sink = MemorySink()
        start = time.perf_counter()
        async with connect(profile) as connections:
            result = await run_job(profile, JobName.IMPORT_ORDERS, connections, sinks=[sink])
        seconds = time.perf_counter() - start
        requests = server.stats.requests - before
        queries = dict(counter.counts)
        counter.close()

    imported = result.counts.created
    totals = stored_totals(company_url)
    differing = sum(1 for shop_id, total in placed.items() if shop_id in totals and totals[shop_id] != total)
    reads, writes = queries.get("read", 0), queries.get("write", 0)
    print(f"\nsandbox latency {latency_ms} ms per request; {count} orders, about 3 lines each\n")
    print(
        f"import-orders: {seconds:.1f} s, {requests} shop requests, {imported} imported, "
        f"{result.counts.failed} failed"
    )
    print(
        f"ERP statements: {reads} reads, {writes} writes; "
        f"per order: {reads / count:.2f} reads, {writes / count:.2f} writes"
    )
    print(f"documents whose total differs from the shop's: {differing}")
    if result.counts.failed:
        for line in sink.texts():
            if "en échec" in line:
                print("  ", line)
                break

    erp = Sage100Erp(company_url)
    counter = QueryCounter(company)
    emails = [f"web{n}@exemple.fr" for n in range(count)]
    for email in emails:
        erp.find_customer_by_email(email)
        erp.find_customer(f"WEB{email[3:-11]:0>6}")
    naive = counter.counts["read"]
    counter.reset()
    erp.find_customers_by_email(emails)
    erp.find_customers([f"WEB{n:0>6}" for n in range(count)])
    grouped = counter.counts["read"]
    counter.close()
    erp.close()
    print(
        f"customer lookups for {count} orders: {naive} statements one order at a time, {grouped} set-wise "
        f"({naive / max(grouped, 1):.0f}x fewer)"
    )
    print(
        f"target: {count} orders in 30 s or less -> {'met' if seconds <= 30 else 'NOT met'} ({seconds:.1f} s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(args.workdir, args.orders, args.latency_ms, args.seed))
    else:
        with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
            asyncio.run(main(Path(folder), args.orders, args.latency_ms, args.seed))
