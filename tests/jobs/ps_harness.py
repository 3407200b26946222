"""The PrestaShop job-test harness: the demo profile on a fresh company and a running
PrestaShop sandbox (as a real server), with helpers to read both sides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import create_engine, text

from comptoir.demo.runner import SECRET_PREFIX, demo_profile
from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, JobResult, connect, run_job
from comptoir.journal import MemorySink
from comptoir.model import Article
from comptoir.profile import load_profile
from comptoir.profile.secrets import write_secrets_file
from comptoir.registry import erp_platform
from comptoir.sandbox.prestashop.running import RunningPrestaShopSandbox


class PsHarness:
    """The demo profile on a fresh company and a running PrestaShop sandbox."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.company_url = f"sqlite:///{(workdir / 'company.sqlite').as_posix()}"
        erp_table = erp_platform("sage100").demo(workdir, "small")
        self.erp_table = erp_table
        self.sandbox = RunningPrestaShopSandbox.start()
        self.demo = self.sandbox.demo()
        write_secrets_file(workdir / "secrets.env", self.sandbox.secrets(SECRET_PREFIX))
        data = demo_profile(workdir, erp_table, self.sandbox, self.demo.profile_options())
        (workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        self.profile = load_profile(workdir / "profile.toml")
        self.demo.set_up()

    async def run(self, job: JobName, **options: Any) -> tuple[JobResult, list[str]]:
        sink = MemorySink()
        async with connect(self.profile) as connections:
            result = await run_job(self.profile, job, connections, sinks=[sink], **options)
        return result, sink.texts()

    def erp(self, sql: str, **params: object) -> list[dict[str, Any]]:
        engine = create_engine(self.company_url)
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            rows = [dict(r) for r in result.mappings()] if result.returns_rows else []
        engine.dispose()
        return rows

    def shop(self, resource: str, **params: str) -> list[dict[str, Any]]:
        return self.sandbox.client.list(resource, **params)

    def articles(self) -> list[Article]:
        erp = Sage100Erp(self.company_url)
        try:
            return erp.read_articles()
        finally:
            erp.close()

    def writes(self) -> int:
        return sum(
            n
            for route, n in self.sandbox.stats.by_route.items()
            if route.split(" ")[0] in ("POST", "PUT", "PATCH")
        )
