"""Neutral text cleaning for the shop side: no controls, no bidi overrides, tidy spaces."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from comptoir.model import (
    Address,
    AttributeDraft,
    CategoryDraft,
    CustomerDraft,
    ProductDraft,
    ProductKind,
    clean_draft,
    clean_text,
)
from comptoir.model.text import BIDI_CONTROLS
from hostile_text import hostile_text

HOSTILE = "Zo\x00é \u202eŁukasz😀\x07 Cœur\u200b\u2066"


def test_invisible_characters_go_visible_ones_stay() -> None:
    assert clean_text(HOSTILE) == "Zoé Łukasz😀 Cœur", "no code page here: ł and emoji stay"
    assert clean_text("\ufeffBol\u200e  en\tgrès\r\n d'Uzès ") == "Bol en grès d'Uzès"
    assert clean_text("👩\u200d💻 \ufeff") == "👩\u200d💻", "joiners stay (emoji, scripts)"
    assert clean_text("Rene\u0301") == "René"


def test_multiline_texts_keep_their_paragraphs() -> None:
    text = "  Bol\x00 en grès \r\n\r\n\r\n\r\nFait\u202e main.\u2028Uzès  \n"
    assert clean_text(text, multiline=True) == "Bol en grès\n\nFait main.\nUzès"
    assert clean_text(text) == "Bol en grès Fait main. Uzès"


@given(hostile_text)
def test_any_text_comes_out_clean(value: str) -> None:
    for multiline in (False, True):
        text = clean_text(value, multiline=multiline)
        text.encode("utf-8")
        assert not any(unicodedata.category(c) in ("Cc", "Cs") and c != "\n" for c in text)
        assert not any(c in BIDI_CONTROLS for c in text)
        assert "\n" not in text or multiline
        assert text == text.strip() and "  " not in text
        assert clean_text(text, multiline=multiline) == text, "cleaning twice changes nothing"


def by_character(value: str, *, multiline: bool = False) -> str:
    """The cleaning's definition, one character at a time (``clean_text`` does it in C)."""
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = re.sub(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]", "\n", text)

    def kept(char: str) -> str:
        if char == "\n" and multiline:
            return char
        if char.isspace():
            return " "
        if (
            char in BIDI_CONTROLS
            or char in "\u200b\u2060\ufeff"
            or unicodedata.category(char) in ("Cc", "Cs")
        ):
            return ""
        return char

    text = "".join(kept(c) for c in text)
    if not multiline:
        return " ".join(text.split())
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


@given(st.one_of(hostile_text, st.text()))
def test_cleaning_is_its_definition_character_by_character(value: str) -> None:
    assert clean_text(value) == by_character(value)
    assert clean_text(value, multiline=True) == by_character(value, multiline=True)


def test_every_control_and_space_is_treated_as_its_definition_says() -> None:
    every = "".join(chr(c) for c in [*range(0x00, 0x3000 + 1), 0xD800, 0xDFFF, 0xFEFF]) + "\r\n"
    assert clean_text(every) == by_character(every)
    assert clean_text(every, multiline=True) == by_character(every, multiline=True)


def test_drafts_are_cleaned_except_their_identifiers() -> None:
    product = ProductDraft(
        sku="BOL\u202e-1",
        kind=ProductKind.VARIABLE,
        name=HOSTILE,
        description=f"{HOSTILE}\n\n{HOSTILE}",
        category_shop_ids=("12",),
        attributes=(AttributeDraft("Couleur\x00", ("Bleu\u202e", "Vert")),),
        variation_options=(("Couleur\x00", "Bleu\u202e"),),
        erp_reference="BOL\u202e-1",
        tax_code="C20\x00",
    )
    clean = clean_draft(product)
    assert clean.sku == "BOL\u202e-1" and clean.kind is ProductKind.VARIABLE
    assert clean.name == "Zoé Łukasz😀 Cœur"
    assert clean.description == "Zoé Łukasz😀 Cœur\n\nZoé Łukasz😀 Cœur"
    assert clean.attributes == (AttributeDraft("Couleur", ("Bleu", "Vert")),)
    assert clean.variation_options == (("Couleur", "Bleu"),)
    assert (clean.erp_reference, clean.tax_code) == ("BOL\u202e-1", "C20\x00"), "identifiers are kept"
    assert clean_draft(CategoryDraft("FAM\x00", HOSTILE)) == CategoryDraft("FAM\x00", "Zoé Łukasz😀 Cœur")
    customer = clean_draft(
        CustomerDraft(
            "C\x001",
            email="a@b.fr\u200b",
            billing=Address(line1=HOSTILE, city="Uzès\x00"),
            vat_number="FR\u202e 12  345",
        )
    )
    assert customer.erp_code == "C\x001" and customer.email == "a@b.fr"
    assert customer.billing == Address(line1="Zoé Łukasz😀 Cœur", city="Uzès")
    assert customer.shipping is None and customer.vat_number == "FR 12 345"


def test_a_clean_draft_is_kept_as_it_is() -> None:
    """A draft whose texts are all clean already is not copied (a first export cleans thousands);
    one unclean text anywhere, nested ones too, makes a cleaned copy."""
    clean = ProductDraft(
        sku="BOL-1",
        name="Bol à café",
        description="Grès\n\nÉmaillé",
        attributes=(AttributeDraft("Couleur", ("Bleu", "Vert")),),
    )
    assert clean_draft(clean) is clean
    nested = ProductDraft(sku="BOL-1", name="Bol", attributes=(AttributeDraft("Couleur", ("Bleu\u202e",)),))
    cleaned = clean_draft(nested)
    assert cleaned is not nested
    assert cleaned.attributes == (AttributeDraft("Couleur", ("Bleu",)),)
