"""The SMTP settings against a real SMTP server process: plain, STARTTLS, SSL, logins, failures."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from typer.testing import CliRunner

from comptoir.cli import app
from comptoir.profile import ProfileError, load_profile

PASSWORD_VARIABLE = "COMPTOIR_TEST_SMTP_PASSWORD"


def write_profile(folder: Path, smtp: dict[str, Any], *, language: str = "fr") -> Path:
    data = {
        "name": "boutique",
        "language": language,
        "erp": {"kind": "sage100", "url": "sqlite:///company.sqlite"},
        "shop": {"kind": "woocommerce", "url": "https://shop.example"},
        "alerts": {"smtp": smtp, "sender": "comptoir@boutique.example", "to": ["gerant@boutique.example"]},
    }
    path = folder / "boutique.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def send_test(path: Path, password: str | None = None) -> tuple[int, str]:
    env = {PASSWORD_VARIABLE: password} if password is not None else {}
    result = CliRunner().invoke(app, ["alerts", "test", "--profile", str(path)], env=env)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("mode", ["starttls", "ssl", "none"])
def test_the_test_mail_arrives_in_each_security_mode(tmp_path: Path, start_smtp: Any, mode: str) -> None:
    server = start_smtp(mode, user="alerts", password="s3cret")
    smtp = server.smtp_table(user="alerts", password=f"env:{PASSWORD_VARIABLE}")
    code, output = send_test(write_profile(tmp_path, smtp), "s3cret")
    assert code == 0, output
    assert "E-mail de test envoyé à gerant@boutique.example" in output
    [(mail, facts)] = server.wait_for(1)
    assert mail["Subject"] == "[comptoir boutique] e-mail de test"
    assert mail["From"] == "comptoir@boutique.example" and mail["To"] == "gerant@boutique.example"
    assert "Les alertes du profil boutique arrivent bien à : gerant@boutique.example." in mail.get_content()
    assert facts["rcpt_tos"] == ["gerant@boutique.example"]
    assert facts["login"] == "alerts"
    assert facts["tls"] is (mode != "none")


def test_each_failure_is_named(tmp_path: Path, start_smtp: Any) -> None:
    server = start_smtp("starttls", user="alerts", password="s3cret")
    login = {"user": "alerts", "password": f"env:{PASSWORD_VARIABLE}"}

    code, output = send_test(write_profile(tmp_path, server.smtp_table(**login)), "wrong")
    assert code == 1 and "E-mail de test non envoyé (auth)" in output and "login refused for alerts" in output

    untrusted = {k: v for k, v in server.smtp_table(**login).items() if k != "ca_file"}
    code, output = send_test(write_profile(tmp_path, untrusted), "s3cret")
    assert code == 1 and "E-mail de test non envoyé (tls)" in output, output

    plain = server.smtp_table(security="none", **login)
    code, output = send_test(write_profile(tmp_path, plain), "s3cret")
    assert code == 1, "the server asks for STARTTLS first: " + output
    assert "E-mail de test non envoyé" in output

    os.environ.pop(PASSWORD_VARIABLE, None)
    code, output = send_test(write_profile(tmp_path, server.smtp_table(**login)))
    assert (
        code == 2
        and "alerts.smtp.password : la variable d'environnement COMPTOIR_TEST_SMTP_PASSWORD" in output
    )

    server.process.terminate()
    server.process.wait()
    code, output = send_test(write_profile(tmp_path, server.smtp_table(**login)), "s3cret")
    assert (
        code == 1
        and "E-mail de test non envoyé (unreachable)" in output
        and f"127.0.0.1:{server.port}" in output
    )
    assert server.mails() == []


def test_alert_settings_are_checked_by_field(tmp_path: Path) -> None:
    path = write_profile(tmp_path, {"host": "smtp.example", "security": "tls", "password": "hunter2"})
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.problems == [
        "alerts.smtp.security: Input should be 'starttls', 'ssl' or 'none'",
        "alerts.smtp.password: secrets must not be written in a profile: give 'env:VARIABLE_NAME' and set "
        "that environment variable (or put it in the profile's secrets file)",
    ]
    path = write_profile(tmp_path, {"host": "smtp.example", "password": "env:X"})
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["alerts"] |= {"to": ["gerant"], "opening_days": ["lun"], "daily_summary": "18h30"}
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.problems == [
        "alerts.smtp.password: a password is given without a user (smtp.user)",
        "alerts.to: 'gerant' is not an e-mail address",
        "alerts.opening_days: lun: days are mon, tue, wed, thu, fri, sat, sun",
        "alerts.daily_summary: '18h30' is not a time like 18:30",
    ]
