"""Two writers at once never get the same document number, and never import an order twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from comptoir.erp.base import DuplicateDocument, ErpError
from comptoir.erp.sage100 import Sage100Erp, connection, numbering
from comptoir.model import DocumentLine, DocumentRef, DocumentType, SalesDocument

PER_WRITER = 6


def document(shop_id: str) -> SalesDocument:
    return SalesDocument(
        type=DocumentType.ORDER,
        customer_code="AUBERGE",
        date=date(2026, 1, 10),
        lines=(DocumentLine("VIN-TAVEL-ROSE", "Tavel", Decimal(1), Decimal("12.50"), "C20", Decimal(20)),),
        shop_order_id=shop_id,
    )


@pytest.fixture
def slow_numbering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the race window: a pause between reading the counter and writing it back."""
    original = numbering._taken

    def slow(conn: Any, candidate: str) -> bool:
        time.sleep(0.02)
        return original(conn, candidate)

    monkeypatch.setattr(numbering, "_taken", slow)


def run_writers(url: str, jobs: list[list[str]]) -> tuple[list[DocumentRef], list[Exception]]:
    """One thread and one adapter per list of shop order ids, started together."""
    barrier = threading.Barrier(len(jobs))
    created: list[DocumentRef] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def writer(ids: list[str]) -> None:
        erp = Sage100Erp(url, user_code="TEST")
        try:
            erp.find_customer("AUBERGE")  # the context (free fields, columns present) is loaded once, here
            barrier.wait()
            for shop_id in ids:
                try:
                    ref = erp.create_sales_document(document(shop_id))
                    with lock:
                        created.append(ref)
                except ErpError as exc:
                    with lock:
                        errors.append(exc)
        finally:
            erp.close()

    threads = [threading.Thread(target=writer, args=(ids,)) for ids in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return created, errors


@pytest.mark.usefixtures("slow_numbering")
def test_two_writers_never_share_a_number(company_url: str, sql: Callable[..., list[Any]]) -> None:
    jobs = [[f"A{i}" for i in range(PER_WRITER)], [f"B{i}" for i in range(PER_WRITER)]]
    created, errors = run_writers(company_url, jobs)
    assert errors == []
    numbers = sorted(ref.number for ref in created)
    assert numbers == [f"BC{n:05d}" for n in range(1, 2 * PER_WRITER + 1)]
    line_numbers = [row[0] for row in sql(company_url, 'SELECT "DL_No" FROM "F_DOCLIGNE"')]
    assert len(line_numbers) == len(set(line_numbers)) == 2 * PER_WRITER


@pytest.mark.usefixtures("slow_numbering")
def test_the_same_order_from_two_writers_is_written_once(company_url: str) -> None:
    created, errors = run_writers(company_url, [["187"], ["187"]])
    assert len(created) == 1 and len(errors) == 1
    assert isinstance(errors[0], DuplicateDocument) and errors[0].existing == created[0]


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.usefixtures("slow_numbering")
def test_without_the_writer_lock_writers_collide(company_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: the race the lock prevents is real on this machine."""
    monkeypatch.setattr(connection, "lock_writers", lambda conn: [])
    created, errors = run_writers(company_url, [["A1"], ["B1"]])
    assert len(created) == 1 and len(errors) == 1
    assert "refused the write" in str(errors[0])
