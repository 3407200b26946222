"""Fixtures for job tests: the small demo company on SQLite, the sandbox shop as a real server; or
the in-memory fakes of both, for the tests of the jobs' own logic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from job_harness import Harness
from ps_harness import PsHarness

from fakes import FakeWorld


@pytest.fixture
def harness(tmp_path: Path, woo_sandbox: Any) -> Iterator[Harness]:
    made = Harness(tmp_path, woo_sandbox)
    yield made
    made.client.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[FakeWorld]:
    """The small fake company, an empty fake shop and a real state store; jobs run through run_job."""
    made = FakeWorld(tmp_path)
    yield made
    made.close()


@pytest.fixture
def ps(tmp_path: Path) -> Iterator[PsHarness]:
    """The small demo company on SQLite and a PrestaShop sandbox as a real server."""
    made = PsHarness(tmp_path)
    yield made
    made.demo.close()
    made.sandbox.stop()
