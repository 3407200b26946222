"""The rule of the seam and the generated reference, checked on every run.

``model/``, ``jobs/`` and ``profile/`` never name a platform in their code (docstrings and
attribute docstrings may explain); every registered platform declares a valid example of its
settings; the configuration reference in docs/ is the one the models generate.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from comptoir.profile.reference import configuration_reference
from comptoir.registry import ERPS, SHOPS, erp_platform, shop_platform

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_WORDS = re.compile(
    r"woocommerce|prestashop|shopify|bigcommerce|magento|sage ?100|sage100|F_DOCENTETE|consumer_key|wc/v3",
    re.I,
)


def _words(tree: ast.AST) -> list[str]:
    documented = {  # docstrings, and attribute docstrings (a bare string after a field)
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    words = [
        getattr(n, "id", None) or getattr(n, "attr", None) or getattr(n, "arg", None) for n in ast.walk(tree)
    ]
    words += [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in documented
    ]
    words += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names]
    words += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    return [w for w in words if w]


@pytest.mark.parametrize("room", ["model", "jobs", "profile"])
def test_the_core_names_no_platform(room: str) -> None:
    leaks = {
        str(path.relative_to(ROOT)): sorted(
            {w for w in _words(ast.parse(path.read_text())) if PLATFORM_WORDS.search(w)}
        )
        for path in (ROOT / "src" / "comptoir" / room).rglob("*.py")
    }
    assert {k: v for k, v in leaks.items() if v} == {}


@pytest.mark.parametrize("kind", sorted(SHOPS))
def test_every_shop_platform_declares_a_valid_example(kind: str) -> None:
    settings = shop_platform(kind).settings
    [example, *_] = settings.model_config["json_schema_extra"]["examples"]  # type: ignore[index]
    assert settings.model_validate(example).kind == kind


@pytest.mark.parametrize("kind", sorted(ERPS))
def test_every_erp_declares_a_valid_example(kind: str) -> None:
    settings = erp_platform(kind).settings
    [example, *_] = settings.model_config["json_schema_extra"]["examples"]  # type: ignore[index]
    assert settings.model_validate(example).kind == kind


def test_the_configuration_reference_in_docs_is_current() -> None:
    written = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert written == configuration_reference(), "run: comptoir profile doc > docs/configuration.md"
