"""Texts as Sage holds them: code page, invisible characters, the column's length rule."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, String, Table

from comptoir.erp.base import ErpError
from comptoir.erp.sage100 import schema
from comptoir.erp.sage100.freefields import FreeField, FreeFieldKind, with_free_fields
from comptoir.erp.sage100.schema import (
    F_ARTICLE,
    F_COMPTET,
    F_CREGLEMENT,
    F_DOCENTETE,
    F_DOCLIGNE,
    F_LIVRAISON,
    cbSysLibre,
)
from comptoir.erp.sage100.text import TextRule, erp_text, rule_of
from hostile_text import hostile_text, invisible

TEXT_COLUMNS = [c for t in schema.SAGE_TABLES for c in t.c if isinstance(c.type, String)]
SRC = Path(__file__).resolve().parents[2] / "src" / "comptoir"


def test_code_page_characters_stay_others_are_transliterated() -> None:
    name = F_COMPTET.c.CT_Intitule
    assert erp_text("Zoé Lefèvre", name, "customer X") == "Zoé Lefèvre"
    assert erp_text("Cœur d’Œuvre — 5 €", name, "customer X") == "Cœur d’Œuvre — 5 €"
    assert erp_text("Łukasz Wałęsa", name, "customer X") == "Lukasz Walesa"
    assert erp_text("Merci 😀 !", name, "customer X") == "Merci !"
    assert erp_text("Жуков", name, "customer X") == "Zhukov"
    assert erp_text("ﬁlet", name, "customer X") == "filet"
    assert erp_text("Rene\u0301", name, "customer X") == "René", "composed before anything else"


def test_invisible_characters_go_and_spaces_fold() -> None:
    name = F_COMPTET.c.CT_Intitule
    assert erp_text("Zo\x00é\u202e \u2066Du\u200bpont\ufeff\x07", name, "customer X") == "Zoé Dupont"
    assert erp_text("  1 rue\tde la\r\nPaix\u2028 ", name, "customer X") == "1 rue de la Paix"


def test_free_texts_are_cut_to_their_column() -> None:
    assert erp_text("x" * 40, F_COMPTET.c.CT_Intitule, "customer X") == "x" * 35
    assert erp_text("Web 187 - Marion CHABERT", F_DOCENTETE.c.DO_Ref, "order 187") == "Web 187 - Marion"
    assert erp_text("😀" * 40 + "ab", F_DOCLIGNE.c.DL_Design, "order 187") == "ab", "cut after cleaning"


def test_contact_data_is_cleaned_but_never_cut() -> None:
    assert erp_text(" 01\x00 23  45 ", F_COMPTET.c.CT_Telephone, "customer X") == "01 23 45"
    with pytest.raises(ErpError, match=r"^customer X: F_COMPTET\.CT_CodePostal holds 9 characters"):
        erp_text("1234567890", F_COMPTET.c.CT_CodePostal, "customer X")


def test_keys_are_written_exactly_or_refused() -> None:
    code = F_COMPTET.c.CT_Num
    assert erp_text(" WEB000530 ", code, "customer WEB000530") == "WEB000530"
    assert erp_text("CLIENT ÉTÉ", code, "customer CLIENT ÉTÉ") == "CLIENT ÉTÉ"
    with pytest.raises(ErpError, match=r"^customer X: F_COMPTET\.CT_Num holds 17 characters, 'A{18}' has 18"):
        erp_text("A" * 18, code, "customer X")
    with pytest.raises(ErpError, match=r"F_COMPTET\.CT_Num cannot hold .*U\+0000 .*control or invisible"):
        erp_text("WEB\x00530", code, "customer X")
    with pytest.raises(ErpError, match=r"CT_Num cannot hold .*U\+0142 .*not in the cp1252 code page"):
        erp_text("WEBł", code, "customer X")
    with pytest.raises(ErpError, match=r"F_DOCENTETE\.DO_NoWeb cannot hold .*U\+202E"):
        erp_text("187\u202e", F_DOCENTETE.c.DO_NoWeb, "order 187")


def test_unicode_columns_keep_every_visible_character() -> None:
    assert erp_text("Łódź 😀\x00", cbSysLibre.c.CB_Name, "free field") == "Łódź 😀"


def test_free_field_texts_are_cut() -> None:
    origin = FreeField("F_COMPTET", "Origine", FreeFieldKind.TEXT, 21)
    table = with_free_fields(F_COMPTET, [origin], MetaData())
    assert rule_of(table.c.Origine) is TextRule.CUT
    assert erp_text("Recommandation d'un ami", table.c.Origine, "customer X") == "Recommandation d'un a"


@pytest.mark.parametrize(
    ("column", "rule"),
    [
        (F_COMPTET.c.CT_Num, TextRule.EXACT),
        (F_COMPTET.c.CG_NumPrinc, TextRule.EXACT),
        (F_DOCENTETE.c.DO_Piece, TextRule.EXACT),
        (F_DOCENTETE.c.DO_Tiers, TextRule.EXACT),
        (F_DOCENTETE.c.DO_NoWeb, TextRule.EXACT),
        (F_DOCLIGNE.c.AR_Ref, TextRule.EXACT),
        (F_ARTICLE.c.AR_Ref, TextRule.EXACT),
        (F_DOCENTETE.c.cbCreateur, TextRule.EXACT),
        (F_COMPTET.c.CT_Intitule, TextRule.CUT),
        (F_LIVRAISON.c.LI_Adresse, TextRule.CUT),
        (F_DOCENTETE.c.DO_Ref, TextRule.CUT),
        (F_DOCENTETE.c.DO_Contact, TextRule.CUT),
        (F_DOCLIGNE.c.DL_Design, TextRule.CUT),
        (F_CREGLEMENT.c.RG_Libelle, TextRule.CUT),
        (F_COMPTET.c.CT_EMail, TextRule.REFUSE),
        (F_COMPTET.c.CT_CodePostal, TextRule.REFUSE),
        (F_LIVRAISON.c.LI_Telephone, TextRule.REFUSE),
    ],
)
def test_the_schema_declares_each_columns_rule(column: Column[Any], rule: TextRule) -> None:
    assert rule_of(column) is rule


@given(value=hostile_text, column=st.sampled_from(TEXT_COLUMNS))
def test_any_text_comes_out_holdable_within_its_column_or_is_refused_by_name(
    value: str, column: Column[Any]
) -> None:
    table = column.table
    assert isinstance(table, Table)
    try:
        text = erp_text(value, column, "record R")
    except ErpError as error:
        assert rule_of(column) is not TextRule.CUT, "free texts are never refused"
        assert str(error).startswith(f"record R: {table.name}.{column.name} ")
        return
    unicode = column.name.startswith("CB_")
    if not unicode:
        text.encode("cp1252")
    assert not any(invisible(c) for c in text)
    assert (text == text.strip() and "  " not in text) or rule_of(column) is TextRule.EXACT
    assert len(text.encode("utf-16-le")) // 2 <= column.type.length  # type: ignore[attr-defined]
    assert erp_text(text, column, "record R") == text, "preparing twice changes nothing"


@given(value=hostile_text)
def test_code_page_text_only_loses_invisible_characters(value: str) -> None:
    """Nothing the code page holds is ever transliterated: only invisible characters and spaces change."""
    visible = "".join(c for c in unicodedata.normalize("NFC", value) if not invisible(c) and not c.isspace())
    try:
        visible.encode("cp1252")
    except UnicodeEncodeError:
        return
    wide = Table("T", MetaData(), Column("x", String(10_000)))
    prepared = erp_text(value, wide.c.x, "record R")
    assert prepared.replace(" ", "") == visible


def _write_calls(path: Path) -> set[str]:
    """``module.name`` for each function of ``path``, and each statement built at module level
    (``_MOVE_STOCK = update(…)``), that calls SQLAlchemy's insert()/update()."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    owners: list[tuple[str, ast.AST]] = [
        (f.name, f) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
    ] + [
        (target.id, statement)
        for statement in tree.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    ]
    for name, owner in owners:
        for node in ast.walk(owner):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"insert", "update"}
            ):
                found.add(f"{path.stem}.{name}")
    return found


def test_rows_enter_sage_tables_through_the_prepared_boundary_only() -> None:
    """Writers call rows.insert_rows/update_rows; raw statements are the listed ones, none writing text."""
    calls = set().union(*(_write_calls(p) for p in (SRC / "erp" / "sage100").glob("*.py")))
    assert calls == {
        "rows._insert",  # the statement insert_rows executes
        "rows._update",  # the statement update_rows executes
        "freefields.add_free_fields",  # cbSysLibre definitions, by the demo and tests (nvarchar names)
        "write_documents._MOVE_STOCK",  # move_stock's statement: quantities and amounts only
        "write_documents._move_returning",  # the same, returning the rows moved: quantities only
        "write_documents._move_cells",  # quantities only
        "simulate.transform_document",  # imitates a Sage user: numbers Sage gave
    }
