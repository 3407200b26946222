"""The task ledger: what the jobs after an import (status updates, invoices, credit notes) sent,
so each is sent exactly once whatever crashes or runs at the same time.

The shape is the order ledger's: a run **claims** a task (one row per profile, job and key,
unique in the database), does it, and records it **done** with what it did. A claim left by a
killed run expires and is taken over; the next run then does the task again with ``verify``
set, and the shop or ERP adapter finds what the killed run already did instead of doing it twice.
A failed task keeps its error and is tried again by the next run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from comptoir.state.tables import TASK_LEDGER

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class TaskRow:
    key: str
    state: str
    detail: str | None
    error: str | None
    attempts: int
    updated_at: datetime
    claim_expires_at: datetime | None

    def held(self, now: datetime) -> bool:
        """Another run works on it right now."""
        return self.state == "claimed" and self.claim_expires_at is not None and self.claim_expires_at > now


@dataclass(frozen=True, slots=True)
class TaskClaim:
    """The right to do one task until ``expires_at``; ``retaken`` when an earlier attempt may
    have gone through (the claim of a killed run taken over, or a failed attempt)."""

    key: str
    token: str
    expires_at: datetime
    retaken: bool


class TaskLedger:
    """Tasks per profile and job (``update_order_statuses``, ``send_invoices``, ``import_refunds``)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def rows(self, profile: str, job: str, keys: Iterable[str] | None = None) -> dict[str, TaskRow]:
        """What the ledger knows of these tasks (all the job's when ``None``)."""
        query = select(TASK_LEDGER).where(TASK_LEDGER.c.profile == profile, TASK_LEDGER.c.job == job)
        wanted = None if keys is None else list(dict.fromkeys(keys))
        batches = (
            [query]
            if wanted is None
            else [
                query.where(TASK_LEDGER.c.key.in_(wanted[i : i + _CHUNK]))
                for i in range(0, len(wanted), _CHUNK)
            ]
        )
        found: dict[str, TaskRow] = {}
        with self._engine.connect() as conn:
            for batch in batches:
                for r in conn.execute(batch).mappings():
                    found[r["key"]] = TaskRow(
                        r["key"],
                        r["state"],
                        r["detail"],
                        r["error"],
                        r["attempts"],
                        r["updated_at"],
                        r["claim_expires_at"],
                    )
        return found

    def claim(
        self, profile: str, job: str, key: str, ttl: timedelta, *, detail: str | None = None
    ) -> TaskClaim | None:
        """Take a task, or ``None`` when it is done or another run's live claim holds it.

        ``detail`` is recorded with a new claim (what the task is about, e.g. the orders of a
        group); a claim taken over keeps the detail the first run recorded."""
        now = self._clock()
        token = str(uuid.uuid4())
        expires = now + ttl
        values = {"state": "claimed", "claim_token": token, "claim_expires_at": expires, "updated_at": now}
        with self._engine.begin() as conn:
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(TASK_LEDGER).values(profile=profile, job=job, key=key, attempts=1, **values)
                    )
                return TaskClaim(key, token, expires, retaken=False)
            except IntegrityError:
                pass
            result = conn.execute(
                update(TASK_LEDGER)
                .where(
                    TASK_LEDGER.c.profile == profile,
                    TASK_LEDGER.c.job == job,
                    TASK_LEDGER.c.key == key,
                    or_(
                        TASK_LEDGER.c.state == "failed",
                        and_(TASK_LEDGER.c.state == "claimed", TASK_LEDGER.c.claim_expires_at <= now),
                    ),
                )
                .values(attempts=TASK_LEDGER.c.attempts + 1, **values)
            )
        return TaskClaim(key, token, expires, retaken=True) if result.rowcount == 1 else None

    def _settle(self, profile: str, job: str, claim: TaskClaim, values: dict[str, object]) -> bool:
        with self._engine.begin() as conn:
            result = conn.execute(
                update(TASK_LEDGER)
                .where(
                    TASK_LEDGER.c.profile == profile,
                    TASK_LEDGER.c.job == job,
                    TASK_LEDGER.c.key == claim.key,
                    TASK_LEDGER.c.claim_token == claim.token,
                )
                .values(claim_token=None, claim_expires_at=None, updated_at=self._clock(), **values)
            )
        return result.rowcount == 1

    def done(self, profile: str, job: str, claim: TaskClaim, detail: str) -> bool:
        """The task is done; False when the claim was lost (another run took it over)."""
        return self._settle(profile, job, claim, {"state": "done", "detail": detail, "error": None})

    def failed(self, profile: str, job: str, claim: TaskClaim, error: str) -> bool:
        """The task failed; the next run tries it again."""
        return self._settle(profile, job, claim, {"state": "failed", "error": error})

    def release(self, profile: str, job: str, claim: TaskClaim) -> bool:
        """Give an untouched claim back (nothing was done)."""
        with self._engine.begin() as conn:
            result = conn.execute(
                delete(TASK_LEDGER).where(
                    TASK_LEDGER.c.profile == profile,
                    TASK_LEDGER.c.job == job,
                    TASK_LEDGER.c.key == claim.key,
                    TASK_LEDGER.c.claim_token == claim.token,
                    TASK_LEDGER.c.attempts == 1,
                )
            )
        if result.rowcount == 1:
            return True
        return self._settle(profile, job, claim, {"state": "failed", "error": "given back"})

    def forget(self, profile: str, job: str, keys: Iterable[str] | None = None) -> int:
        """Forget tasks (all the job's when ``None``) so they are done again; return how many."""
        query = delete(TASK_LEDGER).where(TASK_LEDGER.c.profile == profile, TASK_LEDGER.c.job == job)
        with self._engine.begin() as conn:
            if keys is None:
                return conn.execute(query).rowcount
            wanted = list(keys)
            return sum(
                conn.execute(query.where(TASK_LEDGER.c.key.in_(wanted[i : i + _CHUNK]))).rowcount
                for i in range(0, len(wanted), _CHUNK)
            )
