"""Orders refused for a cent: figures before and after carrying rounding differences (not speed).

For each way the shop can price — without tax (WooCommerce's default), then with tax — builds
the small demo company with ordinary prices (random cents, seeded), starts the sandbox shop,
exports the catalog and places N random ordinary orders (``demo.shop.place_random_orders``),
then imports them through the real job:

1. before: the orders whose document with net lines (what comptoir wrote before, tax computed
   per code) differs from the shop's total (tax rounded per line) — each was refused by the
   default profile;
2. a dry run with ``orders.rounding = "refuse"``: what a profile refusing rounding differences
   refuses now (orders whose shop prices include tax are written with tax-inclusive lines);
3. the import with the default profile: orders refused, orders whose rounding was carried, and
   a check that every document's ``DO_TotalTTC`` equals the shop's total.

Usage:
    python benchmarks/order_rounding.py [--orders 1000] [--seed 2026] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import create_engine, text

from comptoir.demo.company import build_company
from comptoir.demo.runner import KEY_VARIABLE, SECRET_VARIABLE, demo_profile
from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.order_document import build_document
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.journal import MemorySink
from comptoir.model import DocumentType
from comptoir.profile import Profile, load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.sandbox.woocommerce.demo_shop import DemoShopClient, place_random_orders, set_up_shop

ADJUSTED = "arrondi de la boutique reporté"


def reprice(company_url: str, seed: int) -> None:
    """Ordinary shop prices (12.49, 7.95…) instead of the demo's round ones."""
    chance = random.Random(seed)
    engine = create_engine(company_url)
    with engine.begin() as conn:
        references = sorted(r for (r,) in conn.execute(text('SELECT "AR_Ref" FROM "F_ARTICLE"')))
        for reference in references:
            price = Decimal(chance.randint(150, 9_999)) / 100
            conn.execute(
                text(f'UPDATE "F_ARTICLE" SET "AR_PrixVen" = {price} WHERE "AR_Ref" = :r'), {"r": reference}
            )
    engine.dispose()


def write_profile(workdir: Path, server: SandboxServer, **sections: dict[str, Any]) -> Profile:
    assert server.ca_file is not None
    data = demo_profile(workdir, server.url, Path(server.ca_file))
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return load_profile(workdir / "profile.toml")


async def run(profile: Profile, job: JobName, **options: Any) -> tuple[JobResult, list[str]]:
    sink = MemorySink()
    async with connect(profile) as connections:
        result = await run_job(profile, job, connections, sinks=[sink], **options)
    return result, sink.texts()


def stored_totals(company_url: str) -> dict[str, Decimal]:
    engine = create_engine(company_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text('SELECT "DO_NoWeb", "DO_TotalTTC" FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')
        )
        found = {str(n): Decimal(str(t)).quantize(Decimal("0.01")) for n, t in rows}
    engine.dispose()
    return found


async def net_line_differences(profile: Profile) -> int:
    """Orders whose document with net lines differs from the shop's total (comptoir before)."""
    options = profile.orders
    async with connect(profile) as connections:
        orders = await connections.shop.list_orders(list(options.statuses))
        references = {line.sku for o in orders for line in o.lines}
        references |= {options.shipping_article, options.packaging_article, options.miscellaneous_article}
        articles = connections.erp.find_articles(references | set(options.discount_articles.values()))
        rates = {t.code: t.rate for t in connections.erp.read_tax_rates()}
    differing = 0
    for order in orders:
        document = build_document(
            order,
            document_type=DocumentType.ORDER,
            customer_code="WEBINVITE",
            articles=articles,
            options=options,
            rates=rates,
        )
        differing += document.totals().gross != order.total
    return differing


async def one_setting(workdir: Path, orders: int, seed: int, inclusive: bool) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    company_url = f"sqlite:///{(workdir / 'company.sqlite').as_posix()}"
    build_company(company_url, scale="small")
    reprice(company_url, seed)
    with SandboxServer(workdir / "shop.sqlite") as server:
        assert server.ca_file is not None
        write_secrets_file(
            workdir / "secrets.env",
            {KEY_VARIABLE: server.consumer_key, SECRET_VARIABLE: server.consumer_secret},
        )
        client = DemoShopClient(server.url, server.consumer_key, server.consumer_secret, Path(server.ca_file))
        set_up_shop(client)
        if inclusive:
            client.post("settings/tax/woocommerce_prices_include_tax", {"value": "yes"})
        profile = write_profile(workdir, server, prices={"include_tax": inclusive})
        for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
            await run(profile, job)
        erp = Sage100Erp(company_url)
        skus = sorted(a.reference for a in erp.read_articles() if a.published and not a.dormant)
        erp.close()
        products = client.get("products", sku=",".join(skus), per_page=100)
        start = time.perf_counter()
        placed = place_random_orders(client, products, orders, seed)
        client.close()
        placing = time.perf_counter() - start

        refusing = write_profile(
            workdir, server, prices={"include_tax": inclusive}, orders={"rounding": "refuse"}
        )
        _, lines = await run(refusing, JobName.IMPORT_ORDERS, dry_run=True)
        refuse_mode = sum(1 for line in lines if "écart de total" in line)
        before = await net_line_differences(profile)

        start = time.perf_counter()
        result, lines = await run(profile, JobName.IMPORT_ORDERS)
        importing = time.perf_counter() - start
        adjusted = sum(1 for line in lines if ADJUSTED in line)
        matching = stored_totals(company_url) == placed
    label = "with tax" if inclusive else "without tax"
    print(
        f"{label:<12} {orders:>6} {before:>6} ({before / orders:6.1%}) {refuse_mode:>12} "
        f"{result.counts.failed:>8} {adjusted:>9} {'yes' if matching else 'NO':>17}"
    )
    print(f"{'':<12} placed in {placing:.1f} s, imported in {importing:.1f} s")


async def main(workdir: Path, orders: int, seed: int) -> None:
    print(
        f"{'shop prices':<12} {'orders':>6} {'refused before':>16} {'refuse mode':>12} "
        f"{'refused':>8} {'adjusted':>9} {'ERP = shop total':>17}"
    )
    for inclusive in (False, True):
        await one_setting(workdir / ("with-tax" if inclusive else "without-tax"), orders, seed, inclusive)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.workdir:
        asyncio.run(main(args.workdir, args.orders, args.seed))
    else:
        with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
            asyncio.run(main(Path(folder), args.orders, args.seed))
