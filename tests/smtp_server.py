"""A real SMTP server for the tests (aiosmtpd), run as its own process.

Each message received is kept as ``<n>.eml`` in a folder, with ``<n>.json`` beside it (envelope
sender, recipients, login, whether the session was encrypted). Modes: ``none`` (plain),
``starttls`` (STARTTLS required before AUTH and MAIL), ``ssl`` (TLS from the start).

    python smtp_server.py --folder F --port P --mode starttls --cert C --key K --user U --password W
"""

from __future__ import annotations

import argparse
import itertools
import json
import signal
import ssl
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


class Keep:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        n = next(self.counter)
        content = envelope.original_content or b""
        (self.folder / f"{n:04d}.eml").write_bytes(content)
        facts = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": session.auth_data.decode()
            if isinstance(session.auth_data, bytes)
            else session.auth_data,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
        }
        (self.folder / f"{n:04d}.json").write_text(json.dumps(facts), encoding="utf-8")
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["none", "starttls", "ssl"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    context = None
    if args.mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticate(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == (
            args.user,
            args.password,
        )
        return AuthResult(success=ok, handled=False, auth_data=data.login if ok else None)

    options: dict[str, Any] = {"hostname": "127.0.0.1", "port": args.port}
    if args.user:
        options |= {"authenticator": authenticate, "auth_required": True}
    if args.mode == "starttls":
        options |= {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    elif args.mode == "ssl":
        options |= {"ssl_context": context, "auth_require_tls": False}
    else:
        options |= {"auth_require_tls": False}
    controller = Controller(Keep(args.folder), **options)
    controller.start()
    (args.folder / "ready").write_text(str(args.port), encoding="utf-8")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
