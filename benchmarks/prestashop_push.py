"""Push N variations (and their parent products) to the PrestaShop sandbox at a fixed latency, first
with comptoir's adapter, then with a naive client (sequential, one request after the other for each
item), in the same run. Prints requests, seconds, the floor and the ratios.

    python benchmarks/prestashop_push.py                          # N = 1,000, 50 ms, concurrency 4 and 16
    python benchmarks/prestashop_push.py --n 3000 --concurrency 8 --naive-sample 300

PrestaShop's webservice has no batch endpoint: every product, combination and stock row is one
request, so the adapter's throughput comes from requests in flight at once (``--concurrency``,
the profile's ``shop.http.concurrency``) and from sending only what is needed (a new stock row
at 0 is not written, attribute values are created once). The floor is
``requests × latency ÷ concurrency``: no client of the webservice can do better with that many
requests. The naive client creates each product, each combination and sets each stock row one
request after the other (it needs to read the row's id first), like a simple script would.

The sandbox runs in its own process (``comptoir sandbox prestashop``), as a shop runs on its own
server: in the benchmark's process it would share the interpreter's lock with the client and
measure both at once.

``--extrapolate N`` adds the figures for N variations (the reference catalog of SPEC §11 has
~15,000): requests grow linearly with N, so the floor does; the adapter's time is extrapolated
from its measured time per request over the floor. The sandbox itself keeps its records in
memory and scans them for each request (its own cost grows with the catalog), which is why the
full catalog is not pushed here; the output says what was measured and what was extrapolated.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import re
import signal
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx

from comptoir.model import AttributeDraft, ProductDraft, ProductKind
from comptoir.profile import HttpOptions, SecretResolver
from comptoir.sandbox.prestashop.client import xml_body
from comptoir.shop.prestashop import PrestaShopShop
from comptoir.shop.prestashop.settings import PrestaShopSettings


def catalog(n: int, per_parent: int) -> tuple[list[ProductDraft], list[ProductDraft]]:
    parents = []
    variations = []
    for p in range(math.ceil(n / per_parent)):
        size = min(per_parent, n - p * per_parent)
        options = tuple(f"T{v}" for v in range(size))
        parents.append(
            ProductDraft(
                f"M-{p}",
                kind=ProductKind.VARIABLE,
                name=f"Modèle {p}",
                enabled=True,
                tax_code="C20",
                attributes=(AttributeDraft("Taille", options),),
            )
        )
        variations += [
            ProductDraft(
                f"M-{p}-{o}",
                kind=ProductKind.VARIATION,
                parent_sku=f"M-{p}",
                regular_price=Decimal("19.90"),
                manage_stock=True,
                stock_quantity=5,
                variation_options=(("Taille", o),),
            )
            for o in options
        ]
    return parents, variations


@dataclass(frozen=True)
class Server:
    """A sandbox served by another process."""

    url: str
    key: str
    ca_file: Path

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"


@contextmanager
def sandbox(latency_ms: int) -> Iterator[Server]:
    """``comptoir sandbox prestashop`` in a child process, on a free port, until the block ends."""
    command = [sys.executable, "-m", "comptoir", "sandbox", "prestashop", "--port", "0"]
    process = subprocess.Popen([*command, "--latency-ms", str(latency_ms)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    seen = ""
    for line in process.stdout:
        seen += line
        if line.startswith("Press Ctrl-C"):
            break
    url = re.search(r"listening on (\S+)", seen)
    key = re.search(r"COMPTOIR_SHOP_KEY=(\S+)", seen)
    ca = re.search(r"CA file:\s+(\S+)", seen)
    if not (url and key and ca):
        process.kill()
        raise SystemExit(f"the sandbox did not start: {seen}")
    try:
        yield Server(url.group(1), key.group(1), Path(ca.group(1)))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


async def run_adapter(server: Server, drafts: list[ProductDraft], concurrency: int) -> tuple[int, float]:
    settings = PrestaShopSettings(
        url=server.url,
        tax_rules_groups={"C20": 1},
        http=HttpOptions(ca_file=server.ca_file, request_delay_ms=0, concurrency=concurrency),
    )
    secrets = SecretResolver(environ={"COMPTOIR_SHOP_KEY": server.key})
    started = time.perf_counter()
    async with PrestaShopShop.from_settings(settings, secrets) as shop:
        found = await shop.find_products([d.sku for d in drafts])
        results = await shop.save_products([d for d in drafts if d.sku not in found], [])
        requests = shop.requests
    seconds = time.perf_counter() - started
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} items failed, first: {failed[0]}")
    return requests, seconds


def run_naive(
    server: Server, parents: list[ProductDraft], variations: list[ProductDraft], limit: int
) -> tuple[int, float, int]:
    """One request after the other; returns (requests, seconds, items done)."""
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    done = 0
    sent = [0]
    started = time.perf_counter()
    with httpx.Client(base_url=server.api_url, verify=verify, auth=(server.key, ""), timeout=30) as http:

        def post(
            resource: str, node: str, fields: dict[str, object], **assoc: list[dict[str, object]]
        ) -> int:
            sent[0] += 1
            answer = http.post(
                f"/{resource}", params={"output_format": "JSON"}, content=xml_body(node, fields, assoc)
            )
            answer.raise_for_status()
            return int(answer.json()[node]["id"])

        group = post(
            "product_options",
            "product_option",
            {"group_type": "select", "name": "Taille", "public_name": "Taille"},
        )
        values: dict[str, int] = {}
        for parent in parents:
            if done >= limit:
                break
            product = post(
                "products",
                "product",
                {
                    "reference": parent.sku,
                    "name": parent.name or "",
                    "price": "0",
                    "id_tax_rules_group": "1",
                    "active": "1",
                    "state": "1",
                    "minimal_quantity": "1",
                    "available_for_order": "1",
                    "show_price": "1",
                },
            )
            done += 1
            for variation in (v for v in variations if v.parent_sku == parent.sku):
                if done >= limit:
                    break
                option = dict(variation.variation_options or ())["Taille"]
                if option not in values:
                    values[option] = post(
                        "product_option_values",
                        "product_option_value",
                        {"id_attribute_group": group, "name": option},
                    )
                combination = post(
                    "combinations",
                    "combination",
                    {
                        "id_product": product,
                        "reference": variation.sku,
                        "price": "19.90",
                        "minimal_quantity": "1",
                    },
                    product_option_values=[{"id": values[option]}],
                )
                sent[0] += 2
                rows = http.get(
                    "/stock_availables",
                    params={
                        "output_format": "JSON",
                        "display": "full",
                        "filter[id_product_attribute]": f"[{combination}]",
                    },
                ).json()["stock_availables"]
                row = {k: v for k, v in rows[0].items() if k != "associations"}
                row["quantity"] = "5"
                http.put(
                    f"/stock_availables/{row['id']}", content=xml_body("stock_available", row)
                ).raise_for_status()
                done += 1
    return sent[0], time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="variations to push")
    parser.add_argument("--per-parent", type=int, default=5, help="variations per variable product")
    parser.add_argument("--latency-ms", type=int, default=50, help="latency injected in every answer")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 16], help="requests in flight")
    parser.add_argument(
        "--naive-sample", type=int, default=300, help="time the naive client on K items (0 = all)"
    )
    parser.add_argument(
        "--extrapolate", type=int, default=15000, help="also give figures for this many variations"
    )
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    print(f"latency {args.latency_ms} ms, {args.per_parent} variations per product")
    for n in args.n:
        parents, variations = catalog(n, args.per_parent)
        items = len(parents) + len(variations)
        print(f"\nN = {n:,} variations + {len(parents):,} parent products = {items:,} items")
        runs = []
        for concurrency in args.concurrency:
            with sandbox(args.latency_ms) as server:
                requests, seconds = asyncio.run(run_adapter(server, [*parents, *variations], concurrency))
            floor = requests * latency / concurrency
            runs.append((concurrency, requests, seconds, floor))
            print(
                f"  comptoir, {concurrency:>2} in flight: {requests:>6} requests "
                f"({requests / items:.2f} per item) {seconds:8.1f} s, floor {floor:7.1f} s, "
                f"×{seconds / floor:.2f}"
            )
        with sandbox(args.latency_ms) as server:
            limit = items if args.naive_sample <= 0 else min(args.naive_sample, items)
            naive_requests, naive_seconds, done = run_naive(server, parents, variations, limit)
        scale = items / done
        naive_total = naive_seconds * scale
        label = "measured" if done == items else f"extrapolated from {done:,} items"
        naive_all = naive_requests * scale
        print(
            f"  naive, sequential:  {round(naive_all):>6} requests  {naive_total:8.1f} s ({label}), "
            f"floor {naive_all * latency:7.1f} s"
        )
        for concurrency, _, seconds, _ in runs:
            print(f"  speed-up at {concurrency:>2} in flight: {naive_total / seconds:.1f}x")
        if args.extrapolate and args.extrapolate != n:
            factor = args.extrapolate / n
            print(f"\n  extrapolated to {args.extrapolate:,} variations (requests × {factor:g}, linear):")
            for concurrency, requests, seconds, floor in runs:
                big = requests * factor
                big_floor = big * latency / concurrency
                print(
                    f"    comptoir, {concurrency:>2} in flight: ~{big:,.0f} requests, "
                    f"floor {big_floor:,.0f} s, "
                    f"~{seconds / floor * big_floor:,.0f} s at the measured ×{seconds / floor:.2f}"
                )
            print(
                f"    naive: ~{naive_requests * scale * factor:,.0f} requests, ~{naive_total * factor:,.0f} s"
            )


if __name__ == "__main__":
    main()
