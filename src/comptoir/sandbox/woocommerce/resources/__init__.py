"""The sandbox's REST resources: one module per WooCommerce controller family."""
