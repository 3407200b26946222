"""Shop adapters: one package per platform, each implementing ``comptoir.shop.base.Shop``."""
