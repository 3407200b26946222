"""End-to-end catalog sync at the reference scale (SPEC §11): jobs, not just the adapter.

Builds the reference demo company (~15,000 articles, 8 warehouses), starts the sandbox shop
with a fixed latency per request, and measures through the real jobs:

1. export products, first run (everything created);
2. update stock with nothing changed (fingerprints: nothing to send);
3. update stock after 1 % of the stock rows changed in the ERP;
4. the same update without fingerprints, as a connector that resends everything would
   (the baseline of step 3, run in the same process).

Prints requests, seconds and ratios. Usage:
    python benchmarks/sync_reference.py [--latency-ms 50] [--workdir DIR] [--changed 0.01]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import tomli_w
from sqlalchemy import create_engine, text

from comptoir.demo.company import build_company
from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.profile import Profile, load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.sandbox.woocommerce.demo_shop import demo_profile_options
from comptoir.sandbox.woocommerce.running import RunningWooSandbox


async def timed(profile: Profile, job: JobName, server: SandboxServer) -> tuple[JobResult, int, float]:
    before = server.stats.requests
    start = time.perf_counter()
    async with connect(profile) as connections:
        result = await run_job(profile, job, connections)
    return result, server.stats.requests - before, time.perf_counter() - start


def change_stock(company_url: str, share: float) -> int:
    engine = create_engine(company_url)
    with engine.begin() as conn:
        total = conn.execute(text('SELECT COUNT(*) FROM "F_ARTSTOCK"')).scalar_one()
        step = max(int(1 / share), 1)
        changed = conn.execute(
            text('UPDATE "F_ARTSTOCK" SET "AS_QteSto" = "AS_QteSto" + 7 WHERE "cbMarq" % :step = 0'),
            {"step": step},
        ).rowcount
    engine.dispose()
    print(f"changed {changed} of {total} stock rows")
    return int(changed)


def forget_fingerprints(profile: Profile) -> None:
    engine = create_engine(profile.state_url())
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM fingerprints WHERE aspect = 'stock'"))
    engine.dispose()


def line(label: str, result: JobResult, requests: int, seconds: float) -> str:
    c = result.counts
    return (
        f"{label:<42} {requests:>8} {seconds:>9.2f}   created {c.created:>6} updated {c.updated:>6} "
        f"unchanged {c.unchanged:>6} failed {c.failed}"
    )


async def main(workdir: Path, latency_ms: int, share: float) -> None:
    company = workdir / "company.sqlite"
    company_url = f"sqlite:///{company.as_posix()}"
    if not company.exists():
        start = time.perf_counter()
        facts = build_company(company_url, scale="reference")
        print(f"reference company: {facts.articles} articles built in {time.perf_counter() - start:.1f} s")
    with SandboxServer(workdir / "shop.sqlite", latency_ms=latency_ms) as server:
        assert server.ca_file is not None
        sandbox = RunningWooSandbox(server)
        write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
        data = demo_profile(
            workdir, erp_platform("sage100").demo(workdir, "reference"), sandbox, demo_profile_options()
        )
        (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        profile = load_profile(workdir / "profile.toml")
        print(f"sandbox latency {latency_ms} ms per request\n")
        print(f"{'step':<42} {'requests':>8} {'seconds':>9}")
        export = await timed(profile, JobName.EXPORT_PRODUCTS, server)
        print(line("export products (first run)", *export))
        idle = await timed(profile, JobName.UPDATE_STOCK, server)
        print(line("update stock, nothing changed", *idle))
        change_stock(company_url, share)
        delta = await timed(profile, JobName.UPDATE_STOCK, server)
        print(line(f"update stock, {share:.0%} of rows changed", *delta))
        change_stock(company_url, share)
        forget_fingerprints(profile)
        resend = await timed(profile, JobName.UPDATE_STOCK, server)
        print(line("baseline: same update, resending everything", *resend))
        print(
            f"\nfingerprints vs resend-all: {resend[1] / max(delta[1], 1):.1f}x fewer requests, "
            f"{resend[2] / delta[2]:.1f}x faster"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--changed", type=float, default=0.01, help="share of stock rows changed")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        asyncio.run(main(args.workdir, args.latency_ms, args.changed))
    else:
        with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
            asyncio.run(main(Path(folder), args.latency_ms, args.changed))
