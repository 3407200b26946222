"""``comptoir bench --json`` at a quick scale, as a separate process: every step is there, and its
figures agree with each other and with the company (no timing is asserted: speed is measured by
running the benchmark, docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

STEPS = [
    "export products, first run",
    "update prices, every price",
    "update stock, every quantity",
    "update stock, 1 % changed",
    "update stock, 1 % changed, scheduled",
    "update stock, 1 % changed, typed, service running",
    "export customers, first run",
    "export customers, nothing changed",
    "export customers, nothing changed, typed, service running",
    "import 12 orders",
]
PUSHES = STEPS[:4]


def test_a_quick_run_measures_every_step_with_consistent_counts(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "comptoir",
            "bench",
            "--json",
            "--scale",
            "0.01",
            "--orders",
            "12",
            "--naive-sample",
            "3",
            "--latency-ms",
            "5",
            "--workdir",
            str(tmp_path / "bench"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert (report["shop"], report["latency_ms"], report["scale"]) == ("woocommerce", 5, 0.01)
    company = report["company"]
    assert company["articles"] >= 200 and company["customers"] > 0
    assert 0 < company["stock_rows_changed"] < company["stock_rows"] / 50, "about 1 % of the rows"
    steps: dict[str, dict[str, Any]] = {s["name"]: s for s in report["steps"]}
    assert list(steps) == STEPS

    concurrency = report["concurrency"]
    for name, step in steps.items():
        counts = step["counts"]
        assert step["exit_code"] == 0 and counts["failed"] == 0, name
        assert step["written"] == counts["created"] + counts["updated"], name
        assert step["objects"] == step["written"] + counts["unchanged"], name
        assert step["peak_memory_mb"] > 0 and step["seconds"] > 0, name
        assert 0 < step["cpu_seconds"] < step["seconds"] * 2, name
        assert step["shop_cpu_seconds"] >= 0, name
        http = step["requests"] * report["latency_ms"] / 1000 / concurrency
        assert step["floor_seconds"] == pytest.approx(http + step["erp_read_seconds"], abs=0.002), name
        assert step["ratio_to_floor"] == pytest.approx(step["seconds"] / step["floor_seconds"], rel=0.03), (
            name
        )
        bound = step["erp_read_seconds"] + max(http, step["shop_cpu_seconds"])
        assert step["shop_floor_seconds"] == pytest.approx(bound, abs=0.002), name
        assert step["floor_seconds"] <= step["shop_floor_seconds"] + 0.0001, name
        assert step["ratio_to_shop_floor"] == pytest.approx(
            step["seconds"] / step["shop_floor_seconds"], rel=0.03
        ), name
        if name in PUSHES:
            assert step["naive_sample"] == 3 and step["naive_seconds"] > 0, name
        else:
            assert step["naive_seconds"] is None, name

    export = steps["export products, first run"]
    assert export["counts"]["created"] == export["objects"] > 0 and export["requests"] > 0
    prices, full = steps["update prices, every price"], steps["update stock, every quantity"]
    assert 0 < prices["counts"]["updated"] <= export["objects"], "every product with a price"
    assert 0 < full["counts"]["updated"] <= export["objects"], "every product with a quantity"
    changed = steps["update stock, 1 % changed"]
    assert 0 < changed["counts"]["updated"] <= company["stock_rows_changed"]
    assert changed["objects"] < full["objects"] / 5, "only what changed is read"
    assert changed["requests"] < full["requests"]
    scheduled = steps["update stock, 1 % changed, scheduled"]
    assert scheduled["command"] == "comptoir update-stock (warm start)"
    assert 0 < scheduled["objects"] <= changed["objects"], "the same rows changed again (and nothing older)"
    assert 0 < scheduled["counts"]["updated"] <= scheduled["objects"] and scheduled["counts"]["failed"] == 0
    typed = steps["update stock, 1 % changed, typed, service running"]
    assert typed["command"] == "comptoir update-stock (typed, service running)"
    assert 0 < typed["counts"]["updated"] <= typed["objects"] <= changed["objects"], "the run happened"
    first, again = steps["export customers, first run"], steps["export customers, nothing changed"]
    assert first["counts"]["created"] > 0
    assert again["written"] == 0 and again["requests"] == 0
    assert again["counts"]["unchanged"] == first["objects"]
    served = steps["export customers, nothing changed, typed, service running"]
    assert served["command"] == "comptoir export-customers (typed, service running)"
    assert served["counts"] == again["counts"] and served["requests"] == 0, "the same run"
    orders = steps["import 12 orders"]
    assert orders["counts"]["created"] == company["orders_placed"] == 12
