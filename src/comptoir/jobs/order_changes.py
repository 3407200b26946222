"""What an order was when imported, and what changed in the shop since (pure).

The import records a snapshot of each order in the order ledger (its total, its lines as
reference → quantity and amount, its addresses); the statuses job compares the shop's order with
it and names the changes, so a person can bring the ERP document in line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from comptoir.model import Address, Order, format_money


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: a message key and its values (said in the journal's language)."""

    message: str
    values: dict[str, str]


def _address(address: Address) -> str:
    return hashlib.sha256(json.dumps(asdict(address), sort_keys=True).encode()).hexdigest()[:16]


def snapshot(order: Order) -> str:
    """The order's snapshot, as stored in the ledger (JSON)."""
    lines: dict[str, str] = {}
    for line in order.lines:
        key = line.sku or line.name
        lines[key] = f"{line.quantity.normalize():f}×{format_money(line.total)}"
    return json.dumps(
        {
            "total": format_money(order.total),
            "lines": lines,
            "billing": _address(order.billing),
            "shipping": _address(order.shipping),
        },
        sort_keys=True,
    )


def changes(before: str, order: Order) -> list[Change]:
    """What differs between a stored snapshot and the order now (empty: nothing)."""
    try:
        old = json.loads(before)
    except ValueError:
        return []
    new = json.loads(snapshot(order))
    found: list[Change] = []
    if old.get("total") != new["total"]:
        found.append(Change("change.total", {"before": str(old.get("total")), "after": new["total"]}))
    old_lines, new_lines = old.get("lines", {}), new["lines"]
    moved = [f"+{key} ({new_lines[key]})" for key in sorted(new_lines) if key not in old_lines]
    moved += [f"-{key}" for key in sorted(old_lines) if key not in new_lines]
    moved += [
        f"{key} {old_lines[key]} → {new_lines[key]}"
        for key in sorted(new_lines)
        if key in old_lines and old_lines[key] != new_lines[key]
    ]
    if moved:
        found.append(Change("change.lines", {"changes": ", ".join(moved)}))
    for side in ("billing", "shipping"):
        if old.get(side) != new[side]:
            found.append(Change(f"change.{side}", {}))
    return found


def digest(items: list[Change]) -> str:
    """A short key of a set of changes, so the same changes are reported once."""
    text = json.dumps([[c.message, c.values] for c in items], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
