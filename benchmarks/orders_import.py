"""Importing 1,000 orders into the reference company through the real job, over a slow shop.

Builds the reference demo company (~15,000 articles) in SQLite and/or PostgreSQL, starts the
sandbox shop, exports the catalog and the customers (without latency: setting up is not
measured), places N orders of about three lines (half from customers the ERP already knows,
half from new web customers and guests, some paid by cheque so that their payments are
recorded), then sets the sandbox's latency per request and runs ``import-orders``. Prints, per
database:

- seconds, the process's CPU seconds (the job and the sandbox shop, which runs in it; on SQLite
  the ERP's work too), shop requests, orders imported and failed;
- ERP SQL statements per order (every statement the Sage adapter sent, transaction control
  left out, counted with a SQLAlchemy event), round trips per order (statements, transaction
  control and connection pings: what a server database answers one at a time; writes sent
  together in a pipeline count once) and ERP commits per order; ``--statements N`` lists the N
  statements sent most;
- the state store's (ledger, journal) statements, round trips and commits per order;
- the documents whose total differs from the shop's (0 expected);
- the naive customer lookups (one by e-mail and one by code per order) against the set-wise
  ones, measured on the same company.

``--baseline-src DIR`` runs the same measure a second time in a child process with the
comptoir sources found in ``DIR/src`` (e.g. a checkout of an earlier commit) so that both
figures come from the same machine in the same run; docs/performance.md keeps such a run.

Usage:
    python benchmarks/orders_import.py [--orders 1000] [--latency-ms 50] [--seed 2026]
        [--database sqlite|postgresql|both] [--postgres-url URL] [--workdir DIR]
        [--baseline-src DIR] [--json] [--profile-out FILE] [--statements N]

PostgreSQL needs ``--postgres-url`` (or ``COMPTOIR_TEST_POSTGRES_URL``): a server URL whose
login may create databases; the benchmark makes its own database and drops it at the end.
Before the import it runs VACUUM ANALYZE on it and asks the server for a CHECKPOINT (the company
was just built: autovacuum and the flush of its pages come before, not during, the measure),
and it prints how many checkpoints the server made during the import: on a server shared with
test suites that create and drop databases, each drop forces one, which flushes every
database's dirty pages while the import's commits wait on the disk.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from comptoir.demo.company import build_company
from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100 import connection as sage_connection
from comptoir.jobs.runner import JobName, connect, run_job
from comptoir.journal import MemorySink
from comptoir.profile import load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.sandbox.woocommerce.demo_shop import DemoShopClient, demo_profile_options, set_up_shop
from comptoir.sandbox.woocommerce.running import RunningWooSandbox

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
PIPELINE: str = getattr(sage_connection, "PIPELINE", "")
"""``conn.info`` key of a pipelined block (none in a baseline from before them)."""
BENCH_DATABASE = "comptoir_bench_orders"


class QueryCounter:
    """Counts SQL statements, round trips and commits per database: the ERP company's and the
    state store's.

    An engine is recognised by its URL: ``erp_key`` is in the company's (its file name or its
    database name), ``state_key`` in the state store's. Transaction control is not counted as a
    statement; commits are counted by SQLAlchemy's commit event. Round trips are what a server
    database answers one by one: every statement (an executemany is sent as one batch), every
    BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE, and the liveness ping of a pooled connection
    checked out with ``pool_pre_ping`` (on SQLite the same count is calls into the library); the
    statements of a pipelined block (PostgreSQL: writes sent together) are one round trip."""

    def __init__(self, erp_key: str, state_key: str, *, texts: bool = False) -> None:
        self.keys = {"erp": erp_key, "state": state_key}
        self._texts = texts
        """Keep each statement's text too (``--statements``; it costs the measure some CPU)."""
        self._blocks: dict[str, object] = {}
        self.counts: Counter[str] = Counter()
        self.texts: Counter[str] = Counter()
        self._listened = [
            (Engine, "before_cursor_execute", self._seen),
            (Engine, "begin", self._began),
            (Engine, "commit", self._committed),
            (Engine, "rollback", self._control),
            (Engine, "engine_connect", self._connected),
        ]
        for target, name, listener in self._listened:
            event.listen(target, name, listener)

    def _side(self, conn: Any) -> str | None:
        return self._side_of(str(conn.engine.url.database or ""))

    def _side_of(self, database: str) -> str | None:
        return next((side for side, key in self.keys.items() if key and key in database), None)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        side = self._side(conn)
        if side is None:
            return
        # The statements of a pipelined block go out together: one round trip for the block.
        block = conn.info.get(PIPELINE)
        if block is None or self._blocks.get(side) is not block:
            self.counts[f"{side} round trips"] += 1
        self._blocks[side] = block
        if statement.lstrip().upper().startswith(CONTROL):
            return
        self.counts[f"{side} statements"] += 1
        if side == "erp" and self._texts:
            self.texts[" ".join(statement.split())[:150]] += 1

    def _began(self, conn: Any) -> None:
        # SQLite's BEGIN goes through the cursor (counted above); psycopg sends its own.
        if conn.dialect.name != "sqlite":
            self._control(conn)

    def _control(self, conn: Any, *args: Any) -> None:
        side = self._side(conn)
        if side is not None:
            self.counts[f"{side} round trips"] += 1

    def _committed(self, conn: Any) -> None:
        side = self._side(conn)
        if side is not None:
            self.counts[f"{side} commits"] += 1
            self.counts[f"{side} round trips"] += 1

    def _connected(self, conn: Any) -> None:
        # A pooled connection checked out with ``pool_pre_ping`` is pinged first.
        if getattr(conn.engine.pool, "_pre_ping", False):
            self._control(conn)

    def reset(self) -> None:
        self.counts.clear()
        self.texts.clear()

    def close(self) -> None:
        for target, name, listener in self._listened:
            event.remove(target, name, listener)


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


def fresh_postgres(server_url: str) -> str:
    """An empty database for the company on the server at ``server_url``; its URL."""
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
    admin.dispose()
    return url.set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def server_checkpoints(company_url: str) -> int | None:
    """How many checkpoints the PostgreSQL server made since its statistics began (any
    database's: a checkpoint another database asks for, e.g. by dropping itself, flushes every
    dirty page of the server and slows the commits it overlaps); ``None`` when not readable."""
    engine = create_engine(company_url)
    queries = (
        "SELECT num_timed + num_requested FROM pg_stat_checkpointer",  # PostgreSQL 17 and later
        "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter",
    )
    try:
        for query in queries:
            try:
                with engine.connect() as conn:
                    return int(conn.execute(text(query)).scalar() or 0)
            except SQLAlchemyError:
                continue
        return None
    finally:
        engine.dispose()


def settle_server(company_url: str) -> bool:
    """Do before the measure what the server would otherwise do during it: VACUUM ANALYZE the
    company just built (autovacuum wakes up about a minute after the bulk load, when the import
    starts, and vacuums the 120,000 stock rows under it), then flush the server's dirty pages;
    whether the login was allowed the CHECKPOINT (superuser or ``pg_checkpoint``)."""
    engine = create_engine(company_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))
        return True
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def drop_postgres(company_url: str) -> None:
    url = make_url(company_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}"'))
    admin.dispose()


async def measure(
    workdir: Path,
    database: str,
    postgres_url: str | None,
    count: int,
    latency_ms: int,
    seed: int,
    profile_out: Path | None = None,
    statements: int = 0,
) -> dict[str, Any]:
    """Set up the company and the shop in ``workdir``, import ``count`` orders; the figures."""
    figures: dict[str, Any] = {"database": database, "orders": count, "latency_ms": latency_ms}
    erp_settings = erp_platform("sage100").demo(workdir, "reference") if database == "sqlite" else None
    if database == "sqlite":
        company_url = f"sqlite:///{(workdir / 'company.sqlite').as_posix()}"
        erp_key = "company.sqlite"
    else:
        assert postgres_url is not None
        company_url = fresh_postgres(postgres_url)
        start = time.perf_counter()
        facts = build_company(company_url, scale="reference")
        print(f"reference company: {facts.articles} articles built in {time.perf_counter() - start:.1f} s")
        erp_settings = {"kind": "sage100", "url": company_url, "user_code": "DEMO"}
        erp_key = BENCH_DATABASE
    try:
        with SandboxServer(workdir / "shop.sqlite") as server:
            assert server.ca_file is not None
            sandbox = RunningWooSandbox(server)
            write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
            data = demo_profile(workdir, erp_settings, sandbox, demo_profile_options())
            (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
            profile = load_profile(workdir / "profile.toml")
            client = DemoShopClient(
                server.url, server.consumer_key, server.consumer_secret, Path(server.ca_file)
            )
            set_up_shop(client)
            start = time.perf_counter()
            for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
                async with connect(profile) as connections:
                    await run_job(profile, job, connections)
            placed = place_orders(client, count, seed)
            client.close()
            print(
                f"catalog, customers and {len(placed)} orders set up in {time.perf_counter() - start:.1f} s"
            )

            server.faults.latency(latency_ms)
            if database == "postgresql":
                figures["checkpoint_before"] = settle_server(company_url)
                checkpoints = server_checkpoints(company_url)
            state_key = Path(str(make_url(profile.state_url()).database or "")).name
            counter = QueryCounter(erp_key, state_key, texts=statements > 0)
            before = server.stats.requests
            sink = MemorySink()
            profiler = cProfile.Profile() if profile_out is not None else None
            start, cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            async with connect(profile) as connections:
                result = await run_job(profile, JobName.IMPORT_ORDERS, connections, sinks=[sink])
            figures["seconds"] = round(time.perf_counter() - start, 2)
            figures["cpu_seconds"] = round(time.process_time() - cpu, 2)
            if profiler is not None and profile_out is not None:
                profiler.disable()
                profiler.dump_stats(profile_out)
            figures["requests"] = server.stats.requests - before
            if database == "postgresql" and checkpoints is not None:
                after = server_checkpoints(company_url)
                figures["server_checkpoints"] = None if after is None else after - checkpoints
            counts = dict(counter.counts)
            if statements:
                figures["top_statements"] = [
                    [round(n / count, 2), text_] for text_, n in counter.texts.most_common(statements)
                ]
            counter.close()

        figures["imported"] = result.counts.created
        figures["failed"] = result.counts.failed
        keys = ("statements", "round trips", "commits")
        for key in [f"{side} {what}" for side in ("erp", "state") for what in keys]:
            figures[key.replace(" ", "_") + "_per_order"] = round(counts.get(key, 0) / count, 2)
        totals = stored_totals(company_url)
        figures["differing_totals"] = sum(
            1 for shop_id, total in placed.items() if shop_id in totals and totals[shop_id] != total
        )
        if result.counts.failed:
            figures["first_failure"] = next((line for line in sink.texts() if "en échec" in line), "")

        erp = Sage100Erp(company_url)
        counter = QueryCounter(erp_key, "")
        emails = [f"web{n}@exemple.fr" for n in range(count)]
        for email in emails:
            erp.find_customer_by_email(email)
            erp.find_customer(f"WEB{email[3:-11]:0>6}")
        naive = counter.counts["erp statements"]
        counter.reset()
        erp.find_customers_by_email(emails)
        erp.find_customers([f"WEB{n:0>6}" for n in range(count)])
        figures["customer_lookups_naive"] = naive
        figures["customer_lookups_setwise"] = counter.counts["erp statements"]
        counter.close()
        erp.close()
    finally:
        if database == "postgresql":
            drop_postgres(company_url)
    return figures


def show(figures: dict[str, Any], label: str = "") -> None:
    count = figures["orders"]
    print(
        f"\n{label}{figures['database']}: {count} orders, "
        f"sandbox latency {figures['latency_ms']} ms per request"
    )
    print(
        f"  import-orders: {figures['seconds']:.1f} s ({figures.get('cpu_seconds', 0):.1f} s of this "
        f"process's CPU, the sandbox shop's included), {figures['requests']} shop requests, "
        f"{figures['imported']} imported, {figures['failed']} failed"
    )
    print(
        f"  ERP per order: {figures['erp_statements_per_order']:.2f} SQL statements, "
        f"{figures.get('erp_round_trips_per_order', 0):.2f} round trips, "
        f"{figures['erp_commits_per_order']:.2f} commits; state store per order: "
        f"{figures['state_statements_per_order']:.2f} statements, "
        f"{figures.get('state_round_trips_per_order', 0):.2f} round trips, "
        f"{figures['state_commits_per_order']:.2f} commits"
    )
    for per_order, statement in figures.get("top_statements", []):
        print(f"    {per_order:6.2f} per order  {statement}")
    if "checkpoint_before" in figures:
        done = "done" if figures["checkpoint_before"] else "refused"
        print(
            f"  server: VACUUM ANALYZE, CHECKPOINT before the import {done}; "
            f"checkpoints during it (any database's): {figures.get('server_checkpoints', '?')}"
        )
    print(f"  documents whose total differs from the shop's: {figures['differing_totals']}")
    if figures.get("first_failure"):
        print("   ", figures["first_failure"])
    print(
        f"  customer lookups for {count} orders: {figures['customer_lookups_naive']} statements one order "
        f"at a time, {figures['customer_lookups_setwise']} set-wise"
    )
    target = 10
    print(
        f"  target: {count} orders in {target} s or less -> "
        f"{'met' if figures['seconds'] <= target else 'NOT met'} ({figures['seconds']:.1f} s)"
    )


def run_here(args: argparse.Namespace, database: str) -> dict[str, Any]:
    def go(folder: Path) -> dict[str, Any]:
        folder.mkdir(parents=True, exist_ok=True)
        return asyncio.run(
            measure(
                folder,
                database,
                args.postgres_url,
                args.orders,
                args.latency_ms,
                args.seed,
                args.profile_out.with_suffix(f".{database}.prof") if args.profile_out else None,
                args.statements,
            )
        )

    if args.workdir:
        return go(args.workdir / database)
    with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
        return go(Path(folder))


def run_baseline(args: argparse.Namespace, database: str) -> dict[str, Any]:
    """The same measure in a child process importing comptoir from ``--baseline-src``."""
    command = [
        sys.executable,
        __file__,
        "--json",
        "--database",
        database,
        "--orders",
        str(args.orders),
        "--latency-ms",
        str(args.latency_ms),
        "--seed",
        str(args.seed),
    ]
    if args.postgres_url:
        command += ["--postgres-url", args.postgres_url]
    source = str((args.baseline_src / "src").resolve())
    env = {**os.environ, "PYTHONPATH": source + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("COMPTOIR_TEST_POSTGRES_URL"))
    parser.add_argument("--workdir", type=Path, help="keep the SQLite company and the shop here")
    parser.add_argument("--baseline-src", type=Path, help="a checkout whose src/ is the baseline")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("--profile-out", type=Path, help="write cProfile statistics of the import here")
    parser.add_argument(
        "--statements", type=int, default=0, help="print the N ERP statements sent most per order"
    )
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in databases and not args.postgres_url:
        if args.database == "postgresql":
            parser.error("PostgreSQL needs --postgres-url or COMPTOIR_TEST_POSTGRES_URL")
        print("no PostgreSQL URL (--postgres-url): SQLite only")
        databases.remove("postgresql")
    results = []
    for database in databases:
        figures = run_here(args, database)
        results.append(figures)
        if not args.json:
            show(figures)
        if args.baseline_src is not None:
            baseline = run_baseline(args, database)
            results.append({**baseline, "baseline": True})
            show(baseline, "baseline, ")
            print(
                f"  speed-up {baseline['seconds'] / figures['seconds']:.1f}x; ERP statements per order "
                f"{baseline['erp_statements_per_order']:.1f} -> {figures['erp_statements_per_order']:.1f}, "
                f"commits per order (ERP + state) "
                f"{baseline['erp_commits_per_order'] + baseline['state_commits_per_order']:.1f} -> "
                f"{figures['erp_commits_per_order'] + figures['state_commits_per_order']:.1f}"
            )
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results))


if __name__ == "__main__":
    main()
