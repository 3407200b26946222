"""The demo: a Sage 100-shaped company to run comptoir against, with no ERP installed."""
