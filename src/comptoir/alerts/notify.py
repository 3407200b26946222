"""Send the mails the rules decide: after a run (from the run itself), and at each turn of the
server's loop (heartbeat, daily summary). A mail that cannot be sent never fails a run: it is
journaled, and decided again at the next occasion."""

from __future__ import annotations

from datetime import datetime

from comptoir.alerts.mailer import MailError, send
from comptoir.alerts.rules import Mail, Rules, RunReport
from comptoir.alerts.rules import test_mail as test_mail_of
from comptoir.profile import Profile, secret_resolver
from comptoir.profile.secrets import SecretError
from comptoir.state import StateStore, StoredLine


def deliver(profile: Profile, mails: list[Mail]) -> list[str]:
    """Send ``mails``; return the problems (one per mail not sent)."""
    if not mails or profile.alerts is None:
        return []
    secrets = secret_resolver(profile)
    problems = []
    for mail in mails:
        try:
            send(profile.alerts, secrets, mail.subject, mail.body)
        except (MailError, SecretError) as exc:
            problems.append(str(exc))
            continue
        mail.sent()
    return problems


def after_run(profile: Profile, report: RunReport, state: StateStore, lines: list[StoredLine]) -> list[str]:
    """Mail what a finished run calls for; return the problems sending it."""
    if profile.alerts is None:
        return []
    rules = Rules(profile, profile.alerts, state)
    return deliver(profile, rules.after_run(report, lines))


def periodic(profile: Profile, state: StateStore, now: datetime) -> list[str]:
    """Heartbeat and daily summary checks; return the problems sending them."""
    if profile.alerts is None:
        return []
    return deliver(profile, Rules(profile, profile.alerts, state).periodic(now))


def test_mail(profile: Profile) -> None:
    """Send the test e-mail; raise ``MailError`` (or ``SecretError``) naming the problem."""
    if profile.alerts is None:
        raise MailError("setup", "no [alerts] table in the profile")
    mail = test_mail_of(profile, profile.alerts)
    send(profile.alerts, secret_resolver(profile), mail.subject, mail.body)
