"""ERP adapters: one package per ERP, each implementing ``comptoir.erp.base.Erp``."""
