"""Send one e-mail through the profile's SMTP server (standard library ``smtplib``).

TLS is always verified (certifi's authorities plus the profile's ``ca_file``). Failures raise
``MailError`` whose ``code`` says what went wrong, for a precise message.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import certifi

from comptoir.profile.alerts import AlertOptions, SmtpOptions, SmtpSecurity
from comptoir.profile.secrets import SecretResolver


class MailError(Exception):
    """The mail could not be sent. ``code``: unreachable, timeout, tls, auth, refused."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def ssl_context(smtp: SmtpOptions) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=certifi.where())
    if smtp.ca_file is not None:
        context.load_verify_locations(cafile=str(smtp.ca_file))
    return context


_POLICY = email.policy.SMTP.clone(max_line_length=998)
"""Headers kept on one line: folding a subject with accents makes some readers show double spaces."""


def compose(alerts: AlertOptions, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    message["From"] = alerts.sender
    message["To"] = ", ".join(alerts.to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=alerts.sender.rsplit("@", 1)[-1])
    message.set_content(body, cte="quoted-printable")
    return message


def send(alerts: AlertOptions, secrets: SecretResolver, subject: str, body: str) -> None:
    """Send one mail to the alert recipients; raise ``MailError`` naming the problem."""
    smtp = alerts.smtp
    password = secrets.get(smtp.password, field="alerts.smtp.password")
    message = compose(alerts, subject, body)
    where = f"{smtp.host}:{smtp.effective_port}"
    try:
        client: smtplib.SMTP
        if smtp.security is SmtpSecurity.SSL:
            client = smtplib.SMTP_SSL(
                smtp.host, smtp.effective_port, timeout=smtp.timeout, context=ssl_context(smtp)
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.effective_port, timeout=smtp.timeout)
        with client:
            if smtp.security is SmtpSecurity.STARTTLS:
                client.starttls(context=ssl_context(smtp))
            if smtp.user:
                client.login(smtp.user, password or "")
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError("auth", f"{where}: login refused for {smtp.user} ({_reply(exc)})") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError("tls", f"{where}: the server does not offer STARTTLS ({exc})") from None
    except (ssl.SSLError, ssl.CertificateError) as exc:
        raise MailError("tls", f"{where}: TLS failed ({exc.__class__.__name__}: {exc})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(exc.recipients)
        raise MailError("refused", f"{where}: recipients refused: {refused}") from None
    except smtplib.SMTPResponseException as exc:
        raise MailError("refused", f"{where}: the server refused the mail ({_reply(exc)})") from None
    except TimeoutError:
        raise MailError("timeout", f"{where}: no answer within {smtp.timeout:g} s") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError("unreachable", f"{where}: cannot connect ({exc})") from None


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
    return f"{exc.smtp_code} {text}"
