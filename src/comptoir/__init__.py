"""comptoir: an open connector between a French commercial-management ERP and e-commerce shops."""

__version__ = "0.1.0"
