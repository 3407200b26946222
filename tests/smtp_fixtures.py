"""Pytest fixture starting the test SMTP server (``smtp_server.py``) as a real process."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme

SCRIPT = Path(__file__).resolve().parent / "smtp_server.py"


@dataclass
class SmtpServer:
    """A running test SMTP server and the mails it received."""

    host: str
    port: int
    folder: Path
    mode: str
    ca_file: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def mails(self) -> list[tuple[EmailMessage, dict[str, Any]]]:
        """Every mail received so far, oldest first, with its envelope facts."""
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            facts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            found.append((message, facts))
        return found

    def wait_for(self, count: int, timeout: float = 20.0) -> list[tuple[EmailMessage, dict[str, Any]]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.mails()
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.mails()

    def smtp_table(self, **extra: Any) -> dict[str, Any]:
        """The profile's ``[alerts.smtp]`` table reaching this server."""
        table: dict[str, Any] = {"host": self.host, "port": self.port, "security": self.mode}
        if self.mode != "none":
            table["ca_file"] = str(self.ca_file)
        return table | extra


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A certificate authority and a certificate for 127.0.0.1: (ca, cert, key) files."""
    folder = tmp_path_factory.mktemp("smtp-tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    cert.private_key_pem.write_to_path(str(folder / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    return folder / "ca.pem", folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def start_smtp(tmp_path: Path, smtp_ca: tuple[Path, Path, Path]) -> Iterator[Any]:
    """``start_smtp(mode="starttls", user=None, password=None)`` starts a server process."""
    started: list[SmtpServer] = []

    def start(mode: str = "starttls", user: str | None = None, password: str | None = None) -> SmtpServer:
        folder = tmp_path / f"smtp{len(started)}"
        folder.mkdir()
        port = _free_port()
        ca, cert, key = smtp_ca
        args = [sys.executable, str(SCRIPT), "--folder", str(folder), "--port", str(port), "--mode", mode]
        args += ["--cert", str(cert), "--key", str(key)]
        if user:
            args += ["--user", user, "--password", password or ""]
        process = subprocess.Popen(args)
        server = SmtpServer("127.0.0.1", port, folder, mode, ca, process)
        started.append(server)
        deadline = time.monotonic() + 30
        while not (folder / "ready").exists():
            assert process.poll() is None, "the SMTP server did not start"
            assert time.monotonic() < deadline, "the SMTP server took too long to start"
            time.sleep(0.05)
        return server

    yield start
    for server in started:
        server.process.terminate()
        server.process.wait(timeout=10)
