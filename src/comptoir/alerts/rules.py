"""What is worth a mail, and when: after a run, and at each turn of the server's loop.

One problem makes one mail (marks in the state store remember what was sent):

- a run stopped on an error: mailed once per job and error text, again only after a run of
  that job went through;
- the shop or the ERP unusable (unreachable, key refused): mailed once, and once more when a
  later run works with it again;
- failed items: one digest per run, holding only the items not mailed in the last 7 days with
  the same reason;
- heartbeat: no order imported for N opening hours, mailed once per silence;
- daily summary: once a day, within the hour after its time.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from comptoir.journal.messages import render
from comptoir.profile import Profile
from comptoir.profile.alerts import DAYS, AlertOptions
from comptoir.state import StateStore, StoredLine

ITEM_MEMORY = timedelta(days=7)
"""How long a failed item, mailed once, stays out of the next digests (same reason)."""
SUMMARY_WINDOW = timedelta(hours=1)
"""A daily summary missed by more than this (the server was down) is skipped."""
_ITEM_PREFIX = re.compile(r"^\[\d+/\d+\]\s*")


@dataclass(frozen=True, slots=True)
class RunReport:
    """What the alerts need to know of a finished run."""

    job: str
    run_id: int | None
    aborted: bool
    error: str | None
    failure: str | None
    """What failed when the run stopped: ``shop``, ``erp`` or ``job``."""
    summary: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Mail:
    """A mail to send; ``sent()`` records it in the marks once it went out (a mail that could
    not be sent is decided again at the next occasion)."""

    subject: str
    body: str
    sent: Callable[[], object] = lambda: None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Rules:
    """Decides the mails of one profile, recording what it decided in the state store."""

    def __init__(self, profile: Profile, alerts: AlertOptions, state: StateStore) -> None:
        self.profile = profile
        self.alerts = alerts
        self.state = state
        self.zone = ZoneInfo(alerts.timezone)

    def t(self, key: str, /, **values: object) -> str:
        return render(key, self.profile.language, **values)

    def _mail(self, subject: str, body: str, sent: Callable[[], object] = lambda: None) -> Mail:
        return Mail(self.t("mail.subject", profile=self.profile.name, text=subject), body, sent)

    def _local(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.zone):%Y-%m-%d %H:%M}"

    # --- after a run ---------------------------------------------------------------------
    def after_run(self, report: RunReport, lines: list[StoredLine]) -> list[Mail]:
        """The mails a finished run calls for."""
        mails: list[Mail] = []
        title = self.t(f"job.{report.job}")
        mails += self._connection(report, title)
        if self.alerts.on_failed_run:
            mails += self._run_failed(report, title)
        if self.alerts.on_failed_items:
            mails += self._items(report, title, lines)
        return mails

    def _connection(self, report: RunReport, title: str) -> list[Mail]:
        if not self.alerts.on_connection:
            return []
        mails = []
        marks = self.state.alert_marks
        name = self.profile.name
        at = self._local(report.at)
        for side in ("shop", "erp"):
            topic = f"connection:{side}"
            failing = report.aborted and report.failure == side
            open_marks = marks.get(name, topic)
            if failing and not open_marks:
                what = self.t(f"mail.connection.{side}")
                where = self.profile.shop.url if side == "shop" else self.profile.erp.kind
                body = self.t(
                    "mail.connection.body", title=title, at=at, what=what, where=where, error=report.error
                )
                mark = {side: _digest(report.error or "")}
                mails.append(self._mail(what, body, partial(marks.put, name, topic, mark)))
            elif open_marks and not failing and self._reached(report):
                what = self.t(f"mail.back.{side}")
                body = self.t("mail.back.body", title=title, at=at, what=what)
                mails.append(self._mail(what, body, partial(marks.clear, name, topic)))
        return mails

    @staticmethod
    def _reached(report: RunReport) -> bool:
        """Whether the run got through to ``side`` (a run stopped by the other side may not have)."""
        return not report.aborted or report.failure not in ("shop", "erp")

    def _run_failed(self, report: RunReport, title: str) -> list[Mail]:
        marks = self.state.alert_marks
        topic = f"run:{report.job}"
        if not report.aborted:
            marks.clear(self.profile.name, topic)
            return []
        if report.failure in ("shop", "erp"):
            return []  # a connection alert says it
        fingerprint = _digest(report.error or "")
        known = marks.get(self.profile.name, topic).get("error")
        if known is not None and known.fingerprint == fingerprint:
            return []
        body = self.t(
            "mail.run_failed.body",
            title=title,
            at=self._local(report.at),
            error=report.error,
            run=report.run_id,
        )
        sent = partial(marks.put, self.profile.name, topic, {"error": fingerprint})
        return [self._mail(self.t("mail.run_failed", title=title), body, sent)]

    def _items(self, report: RunReport, title: str, lines: list[StoredLine]) -> list[Mail]:
        stop_line = self.t("run.error", title=title, error=report.error) if report.aborted else None
        failed = {
            (line.item or line.message)[:128]: _ITEM_PREFIX.sub("", line.message)
            for line in lines
            if line.level == "error" and line.message != stop_line
        }
        if not failed:
            return []
        marks = self.state.alert_marks
        topic = f"items:{report.job}"
        marks.clear(self.profile.name, topic, before=report.at - ITEM_MEMORY)
        known = marks.get(self.profile.name, topic)
        new = {
            key: text
            for key, text in failed.items()
            if key not in known or known[key].fingerprint != _digest(text)
        }
        if not new:
            return []
        sent = partial(marks.put, self.profile.name, topic, {key: _digest(text) for key, text in new.items()})
        shown = [f"- {text}" for text in list(new.values())[:200]]
        if len(new) > 200:
            shown.append(f"- … (+{len(new) - 200})")
        body = self.t(
            "mail.items.body",
            title=title,
            at=self._local(report.at),
            count=len(new),
            items="\n".join(shown),
            summary=report.summary,
            run=report.run_id,
        )
        return [self._mail(self.t("mail.items", title=title, count=len(new)), body, sent)]

    # --- at each turn of the server's loop ------------------------------------------------
    def periodic(self, now: datetime) -> list[Mail]:
        return self._heartbeat(now) + self._daily(now)

    def _open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        if DAYS[local.weekday()] not in self.alerts.opening_days:
            return False
        return any(span.contains(local.time().replace(tzinfo=None)) for span in self.alerts.opening())

    def opening_hours_between(self, start: datetime, end: datetime) -> float:
        """Opening hours elapsed between two instants (minute by minute over day boundaries)."""
        total = timedelta()
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        if (last - day).days > 366:
            day = last - timedelta(days=366)
        while day <= last:
            if DAYS[day.weekday()] in self.alerts.opening_days:
                for span in self.alerts.opening():
                    opens = datetime.combine(day, span.start, self.zone)
                    closes = datetime.combine(day, span.end, self.zone)
                    if closes <= opens:
                        closes += timedelta(days=1)
                    lo, hi = max(opens, start), min(closes, end)
                    if hi > lo:
                        total += hi - lo
            day += timedelta(days=1)
        return total / timedelta(hours=1)

    def _heartbeat(self, now: datetime) -> list[Mail]:
        hours = self.alerts.heartbeat_hours
        if not hours or not self._open_at(now):
            return []
        last = self.state.last_done_order_at(self.profile.name)
        if last is None:
            return []
        silent = self.opening_hours_between(last, now)
        if silent < hours:
            return []
        marks = self.state.alert_marks
        known = marks.get(self.profile.name, "heartbeat").get("last")
        if known is not None and known.fingerprint == last.isoformat()[:32]:
            return []
        sent = partial(marks.put, self.profile.name, "heartbeat", {"last": last.isoformat()[:32]})
        shown = f"{silent:.0f}" if silent >= 10 else f"{silent:.1f}"
        body = self.t(
            "mail.heartbeat.body",
            last=self._local(last),
            hours=shown,
            statuses=", ".join(self.profile.orders.statuses) or "-",
        )
        return [self._mail(self.t("mail.heartbeat", hours=shown), body, sent)]

    def _daily(self, now: datetime) -> list[Mail]:
        when = self.alerts.summary_time()
        if when is None:
            return []
        local = now.astimezone(self.zone)
        due = local.replace(hour=when[0], minute=when[1], second=0, microsecond=0)
        if not due <= local < due + SUMMARY_WINDOW:
            return []
        day = f"{due:%Y-%m-%d}"
        marks = self.state.alert_marks
        known = marks.get(self.profile.name, "daily").get("day")
        if known is not None and known.fingerprint == day:
            return []
        sent = partial(marks.put, self.profile.name, "daily", {"day": day})
        return [self._mail(self.t("mail.daily", date=day), self.daily_body(now), sent)]

    def daily_body(self, now: datetime) -> str:
        runs = self.state.runs_since(self.profile.name, now - timedelta(hours=24))
        per_job: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for run in runs:
            figures = per_job[run.job]
            figures[0] += 1
            figures[1] += run.status == "aborted"
            figures[2] += run.counts["created"]
            figures[3] += run.counts["updated"]
            figures[4] += run.counts["failed"]
        jobs = "\n".join(
            self.t(
                "mail.daily.job",
                title=self.t(f"job.{job}"),
                runs=f[0],
                failed_runs=f[1],
                created=f[2],
                updated=f[3],
                failed=f[4],
            )
            for job, f in sorted(per_job.items())
        )
        ledger = self.state.ledger(self.profile.name)
        orders = self.t(
            "mail.daily.orders",
            done=sum(row.state == "done" for row in ledger.values()),
            failed=sum(row.state == "failed" for row in ledger.values()),
        )
        return self.t("mail.daily.body", jobs=jobs or self.t("mail.daily.none"), orders=orders)


def test_mail(profile: Profile, alerts: AlertOptions) -> Mail:
    """The "send a test e-mail" mail."""
    language = profile.language
    subject = render("mail.test", language)
    body = render("mail.test.body", language, profile=profile.name, to=", ".join(alerts.to))
    return Mail(render("mail.subject", language, profile=profile.name, text=subject), body)
