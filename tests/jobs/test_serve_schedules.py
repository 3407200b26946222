"""``comptoir serve`` runs scheduled jobs in a real process, and stops cleanly on SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

from job_harness import Harness

from comptoir.state import StateStore


def test_serve_runs_a_scheduled_job_and_stops_on_sigterm(harness: Harness) -> None:
    harness.write_profile(schedules={"update_stock": {"every": "10s"}})
    assert harness.command("export-products").returncode == 0
    server = subprocess.Popen(
        [sys.executable, "-m", "comptoir", "serve", "--no-web", "--profiles", str(harness.workdir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        store = StateStore.open(harness.profile.state_url())
        try:
            deadline = time.monotonic() + 60
            done = []
            while time.monotonic() < deadline and not done:
                time.sleep(0.5)
                done = [r for r in store.runs("demo") if r.job == "update_stock" and r.finished_at]
            assert done, "no scheduled run within a minute"
            assert done[0].status == "ok"
        finally:
            store.close()
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=90)
    assert server.returncode == 0, output
    assert re.search(r"demo update_stock: exit 0 - [\d: -]+ - Mise à jour des stocks : fin", output), output
