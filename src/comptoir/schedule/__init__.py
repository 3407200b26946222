"""Scheduled runs: when each profile's jobs run next (``plan``), and the loop that runs them."""
