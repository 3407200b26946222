"""The profile's ``[erp]`` table for a Sage 100c company."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Literal, Self

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from comptoir.profile import ErpSettings, validators
from comptoir.profile.paths import relative_sqlite
from comptoir.profile.secrets import SecretRef


class Sage100Settings(ErpSettings):
    """Sage 100c Gestion commerciale, read and written through its SQL database."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "sage100",
                    "url": "mssql+pymssql://comptoir@sqlserver/BIJOU",
                    "password": "env:COMPTOIR_ERP_PASSWORD",
                }
            ]
        }
    )

    kind: Literal["sage100"] = "sage100"
    url: str
    """SQLAlchemy URL of the company database, without password (``mssql+pymssql://user@host/DB``
    after ``pip install 'comptoir[sqlserver]'``, ``mssql+pyodbc://user@host/DB?driver=ODBC+Driver+18+for+SQL+Server``
    after ``pip install pyodbc``, ``postgresql+psycopg://user@host/db`` after
    ``pip install 'comptoir[postgresql]'``, ``sqlite:///company.sqlite`` relative to the profile).
    The database must exist and hold the company's tables: comptoir never creates one."""
    password: SecretRef | None = None
    """Database password, as ``env:VARIABLE``."""
    user_code: str = Field(default="COMP", min_length=1, max_length=4)
    """Four-letter author code written in Sage's cbCreateur column."""
    description_field: str = "Description"
    """Article free field ("information libre") holding the long description."""
    notes_field: str = "Commentaires"
    """Document free field receiving the order's customer notes."""
    allow_invoices: bool = False
    """Let comptoir create invoices and credit notes directly. Off by default, and best left off:
    comptoir never validates an invoice, computes no anti-fraud seal (``cbHash``) and prints no
    legal PDF, so an invoice it writes is one Sage did not secure and must not be sent to a
    customer as is. The recommended flow is an order or a delivery note written by comptoir, the
    invoice made in Sage."""
    document_status: int = Field(default=0, ge=0, le=2)
    """``DO_Statut`` of the documents comptoir creates: 0 entered (Sage's default), 1 confirmed,
    2 ready (to prepare, to deliver, to invoice, depending on the document)."""
    transaction_codes: dict[int, tuple[int, int]] = Field(default_factory=dict)
    """Per accounting category (``N_CatCompta``), the intra-EU trade codes ``[DO_Transaction,
    DO_Regime]`` of its documents; a category not listed gets ``[11, 21]``, what Sage and other
    connectors write for ordinary French sales. Give your EU and export categories the codes
    your accountant uses for the DEB / Intrastat declaration."""
    creation_user: uuid.UUID | None = None
    """The Sage user comptoir writes as, for the ``cbCreationUser`` column of Sage v10 and later
    (the user's GUID in Sage's user list); left empty (NULL) when not given."""

    @field_validator("url")
    @classmethod
    def _database(cls, value: str) -> str:
        return validators.database_url_without_password(value)

    @field_validator("password")
    @classmethod
    def _password(cls, value: str | None, info: ValidationInfo) -> str | None:
        validators.no_password_for_sqlite(info.data.get("url"), value)
        return value

    def relative_to(self, base: Path) -> Self:
        return self.model_copy(update={"url": relative_sqlite(self.url, base)})

    def database_url(self) -> str | None:
        return self.url

    def local_file(self) -> Path | None:
        return validators.sqlite_file(self.url)
