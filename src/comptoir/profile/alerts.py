"""E-mail alerts: the SMTP server, who receives them, and what is worth a mail (SPEC §1)."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from comptoir.profile.schedule import TimeRange, check_ranges, check_zone
from comptoir.profile.secrets import SecretRef

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Section(BaseModel):
    # Fields documented as in ``comptoir.profile.models`` (read by ``comptoir.profile.docstrings``).
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


class SmtpOptions(_Section):
    """The SMTP server sending alerts. Certificates are always verified."""

    host: str = Field(min_length=1)
    """SMTP server name."""
    port: int | None = Field(default=None, ge=1, le=65535)
    """Port; none: 587 with ``starttls``, 465 with ``ssl``, 25 with ``none``."""
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    """``starttls`` (upgrade a plain connection), ``ssl`` (TLS from the start) or ``none`` (a local relay)."""
    user: str | None = None
    """Login, when the server asks for one."""
    password: SecretRef | None = None
    """Password, as ``env:VARIABLE``."""
    ca_file: Path | None = None
    """Extra certificate authority (PEM) to trust, for a server with a private certificate."""
    timeout: float = Field(default=30.0, gt=0)
    """Seconds before giving up on the server."""

    @field_validator("password")
    @classmethod
    def _login(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not info.data.get("user"):
            raise ValueError("a password is given without a user (smtp.user)")
        return value

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return {SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465, SmtpSecurity.NONE: 25}[self.security]


class AlertOptions(_Section):
    """E-mail alerts: a failed run, failed items (one digest per run), the shop or the ERP
    unreachable or refusing the key, no order for a while during opening hours, a daily summary.

    The same problem is mailed once until it is over: a shop down for an hour sends one mail, and
    one more when it answers again; an item failing every run is in one digest a week.
    """

    smtp: SmtpOptions
    """The SMTP server."""
    sender: str = Field(min_length=3)
    """From address (``comptoir@boutique.example``)."""
    to: list[str] = Field(min_length=1)
    """Recipients."""
    on_failed_run: bool = True
    """Mail when a run stops on an error."""
    on_failed_items: bool = True
    """Mail the items that failed in a run (one digest per run, new failures only)."""
    on_connection: bool = True
    """Mail when the shop or the ERP cannot be reached or refuses the key, and when it is back."""
    heartbeat_hours: float = Field(default=0, ge=0)
    """Mail when no order was imported for this many opening hours (0: off)."""
    opening_hours: list[str] = Field(default_factory=lambda: ["09:00-19:00"])
    """Local opening hours counted by the heartbeat (``["09:00-12:30", "14:00-19:00"]``)."""
    opening_days: list[str] = Field(default_factory=lambda: list(DAYS[:6]))
    """Opening days: mon, tue, wed, thu, fri, sat, sun."""
    daily_summary: str | None = None
    """Local time of a daily summary mail (``"18:30"``); none: no summary."""
    timezone: str = "Europe/Paris"
    """Time zone of opening hours and the summary time."""

    @field_validator("to")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or address.strip() != address:
                raise ValueError(f"{address!r} is not an e-mail address")
        return value

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        if "@" not in value:
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, value: list[str]) -> list[str]:
        return check_ranges(value)

    @field_validator("opening_days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        unknown = [day for day in value if day not in DAYS]
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: days are {', '.join(DAYS)}")
        return value

    @field_validator("daily_summary")
    @classmethod
    def _summary(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"{value!r} is not a time like 18:30")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_zone(value)

    def opening(self) -> list[TimeRange]:
        return [TimeRange.parse(text) for text in self.opening_hours]

    def summary_time(self) -> tuple[int, int] | None:
        if self.daily_summary is None:
            return None
        hours, minutes = self.daily_summary.split(":")
        return int(hours), int(minutes)
