"""The audit log: what people did from the dashboard, and who (one line per action)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select

from comptoir.state.tables import AUDIT_LOG


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    user: str
    action: str
    detail: str


class AuditLog:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def record(self, profile: str, user: str, action: str, detail: str = "") -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(AUDIT_LOG).values(
                    profile=profile, at=self._clock(), user=user[:64], action=action[:64], detail=detail
                )
            )

    def entries(self, profile: str, limit: int = 100) -> list[AuditEntry]:
        query = (
            select(AUDIT_LOG)
            .where(AUDIT_LOG.c.profile == profile)
            .order_by(AUDIT_LOG.c.id.desc())
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [
                AuditEntry(r["at"], r["user"], r["action"], r["detail"])
                for r in conn.execute(query).mappings()
            ]
