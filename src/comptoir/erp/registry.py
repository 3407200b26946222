"""Open the ERP a profile names."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from comptoir.erp.base import Erp
from comptoir.profile import ErpSettings, SecretResolver
from comptoir.profile.models import ErpKind


def open_erp(settings: ErpSettings, secrets: SecretResolver) -> Erp:
    """Connect to the ERP of ``settings`` (the password comes from its secret reference)."""
    url = make_url(settings.url)
    password = secrets.get(settings.password, field="erp.password")
    if password is not None:
        url = url.set(password=password)
    if settings.kind is ErpKind.SAGE100:
        from comptoir.erp.sage100 import Sage100Erp, SageOptions

        options = SageOptions(description_field=settings.description_field, notes_field=settings.notes_field)
        return Sage100Erp(url, user_code=settings.user_code, timezone=settings.timezone, options=options)
    raise ValueError(f"erp.kind: {settings.kind} is not supported")
