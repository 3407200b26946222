"""Fixtures of the dashboard tests: Chromium (Debian's) driven by Playwright, and a real
``comptoir serve`` process over a demo profile (see ``dashboard_harness``)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dashboard_harness import CHROMIUM_FLAGS, PASSWORD, USER, Dashboard, Harness, chromium_path, free_port

from comptoir.web.users import Users


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per module: Playwright's synchronous API runs an event loop in this thread
    while it is open, which the asynchronous tests of other modules must not find running."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def dashboard(tmp_path: Path, woo_sandbox: Any) -> Iterator[Dashboard]:
    harness = Harness(tmp_path, woo_sandbox)
    Users(tmp_path / ".comptoir" / "users").set(USER, PASSWORD)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "comptoir", "serve", "--profiles", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, process.stdout.read() if process.stdout else "serve stopped"
        try:
            if httpx.get(f"{url}/login", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.1)
    try:
        yield Dashboard(url, harness, process)
    finally:
        process.terminate()
        process.wait(timeout=90)
        harness.client.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()
