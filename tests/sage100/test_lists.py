"""Lists the dashboard maps to, read from the demo company (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from comptoir.erp.base import Erp
from comptoir.erp.sage100 import Sage100Erp
from comptoir.model import Choice


def test_sage_implements_the_erp_protocol(reader: Sage100Erp) -> None:
    assert isinstance(reader, Erp)


def test_payment_modes_are_the_used_slots_keyed_as_profiles_store_them(reader: Sage100Erp) -> None:
    modes = reader.read_payment_modes()
    assert modes[:3] == [
        Choice("1", "Chèque", "CHQ"),
        Choice("2", "Virement", "VIR"),
        Choice("3", "Carte bancaire", "CB"),
    ]
    assert [m.key for m in modes] == ["1", "2", "3", "4", "5", "6"]


def test_journals_put_bank_and_cash_first(reader: Sage100Erp) -> None:
    journals = reader.read_journals()
    assert [(j.key, j.detail) for j in journals] == [
        ("BQ1", "trésorerie"),
        ("CAI", "trésorerie"),
        ("ACH", "achats"),
        ("VTE", "ventes"),
    ]
    assert journals[0].label == "Banque Crédit Provençal"


def test_free_fields_per_kind_in_sage_order(reader: Sage100Erp) -> None:
    articles = reader.read_free_fields("article")
    assert [f.key for f in articles[:3]] == ["Référence mère", "Attribut 1", "Valeur 1"]
    assert ("Degré d'alcool", "value") in [(f.key, f.detail) for f in articles]
    assert [f.key for f in reader.read_free_fields("customer")] == ["Origine", "Client depuis"]
    with pytest.raises(ValueError, match="'supplier' is not a kind of free field"):
        reader.read_free_fields("supplier")
