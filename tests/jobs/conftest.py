"""Fixtures for job tests: the small demo company on SQLite, the sandbox shop as a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from job_harness import Harness


@pytest.fixture
def harness(tmp_path: Path, woo_sandbox: Any) -> Iterator[Harness]:
    made = Harness(tmp_path, woo_sandbox)
    yield made
    made.client.close()
