"""What an ERP package declares: its settings, how to open it, what it supports, and its demo
company (so anyone can run the whole connector with no ERP installed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from comptoir.erp.base import Erp
    from comptoir.profile import ErpSettings, SecretResolver

DemoScale = Literal["small", "reference"]


@dataclass(frozen=True, slots=True)
class ErpCapabilities:
    """What an ERP adapter supports; the rest raises ``ErpUnsupported`` naming the operation."""

    write_customers: bool = False
    write_documents: bool = False
    payments: bool = False
    price_rules: bool = False
    """Price categories, customer prices, family discounts and quantity breaks are read."""
    document_progress: bool = False
    """A document's progress (quote → order → delivery → invoice) can be read back."""


DemoCompany = Callable[[Path, DemoScale], dict[str, Any]]
"""``demo(folder, scale)`` builds the demo company in ``folder`` (once) and returns the profile's
``[erp]`` table reaching it, with paths relative to ``folder``."""


@dataclass(frozen=True)
class ErpPlatform:
    """The descriptor an ERP package exports as ``PLATFORM``."""

    kind: str
    """The profile's ``erp.kind``."""
    label: str
    settings: type[ErpSettings]
    """The model validating the profile's ``[erp]`` table."""
    open: Callable[[ErpSettings, SecretResolver], Erp]
    capabilities: ErpCapabilities
    demo: DemoCompany
