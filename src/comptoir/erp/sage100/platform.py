"""Sage 100c's descriptor: settings, factory, capabilities and demo company."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from comptoir.erp.platform import DemoScale, ErpCapabilities, ErpPlatform
from comptoir.erp.sage100.settings import Sage100Settings

if TYPE_CHECKING:
    from comptoir.erp.base import Erp
    from comptoir.profile import ErpSettings, SecretResolver


def open_sage100(settings: ErpSettings, secrets: SecretResolver) -> Erp:
    """Connect to the company of ``settings`` (the password from its secret reference)."""
    from sqlalchemy.engine import make_url

    from comptoir.erp.sage100 import Sage100Erp, SageOptions

    sage = cast(Sage100Settings, settings)
    url = make_url(sage.url)
    password = secrets.get(sage.password, field="erp.password")
    if password is not None:
        url = url.set(password=password)
    options = SageOptions(
        description_field=sage.description_field,
        notes_field=sage.notes_field,
        allow_invoices=sage.allow_invoices,
        document_status=sage.document_status,
        transaction_codes=dict(sage.transaction_codes),
        creation_user=sage.creation_user,
    )
    return Sage100Erp(url, user_code=sage.user_code, timezone=sage.timezone, options=options)


def demo_company(folder: Path, scale: DemoScale) -> dict[str, Any]:
    """The Sage 100-shaped demo company in ``folder/company.sqlite`` (built once)."""
    from comptoir.demo.company import build_company

    company = folder / "company.sqlite"
    if not company.exists():
        build_company(f"sqlite:///{company.as_posix()}", scale=scale)
    return {"kind": "sage100", "url": "sqlite:///company.sqlite", "user_code": "DEMO"}


PLATFORM = ErpPlatform(
    kind="sage100",
    label="Sage 100c",
    settings=Sage100Settings,
    open=open_sage100,
    capabilities=ErpCapabilities(
        write_customers=True,
        write_documents=True,
        payments=True,
        price_rules=True,
        document_progress=True,
    ),
    demo=demo_company,
)
