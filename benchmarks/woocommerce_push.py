"""Push N variations (and their parent products) to the WooCommerce sandbox, with a fixed latency,
first with comptoir's adapter, then with a naive client (one request per item, 25 ms pause between
requests, as desktop connectors do), in the same run. Prints requests, seconds and ratios.

    python benchmarks/woocommerce_push.py                 # N = 1,000 and 15,000, 50 ms latency
    python benchmarks/woocommerce_push.py --n 15000 --naive-sample 1500

Grouping: ``--per-parent`` variations per variable product (default 5, e.g. sizes or packaging
units). Variations of several parents share each ``variations/batch`` request (every item names its
``product_id``, see docs/shops/woocommerce.md), so each endpoint needs about ceil(count / 100)
requests. ``--naive-sample K`` times the naive client on its first K items only and extrapolates
linearly (it runs one item after the other, so its time is linear); the output says so.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import ssl
import time
from decimal import Decimal

import httpx

from comptoir.model import AttributeDraft, ProductDraft, ProductKind
from comptoir.profile import HttpOptions, SecretResolver
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.shop.woocommerce import WooCommerceShop
from comptoir.shop.woocommerce.settings import WooCommerceSettings

NAIVE_PAUSE = 0.025


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


async def run_adapter(server: SandboxServer, drafts: list[ProductDraft]) -> tuple[int, float, dict[str, int]]:
    settings = WooCommerceSettings(url=server.url, http=HttpOptions(ca_file=server.ca_file))
    secrets = SecretResolver(
        environ={"COMPTOIR_SHOP_KEY": server.consumer_key, "COMPTOIR_SHOP_SECRET": server.consumer_secret}
    )
    started = time.perf_counter()
    async with WooCommerceShop.from_settings(settings, secrets) as shop:
        found = await shop.find_products([d.sku for d in drafts])
        results = await shop.save_products([d for d in drafts if d.sku not in found], [])
    seconds = time.perf_counter() - started
    failed = [r for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{len(failed)} items failed, first: {failed[0]}")
    routes = {
        "lookups (GET products?sku=)": server.stats.count("GET /wc/v3/products"),
        "products/batch": server.stats.count("POST /wc/v3/products/batch"),
        "variations/batch": server.stats.count("POST /wc/v3/products/<product_id>/variations/batch"),
    }
    return server.stats.requests, seconds, routes


def run_naive(
    server: SandboxServer, parents: list[ProductDraft], variations: list[ProductDraft], limit: int
) -> tuple[int, float, int]:
    """One request per item, a pause between requests; returns (requests, seconds, items done)."""
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    auth = (server.consumer_key, server.consumer_secret)
    ids: dict[str, int] = {}
    done = 0
    started = time.perf_counter()
    with httpx.Client(base_url=server.api_url, verify=verify, auth=auth, timeout=30) as http:
        for parent in parents:
            if done >= limit:
                break
            body = {
                "name": parent.name,
                "sku": parent.sku,
                "type": "variable",
                "attributes": [
                    {"name": "Taille", "options": list(parent.attributes[0].options), "variation": True}
                ]
                if parent.attributes
                else [],
            }
            ids[parent.sku] = http.post("/products", json=body).raise_for_status().json()["id"]
            done += 1
            time.sleep(NAIVE_PAUSE)
            for variation in (v for v in variations if v.parent_sku == parent.sku):
                if done >= limit:
                    break
                options = variation.variation_options or ()
                body = {
                    "sku": variation.sku,
                    "regular_price": "19.90",
                    "manage_stock": True,
                    "stock_quantity": 5,
                    "attributes": [{"name": n, "option": o} for n, o in options],
                }
                http.post(f"/products/{ids[parent.sku]}/variations", json=body).raise_for_status()
                done += 1
                time.sleep(NAIVE_PAUSE)
    return server.stats.requests, time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 15000], help="variations to push")
    parser.add_argument("--per-parent", type=int, default=5, help="variations per variable product")
    parser.add_argument("--latency-ms", type=int, default=50, help="latency injected in every answer")
    parser.add_argument(
        "--naive-sample", type=int, default=0, help="time the naive client on K items (0 = all)"
    )
    args = parser.parse_args()
    print(f"latency {args.latency_ms} ms, {args.per_parent} variations per product, naive pause 25 ms")
    for n in args.n:
        parents, variations = catalog(n, args.per_parent)
        items = len(parents) + len(variations)
        with SandboxServer(latency_ms=args.latency_ms) as server:
            requests, seconds, routes = asyncio.run(run_adapter(server, [*parents, *variations]))
        with SandboxServer(latency_ms=args.latency_ms) as server:
            limit = items if args.naive_sample <= 0 else min(args.naive_sample, items)
            naive_requests, naive_seconds, done = run_naive(server, parents, variations, limit)
        scale = items / done
        naive_total = naive_seconds * scale
        print(f"\nN = {n:,} variations + {len(parents):,} parent products = {items:,} items")
        for route, count in routes.items():
            target = math.ceil((len(variations) if "variations" in route else len(parents)) / 100)
            if route.startswith("lookups"):
                target = math.ceil(items / 100)
            print(
                f"  comptoir {route:<28} {count:>6} requests"
                f"  (ceil(count/100) = {target}, ratio {count / target:.2f})"
            )
        print(f"  comptoir total                       {requests:>6} requests  {seconds:8.1f} s")
        label = "measured" if done == items else f"extrapolated from {done:,} items"
        print(
            f"  naive    total                       {round(naive_requests * scale):>6} requests  "
            f"{naive_total:8.1f} s ({label})"
        )
        print(f"  speed-up {naive_total / seconds:.0f}x, requests / {naive_requests * scale / requests:.0f}")


if __name__ == "__main__":
    main()
