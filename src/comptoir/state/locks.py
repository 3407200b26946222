"""Run locks: one run of a profile's job at a time, across processes and machines.

A lock is one row per (profile, job) in ``run_locks``, unique in the database: taking it inserts
the row, or takes over a row whose expiry has passed (its holder died or hung). The holder keeps
it alive while it works (``LockKeeper`` refreshes the expiry from a thread, so a long blocking
ERP query does not let it lapse) and deletes the row when done. Expiry is read in the store's
clock: machines sharing one state database keep their clocks in time (NTP), as for order claims.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from comptoir.state.tables import RUN_LOCKS

DEFAULT_TTL = timedelta(minutes=5)
"""How long a lock lives without being refreshed (a killed run blocks its job this long at most)."""


def this_process() -> str:
    """Who holds a lock taken here, for people: ``host pid 1234``."""
    return f"{socket.gethostname()} pid {os.getpid()}"


@dataclass(frozen=True, slots=True)
class RunLock:
    """A lock this process holds (``token`` proves it)."""

    profile: str
    job: str
    token: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a profile's job, since when, and until when at the latest."""

    job: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


class RunLocks:
    """Take, refresh, release and list run locks in the state database."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def acquire(
        self, profile: str, job: str, ttl: timedelta = DEFAULT_TTL, *, holder: str | None = None
    ) -> RunLock | None:
        """Take the lock of ``profile``'s ``job``; ``None`` while another live run holds it."""
        now = self._clock()
        lock = RunLock(profile, job, str(uuid.uuid4()), holder or this_process(), now, now + ttl)
        values = {
            "token": lock.token,
            "holder": lock.holder[:255],
            "acquired_at": now,
            "expires_at": lock.expires_at,
        }
        with self._engine.begin() as conn:
            try:
                with conn.begin_nested():
                    conn.execute(insert(RUN_LOCKS).values(profile=profile, job=job, **values))
                return lock
            except IntegrityError:
                pass
            taken = conn.execute(
                update(RUN_LOCKS)
                .where(RUN_LOCKS.c.profile == profile, RUN_LOCKS.c.job == job, RUN_LOCKS.c.expires_at <= now)
                .values(**values)
            )
            return lock if taken.rowcount == 1 else None

    def refresh(self, lock: RunLock, ttl: timedelta = DEFAULT_TTL) -> RunLock | None:
        """Push the expiry ``ttl`` from now; ``None`` when the lock was lost (expired and taken)."""
        expires = self._clock() + ttl
        with self._engine.begin() as conn:
            result = conn.execute(
                update(RUN_LOCKS)
                .where(
                    RUN_LOCKS.c.profile == lock.profile,
                    RUN_LOCKS.c.job == lock.job,
                    RUN_LOCKS.c.token == lock.token,
                )
                .values(expires_at=expires)
            )
        return replace(lock, expires_at=expires) if result.rowcount == 1 else None

    def release(self, lock: RunLock) -> bool:
        """Give the lock back; False when it had already been taken over."""
        with self._engine.begin() as conn:
            result = conn.execute(
                delete(RUN_LOCKS).where(
                    RUN_LOCKS.c.profile == lock.profile,
                    RUN_LOCKS.c.job == lock.job,
                    RUN_LOCKS.c.token == lock.token,
                )
            )
        return result.rowcount == 1

    def holders(self, profile: str) -> dict[str, LockHolder]:
        """Job → who holds it now (expired locks are left out: anyone may take them)."""
        query = select(RUN_LOCKS).where(
            RUN_LOCKS.c.profile == profile, RUN_LOCKS.c.expires_at > self._clock()
        )
        with self._engine.connect() as conn:
            return {
                r["job"]: LockHolder(r["job"], r["holder"], r["acquired_at"], r["expires_at"])
                for r in conn.execute(query).mappings()
            }


class LockKeeper:
    """Keeps a lock alive from a thread while a run works, and releases it at the end.

    ``lost`` turns true when a refresh found the lock taken over (the run stalled past its
    expiry): the caller journals it.
    """

    def __init__(self, locks: RunLocks, lock: RunLock, ttl: timedelta = DEFAULT_TTL) -> None:
        self._locks = locks
        self.lock = lock
        self._ttl = ttl
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep, name=f"lock {lock.job}", daemon=True)
        self.lost = False

    def _keep(self) -> None:
        interval = max(self._ttl.total_seconds() / 3, 0.05)
        while not self._stop.wait(interval):
            refreshed = self._locks.refresh(self.lock, self._ttl)
            if refreshed is None:
                self.lost = True
                return
            self.lock = refreshed

    def __enter__(self) -> LockKeeper:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        if not self.lost and not self._locks.release(self.lock):
            self.lost = True
