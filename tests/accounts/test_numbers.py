"""The one parser of numbers sent by clients: ASCII digits in range, nothing else."""

from __future__ import annotations

import pytest

from accounts.numbers import MAX_ID, NumberError, whole_number, whole_number_or_none, whole_numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999999", None),
        ("9" * 5000, None),  # int() itself refuses more than 4300 digits
        ("0", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1_000", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() says yes
        ("", None),
        (None, None),
    ],
)
def test_whole_number_or_none(raw: str | None, expected: int | None) -> None:
    assert whole_number_or_none(raw) == expected


def test_the_range_is_the_callers() -> None:
    assert whole_number_or_none("0", minimum=0) == 0
    assert whole_number_or_none("201", maximum=200) is None


def test_whole_number_names_the_parameter_and_the_range() -> None:
    with pytest.raises(NumberError) as raised:
        whole_number("²", name="page_size", maximum=200)
    assert str(raised.value) == "page_size must be a whole number from 1 to 200, got '²'."


def test_whole_numbers_keeps_the_valid_ones_in_order() -> None:
    assert whole_numbers("3,²,99999999999999999999999,,1, 2") == [3, 1, 2]
