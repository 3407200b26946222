"""B2B prices at the reference scale (SPEC §11): what each professional customer pays, as rules.

Builds the reference demo company (15,000 articles, 3,000 customers, 2 price categories, family
discounts per category and per customer, exception prices, quantity breaks, a purchasing central
with 80 members), starts the WooCommerce sandbox with a fixed latency per request, exports the
products and the customers, then measures ``update_prices`` with ``prices.specific_prices``:

1. the full push (every group and customer price created);
2. a run with nothing changed;
3. a run after 1 % of the price conditions changed in the ERP (``F_ARTCLIENT`` prices and
   ``F_FAMCLIENT`` discounts).

For each: seconds, requests (of which writes of specific prices) and rows sent. Then the
comparison with a materialised customers × articles matrix: its rows, and the requests and time
sending them would take at the full push's cost per request of 100 rows (reading and planning
included).

Usage:
    python benchmarks/b2b_prices.py [--latency-ms 50] [--workdir DIR] [--changed 0.01]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from pathlib import Path

import tomli_w
from sqlalchemy import create_engine, text

from comptoir.demo.company import build_company
from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.journal import MemorySink
from comptoir.profile import Profile, load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.sandbox.woocommerce.demo_shop import demo_profile_options
from comptoir.sandbox.woocommerce.running import RunningWooSandbox

CSP_WRITES = ("POST /wc/v3/csp/*", "DELETE /wc/v3/csp/*")


def csp_writes(server: SandboxServer) -> int:
    return sum(server.stats.count_matching(pattern) for pattern in CSP_WRITES)


async def timed(
    profile: Profile, job: JobName, server: SandboxServer
) -> tuple[JobResult, int, int, float, list[str]]:
    before, writes = server.stats.requests, csp_writes(server)
    sink = MemorySink()
    start = time.perf_counter()
    async with connect(profile) as connections:
        result = await run_job(profile, job, connections, sinks=[sink])
    seconds = time.perf_counter() - start
    return result, server.stats.requests - before, csp_writes(server) - writes, seconds, sink.texts()


def change_conditions(company_url: str, share: float) -> tuple[int, int]:
    """Lower 1 in 1/share exception and category prices by 3 %, raise 1 in 1/share customer family
    discounts by one point."""
    step = max(int(1 / share), 1)
    engine = create_engine(company_url)
    with engine.begin() as conn:
        prices = conn.execute(
            text(
                'UPDATE "F_ARTCLIENT" SET "AC_PrixVen" = ROUND("AC_PrixVen" * 0.97, 2) '
                'WHERE "cbMarq" % :step = 0 AND "AC_PrixVen" > 0'
            ),
            {"step": step},
        ).rowcount
        families = conn.execute(
            text('UPDATE "F_FAMCLIENT" SET "FC_Remise" = "FC_Remise" + 1 WHERE "cbMarq" % :step = 0'),
            {"step": step},
        ).rowcount
    engine.dispose()
    return int(prices), int(families)


def counts(conn_url: str) -> dict[str, int]:
    engine = create_engine(conn_url)
    with engine.connect() as conn:
        found = {
            "exception prices (F_ARTCLIENT by customer)": conn.execute(
                text('SELECT COUNT(*) FROM "F_ARTCLIENT" WHERE "CT_Num" IS NOT NULL AND "CT_Num" != \'\'')
            ).scalar_one(),
            "category prices (F_ARTCLIENT by category)": conn.execute(
                text('SELECT COUNT(*) FROM "F_ARTCLIENT" WHERE "CT_Num" IS NULL OR "CT_Num" = \'\'')
            ).scalar_one(),
            "family discounts per category (F_FAMTARIF)": conn.execute(
                text('SELECT COUNT(*) FROM "F_FAMTARIF"')
            ).scalar_one(),
            "family discounts per customer (F_FAMCLIENT)": conn.execute(
                text('SELECT COUNT(*) FROM "F_FAMCLIENT"')
            ).scalar_one(),
            "central members": conn.execute(
                text('SELECT COUNT(*) FROM "F_COMPTET" WHERE "CT_NumCentrale" != \'\'')
            ).scalar_one(),
        }
    engine.dispose()
    return {k: int(v) for k, v in found.items()}


def line(label: str, result: JobResult, requests: int, writes: int, seconds: float) -> str:
    c = result.counts
    return (
        f"{label:<40} {seconds:>8.1f} {requests:>9} {writes:>7}   rows sent {c.created + c.updated:>7} "
        f"(created {c.created}, updated {c.updated}), unchanged {c.unchanged}, failed {c.failed}"
    )


def plan_line(lines: list[str]) -> str:
    return next((t for t in lines if "une matrice clients" in t), "")


async def main(workdir: Path, latency_ms: int, share: float) -> None:
    company = workdir / "company.sqlite"
    company_url = f"sqlite:///{company.as_posix()}"
    if not company.exists():
        start = time.perf_counter()
        facts = build_company(company_url, scale="reference")
        print(f"reference company: {facts.articles} articles built in {time.perf_counter() - start:.1f} s")
    for name, value in counts(company_url).items():
        print(f"  {name}: {value}")
    with SandboxServer(workdir / "shop.sqlite", latency_ms=latency_ms) as server:
        assert server.ca_file is not None
        sandbox = RunningWooSandbox(server)
        write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
        data = demo_profile(
            workdir, erp_platform("sage100").demo(workdir, "reference"), sandbox, demo_profile_options()
        )
        data["prices"] = {"specific_prices": True}
        (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        profile = load_profile(workdir / "profile.toml")
        print(f"\nsandbox latency {latency_ms} ms per request")
        for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
            result, requests, _, seconds, _ = await timed(profile, job, server)
            created = result.counts.created
            print(f"setup: {job.value}: {created} created, {requests} requests, {seconds:.1f} s")

        print(f"\n{'update prices':<40} {'seconds':>8} {'requests':>9} {'writes':>7}")
        full = await timed(profile, JobName.UPDATE_PRICES, server)
        print(line("full push (first run)", *full[:4]))
        print("  " + plan_line(full[4]))
        idle = await timed(profile, JobName.UPDATE_PRICES, server)
        print(line("nothing changed", *idle[:4]))
        prices, families = change_conditions(company_url, share)
        delta = await timed(profile, JobName.UPDATE_PRICES, server)
        print(line(f"{share:.0%} of conditions changed", *delta[:4]))
        print(f"  ({prices} F_ARTCLIENT prices and {families} F_FAMCLIENT discounts changed)")
        print("  " + plan_line(delta[4]))

        result, _requests, writes, seconds, lines = full
        sent = result.counts.created
        matrix = int(plan_line(lines).rsplit(" ", 1)[-1])
        per_request = seconds / max(writes, 1)
        matrix_requests = math.ceil(matrix / 100)
        print(
            f"\nmaterialised matrix: {matrix} rows (one per customer and article), "
            f"{matrix / max(sent, 1):.0f}x the {sent} rows sent; at 100 rows per request and "
            f"{per_request:.3f} s per request: {matrix_requests} requests, "
            f"~{matrix_requests * per_request / 3600:.1f} h (extrapolated)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--changed", type=float, default=0.01, help="share of price conditions changed")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(args.workdir, args.latency_ms, args.changed))
    else:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(main(Path(folder), args.latency_ms, args.changed))
