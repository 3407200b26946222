"""The WooCommerce tests use the sandbox fixtures of ``tests/woo_fixtures.py``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from woo_fixtures import (
    woo_sandbox,
    woo_settings,
    woo_shop,
    woo_tls_dir,
)

__all__ = ["woo_sandbox", "woo_settings", "woo_shop", "woo_tls_dir"]
