"""What comptoir remembers: bindings, fingerprints, order ledger, run history and journal."""

from comptoir.state.store import (
    BindingConflict,
    BoundObject,
    Claim,
    Clock,
    LedgerRow,
    RunRow,
    StateStore,
    StoredLine,
    utcnow,
)
from comptoir.state.window import Window

__all__ = [
    "BindingConflict",
    "BoundObject",
    "Claim",
    "Clock",
    "LedgerRow",
    "RunRow",
    "StateStore",
    "StoredLine",
    "Window",
    "utcnow",
]
