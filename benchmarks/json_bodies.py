"""JSON bodies of a product push: comptoir's encoder and decoder (orjson, ``shop/http.py``) against
the standard library's ``json`` as httpx uses it, on the very bodies a push sends and receives.

The adapter pushes N variations (and their variable products) to the WooCommerce sandbox; every
request body and every answer is kept, then each is encoded (requests) or decoded (answers) again
by both, ``--repeat`` times, the best time kept. Prints the bodies' sizes, milliseconds per
hundred items each way, and the ratio.

    python benchmarks/json_bodies.py               # N = 2,000, 5 variations per product
    python benchmarks/json_bodies.py --n 5000 --repeat 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import comptoir.shop.http as http
import comptoir.shop.woocommerce.api as api
from comptoir.profile import HttpOptions, SecretResolver
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.shop.woocommerce import WooCommerceShop
from comptoir.shop.woocommerce.settings import WooCommerceSettings

sys.path.insert(0, str(Path(__file__).parent))
from woocommerce_push import catalog


def stdlib_encode(value: Any) -> bytes:
    """What httpx's ``json=`` sends (httpx 0.28: UTF-8, no spaces, NaN refused)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def best(function: Callable[[Any], Any], items: list[Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for item in items:
            function(item)
        times.append(time.perf_counter() - started)
    return min(times)


async def capture(n: int, per_parent: int) -> tuple[list[Any], list[bytes]]:
    """The request bodies (as objects) and answers (as bytes) of a push of ``n`` variations."""
    sent: list[Any] = []
    answered: list[bytes] = []
    encode, decode = http.encode_json, api.decode_json

    def keep_sent(value: Any) -> bytes:
        sent.append(value)
        return encode(value)

    def keep_answer(content: bytes) -> Any:
        answered.append(content)
        return decode(content)

    http.encode_json, api.decode_json = keep_sent, keep_answer  # type: ignore[assignment]
    try:
        parents, variations = catalog(n, per_parent)
        with SandboxServer() as server:
            settings = WooCommerceSettings(url=server.url, http=HttpOptions(ca_file=server.ca_file))
            secrets = SecretResolver(
                environ={
                    "COMPTOIR_SHOP_KEY": server.consumer_key,
                    "COMPTOIR_SHOP_SECRET": server.consumer_secret,
                }
            )
            async with WooCommerceShop.from_settings(settings, secrets) as shop:
                results = await shop.save_products([*parents, *variations], [])
        if not all(r.ok for r in results):
            raise SystemExit("the push failed: " + str(next(r for r in results if not r.ok)))
    finally:
        http.encode_json, api.decode_json = encode, decode  # type: ignore[assignment]
    return sent, answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="variations pushed")
    parser.add_argument("--per-parent", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    sent, answered = asyncio.run(capture(args.n, args.per_parent))
    items = args.n + -(-args.n // args.per_parent)
    hundreds = items / 100
    for a, b in zip(sent, (json.loads(stdlib_encode(v)) for v in sent), strict=True):
        if json.loads(http.encode_json(a)) != b:
            raise SystemExit("orjson and json wrote different documents")
    rows = [
        (
            "encode requests",
            len(sent),
            sum(len(stdlib_encode(v)) for v in sent),
            best(stdlib_encode, sent, args.repeat),
            best(http.encode_json, sent, args.repeat),
        ),
        (
            "decode answers",
            len(answered),
            sum(len(a) for a in answered),
            best(json.loads, answered, args.repeat),
            best(http.decode_json, answered, args.repeat),
        ),
    ]
    print(f"{items:,} items ({args.n:,} variations), best of {args.repeat}")
    print(f"{'':16} {'bodies':>7} {'KB':>8} {'json ms/100':>12} {'comptoir ms/100':>16} {'ratio':>6}")
    for what, count, size, slow, fast in rows:
        print(
            f"{what:16} {count:7} {size / 1024:8.0f} {slow * 1000 / hundreds:12.3f}"
            f" {fast * 1000 / hundreds:16.3f} {slow / fast:5.1f}×"
        )


if __name__ == "__main__":
    main()
