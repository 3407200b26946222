"""Sage 100c Gestion commerciale: the schema replica and the adapter (``Sage100Erp``)."""

from comptoir.erp.sage100.adapter import Sage100Erp
from comptoir.erp.sage100.context import SageOptions

__all__ = ["Sage100Erp", "SageOptions"]
