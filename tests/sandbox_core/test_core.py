"""The shared sandbox core: store and its indexes, movable clock, routes, faults, stats, server.

The server-level behaviours (latency, faults, stats) are exercised through a real platform
sandbox on a real socket; the pieces with no HTTP of their own are tested directly.
"""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from comptoir.sandbox.core import Clock, Faults, Index, Store
from comptoir.sandbox.core.routing import crud_routes, match
from comptoir.sandbox.woocommerce import SandboxServer


def test_store_indexes_are_declared_per_platform_and_survive_a_restart(tmp_path: Path) -> None:
    indexes = (
        Index(
            "sku",
            {"product": "sku", "variation": "sku"},
            case_sensitive=True,
            skip=lambda r: bool(r.get("gone")),
        ),
        Index("email", {"customer": "email"}),
    )
    store = Store(tmp_path / "shop.sqlite", indexes)
    with store.lock:
        store.put("product", store.next_id("post"), {"sku": "ABC"})
        store.put("variation", store.next_id("post"), {"sku": "abc"})
        store.put("customer", 1, {"email": "Jeanne@Example.fr"})
        store.put("product", 9, {"sku": "OLD", "gone": True})
        store.commit()
    store.close()
    reopened = Store(tmp_path / "shop.sqlite", indexes)
    assert reopened.lookup("sku", "ABC") == ("product", 1)
    assert reopened.lookup("sku", "abc") == ("variation", 2)
    assert reopened.lookup("email", "jeanne@example.FR") == ("customer", 1)
    assert reopened.lookup("sku", "OLD") is None, "a skipped record frees its value"
    assert reopened.next_id("post") == 3, "sequences are kept"
    with reopened.lock:
        reopened.delete("product", 1)
    assert reopened.lookup("sku", "ABC") is None
    reopened.close()


def test_the_clock_moves_freezes_and_returns_to_real_time() -> None:
    clock = Clock()
    real = datetime.now(UTC)
    assert abs(clock() - real) < timedelta(seconds=2)
    clock.advance(timedelta(days=3))
    assert abs(clock() - (real + timedelta(days=3))) < timedelta(seconds=2)
    frozen = clock.freeze(datetime(2026, 1, 15, 9, 30, tzinfo=UTC))
    assert clock() == frozen == datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    assert clock.advance(timedelta(hours=2)) == datetime(2026, 1, 15, 11, 30, tzinfo=UTC)
    clock.set(datetime(2020, 5, 1, tzinfo=UTC))
    assert abs(clock() - datetime(2020, 5, 1, tzinfo=UTC)) < timedelta(seconds=2)
    clock.reset()
    assert abs(clock() - datetime.now(UTC)) < timedelta(seconds=2)
    with pytest.raises(ValueError, match="aware"):
        clock.freeze(datetime(2026, 1, 1))


def test_crud_routes_cover_a_resource_and_name_it_for_stats() -> None:
    routes = crud_routes("/api/<resource:s>", list_items="L", create="C", view="V", edit="E", delete="D")
    found = match(routes, "HEAD", "/api/products")
    assert found is not None and found[0].handler == "L" and found[1] == {"resource": "products"}
    found = match(routes, "PATCH", "/api/products/12")
    assert found is not None and found[0].handler == "E" and found[0].name == "/api/<resource>/<id>"
    found = match(routes, "DELETE", "/api/products/12/")
    assert found is not None and found[0].permission == "delete"
    assert match(routes, "DELETE", "/api/products") is None
    assert match(routes, "GET", "/api/products/x") is None


def test_item_faults_pick_an_item_by_sku_a_limited_number_of_times() -> None:
    faults = Faults(seed=1)
    faults.fail_item(route="POST /api/products", sku="B", count=1, message="refused")
    assert faults.item_fault("/api/products", "create", 0, {"sku": "A"}) is None
    rule = faults.item_fault("/api/products", "create", 1, {"sku": "B"})
    assert rule is not None and rule.message == "refused" and rule.code == ""
    assert faults.item_fault("/api/products", "create", 1, {"sku": "B"}) is None, "count spent"


def _client(server: SandboxServer) -> httpx.Client:
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    return httpx.Client(
        base_url=server.api_url, verify=verify, auth=(server.consumer_key, server.consumer_secret)
    )


def test_a_sandbox_stamps_its_writes_with_the_movable_clock(woo_sandbox: SandboxServer) -> None:
    woo_sandbox.clock.freeze(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    with _client(woo_sandbox) as http:
        created = http.post("/products", json={"name": "Bol", "regular_price": "9.90"}).json()
        woo_sandbox.clock.advance(timedelta(days=2))
        updated = http.put(f"/products/{created['id']}", json={"regular_price": "10.90"}).json()
    assert created["date_created_gmt"] == "2026-03-02T08:00:00"
    assert updated["date_modified_gmt"] == "2026-03-04T08:00:00"


def test_stats_count_a_request_before_its_answer_arrives(woo_sandbox: SandboxServer) -> None:
    with _client(woo_sandbox) as http:
        for expected in range(1, 31):
            http.get("/products")
            assert woo_sandbox.stats.count("GET /wc/v3/products") == expected
    assert woo_sandbox.stats.by_status[200] == 30


def test_a_sandbox_answers_without_waiting_for_acknowledgements(woo_sandbox: SandboxServer) -> None:
    """Every connection the sandbox accepts sends without Nagle's algorithm, as a web server does:
    an answer's body never waits for the client to acknowledge its headers."""
    with _client(woo_sandbox) as http:
        assert http.get("/products").status_code == 200
        assert woo_sandbox._server is not None
        connections = list(woo_sandbox._server.server_state.connections)
        assert connections
        for protocol in connections:
            accepted = protocol.transport.get_extra_info("socket")
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
