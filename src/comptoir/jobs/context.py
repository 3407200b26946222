"""What every job works with: the profile, the two adapters, the state store and the journal."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.erp.base import Erp
from comptoir.journal import Journal
from comptoir.profile import Profile
from comptoir.shop.base import Shop
from comptoir.state import StateStore


@dataclass
class JobContext:
    profile: Profile
    erp: Erp
    shop: Shop
    state: StateStore
    journal: Journal
    dry_run: bool = False

    @property
    def name(self) -> str:
        """The profile name, which scopes everything in the state store."""
        return self.profile.name


class JobAborted(Exception):
    """The job cannot start or go on (a setting missing, the shop unreachable…)."""
