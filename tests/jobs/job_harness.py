"""The job-test harness: a demo profile on a fresh company and a running sandbox shop."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import tomli_w

from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.journal import MemorySink
from comptoir.profile import Profile, load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform
from comptoir.sandbox.woocommerce.running import RunningWooSandbox
from comptoir.state import Clock, utcnow


class Harness:
    """A demo profile on a fresh company and a running sandbox, with helpers to run jobs."""

    def __init__(self, workdir: Path, server: Any) -> None:
        self.workdir = workdir
        self.server = server
        self.company_url = f"sqlite:///{(workdir / 'company.sqlite').as_posix()}"
        self.erp_table = erp_platform("sage100").demo(workdir, "small")
        self.sandbox = RunningWooSandbox(server)
        write_secrets_file(workdir / "secrets.env", self.sandbox.secrets(SECRET_PREFIX))
        self.demo = self.sandbox.demo()
        self.write_profile()
        self.client = self.demo.client
        self.demo.set_up()

    def write_profile(self, **sections: Any) -> Profile:
        """The demo profile with ``sections`` merged in (a table is merged, a plain value replaces)."""
        data = demo_profile(self.workdir, self.erp_table, self.sandbox, self.demo.profile_options())
        for name, values in sections.items():
            data[name] = {**data.get(name, {}), **values} if isinstance(values, dict) else values
        (self.workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        self.profile = load_profile(self.workdir / "profile.toml")
        return self.profile

    async def run(
        self, job: JobName, *, dry_run: bool = False, clock: Clock = utcnow, **options: Any
    ) -> tuple[JobResult, list[str]]:
        """Run a job in this process; ``clock`` is the state store's (claims expire by it)."""
        sink = MemorySink()
        async with connect(self.profile, clock=clock) as connections:
            result = await run_job(self.profile, job, connections, dry_run=dry_run, sinks=[sink], **options)
        return result, sink.texts()

    def command(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``comptoir <args> --profile <profile>`` as a separate process (a real, killable run)."""
        return subprocess.run(
            [sys.executable, "-m", "comptoir", *args, "--profile", str(self.workdir / "profile.toml")],
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def connections(self) -> Any:
        return connect(self.profile)

    def shop_all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = self.client.get(path, per_page=100, page=page, **params)
            items.extend(batch)
            if len(batch) < 100:
                return items
            page += 1


def gone(pid: int, timeout: float = 10.0) -> bool:
    """Whether process ``pid`` is gone, waiting up to ``timeout`` seconds for it to go."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
