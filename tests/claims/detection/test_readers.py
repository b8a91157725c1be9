"""One reader per kind of figure: units, fractions, clock times (sentences written for these tests)."""

from __future__ import annotations

import pytest

from claims.detection.normalise import normalise
from claims.detection.quantities import Quantity, extract_quantities, intervals_overlap


def read(text: str) -> tuple[Quantity, ...]:
    return extract_quantities(normalise(text))


def one(text: str) -> Quantity:
    qs = read(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize(
    ("metric", "imperial"),
    [
        ("the river rose 90 centimetres overnight", "the river rose about 3 feet overnight"),
        ("a storm dropped 76 millimetres of hail", "a storm dropped roughly 3 inches of hail"),
        ("the pipeline runs 320 km", "the pipeline runs about 200 miles"),
        ("the bridge can carry 36 tonnes", "the bridge can carry some 79,000 lb"),
        ("the blaze burned 800 hectares of pine", "the blaze burned nearly 2,000 acres of pine"),
        ("the lake covers 12 square kilometres", "the lake covers about 4.6 square miles"),
        ("the tank held 380 litres of diesel", "the tank held about 100 gallons of diesel"),
        ("the thermometer showed 38 °C at noon", "the thermometer showed about 100 °F at noon"),
        ("winds of 130 km/h were measured", "winds of about 80 mph were measured"),
    ],
)
def test_units_of_one_dimension_are_compared_in_one_canonical_unit(metric: str, imperial: str) -> None:
    a, b = one(metric), one(imperial)
    assert a.unit == b.unit
    assert intervals_overlap(a, b), (a, b)


def test_a_converted_figure_keeps_its_surface_and_still_conflicts_when_far_off() -> None:
    hot = one("it reached 104 degrees Fahrenheit")
    assert hot.surface == "104 degrees Fahrenheit"
    assert hot.value == pytest.approx(40.0)
    assert not intervals_overlap(hot, one("it reached 31 °C"))
    # the letter C is a unit only after a figure or a degree sign
    assert read("Block 4 C wing was closed") == () or all(q.unit != "degree" for q in read("Block 4 C wing"))


@pytest.mark.parametrize(
    ("fraction", "percent", "agree"),
    [
        ("rents fell by a fifth", "rents fell 20 percent", True),
        ("two-thirds of members voted", "67 % of members voted", True),
        ("half of the stock was sold", "50 % of the stock was sold", True),
        ("output was cut by a third", "output fell about 21 %", False),
        ("nearly a quarter of households", "24 % of households", True),
    ],
)
def test_fractions_are_percentages_of_a_whole(fraction: str, percent: str, agree: bool) -> None:
    f, p = one(fraction), one(percent)
    assert (f.kind, f.unit) == ("percent", "%")
    assert intervals_overlap(f, p) is agree


def test_a_fraction_of_a_stated_count_is_a_count() -> None:
    part, whole = read("a quarter of the 800 staff were laid off")
    assert (part.kind, whole.value) == ("count", 800.0)
    assert part.value == pytest.approx(200.0)
    assert intervals_overlap(part, one("200 staff were laid off"))


@pytest.mark.parametrize(
    "text", ["a third time", "in the first quarter", "a quarter-final", "a half-marathon"]
)
def test_ordinals_and_compounds_are_not_fractions(text: str) -> None:
    assert read(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "the alarm sounded at 11:40 p.m.",
        "doors open at 7 a.m.",
        "the vote closed at 9pm",
        "by 06:30 on Friday",
    ],
)
def test_clock_times_are_never_counts(text: str) -> None:
    assert read(text) == ()


def test_a_colon_after_a_date_does_not_make_a_clock_time() -> None:
    qs = read("on 4 May 2025: 12 houses burned")
    assert [q.value for q in qs] == [12.0]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("a loss of 1.2 billion dollars", "a loss of 1,200 million dollars"),
        ("fines of 2.5 million euros", "fines of 2,500,000 euros"),
    ],
)
def test_currency_scales_read_as_one_value(a: str, b: str) -> None:
    assert intervals_overlap(one(a), one(b))
