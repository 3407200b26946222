"""Valid-looking French identifiers for invented companies: SIRET, VAT number, EAN-13.

All numbers are generated, checksums included (Luhn for SIREN/SIRET, the French VAT key,
the EAN-13 check digit), so they pass format checks without belonging to anyone real.
"""

from __future__ import annotations

import random


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _with_luhn(prefix: str) -> str:
    return next(prefix + str(d) for d in range(10) if _luhn_ok(prefix + str(d)))


def siren(rng: random.Random) -> str:
    """A 9-digit SIREN with a valid Luhn key."""
    return _with_luhn(f"{rng.randint(30_000_000, 99_999_999):08d}")


def siret(rng: random.Random, company: str) -> str:
    """A 14-digit SIRET (the SIREN + a 5-digit establishment number) with a valid Luhn key."""
    return _with_luhn(f"{company}{rng.randint(1, 99):04d}")


def vat_number(company: str) -> str:
    """The French intra-EU VAT number of a SIREN: FR + key + SIREN."""
    key = (12 + 3 * (int(company) % 97)) % 97
    return f"FR{key:02d}{company}"


def ean13(prefix: str, serial: int) -> str:
    """An EAN-13 from a GS1 France-style prefix and a serial, with its check digit."""
    body = f"{prefix}{serial:0{12 - len(prefix)}d}"[:12]
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)
