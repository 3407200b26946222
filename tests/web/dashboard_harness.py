"""Helpers of the dashboard tests: a real browser (Debian's Chromium driven by Playwright), the
server a real ``comptoir serve`` process over a demo profile, its company and a sandbox shop.

Chromium is the system's (``/usr/bin/chromium``, installed by ``scripts/test``): Playwright never
downloads a browser. With ``COMPTOIR_SCREENSHOTS=<folder>``, the tests also save screenshots of the
main pages there (``docs/screenshots`` holds the last ones).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "jobs"))

from job_harness import Harness  # noqa: E402

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USER, PASSWORD = "gerant", "motdepasse-solide"


def chromium_path() -> str:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(found).exists(), (
        "Chromium is not installed: scripts/test installs it (apt-get install chromium)"
    )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Dashboard:
    url: str
    harness: Harness
    process: subprocess.Popen[str]

    @property
    def profile_path(self) -> Path:
        return self.harness.workdir / "profile.toml"

    def client(self, *, logged_in: bool = True) -> httpx.Client:
        client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=60)
        if logged_in:
            page = client.get("/login")
            client.post("/login", data={"user": USER, "password": PASSWORD, "csrf": csrf_of(page.text)})
            assert "comptoir_session" in client.cookies
        return client

    def log_in(self, page: Any) -> None:
        page.goto(f"{self.url}/login")
        page.fill("input[name=user]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}/")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def screenshot(page: Any, name: str) -> None:
    """Save the page for the docs when ``COMPTOIR_SCREENSHOTS`` names a folder."""
    folder = os.environ.get("COMPTOIR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
