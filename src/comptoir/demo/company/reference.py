"""The reference-scale demo company (SPEC §11)."""

from __future__ import annotations

from dataclasses import dataclass

from comptoir.demo.company.seeder import Seeder


@dataclass(frozen=True, slots=True)
class ReferenceSize:
    articles: int = 15_000
    customers: int = 3_000


def build_reference(seeder: Seeder, seed: int, size: ReferenceSize) -> None:
    raise NotImplementedError
