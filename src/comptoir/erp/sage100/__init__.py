"""Sage 100c Gestion commerciale: the schema replica and the adapter (``Sage100Erp``).

The adapter is imported when first named, so that the platform's descriptor and settings (all a
profile needs to be read and checked) load without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from comptoir.erp.sage100.adapter import Sage100Erp
    from comptoir.erp.sage100.context import SageOptions

__all__ = ["Sage100Erp", "SageOptions"]


def __getattr__(name: str) -> object:
    if name == "Sage100Erp":
        from comptoir.erp.sage100.adapter import Sage100Erp

        return Sage100Erp
    if name == "SageOptions":
        from comptoir.erp.sage100.context import SageOptions

        return SageOptions
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
