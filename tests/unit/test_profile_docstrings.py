"""Profile options are documented by the string under each field, read on demand."""

from __future__ import annotations

from pydantic import BaseModel, Field

from comptoir.erp.sage100.settings import Sage100Settings
from comptoir.profile.docstrings import field_doc
from comptoir.profile.models import ErpSettings, HttpOptions


class Base(BaseModel):
    kept: int = 1
    """Documented in the base.

    On two paragraphs."""
    redeclared: int = 1
    """The base's text."""
    explained: int = Field(default=1, description="Given to Field.")
    """Not this one."""
    bare: int = 1


class Child(Base):
    redeclared: int = 2


class Retold(Base):
    redeclared: int = 3
    """The child's text."""


def test_the_string_under_a_field_documents_it() -> None:
    assert field_doc(HttpOptions, "timeout") == "Seconds before a request is abandoned."
    assert field_doc(Base, "kept") == "Documented in the base.\n\nOn two paragraphs."
    assert field_doc(Base, "bare") == ""


def test_an_inherited_field_keeps_its_class_s_text() -> None:
    assert field_doc(Child, "kept") == field_doc(Base, "kept")
    assert field_doc(Sage100Settings, "timezone") == field_doc(ErpSettings, "timezone")
    assert field_doc(Sage100Settings, "timezone").startswith("Time zone of the ERP's local dates")


def test_a_field_declared_again_is_documented_again() -> None:
    assert field_doc(Child, "redeclared") == ""
    assert field_doc(Retold, "redeclared") == "The child's text."


def test_a_description_given_to_field_comes_first() -> None:
    assert field_doc(Base, "explained") == "Given to Field."
