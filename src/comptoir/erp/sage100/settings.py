"""The profile's ``[erp]`` table for a Sage 100c company."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import Field

from comptoir.profile import ErpSettings
from comptoir.profile.paths import relative_sqlite
from comptoir.profile.secrets import SecretRef


class Sage100Settings(ErpSettings):
    """Sage 100c Gestion commerciale, read and written through its SQL database."""

    kind: Literal["sage100"] = "sage100"
    url: str
    """SQLAlchemy URL of the company database, without password (``mssql+pyodbc://user@host/DB?...``,
    ``postgresql+psycopg://user@host/db``, ``sqlite:///company.sqlite`` relative to the profile)."""
    password: SecretRef | None = None
    """Database password, as ``env:VARIABLE``."""
    user_code: str = Field(default="COMP", min_length=1, max_length=4)
    """Four-letter author code written in Sage's cbCreateur column."""
    description_field: str = "Description"
    """Article free field ("information libre") holding the long description."""
    notes_field: str = "Commentaires"
    """Document free field receiving the order's customer notes."""

    def relative_to(self, base: Path) -> Self:
        return self.model_copy(update={"url": relative_sqlite(self.url, base)})
