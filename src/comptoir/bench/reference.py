"""The whole reference benchmark: set up, then each step through the command line, measured.

In a work folder: the reference company at ``scale`` (built once, then aged as a company in use),
the sandbox shop of ``shop`` on its own file, the demo profile with incremental stock. With the
shop answering every request after ``latency_ms``:

1. ``export-products``, first run (everything created);
2. ``update-prices`` sending every price (price fingerprints forgotten: as after a price list
   change touching every article);
3. ``update-stock --full`` sending every quantity (stock fingerprints forgotten);
4. ``update-stock`` after 1 % of the stock rows changed (incremental: what changed is read);
   then, after the same rows changed again, the same as the scheduler starts it: forked by the
   warm start server (``schedule/warm.py``; POSIX only); then again, typed while ``comptoir
   serve`` runs: the command hands its run to the service's published server
   (``schedule/attach.py``);
5. ``export-customers``, first run, then again with nothing changed, as a command typed by hand
   and as one typed while ``comptoir serve`` runs;
6. ``import-orders`` of ``orders`` orders placed in the shop beforehand (without latency).

Each step runs in its own process (start-up included; a fresh process but for the scheduled
and the attached steps) and is measured as wall time, shop requests, objects, objects per
second, peak memory, its floor (requests × latency ÷ concurrency + the ERP reads it makes, timed
alone) and the ratio to it, and the ratio to the floor counting the sandbox's own time (its CPU
for the step, when more than the requests' waiting: it answers one request at a time, on the
same machine); the product push steps also against a naive client (one request per
item, in turn) timed on a sample of items and extrapolated. A naive client keeps no memory of
what it sent: after a 1 % change it sends every item again.
"""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import delete

from comptoir.bench import company, naive, reads
from comptoir.bench.figures import BenchReport, StepFigures
from comptoir.bench.process import run_attached, run_command, run_warm
from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.erp.base import Erp
from comptoir.jobs.catalog import PRODUCT
from comptoir.jobs.stock_window import JOB as STOCK_JOB
from comptoir.jobs.stock_window import OVERLAP
from comptoir.model import ProductDraft
from comptoir.profile import Profile, load_profile, secret_resolver
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform, open_erp, shop_platform
from comptoir.schedule.warm import supported as warm_supported
from comptoir.shop.platform import RunningSandbox
from comptoir.state import StateStore
from comptoir.state.tables import FINGERPRINTS

CHANGED_SHARE = 0.01
STARTS = {"fresh": "", "warm": " (warm start)", "attached": " (typed, service running)"}
"""How each kind of start is shown after the step's command."""
NAIVE_SAMPLE = 30


@dataclass(frozen=True, slots=True)
class BenchOptions:
    workdir: Path
    shop: str = "woocommerce"
    latency_ms: int = 50
    scale: float = 1.0
    orders: int = 1000
    naive_sample: int = NAIVE_SAMPLE


class _Bench:
    """One run: the profile, the running sandbox, the report being filled."""

    def __init__(self, options: BenchOptions, sandbox: RunningSandbox, profile: Profile, report: BenchReport):
        self.options = options
        self.sandbox = sandbox
        self.profile = profile
        self.report = report
        self.profile_path = options.workdir / "profile.toml"

    def latency(self, on: bool) -> None:
        self.sandbox.faults.clear()
        if on and self.options.latency_ms:
            self.sandbox.faults.latency(self.options.latency_ms)

    def erp(self) -> Erp:
        return open_erp(self.profile.erp, secret_resolver(self.profile))

    def state(self) -> StateStore:
        return StateStore.open(self.profile.state_url())

    def step(
        self, name: str, args: list[str], erp_read: Callable[[Erp], float], *, start: str = "fresh"
    ) -> StepFigures:
        """Run one step: ``start`` is ``fresh`` (a new process, as typed with nothing running),
        ``warm`` (forked by the warm start server, as the scheduler starts it) or ``attached``
        (typed while ``comptoir serve`` runs: the command hands its run to the server)."""
        erp = self.erp()
        try:
            erp.read_warehouses()  # connection and free-field definitions set up, as in the job
            erp_seconds = erp_read(erp)
        finally:
            erp.close()
        before = self.sandbox.stats.requests
        launch = {"fresh": run_command, "warm": run_warm, "attached": run_attached}[start]
        ours = time.process_time()
        run = launch([*args, "--profile", str(self.profile_path)], cwd=self.options.workdir)
        shop_cpu = time.process_time() - ours
        requests = self.sandbox.stats.requests - before
        state = self.state()
        try:
            counts = state.runs(self.profile.name, limit=1)[0].counts
        finally:
            state.close()
        if run.exit_code not in (0, 1):
            raise RuntimeError(
                f"{' '.join(args)} ended with exit code {run.exit_code}:\n{run.output[-2000:]}"
            )
        written = counts.get("created", 0) + counts.get("updated", 0)
        objects = written + counts.get("unchanged", 0) + counts.get("failed", 0)
        concurrency = self.profile.shop.http.concurrency
        floor = requests * self.options.latency_ms / 1000 / concurrency + erp_seconds
        figures = StepFigures(
            name=name,
            command="comptoir " + " ".join(args) + STARTS[start],
            seconds=run.seconds,
            requests=requests,
            objects=objects,
            written=written,
            peak_memory_mb=run.peak_memory_mb,
            cpu_seconds=run.cpu_seconds,
            shop_cpu_seconds=shop_cpu,
            erp_read_seconds=erp_seconds,
            floor_seconds=floor,
            counts=dict(counts),
            exit_code=run.exit_code,
        )
        self.report.steps.append(figures)
        return figures

    def forget(self, aspect: str) -> None:
        state = self.state()
        try:
            with state.engine.begin() as conn:
                conn.execute(
                    delete(FINGERPRINTS).where(
                        FINGERPRINTS.c.profile == self.profile.name, FINGERPRINTS.c.aspect == aspect
                    )
                )
        finally:
            state.close()

    def since(self) -> Any:
        state = self.state()
        try:
            cursor = state.job_mark(self.profile.name, STOCK_JOB)
        finally:
            state.close()
        assert cursor is not None, "the full stock run set the cursor"
        return cursor - OVERLAP

    def place_orders(self) -> int:
        """``orders`` orders of 1 to 4 lines of simple products, half from known customers."""
        state = self.state()
        try:
            bound = state.bindings(self.profile.name, PRODUCT)
        finally:
            state.close()
        parents = {place.parent_id for place in bound.values() if place.parent_id}
        simple = sorted(
            ref for ref, place in bound.items() if not place.parent_id and place.shop_id not in parents
        )
        erp = self.erp()
        try:
            emails = [c.email for c in erp.read_customers() if c.email and not c.dormant][:200]
        finally:
            erp.close()
        statuses = self.sandbox.demo().profile_options().get("orders", {}).get("statuses", {})
        status = next(key for key, value in statuses.items() if value == "order")
        chance = random.Random(2026)
        skus = [sku for sku in simple if not sku.startswith(("REMISE", "PORT", "DIVERS", "EMBALLAGE"))][:300]
        for number in range(self.options.orders):
            email = chance.choice(emails) if number % 2 == 0 and emails else f"web{number}@exemple.fr"
            lines = [(sku, chance.randint(1, 3)) for sku in chance.sample(skus, chance.randint(1, 4))]
            self.sandbox.place_order(email, lines, status)
        return self.options.orders

    async def naive(self, name: str, draft: Callable[[str], ProductDraft], items: int) -> None:
        """Time the naive client on a sample of the step's products and extrapolate to ``items``."""
        state = self.state()
        try:
            skus = sorted(state.fingerprints(self.profile.name, PRODUCT, "stock"))
        finally:
            state.close()
        sample = skus[:: max(len(skus) // max(self.options.naive_sample, 1), 1)][: self.options.naive_sample]
        per_item = await naive.seconds_per_item(self.profile, sample, draft)
        index = next(i for i, s in enumerate(self.report.steps) if s.name == name)
        step = self.report.steps[index]
        self.report.steps[index] = replace(step, naive_seconds=per_item * items, naive_sample=len(sample))


def _write_profile(workdir: Path, sandbox: RunningSandbox) -> Profile:
    erp_table = erp_platform("sage100").demo(workdir, "reference")
    write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
    data = demo_profile(workdir, erp_table, sandbox, sandbox.demo().profile_options())
    data["stock"] = {**data.get("stock", {}), "incremental": True}
    (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    return load_profile(workdir / "profile.toml")


def run_bench(options: BenchOptions, progress: Callable[[str], None] = lambda _: None) -> BenchReport:
    """Run the reference benchmark in ``options.workdir`` (a fresh shop each time; the company is
    built once per folder and scale)."""
    workdir = options.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    company_file = workdir / "company.sqlite"
    for name in ("shop.sqlite", "state.sqlite", "profile.toml"):
        (workdir / name).unlink(missing_ok=True)
    if company_file.exists():
        company_file.unlink()
    progress(f"building the reference company at scale {options.scale}")
    facts = company.build(company_file, options.scale)
    company.age(f"sqlite:///{company_file.as_posix()}")
    sandbox = shop_platform(options.shop).sandbox(workdir / "shop.sqlite")
    try:
        demo = sandbox.demo()
        demo.set_up()
        demo.close()
        profile = _write_profile(workdir, sandbox)
        report = BenchReport(
            shop=options.shop,
            latency_ms=options.latency_ms,
            concurrency=profile.shop.http.concurrency,
            scale=options.scale,
            company={"articles": facts.articles, "customers": facts.customers},
        )
        bench = _Bench(options, sandbox, profile, report)
        report.setup_seconds = time.perf_counter() - started
        _run_steps(bench, progress)
    finally:
        sandbox.stop()
    return report


def _run_steps(bench: _Bench, progress: Callable[[str], None]) -> None:
    url = f"sqlite:///{(bench.options.workdir.resolve() / 'company.sqlite').as_posix()}"
    bench.latency(True)
    progress("export products (first run)")
    export = bench.step("export products, first run", ["export-products"], reads.catalog_read)
    progress("update prices (every price)")
    bench.forget("price")
    prices = bench.step("update prices, every price", ["update-prices"], reads.price_read)
    progress("update stock (every quantity)")
    bench.forget("stock")
    full = bench.step("update stock, every quantity", ["update-stock", "--full"], reads.stock_read)
    changed, total = company.move_stock(url, CHANGED_SHARE)
    bench.report.company |= {"stock_rows": total, "stock_rows_changed": changed}
    since = bench.since()
    progress(f"update stock after {changed} of {total} stock rows changed")
    bench.step(
        "update stock, 1 % changed", ["update-stock"], lambda erp: reads.changed_stock_read(erp, since)
    )
    if warm_supported():
        for name, how, start in (
            ("scheduled", "as the scheduler starts it", "warm"),
            ("typed, service running", "typed while the service runs", "attached"),
        ):
            company.move_stock(url, CHANGED_SHARE)
            since = bench.since()
            progress(f"update stock after the same rows changed again, {how}")
            bench.step(
                f"update stock, 1 % changed, {name}",
                ["update-stock"],
                functools.partial(reads.changed_stock_read, since=since),
                start=start,
            )
    progress("export customers (first run, then nothing changed)")
    bench.step("export customers, first run", ["export-customers"], reads.customer_read)
    bench.step("export customers, nothing changed", ["export-customers"], reads.customer_read)
    if warm_supported():
        bench.step(
            "export customers, nothing changed, typed, service running",
            ["export-customers"],
            reads.customer_read,
            start="attached",
        )
    bench.latency(False)
    progress(f"placing {bench.options.orders} orders in the shop (not measured)")
    placed = bench.place_orders()
    bench.report.company |= {"orders_placed": placed}
    bench.latency(True)
    progress("import orders")
    bench.step(f"import {placed} orders", ["import-orders"], lambda _erp: 0.0)
    if bench.options.naive_sample:
        progress("naive client on a sample")
        asyncio.run(_naive(bench, export.written, prices.written, full.written))


async def _naive(bench: _Bench, exported: int, priced: int, stocked: int) -> None:
    price = Decimal("10.00")

    def whole(sku: str) -> ProductDraft:
        return ProductDraft(
            sku, name=f"Article {sku}", regular_price=price, manage_stock=True, stock_quantity=5
        )

    def priced_only(sku: str) -> ProductDraft:
        return ProductDraft(sku, regular_price=price)

    def stock_only(sku: str) -> ProductDraft:
        return ProductDraft(sku, manage_stock=True, stock_quantity=5)

    await bench.naive("export products, first run", whole, exported)
    await bench.naive("update prices, every price", priced_only, priced)
    await bench.naive("update stock, every quantity", stock_only, stocked)
    await bench.naive("update stock, 1 % changed", stock_only, stocked)
