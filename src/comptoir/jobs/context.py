"""What every job works with: the profile, the two adapters, the state store and the journal."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.erp.base import Erp
from comptoir.journal import Journal
from comptoir.profile import Profile
from comptoir.shop.base import Shop
from comptoir.shop.platform import ShopCapabilities
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
    def capabilities(self) -> ShopCapabilities:
        """What the profile's shop platform can do (its descriptor's capabilities)."""
        from comptoir.registry import shop_platform

        return shop_platform(self.profile.shop.kind).capabilities

    @property
    def name(self) -> str:
        """The profile name, which scopes everything in the state store."""
        return self.profile.name


class JobAborted(Exception):
    """The job cannot start or go on (a setting missing, the shop unreachable…)."""
