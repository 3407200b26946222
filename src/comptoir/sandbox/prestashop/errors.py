"""Webservice errors: an HTTP status and PrestaShop's (code, message) pairs.

``WebserviceRequest::setError`` records ``[code, label]`` and the last status set wins;
``setErrorDidYouMean`` appends ``Did you mean: "…"?`` with the closest name by Levenshtein
distance (``getClosest``) and the full list when it has more than one name. Source: PrestaShop
9.0.0 classes/webservice/WebserviceRequest.php.
"""

from __future__ import annotations

from collections.abc import Sequence


class WsError(Exception):
    """One or more webservice errors answered with ``status``."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.errors: list[tuple[int, str]] = [(code, message)]
        self.www_authenticate = False

    def add(self, status: int, code: int, message: str) -> WsError:
        self.status = status
        self.errors.append((code, message))
        return self


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def closest(value: str, words: Sequence[str]) -> str:
    """``WebserviceRequest::getClosest``: the first word at the smallest distance (ties: the last)."""
    shortest = -1
    found = ""
    for word in words:
        distance = levenshtein(value, word)
        if distance == 0:
            return word
        if distance <= shortest or shortest < 0:
            found = word
            shortest = distance
    return found


def did_you_mean(status: int, label: str, value: str, available: Sequence[str], code: int) -> WsError:
    message = f'{label}. Did you mean: "{closest(value, available)}"?'
    if len(available) > 1:
        message += ' The full list is: "' + '", "'.join(available) + '"'
    return WsError(status, code, message)


AUTH_REALM = (
    'Basic realm="Welcome to PrestaShop Webservice, please enter the authentication key as the login. '
    'No password required."'
)
