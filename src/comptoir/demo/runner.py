"""``comptoir demo``: the demo company synced with a sandbox WooCommerce, end to end.

In a work folder: build the demo company (once), start the sandbox shop on its own SQLite
file (so a second run finds everything it left), write a demo profile and its secrets file,
run export products → update prices → update stock → export customers, place orders in the
shop (once), import them, run update stock and export customers again (as a schedule would, so
the new orders' reservations and customers reach the shop), and report both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w
from sqlalchemy import column, create_engine, func, select, table

from comptoir.demo.company import build_company
from comptoir.demo.shop import (
    SHOP_TAX_CODES,
    TAX_CLASSES,
    DemoShopClient,
    PlacedOrder,
    place_orders,
    set_up_shop,
)
from comptoir.erp.base import ErpSummary
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.journal import Sink
from comptoir.profile import Profile, load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.shop.base import ShopSummary

Scale = Literal["small", "reference"]
SYNC_JOBS = (JobName.EXPORT_PRODUCTS, JobName.UPDATE_PRICES, JobName.UPDATE_STOCK, JobName.EXPORT_CUSTOMERS)
AFTER_IMPORT_JOBS = (JobName.UPDATE_STOCK, JobName.EXPORT_CUSTOMERS)
"""What a schedule runs next: stock reserved by the new orders, customers created from them."""
KEY_VARIABLE = "COMPTOIR_DEMO_SHOP_KEY"
SECRET_VARIABLE = "COMPTOIR_DEMO_SHOP_SECRET"


@dataclass
class DemoReport:
    """What the demo did and what both sides hold afterwards."""

    erp: ErpSummary
    shop: ShopSummary
    orders_imported: int
    orders_failed: int
    duplicates: int
    jobs: list[JobResult] = field(default_factory=list)
    placed: list[PlacedOrder] = field(default_factory=list)
    workdir: Path = Path()

    def as_json(self) -> dict[str, Any]:
        return {
            "erp": {
                "articles": self.erp.articles,
                "customers": self.erp.customers,
                "documents": self.erp.documents,
            },
            "shop": {
                "products": self.shop.products,
                "customers": self.shop.customers,
                "orders": self.shop.orders,
            },
            "orders_imported": self.orders_imported,
            "orders_failed": self.orders_failed,
            "duplicates": self.duplicates,
            "jobs": [{"job": r.job.value, "status": r.status.value, **r.counts.as_dict()} for r in self.jobs],
            "orders_placed": len(self.placed),
            "workdir": str(self.workdir),
        }


def demo_profile(workdir: Path, url: str, ca_file: Path) -> dict[str, Any]:
    """The demo profile: the demo company, the sandbox shop, the demo's tax and article settings."""
    return {
        "name": "demo",
        "language": "fr",
        "secrets_file": "secrets.env",
        "erp": {"kind": "sage100", "url": "sqlite:///company.sqlite", "user_code": "DEMO"},
        "shop": {
            "kind": "woocommerce",
            "url": url,
            "consumer_key": f"env:{KEY_VARIABLE}",
            "consumer_secret": f"env:{SECRET_VARIABLE}",
            "http": {"ca_file": _relative(ca_file, workdir), "request_delay_ms": 0},
        },
        "products": {
            "tax_classes": TAX_CLASSES,
            "master_field": "Référence mère",
            "attribute_fields": [
                ["Attribut 1", "Valeur 1"],
                ["Attribut 2", "Valeur 2"],
                ["Attribut 3", "Valeur 3"],
            ],
        },
        "stock": {"quantity": "available"},
        "orders": {
            "statuses": {"processing": "order", "on-hold": "quote"},
            "miscellaneous_article": "DIVERS",
            "shipping_article": "PORT",
            "packaging_article": "EMBALLAGE",
            "discount_articles": {"C20": "REMISE20", "C10": "REMISE10", "C05": "REMISE055"},
            "tax_codes": SHOP_TAX_CODES,
            "payment_methods": {
                "bacs": {"mode": 2, "journal": "BQ1", "create_payment": True},
                "cheque": {"mode": 1, "journal": "BQ1", "create_payment": True},
                "cod": {"mode": 4},
            },
        },
    }


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def count_duplicates(company_url: str) -> int:
    """ERP documents beyond the first for one shop order id (must always be 0)."""
    engine = create_engine(company_url)
    header = table("F_DOCENTETE", column("DO_NoWeb"))
    per_order = (
        select(header.c.DO_NoWeb, func.count().label("n"))
        .where(header.c.DO_NoWeb.is_not(None), header.c.DO_NoWeb != "")
        .group_by(header.c.DO_NoWeb)
        .subquery()
    )
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.sum(per_order.c.n - 1), 0))).scalar_one())
    finally:
        engine.dispose()


async def run_demo(workdir: Path, *, scale: Scale = "small", sinks: Sequence[Sink] = ()) -> DemoReport:
    """Run the whole demo in ``workdir`` (created if needed); a second run changes nothing."""
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    company = workdir / "company.sqlite"
    if not company.exists():
        build_company(f"sqlite:///{company.as_posix()}", scale=scale)
    with SandboxServer(workdir / "shop.sqlite") as server:
        assert server.ca_file is not None, "the sandbox serves HTTPS"
        ca_file = server.ca_file
        write_secrets_file(
            workdir / "secrets.env",
            {KEY_VARIABLE: server.consumer_key, SECRET_VARIABLE: server.consumer_secret},
        )
        profile_path = workdir / "profile.toml"
        profile_path.write_text(
            "# Demo profile written by `comptoir demo`; the shop address changes at every run.\n"
            + tomli_w.dumps(demo_profile(workdir, server.url, ca_file)),
            encoding="utf-8",
        )
        profile = load_profile(profile_path)
        client = DemoShopClient(server.url, server.consumer_key, server.consumer_secret, ca_file)
        try:
            set_up_shop(client)
            async with connect(profile) as connections:
                results = [await run_job(profile, job, connections, sinks=sinks) for job in SYNC_JOBS]
                placed = place_orders(
                    client, connections.erp.read_articles(), connections.erp.read_customers()
                )
                results.append(await run_job(profile, JobName.IMPORT_ORDERS, connections, sinks=sinks))
                results += [
                    await run_job(profile, job, connections, sinks=sinks) for job in AFTER_IMPORT_JOBS
                ]
                ledger = connections.state.ledger(profile.name)
                report = DemoReport(
                    erp=connections.erp.summary(),
                    shop=await connections.shop.summary(),
                    orders_imported=sum(1 for row in ledger.values() if row.state == "done"),
                    orders_failed=sum(1 for row in ledger.values() if row.state == "failed"),
                    duplicates=count_duplicates(profile.erp.url),
                    jobs=results,
                    placed=placed,
                    workdir=workdir,
                )
        finally:
            client.close()
    return report


def demo_profile_of(workdir: Path) -> Profile:
    """The profile a finished demo left in ``workdir``."""
    return load_profile(workdir / "profile.toml")
