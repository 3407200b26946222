"""Country names as Sage stores them (``CT_Pays``, ``LI_Pays``: French names) ↔ ISO codes."""

from __future__ import annotations

import unicodedata

_NAMES: dict[str, str] = {
    "FR": "France",
    "BE": "Belgique",
    "CH": "Suisse",
    "LU": "Luxembourg",
    "MC": "Monaco",
    "DE": "Allemagne",
    "ES": "Espagne",
    "IT": "Italie",
    "PT": "Portugal",
    "NL": "Pays-Bas",
    "GB": "Royaume-Uni",
    "IE": "Irlande",
    "AT": "Autriche",
    "DK": "Danemark",
    "SE": "Suède",
    "FI": "Finlande",
    "NO": "Norvège",
    "PL": "Pologne",
    "CZ": "République tchèque",
    "GR": "Grèce",
    "US": "États-Unis",
    "CA": "Canada",
    "MA": "Maroc",
    "TN": "Tunisie",
    "DZ": "Algérie",
    "SN": "Sénégal",
    "CI": "Côte d'Ivoire",
    "RE": "Réunion",
    "GP": "Guadeloupe",
    "MQ": "Martinique",
    "GF": "Guyane",
    "YT": "Mayotte",
    "NC": "Nouvelle-Calédonie",
    "PF": "Polynésie française",
    "AD": "Andorre",
}


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold().replace("-", " ").strip()


_CODES = {_key(name): code for code, name in _NAMES.items()}


def country_name(code: str) -> str:
    """The French name Sage shows for an ISO code (the code itself when unknown)."""
    return _NAMES.get(code.strip().upper(), code.strip())


def country_code(name: str) -> str:
    """The ISO code for a Sage country name; ``FR`` for an empty name, the name when unknown."""
    if not name.strip():
        return "FR"
    if len(name.strip()) == 2 and name.strip().upper() in _NAMES:
        return name.strip().upper()
    return _CODES.get(_key(name), name.strip())
