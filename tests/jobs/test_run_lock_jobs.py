"""Every job run takes its run lock: a second run of the same profile and job does nothing."""

from __future__ import annotations

from datetime import timedelta

from job_harness import Harness

from comptoir.jobs.runner import ExitCode, JobName, RunStatus
from comptoir.state import StateStore


def test_a_job_held_elsewhere_does_not_run_and_exits_3(harness: Harness) -> None:
    store = StateStore.open(harness.profile.state_url())
    try:
        lock = store.locks.acquire("demo", "export_products", holder="other-host pid 4242")
        assert lock is not None
        result = harness.command("export-products")
        assert result.returncode == ExitCode.HELD, result.stdout + result.stderr
        assert "Export des articles : non lancé - une autre exécution est en cours (other-host pid 4242" in (
            result.stdout
        )
        assert harness.client.total("products") == 1, "nothing was sent: only the shop's own gift card"
        [busy] = store.runs("demo")
        assert busy.status == RunStatus.BUSY
        assert "non lancé" in store.journal(busy.id)[0].message

        other = harness.command("export-customers")
        assert other.returncode == 0, "another job of the profile is not held"

        assert store.locks.release(lock)
        again = harness.command("export-products")
        assert again.returncode == 0, again.stdout + again.stderr
        assert harness.client.total("products") > 1
        assert store.locks.holders("demo") == {}, "the run gave its lock back"
    finally:
        store.close()


async def test_a_lock_left_by_a_killed_run_expires(harness: Harness) -> None:
    store = StateStore.open(harness.profile.state_url())
    try:
        assert store.locks.acquire("demo", "update_stock", timedelta(seconds=-1), holder="dead") is not None
    finally:
        store.close()
    result, lines = await harness.run(JobName.UPDATE_STOCK)
    assert result.status is not RunStatus.BUSY, lines
    assert lines[-1].startswith("Mise à jour des stocks : fin")


async def test_a_dry_run_takes_no_lock(harness: Harness) -> None:
    store = StateStore.open(harness.profile.state_url())
    try:
        assert store.locks.acquire("demo", "export_products", holder="busy elsewhere") is not None
        result, lines = await harness.run(JobName.EXPORT_PRODUCTS, dry_run=True)
        assert result.status is RunStatus.OK
        assert any("serait créé" in line for line in lines)
        assert store.runs("demo") == [], "a dry run records nothing"
    finally:
        store.close()
