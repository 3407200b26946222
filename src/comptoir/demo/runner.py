"""``comptoir demo``: the demo company synced with a sandbox shop, end to end.

In a work folder: build the ERP's demo company (once), start the chosen platform's sandbox shop
on its own SQLite file (so a second run finds everything it left), write a demo profile and its
secrets file, run export products → update prices → update stock → export customers, place
orders in the shop (once), import them, run update stock and export customers again (as a
schedule would, so the new orders' reservations and customers reach the shop), and report both
sides. The shop and the ERP come from the registry: the demo runs on every registered pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from comptoir.erp.base import ErpSummary
from comptoir.erp.platform import DemoScale
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.journal import Sink
from comptoir.profile import Profile, load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform, shop_platform
from comptoir.shop.base import ShopSummary
from comptoir.shop.platform import PlacedOrder, RunningSandbox

Scale = DemoScale
SYNC_JOBS = (JobName.EXPORT_PRODUCTS, JobName.UPDATE_PRICES, JobName.UPDATE_STOCK, JobName.EXPORT_CUSTOMERS)
AFTER_IMPORT_JOBS = (JobName.UPDATE_STOCK, JobName.EXPORT_CUSTOMERS)
"""What a schedule runs next: stock reserved by the new orders, customers created from them."""
DEFAULT_SHOP = "woocommerce"
SECRET_PREFIX = "COMPTOIR_DEMO_SHOP"
"""Environment-variable prefix of the sandbox's keys in the demo's secrets file."""


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
    erp_label: str = ""
    shop_label: str = ""

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


def demo_profile(
    workdir: Path, erp: dict[str, Any], sandbox: RunningSandbox, shop_options: dict[str, Any]
) -> dict[str, Any]:
    """The demo profile: the demo company, the sandbox shop, the demo's article and order settings."""
    shop = sandbox.shop_table(SECRET_PREFIX) | shop_options.get("shop", {})
    http: dict[str, Any] = {"request_delay_ms": 0}
    if sandbox.ca_file is not None:
        http["ca_file"] = _relative(sandbox.ca_file, workdir)
    return {
        "name": "demo",
        "language": "fr",
        "secrets_file": "secrets.env",
        "erp": erp,
        "shop": shop | {"http": http},
        "products": {
            "master_field": "Référence mère",
            "attribute_fields": [
                ["Attribut 1", "Valeur 1"],
                ["Attribut 2", "Valeur 2"],
                ["Attribut 3", "Valeur 3"],
            ],
        },
        "stock": {"quantity": "available"},
        "orders": {
            "miscellaneous_article": "DIVERS",
            "shipping_article": "PORT",
            "packaging_article": "EMBALLAGE",
            "discount_articles": {"C20": "REMISE20", "C10": "REMISE10", "C05": "REMISE055"},
            **shop_options.get("orders", {}),
        },
    }


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


async def run_demo(
    workdir: Path,
    *,
    scale: Scale = "small",
    shop: str = DEFAULT_SHOP,
    erp: str = "sage100",
    sinks: Sequence[Sink] = (),
) -> DemoReport:
    """Run the whole demo in ``workdir`` (created if needed); a second run changes nothing."""
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    erp_kind, shop_kind = erp_platform(erp), shop_platform(shop)
    erp_table = erp_kind.demo(workdir, scale)
    sandbox = shop_kind.sandbox(workdir / "shop.sqlite")
    demo_shop = sandbox.demo()
    try:
        write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
        profile_path = workdir / "profile.toml"
        profile_path.write_text(
            "# Demo profile written by `comptoir demo`; the shop address changes at every run.\n"
            + tomli_w.dumps(demo_profile(workdir, erp_table, sandbox, demo_shop.profile_options())),
            encoding="utf-8",
        )
        profile = load_profile(profile_path)
        demo_shop.set_up()
        async with connect(profile) as connections:
            results = [await run_job(profile, job, connections, sinks=sinks) for job in SYNC_JOBS]
            placed = demo_shop.place_orders(connections.erp.read_articles(), connections.erp.read_customers())
            results.append(await run_job(profile, JobName.IMPORT_ORDERS, connections, sinks=sinks))
            results += [await run_job(profile, job, connections, sinks=sinks) for job in AFTER_IMPORT_JOBS]
            ledger = connections.state.ledger(profile.name)
            report = DemoReport(
                erp=connections.erp.summary(),
                shop=await connections.shop.summary(),
                orders_imported=sum(1 for row in ledger.values() if row.state == "done"),
                orders_failed=sum(1 for row in ledger.values() if row.state == "failed"),
                duplicates=connections.erp.count_duplicate_documents(),
                jobs=results,
                placed=placed,
                workdir=workdir,
                erp_label=erp_kind.label,
                shop_label=shop_kind.label,
            )
    finally:
        demo_shop.close()
        sandbox.stop()
    return report


def demo_profile_of(workdir: Path) -> Profile:
    """The profile a finished demo left in ``workdir``."""
    return load_profile(workdir / "profile.toml")
