"""The journal: timestamped, human-readable lines of every job run, in French or English."""

from comptoir.journal.journal import (
    Counts,
    FileSink,
    Journal,
    Level,
    Line,
    MemorySink,
    Outcome,
    Sink,
    StoreSink,
)
from comptoir.journal.messages import Language, render

__all__ = [
    "Counts",
    "FileSink",
    "Journal",
    "Language",
    "Level",
    "Line",
    "MemorySink",
    "Outcome",
    "Sink",
    "StoreSink",
    "render",
]
