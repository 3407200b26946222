"""Country groups VAT rules depend on (ISO 3166-1 alpha-2 codes)."""

from __future__ import annotations

EU_MEMBERS = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
"""EU member states (Greece is ``GR`` here, ``EL`` only in VAT numbers)."""

FRENCH_OVERSEAS = frozenset({"GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"})
"""French overseas departments, collectivities and territories, by their own codes."""
