"""Long id lists and row lists go to the database in chunks: one statement per chunk keeps each
under the databases' limits on parameters (SQLite) and statement size. Pure: no Django."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter), in the order given; none for no
    items. Reads ``items`` once, so it serves generators as well as lists."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
