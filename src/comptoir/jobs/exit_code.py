"""The exit codes of job commands, apart from the runner so a command can name them without
loading the jobs."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a job command tells its scheduler (documented in the CLI help and the README).

    When items failed and others were held, ``ITEMS_FAILED`` wins: a person has to look anyway.
    """

    OK = 0
    ITEMS_FAILED = 1
    """Some items failed (named in the journal), or the run stopped on an error."""
    BAD_SETUP = 2
    """The profile or a secret it names is wrong: nothing ran."""
    HELD = 3
    """Items were skipped because another run holds them, or the whole job is running elsewhere
    (a later run takes them up)."""
