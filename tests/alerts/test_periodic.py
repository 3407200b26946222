"""Heartbeat and daily summary, decided at given instants and mailed to a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from test_mailer import write_profile

from comptoir.alerts.notify import periodic
from comptoir.alerts.rules import Rules
from comptoir.profile import load_profile
from comptoir.state import StateStore


def paris(*args: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


def opened(tmp_path: Path, server: Any, **alerts: Any) -> tuple[Any, StateStore, list[datetime]]:
    import tomllib

    import tomli_w

    path = write_profile(tmp_path, server.smtp_table())
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["alerts"] |= alerts
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    profile = load_profile(path)
    clock = [paris(2026, 7, 10, 17, 0)]  # a Friday
    store = StateStore.open(profile.state_url(), clock=lambda: clock[0])
    return profile, store, clock


def import_one(store: StateStore, order: str) -> None:
    claim = store.claim_order("boutique", order, timedelta(minutes=15))
    assert claim is not None and store.mark_done("boutique", claim, f"BC{order}")


def test_opening_hours_are_counted_over_nights_and_weekends(tmp_path: Path, start_smtp: Any) -> None:
    profile, store, _clock = opened(
        tmp_path,
        start_smtp("none"),
        opening_hours=["09:00-12:30", "14:00-19:00"],
        opening_days=["mon", "sat"],
    )
    try:
        assert profile.alerts is not None
        rules = Rules(profile, profile.alerts, store)
        friday = paris(2026, 7, 10, 17, 0)
        assert rules.opening_hours_between(friday, paris(2026, 7, 11, 9, 30)) == 0.5, "Saturday 09:00-09:30"
        assert rules.opening_hours_between(friday, paris(2026, 7, 13, 15, 0)) == 8.5 + 3.5 + 1
    finally:
        store.close()


def test_heartbeat_once_per_silence_during_opening_hours(tmp_path: Path, start_smtp: Any) -> None:
    server = start_smtp("none")
    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    profile, store, clock = opened(
        tmp_path, server, heartbeat_hours=4, opening_hours=["09:00-19:00"], opening_days=weekdays
    )
    try:
        assert periodic(profile, store, paris(2026, 7, 13, 12, 0)) == []
        assert server.mails() == [], "no order ever imported: nothing to compare with"
        import_one(store, "501")  # Friday 17:00
        assert periodic(profile, store, paris(2026, 7, 13, 10, 59)) == []  # 2 h Friday + 1:59 Monday
        assert periodic(profile, store, paris(2026, 7, 12, 12, 0)) == []  # Sunday: closed
        assert server.mails() == []
        assert periodic(profile, store, paris(2026, 7, 13, 11, 0)) == []
        [(mail, _)] = server.wait_for(1)
        assert mail["Subject"] == "[comptoir boutique] aucune commande importée depuis 4.0 h d'ouverture"
        assert "Aucune commande n'a été importée depuis le 2026-07-10 17:00" in mail.get_content()
        assert "statuts importés : processing" in mail.get_content()
        assert periodic(profile, store, paris(2026, 7, 13, 15, 0)) == []
        assert len(server.wait_for(2, timeout=0.5)) == 1, "one mail per silence"

        clock[0] = paris(2026, 7, 13, 15, 30)
        import_one(store, "502")
        assert periodic(profile, store, paris(2026, 7, 13, 19, 0)) == [], "closed at 19:00"
        assert periodic(profile, store, paris(2026, 7, 14, 10, 30)) == []
        assert len(server.wait_for(2)) == 2, "a new silence, a new mail"
    finally:
        store.close()


def test_daily_summary_once_a_day_within_the_hour(tmp_path: Path, start_smtp: Any) -> None:
    server = start_smtp("none")
    profile, store, _clock = opened(tmp_path, server, daily_summary="18:30")
    try:
        run = store.start_run(
            "boutique", "import_orders", dry_run=False, started_at=paris(2026, 7, 10, 10, 0)
        )
        store.finish_run(run, "items_failed", {"created": 3, "failed": 1}, paris(2026, 7, 10, 10, 1))
        run = store.start_run("boutique", "update_stock", dry_run=False, started_at=paris(2026, 7, 10, 11, 0))
        store.finish_run(run, "aborted", {}, paris(2026, 7, 10, 11, 1))
        import_one(store, "7")

        assert periodic(profile, store, paris(2026, 7, 10, 18, 29)) == []
        assert periodic(profile, store, paris(2026, 7, 10, 18, 31)) == []
        assert periodic(profile, store, paris(2026, 7, 10, 18, 50)) == []
        [(mail, _)] = server.wait_for(1)
        assert mail["Subject"] == "[comptoir boutique] résumé du 2026-07-10"
        body = mail.get_content()
        assert "- Import des commandes : 1 exécution(s), 0 arrêtée(s) sur erreur ; 3 créé(s)" in body
        assert "- Mise à jour des stocks : 1 exécution(s), 1 arrêtée(s) sur erreur" in body
        assert "Commandes : 1 importée(s) au total, 0 en échec dans le registre." in body
        assert periodic(profile, store, paris(2026, 7, 11, 19, 45)) == [], "more than an hour late: skipped"
        assert periodic(profile, store, paris(2026, 7, 12, 18, 30)) == []
        assert [str(m["Subject"]) for m, _ in server.wait_for(2)][
            1
        ] == "[comptoir boutique] résumé du 2026-07-12"
        assert "Aucune exécution." in server.mails()[1][0].get_content()
    finally:
        store.close()
