"""WooCommerce's error envelope: ``{"code", "message", "data": {"status", ...}}``."""

from __future__ import annotations

from typing import Any


class WooError(Exception):
    """An error the sandbox answers the way WordPress answers a ``WP_Error``."""

    def __init__(self, code: str, message: str, status: int = 400, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status, **self.data}}


def invalid_params(problems: dict[str, str], codes: dict[str, str] | None = None) -> WooError:
    """``rest_invalid_param`` with WordPress's ``params`` and ``details`` maps."""
    details = {
        name: {"code": (codes or {}).get(name, "rest_invalid_type"), "message": text, "data": None}
        for name, text in problems.items()
    }
    return WooError(
        "rest_invalid_param",
        "Invalid parameter(s): " + ", ".join(problems),
        400,
        params=dict(problems),
        details=details,
    )


def missing_params(names: list[str]) -> WooError:
    return WooError(
        "rest_missing_callback_param", "Missing parameter(s): " + ", ".join(names), 400, params=names
    )


def invalid_id(post_type: str, status: int) -> WooError:
    """``woocommerce_rest_<post_type>_invalid_id``: 404 on GET/DELETE, 400 on update."""
    return WooError(f"woocommerce_rest_{post_type}_invalid_id", "Invalid ID.", status)


def no_route() -> WooError:
    return WooError("rest_no_route", "No route was found matching the URL and request method.", 404)
