"""The text documenting each profile option: the string under its field, read when asked for.

Profile and settings models document a field with a string right under it::

    timeout: float = 30.0
    \"\"\"Seconds before a request is abandoned.\"\"\"

Pydantic could copy these into the fields when each model is built (``use_attribute_docstrings``),
but that reads and parses the source of every model class on every start-up, a tenth of a second
of every job's. The configuration reference and the dashboard read them here instead, when they
need them, with the same rules: the string under a field in the class that declares it (a
subclass declaring the field again documents it again), and a ``Field(description=...)`` first.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache

from pydantic import BaseModel


def field_doc(model: type[BaseModel], name: str) -> str:
    """The documentation of ``model``'s field ``name`` (empty when it has none)."""
    field = model.model_fields[name]
    if field.description is not None:
        return field.description
    owner = next((c for c in model.__mro__ if name in inspect.get_annotations(c)), None)
    return "" if owner is None else _class_docs(owner).get(name, "")


@cache
def _class_docs(cls: type) -> dict[str, str]:
    """Field name → the string under it, for the fields ``cls`` itself declares."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):  # no source shipped: the options go undocumented, as with Pydantic
        return {}
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.ClassDef):
        return {}
    docs: dict[str, str] = {}
    for field, text in zip(node.body, node.body[1:], strict=False):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(text, ast.Expr)
            and isinstance(text.value, ast.Constant)
            and isinstance(text.value.value, str)
        ):
            docs[field.target.id] = inspect.cleandoc(text.value.value)
    return docs
