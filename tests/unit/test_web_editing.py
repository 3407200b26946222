"""Profile files edited by the dashboard: comments and layout kept, result validated like the CLI."""

from __future__ import annotations

from pathlib import Path

from comptoir.web.editing import check_text, set_values, write_atomic
from comptoir.web.texts import TEXTS

FILE = """# boutique: hand-written, comments must survive
name = "boutique"

[erp]
kind = "sage100"
url = "sqlite:///company.sqlite"

[shop]
kind = "woocommerce"
url = "https://shop.example"

[orders]
statuses = { processing = "order" }  # the rest is quotes

[orders.tax_codes]
# shop rate -> ERP code
"20" = "C20"
"7" = "OLD"
"""


def test_changes_keep_comments_tables_and_order(tmp_path: Path) -> None:
    text = set_values(
        FILE,
        {
            ("orders", "tax_codes"): {"20": "C20", "5.5": "C05"},
            ("orders", "payment_methods"): {"bacs": {"mode": "2", "journal": "BQ1", "create_payment": True}},
            ("stock", "warehouses"): ["1", "2"],
            ("products", "master_field"): None,
        },
    )
    assert text.startswith("# boutique: hand-written, comments must survive\n")
    assert '[orders.tax_codes]\n# shop rate -> ERP code\n"20" = "C20"\n"5.5" = "C05"\n' in text
    assert '"7"' not in text
    assert 'payment_methods = {bacs = {mode = "2", journal = "BQ1", create_payment = true}}' in text
    profile, problems = check_text(text, tmp_path / "boutique.toml")
    assert problems == [] and profile is not None
    assert profile.orders.payment_methods["bacs"].journal == "BQ1"
    assert profile.stock.warehouses == ["1", "2"]


def test_a_change_that_breaks_the_profile_is_named_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "boutique.toml"
    path.write_text(FILE, encoding="utf-8")
    text = set_values(FILE, {("orders", "payment_methods"): {"bacs": {"mode": "2", "create_payment": True}}})
    profile, problems = check_text(text, path)
    assert profile is None
    assert problems == ["orders.payment_methods.bacs: journal: a bank journal is required to create payments"]
    assert check_text("name = ", path)[1][0].startswith("not valid TOML")
    write_atomic(path, text.replace("create_payment = true", "create_payment = false"))
    assert check_text(path.read_text(encoding="utf-8"), path)[1] == []


def test_every_dashboard_text_speaks_french_and_english() -> None:
    assert all(set(entry) == {"fr", "en"} and all(entry.values()) for entry in TEXTS.values())
