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


@pytest.mark.parametrize(
    ("spelled", "abbreviated"),
    [
        ("the dam wall is 6.2 metres high", "the dam wall is 6.2 m high"),
        ("the tower is 40 metres tall", "the tower is 40m tall"),
        ("the ferry route is 5 miles long", "the ferry route is 5 mi long"),
        ("customs found 3 kilograms of gold", "customs found 3 kilos of gold"),
        ("the reservoir covers 12 square kilometres", "the reservoir covers 12 sq km"),
        ("trains run at 120 km/h", "trains run at 120 kph"),
        ("gusts reached 80 kilometres per hour", "gusts reached 80 kilometres an hour"),
        ("the thermometer read 41 degrees", "the thermometer read 41°"),
        ("the budget is 3 billion dollars", "the budget is 3 bn dollars"),
        ("the fund holds 3 million euros", "the fund holds EUR 3m"),
        ("a loan of $4 million", "a loan of $4 m"),
    ],
)
def test_an_abbreviated_unit_is_the_spelled_out_unit(spelled: str, abbreviated: str) -> None:
    a, b = one(spelled), one(abbreviated)
    assert (a.kind, a.unit) == (b.kind, b.unit)
    assert a.value == pytest.approx(b.value)
    assert intervals_overlap(a, b), (a, b)


@pytest.mark.parametrize(
    ("text", "value", "kind", "unit"),
    [
        ("the river peaked at 6.2 m on Friday", 6.2, "measure", "metre"),
        ("a 40m sea wall", 40.0, "measure", "metre"),
        ("a £40m sea wall", 40e6, "money", "GBP"),
        ("a $40 m sea wall", 40e6, "money", "USD"),
        ("a 40m euro sea wall", 40e6, "money", "EUR"),
        ("the service has 3m users", 3e6, "count", ""),
        ("1.2 m people were told to stay home", 1.2e6, "count", ""),
    ],
)
def test_m_after_a_figure_is_million_with_money_or_a_counted_noun_and_metres_otherwise(
    text: str, value: float, kind: str, unit: str
) -> None:
    q = one(text)
    assert (q.kind, q.unit) == (kind, unit)
    assert q.value == pytest.approx(value)


def test_twice_multiplies_only_what_follows_it() -> None:
    assert (one("twice as many cases").kind, one("twice last year's level").value) == ("multiplier", 2.0)
    assert read("the striker scored twice") == ()
    assert read("she scored twice as the side won") == ()


def test_one_out_of_five_is_a_share_like_one_in_five() -> None:
    assert one("one out of five voters").value == pytest.approx(one("one in five voters").value)


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


# --- measures: partitive, role, group, elided nouns, synonyms ----------------------------------
def facts(text: str):  # type: ignore[no-untyped-def]
    from claims.detection import analyse

    return analyse(text).facts


def test_partitive_figure_and_its_whole() -> None:
    part, whole = facts("Seven of the 30 climbers reached the summit.")
    assert (part.partitive, whole.role) == (True, "whole")
    assert not facts("Seven climbers reached the summit.")[0].partitive
    # a whole right after "of" or "out of", with no determiner
    for text in ("Seven of 30 climbers reached the summit.", "12 out of 30 climbers reached the summit."):
        part, whole = facts(text)
        assert (part.partitive, whole.role, whole.quantity.value) == (True, "whole", 30.0)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Bus fares rose 8 % in March.", "change"),
        ("Bus fares were cut by a tenth.", "change"),
        ("Bus fares are 8 percent higher than last year.", "change"),
        ("Ticket sales were up 15 % on the year.", "change"),
        ("Bus fares stood at 8 % of average income.", ""),
    ],
)
def test_a_difference_is_not_a_level(text: str, role: str) -> None:
    assert facts(text)[0].role == role


def test_an_elided_noun_takes_the_previous_figures_measure() -> None:
    north, south = facts("The floods killed 5 people in the north and 9 in the west of the island.")
    assert north.measure == south.measure == "killed"


@pytest.mark.parametrize(
    "text",
    [
        "Eleven people lost their lives in the blaze.",
        "The blaze claimed eleven lives.",
        "Eleven fatalities were confirmed.",
    ],
)
def test_death_wordings_are_one_measure(text: str) -> None:
    assert facts(text)[0].measure == "killed"


def test_groups_of_people() -> None:
    assert facts("Six nurses were injured in the blast.")[0].group == "nurs"
    assert facts("Six people were injured in the blast.")[0].group == ""


# --- polarity: opposites without a negation word ----------------------------------------------
def cues(text: str) -> set[tuple[str, int]]:
    from claims.detection.polarity import extract_polarity

    return {(c.concept, c.sign) for c in extract_polarity(normalise(text))}


@pytest.mark.parametrize(
    ("a", "b", "concept"),
    [
        ("The dockers voted to walk out.", "The dockers voted against walking out.", "approve"),
        (
            "The senate voted 40 to 31 in favour of the bill.",
            "The senate voted 40 to 31 against the bill.",
            "approve",
        ),
        (
            "The judge sentenced the driver to two years.",
            "The judge cleared the driver of manslaughter.",
            "guilty",
        ),
        ("The missing diver was found alive.", "The body of the missing diver was found.", "alive"),
        ("The refinery blaze is under control.", "The refinery blaze is still out of control.", "contained"),
        ("The refinery blaze was put out at dawn.", "The refinery blaze is still burning.", "contained"),
        ("Growth picked up in the spring.", "Growth slowed in the spring.", "rise"),
        ("Exports were up 4 % in May.", "Exports were down 4 % in May.", "rise"),
        ("The coach resigned on Monday.", "The coach will stay on next season.", "resign"),
    ],
)
def test_opposite_outcomes_have_opposite_signs(a: str, b: str, concept: str) -> None:
    assert (concept, 1) in cues(a), cues(a)
    assert (concept, -1) in cues(b), cues(b)


@pytest.mark.parametrize(
    "text", ["The crew cleared the road.", "They walked up the hill.", "The fire burned the barn."]
)
def test_words_that_are_no_outcome_here(text: str) -> None:
    assert cues(text) == set()


# --- zero readers and event dates ---------------------------------------------------------------
def test_without_a_single_is_zero() -> None:
    (zero,) = facts("The typhoon passed the islands without causing a single death.")
    assert (zero.quantity.hedge, zero.measure) == ("zero", "killed")


def test_none_of_the_group_is_a_zero_share() -> None:
    (none,) = read("None of the town's ferries run on diesel.")
    assert (none.kind, none.value) == ("percent", 0.0)


def test_event_dates_leave_out_as_of_dates() -> None:
    from claims.detection.timecues import event_dates

    assert {lab for _, lab, _ in event_dates("The bridge reopened on Friday 3 October.")} == {
        "friday",
        "3 october",
    }
    assert event_dates("The toll reached 80 by 2 May.") == frozenset()
    assert event_dates("Arrests have risen since Sunday.") == frozenset()


def test_a_ban_and_a_permission_are_opposite_outcomes() -> None:
    assert ("permit", -1) in cues("The city banned drones over the harbour.")
    assert ("permit", 1) in cues("The city allowed drones over the harbour.")


def test_degrees_of_damage_are_separate_tallies() -> None:
    destroyed = facts("The cyclone destroyed 120 huts on the atoll.")[0]
    damaged = facts("The cyclone damaged about 900 huts on the atoll.")[0]
    assert destroyed.head == damaged.head
    assert destroyed.measure != damaged.measure


def test_a_tally_of_votes_has_no_direction_of_its_own() -> None:
    # "by 51 votes to 40" must not read as "voted to", or it cancels "rejected"
    assert cues("The assembly rejected the budget by 51 votes to 40.") == {("approve", -1)}
    assert cues("The assembly passed the budget by 51 votes to 40.") == {("approve", 1)}
