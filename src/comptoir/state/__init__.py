"""What comptoir remembers: bindings, fingerprints, order ledger, run history and journal."""

from comptoir.state.store import (
    BindingConflict,
    BoundObject,
    Claim,
    LedgerRow,
    RunRow,
    StateStore,
    StoredLine,
    utcnow,
)

__all__ = [
    "BindingConflict",
    "BoundObject",
    "Claim",
    "LedgerRow",
    "RunRow",
    "StateStore",
    "StoredLine",
    "utcnow",
]
