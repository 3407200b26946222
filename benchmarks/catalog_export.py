"""Export products at the reference scale (SPEC §11), with one image per article.

Builds the reference demo company (~15,000 articles), writes one small real PNG per article in
an images folder, starts a sandbox shop with a fixed latency per request and measures through
the real job (categories, products, variations, images), each run as its own ``python -m comptoir
export-products`` process as a scheduler starts it (its time includes start-up; the shop, like a
real one, does not share its CPU):

1. full export without images, on an empty shop (the ≤ 90 s target);
2. the same export again, nothing changed: write requests (must be 0);
3. full export with images, on another empty shop: time, requests, bytes uploaded;
4. again, nothing changed: write requests and bytes (must be 0: no image sent twice);
5. 1 % of the articles changed in the ERP (price and designation, modification date): time (the
   ERP read included), requests (≤ 5 s target);
6. the same articles changed again and their images replaced: time, requests, bytes uploaded.

Images need a platform whose sandbox accepts uploads (its capabilities and its media route); when
it does not, steps 3 to 6 say so and run without images.

Usage:
    python benchmarks/catalog_export.py [--shop woocommerce] [--latency-ms 50] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import create_engine, text

from comptoir.bench.process import run_command
from comptoir.demo.company import build_company
from comptoir.demo.images import png, write_images
from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.profile import load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import shop_platform
from comptoir.shop.platform import RunningSandbox
from comptoir.state.store import StateStore

WRITES = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Step:
    label: str
    counts: dict[str, int]
    requests: int
    writes: int
    uploaded: int
    seconds: float
    output: str


def _writes(sandbox: RunningSandbox) -> int:
    return sum(n for route, n in sandbox.stats.by_route.items() if route.split(" ")[0] in WRITES)


def timed(label: str, profile_path: Path, sandbox: RunningSandbox) -> Step:
    """One ``export-products`` run in its own process; what the shop received meanwhile."""
    requests, writes, received = sandbox.stats.requests, _writes(sandbox), sandbox.stats.bytes_received
    run = run_command(["export-products", "--profile", str(profile_path)], cwd=profile_path.parent)
    if run.exit_code not in (0, 1):
        raise RuntimeError(f"export-products ended with exit code {run.exit_code}:\n{run.output[-2000:]}")
    profile = load_profile(profile_path)
    state = StateStore.open(profile.state_url())
    try:
        counts = state.runs(profile.name, limit=1)[0].counts
    finally:
        state.close()
    return Step(
        label,
        counts,
        sandbox.stats.requests - requests,
        _writes(sandbox) - writes,
        sandbox.stats.bytes_received - received,
        run.seconds,
        run.output,
    )


def show(step: Step) -> None:
    c = step.counts
    print(
        f"{step.label:<46} {step.seconds:>8.1f} {step.requests:>8} {step.writes:>7} "
        f"{step.uploaded / 1e6:>9.2f}   created {c.get('created', 0)} updated {c.get('updated', 0)} "
        f"unchanged {c.get('unchanged', 0)} failed {c.get('failed', 0)}"
    )
    media = [line for line in step.output.splitlines() if "image" in line and "produit" in line]
    for line in media[-1:]:
        print(f"{'':<46} {line.split(' - ', 1)[-1].strip()}")


def sellable(company_url: str) -> list[str]:
    engine = create_engine(company_url)
    with engine.connect() as conn:
        refs = [
            r[0].strip()
            for r in conn.execute(
                text('SELECT "AR_Ref" FROM "F_ARTICLE" WHERE "AR_Publie" = 1 AND "AR_Sommeil" = 0')
            )
        ]
    engine.dispose()
    return refs


def change_articles(company_url: str, share: float) -> list[str]:
    """Change price and designation of ``share`` of the articles, stamping their modification date."""
    engine = create_engine(company_url)
    with engine.begin() as conn:
        step = max(int(1 / share), 1)
        rows = conn.execute(
            text('SELECT "AR_Ref" FROM "F_ARTICLE" WHERE "cbMarq" % :step = 0 AND "AR_Publie" = 1'),
            {"step": step},
        ).all()
        conn.execute(
            text(
                'UPDATE "F_ARTICLE" SET "AR_PrixVen" = "AR_PrixVen" + 1, '
                '"AR_Design" = "AR_Design" || \' *\', "AR_DateModif" = CURRENT_TIMESTAMP '
                'WHERE "cbMarq" % :step = 0 AND "AR_Publie" = 1'
            ),
            {"step": step},
        )
    engine.dispose()
    return [r[0].strip() for r in rows]


def profile_for(workdir: Path, company_url: str, sandbox: RunningSandbox, products: dict[str, Any]) -> Path:
    write_secrets_file(workdir / "secrets.env", sandbox.secrets(SECRET_PREFIX))
    demo = sandbox.demo()
    demo.set_up()
    erp = {"kind": "sage100", "url": company_url, "user_code": "DEMO"}
    data = demo_profile(workdir, erp, sandbox, demo.profile_options())
    data["products"] = {**data["products"], **products}
    data["state"] = {"url": f"sqlite:///{(workdir / 'state.sqlite').as_posix()}"}
    (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    demo.close()
    return workdir / "profile.toml"


def uploads_work(kind: str, shop_table: dict[str, Any]) -> bool:
    """Whether images can be sent: the platform holds them, and the sandbox's profile table gives
    what the adapter needs to upload (WooCommerce: a WordPress application password)."""
    if not shop_platform(kind).capabilities.images:
        return False
    return kind != "woocommerce" or bool(shop_table.get("media_password"))


def main(workdir: Path, kind: str, latency_ms: int, share: float, scale: str) -> None:
    company = workdir / "company.sqlite"
    company_url = f"sqlite:///{company.as_posix()}"
    if not company.exists():
        start = time.perf_counter()
        facts = build_company(company_url, scale=scale)  # type: ignore[arg-type]
        print(f"{scale} company: {facts.articles} articles built in {time.perf_counter() - start:.1f} s")
    references = sellable(company_url)
    images = workdir / "images"
    if not images.exists():
        written = write_images(images, references, size=48, grain=True)
        size = sum(p.stat().st_size for p in images.iterdir())
        print(f"{written} images written ({size / 1e6:.1f} MB)")
    platform = shop_platform(kind)
    print(f"{platform.label} sandbox, latency {latency_ms} ms per request\n")
    print(f"{'step':<46} {'seconds':>8} {'requests':>8} {'writes':>7} {'MB sent':>9}")

    plain = workdir / "plain"
    plain.mkdir(exist_ok=True)
    sandbox = platform.sandbox(None, latency_ms=latency_ms)
    try:
        profile = profile_for(plain, company_url, sandbox, {})
        show(timed("1. full export, no images", profile, sandbox))
        show(timed("2. again, nothing changed", profile, sandbox))
    finally:
        sandbox.stop()

    pictured = workdir / "images-run"
    pictured.mkdir(exist_ok=True)
    sandbox = platform.sandbox(None, latency_ms=latency_ms)
    try:
        with_images = uploads_work(kind, sandbox.shop_table(SECRET_PREFIX))
        options: dict[str, Any] = {"update_fields": ["name", "price", "stock", "images"], "incremental": True}
        if with_images:
            options["images"] = {"enabled": True, "folder": str(images)}
        else:
            print("(this sandbox takes no image uploads: steps 3 to 6 run without images)")
        profile = profile_for(pictured, company_url, sandbox, options)
        show(timed("3. full export with images", profile, sandbox))
        show(timed("4. again, nothing changed", profile, sandbox))
        changed = change_articles(company_url, share)
        print(f"{'':<46} {len(changed)} articles changed, their images not")
        show(timed(f"5. {share:.0%} changed (ERP read included)", profile, sandbox))
        changed = change_articles(company_url, share)
        for reference in changed:
            path = images / f"{reference}.png"
            if path.exists():
                path.write_bytes(png(48, 48, (7, 7, 7), stripe=4, grain=os.urandom(48 * 48 * 3)))
        print(f"{'':<46} {len(changed)} articles and their images changed")
        show(timed(f"6. {share:.0%} changed, images too", profile, sandbox))
    finally:
        sandbox.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shop", default="woocommerce")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--changed", type=float, default=0.01, help="share of articles changed")
    parser.add_argument("--scale", default="reference", choices=["small", "reference"])
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        main(args.workdir, args.shop, args.latency_ms, args.changed, args.scale)
    else:
        with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
            main(Path(folder), args.shop, args.latency_ms, args.changed, args.scale)
