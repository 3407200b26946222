"""Order import cost per order: SQL statements and commits do not grow with the batch.

Real parts: the small demo company on SQLite, the sandbox shop as a real server, the job run
through ``run_job``. Every statement sent to the company and every commit of the company and of
the state store is counted with SQLAlchemy events (transaction control counted apart).
A batch of 10 orders and one of 50, alike (half from known customers, half from new ones, paid
orders whose payments are recorded), must cost the same per order or less: the lookups are
set-wise per batch and an order's writes are one ERP transaction.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from job_harness import Harness
from sqlalchemy import event
from sqlalchemy.engine import Engine

from comptoir.jobs.runner import JobName, RunStatus

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class Counting:
    """Statements and commits per side: the company (``erp``) and the state store (``state``)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __enter__(self) -> Counting:
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)
        return self

    def __exit__(self, *_: Any) -> None:
        event.remove(Engine, "before_cursor_execute", self._statement)
        event.remove(Engine, "commit", self._commit)

    @staticmethod
    def _side(conn: Any) -> str:
        return "erp" if "company.sqlite" in str(conn.engine.url.database or "") else "state"

    def _statement(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        control = statement.lstrip().upper().startswith(CONTROL)
        self.counts[f"{self._side(conn)} {'control' if control else 'statements'}"] += 1

    def _commit(self, conn: Any) -> None:
        self.counts[f"{self._side(conn)} commits"] += 1


def place_orders(harness: Harness, count: int, first: int, chance: random.Random) -> list[str]:
    """``count`` paid orders of 2 or 3 lines, every other one from a customer the ERP knows."""
    products = [
        p
        for p in harness.shop_all("products", type="simple", status="publish")
        if p.get("sku") and p.get("price") and not p.get("virtual")
    ]
    known = [c for c in harness.client.get("customers", per_page=100, role="all") if c.get("email")]
    assert len(products) >= 6 and known
    bodies: list[dict[str, Any]] = []
    for number in range(first, first + count):
        body: dict[str, Any] = {
            "line_items": [
                {"product_id": p["id"], "quantity": chance.randint(1, 3)}
                for p in chance.sample(products, chance.choice((2, 3)))
            ],
            "status": "processing",
            "payment_method": "cheque",
            "set_paid": True,
        }
        if number % 2 == 0:
            customer = known[number % len(known)]
            body |= {
                "customer_id": customer["id"],
                "billing": {**customer["billing"], "email": customer["email"]},
            }
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
        bodies.append(body)
    created = harness.client.post("orders/batch", {"create": bodies})["create"]
    assert all("error" not in o for o in created), created
    return [str(o["id"]) for o in created]


async def import_counted(harness: Harness, orders: list[str]) -> Counter[str]:
    with Counting() as counting:
        result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == len(orders), lines
    assert sum("règlement" in line for line in lines) == 0, lines
    return counting.counts


async def test_statements_and_commits_per_order_do_not_grow_with_the_batch(harness: Harness) -> None:
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    chance = random.Random(15)

    small = await import_counted(harness, place_orders(harness, 10, 0, chance))
    large = await import_counted(harness, place_orders(harness, 50, 10, chance))

    per_order = {key: (small[key] / 10, large[key] / 50) for key in small}
    for key, (ten, fifty) in per_order.items():
        assert fifty <= ten, (key, per_order)
    # What each further order costs: its ERP transaction, its ledger claim, the batched marks.
    extra = {key: (large[key] - small[key]) / 40 for key in small}
    assert extra["erp commits"] <= 1.0, extra
    assert extra["state commits"] <= 0.2, extra
    assert extra["erp statements"] <= 12, extra
    # BEGIN and the payment's SAVEPOINT (the commit releases it; SQLite's COMMIT is no statement).
    assert extra["erp control"] <= 2, extra
