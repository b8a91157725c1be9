"""Quantity extraction: figures, number words and hedges read as intervals."""

from __future__ import annotations

import math

import pytest

from claims.detection.normalise import normalise
from claims.detection.quantities import extract_quantities, intervals_overlap


def one(text: str):  # type: ignore[no-untyped-def]
    qs = extract_quantities(normalise(text))
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "hedge"),
    [
        ("about 3,000 sent", "about 3,000", 2200.0, 3800.0, "about"),
        ("over 11,000 deployed", "over 11,000", 11000.0, math.inf, "over"),
        ("an estimated 11,000 deployed", "an estimated 11,000", 9000.0, 13000.0, "about"),
        ("more than 1,000 died in the past week", "more than 1,000", 1000.0, math.inf, "over"),
        ("at least 3,000 killed or wounded", "at least 3,000", 3000.0, math.inf, "at_least"),
        ("up to 500 people", "up to 500", 0.0, 500.0, "up_to"),
        ("fewer than 100 people attended", "fewer than 100", 0.0, 100.0, "under"),
        ("nearly 2,000 nurses", "nearly 2,000", 1350.0, 2000.0, "nearly"),
        ("35 arrested", "35", 35.0, 35.0, "exact"),
    ],
)
def test_hedges_become_intervals(text: str, surface: str, low: float, high: float, hedge: str) -> None:
    q = one(text)
    assert (q.surface, q.hedge) == (surface, hedge)
    assert q.low == pytest.approx(low)
    assert q.high == pytest.approx(high)


def test_open_bounds_exclude_the_figure() -> None:
    over = one("more than 1,000 died")
    assert over.low_open
    assert not over.high_open
    under = one("fewer than 100 came")
    assert under.high_open


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Thirty-five protesters were detained", 35.0),
        ("eleven thousand troops", 11000.0),
        ("two hundred and fifty homes", 250.0),
        ("a dozen", 12.0),
        ("Fourteen people were rescued", 14.0),
    ],
)
def test_number_words(text: str, value: float) -> None:
    assert one(text).value == value


def test_a_dozen_is_a_count_not_vague() -> None:
    q = one("a dozen people")
    assert (q.value, q.kind) == (12.0, "count")


@pytest.mark.parametrize(
    ("text", "value", "kind", "unit"),
    [
        ("1.2 billion", 1.2e9, "count", ""),
        ("$8bn", 8e9, "money", "USD"),
        ("€2.4m for cycle lanes", 2.4e6, "money", "EUR"),
        ("a 2.4 million euro budget", 2.4e6, "money", "EUR"),
        ("a £45m deal", 45e6, "money", "GBP"),
        ("valued at 38-million euros", 38e6, "money", "EUR"),
        ("5.2%", 5.2, "percent", "%"),
        ("3.5 per cent", 3.5, "percent", "%"),
        ("47 percent", 47.0, "percent", "%"),
        ("30,000 hectares", 3e8, "measure", "square_metre"),  # stored in m²
        ("a 6.1-magnitude quake", 6.1, "measure", "magnitude"),
    ],
)
def test_units_money_and_percentages(text: str, value: float, kind: str, unit: str) -> None:
    q = one(text)
    assert q.value == pytest.approx(value)
    assert (q.kind, q.unit) == (kind, unit)


def test_round_figures_carry_rounding_tolerance_and_exact_small_counts_do_not() -> None:
    assert one("11,000 troops").low == pytest.approx(10650.0)
    seven = one("seven people")
    assert seven.low == seven.high == 7.0
    assert one("17 percent").high == pytest.approx(17.5)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("dozens of soldiers", 24, 99),
        ("hundreds of people", 200, 999),
        ("tens of thousands of people", 20000, 99999),
    ],
)
def test_vague_magnitudes(text: str, low: float, high: float) -> None:
    q = one(text)
    assert (q.low, q.high, q.hedge) == (low, high, "vague")


def test_half_double_and_shares() -> None:
    half = one("half of the territory")
    assert (half.kind, half.value) == ("percent", 50.0)  # a share of a whole
    double = one("revenue doubled")
    assert (double.kind, double.value) == ("multiplier", 2.0)
    share = one("three in five voters")
    assert (share.kind, share.value) == ("percent", 60.0)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("There were no arrests", "no arrests"),
        ("Nobody was injured", "Nobody"),
        ("has not captured any soldiers", "not captured any"),
    ],
)
def test_zero_quantities(text: str, surface: str) -> None:
    q = one(text)
    assert (q.surface, q.value, q.high, q.hedge) == (surface, 0.0, 0.0, "zero")


def test_tallies_ranges_and_non_quantities() -> None:
    tally = one("voted down the proposal 61-39")
    assert (tally.kind, tally.value, tally.second) == ("tally", 61.0, 39.0)
    votes = one("rejected it by 61 votes to 39")
    assert (votes.kind, votes.second) == ("tally", 39.0)
    rng = one("between 3,000 and 5,000 people")
    assert (rng.low, rng.high, rng.hedge) == (3000.0, 5000.0, "range")
    assert extract_quantities(normalise("On January 14, 2020 it happened for the 3rd time in 2016.")) == ()


def test_intervals_overlap_respects_open_bounds() -> None:
    assert not intervals_overlap(one("about 3,000"), one("over 11,000"))
    assert intervals_overlap(one("an estimated 11,000"), one("over 11,000"))
    assert not intervals_overlap(one("more than 1,000"), one("exactly 1,000"))


def test_percentage_points_are_a_change_not_a_rate() -> None:
    change = one("joblessness fell 1.5 percentage points")
    assert (change.value, change.kind, change.unit) == (1.5, "measure", "point")
    rate = one("joblessness fell to 1.5 percent")
    assert (rate.value, rate.kind, rate.unit) == (1.5, "percent", "%")
