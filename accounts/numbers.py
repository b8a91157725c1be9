"""Whole numbers sent by clients (query parameters, form fields, headers, ids): parsed in one place.

``str.isdigit`` accepts "²" and other digits ``int`` refuses, and ``int`` accepts values no database
column holds; every number a request carries goes through here instead. Accepted: ASCII digits only,
within ``minimum..maximum`` (by default a positive id of a 64-bit primary key). It lives in the lowest
app so that every layer (API, pages, forms) parses the same way.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1
# Longer strings are refused before int() sees them: int() of thousands of digits is slow, and of
# more than 4300 it raises (Python's guard against quadratic conversion).
_MAX_DIGITS = len(str(MAX_ID))


class NumberError(ValueError):
    """A request number that is not a whole number in range; ``str()`` is a message for the client."""


def whole_number(raw: str, *, name: str, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """``raw`` as an int in ``minimum..maximum``, or ``NumberError`` naming ``name`` and the range."""
    value = whole_number_or_none(raw, minimum=minimum, maximum=maximum)
    if value is None:
        shown = raw[:20] + ("…" if len(raw) > 20 else "")
        raise NumberError(f"{name} must be a whole number from {minimum} to {maximum}, got {shown!r}.")
    return value


def whole_number_or_none(raw: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int in ``minimum..maximum``; None when absent, not ASCII digits or out of range.

    For inputs a page ignores when they make no sense (a stale link's page number, say).
    """
    if raw is None or not raw or len(raw) > _MAX_DIGITS or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def whole_numbers(raw: str, *, separator: str = ",", minimum: int = 1, maximum: int = MAX_ID) -> list[int]:
    """The valid numbers of a ``separator``-separated list, in order; the others are dropped."""
    values = (
        whole_number_or_none(part.strip(), minimum=minimum, maximum=maximum) for part in raw.split(separator)
    )
    return [value for value in values if value is not None]
