"""What comptoir remembers: bindings, fingerprints, order ledger, run history and journal."""

from comptoir.state.locks import DEFAULT_TTL, LockHolder, LockKeeper, RunLock, RunLocks
from comptoir.state.store import (
    BindingConflict,
    BoundObject,
    Claim,
    Clock,
    LedgerRow,
    RunRow,
    StateError,
    StateStore,
    StoredLine,
    WrittenMark,
    utcnow,
)
from comptoir.state.tasks import TaskClaim, TaskLedger, TaskRow
from comptoir.state.window import Window

__all__ = [
    "DEFAULT_TTL",
    "BindingConflict",
    "BoundObject",
    "Claim",
    "Clock",
    "LedgerRow",
    "LockHolder",
    "LockKeeper",
    "RunLock",
    "RunLocks",
    "RunRow",
    "StateError",
    "StateStore",
    "StoredLine",
    "TaskClaim",
    "TaskLedger",
    "TaskRow",
    "Window",
    "WrittenMark",
    "utcnow",
]
