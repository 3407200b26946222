"""The choices a profile names: which stock quantity, which document type, how discounts combine.

Enumerations alone, defined apart from the dataclasses that use them (``catalog``, ``document``,
``pricing`` export them too): reading a profile builds none of those classes.
"""

from __future__ import annotations

from enum import StrEnum


class QuantityKind(StrEnum):
    """Which stock quantity a shop receives (SPEC §5)."""

    REAL = "real"
    AVAILABLE = "available"
    FORWARD = "forward"
    REAL_PLUS_CUSTOMER_ORDERS = "real_plus_customer_orders"
    FORWARD_MINUS_SUPPLIER_ORDERS = "forward_minus_supplier_orders"


class DocumentType(StrEnum):
    """Sales document types of SPEC §7, in the order a sale progresses."""

    QUOTE = "quote"
    ORDER = "order"
    DELIVERY_PREPARATION = "delivery_preparation"
    DELIVERY_NOTE = "delivery_note"
    INVOICE = "invoice"
    POSTED_INVOICE = "posted_invoice"
    RETURN = "return"
    CREDIT_NOTE = "credit_note"


class DiscountRule(StrEnum):
    """How discounts of several sources (article, family, customer) combine."""

    HIGHEST = "highest"
    """Only the one giving the lowest price applies (Sage's choice of the highest discount)."""
    CASCADE = "cascade"
    """Each applies to the price the previous one left."""
    CUMULATIVE = "cumulative"
    """Their percentages add up, applied once to the price."""
