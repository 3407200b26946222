"""Alert marks: which alerts were mailed, so one problem makes one mail (see ``comptoir.alerts``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select

from comptoir.state.tables import ALERT_MARKS


@dataclass(frozen=True, slots=True)
class Mark:
    key: str
    fingerprint: str
    sent_at: datetime


class AlertMarks:
    """Marks per profile and topic (``connection:shop``, ``items:import_orders``, ``daily``…)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock

    def get(self, profile: str, topic: str) -> dict[str, Mark]:
        query = select(ALERT_MARKS).where(ALERT_MARKS.c.profile == profile, ALERT_MARKS.c.topic == topic)
        with self._engine.connect() as conn:
            return {
                r["key"]: Mark(r["key"], r["fingerprint"], r["sent_at"])
                for r in conn.execute(query).mappings()
            }

    def put(self, profile: str, topic: str, marks: dict[str, str]) -> None:
        """Record ``key → fingerprint`` as mailed now (replacing earlier marks of those keys)."""
        if not marks:
            return
        now = self._clock()
        with self._engine.begin() as conn:
            conn.execute(
                delete(ALERT_MARKS).where(
                    ALERT_MARKS.c.profile == profile,
                    ALERT_MARKS.c.topic == topic,
                    ALERT_MARKS.c.key.in_(list(marks)),
                )
            )
            conn.execute(
                insert(ALERT_MARKS),
                [
                    {"profile": profile, "topic": topic, "key": k, "fingerprint": f, "sent_at": now}
                    for k, f in marks.items()
                ],
            )

    def clear(self, profile: str, topic: str, *, before: datetime | None = None) -> int:
        """Forget a topic's marks (only those mailed before ``before`` when given)."""
        query = delete(ALERT_MARKS).where(ALERT_MARKS.c.profile == profile, ALERT_MARKS.c.topic == topic)
        if before is not None:
            query = query.where(ALERT_MARKS.c.sent_at < before)
        with self._engine.begin() as conn:
            return conn.execute(query).rowcount
