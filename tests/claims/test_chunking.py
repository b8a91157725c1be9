from __future__ import annotations

import pytest

from claims.chunking import chunked


@pytest.mark.parametrize(
    ("items", "size", "chunks"),
    [
        ([], 3, []),
        ([1, 2, 3], 3, [[1, 2, 3]]),
        ([1, 2, 3, 4, 5, 6, 7], 3, [[1, 2, 3], [4, 5, 6], [7]]),
        ((n for n in range(4)), 2, [[0, 1], [2, 3]]),
        (range(5), 10, [[0, 1, 2, 3, 4]]),
        ({"a": 1, "b": 2}, 1, [["a"], ["b"]]),
    ],
    ids=["empty", "exact", "remainder", "generator", "fewer than a chunk", "dict keys"],
)
def test_chunked_splits_in_order_and_keeps_every_item(
    items: object, size: int, chunks: list[list[object]]
) -> None:
    assert list(chunked(items, size)) == chunks  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [0, -1])
def test_a_chunk_size_below_one_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match=f"chunk size must be at least 1, got {size}"):
        list(chunked([1], size))
