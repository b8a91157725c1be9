"""The rule triage marks repeats by: the same claim, or a sentence that makes the claim and says more,
with the claim's figures and measures, and nothing in the frames that rules the pair out."""

from __future__ import annotations

import pytest

from claims.detection import Judgement, analyse
from claims.detection.repeats import (
    CONTAINS_MIN_COVERAGE,
    CONTAINS_MIN_SCORE,
    DUPLICATE_MIN_SCORE,
    figures_stated,
    repeat_relation,
    same_measure,
)

CLAIM = "More than 1,000 soldiers have died in the past week."
SENTENCE = "Officials said more than 1,000 soldiers have died in the past week, most of them in the east."
CONSISTENT = Judgement("consistent", 0.6, "one says more")


def _relation(judgement: Judgement, score: float, coverage: float, sentence: str = SENTENCE) -> str | None:
    return repeat_relation(
        score=score, judgement=judgement, sentence=analyse(sentence), claim=analyse(CLAIM), coverage=coverage
    )


def test_a_longer_sentence_with_the_claims_figure_contains_it() -> None:
    assert _relation(CONSISTENT, CONTAINS_MIN_SCORE, CONTAINS_MIN_COVERAGE) == "contains"


@pytest.mark.parametrize(
    ("judgement", "score", "coverage"),
    [
        (CONSISTENT, CONTAINS_MIN_SCORE - 0.01, 0.9),  # ranked too low
        (CONSISTENT, 0.9, CONTAINS_MIN_COVERAGE - 0.01),  # says too little of the claim
        (Judgement("contradiction", 0.9, "conflicting figures"), 0.9, 0.9),
        (Judgement("consistent", 0.9, "another place", blocked=True), 0.9, 0.9),
        (Judgement("duplicate", 0.9, "same claim"), DUPLICATE_MIN_SCORE - 0.01, 0.9),
    ],
)
def test_no_repeat_below_the_thresholds_or_when_the_frames_rule_it_out(
    judgement: Judgement, score: float, coverage: float
) -> None:
    assert _relation(judgement, score, coverage) is None


def test_a_duplicate_repeats_from_its_threshold_on() -> None:
    assert _relation(Judgement("duplicate", 0.9, "same claim"), DUPLICATE_MIN_SCORE, 0.0) == "duplicate"


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        (SENTENCE, True),
        ("Officials said more than 1,200 soldiers have died in the past week.", False),  # another value
        ("Officials said there were 1,000 casualties among the soldiers in the past week.", False),  # measure
        ("Officials said soldiers have died in the past week.", False),  # no figure at all
    ],
)
def test_the_claims_figures_must_be_in_the_sentence_with_their_measure(sentence: str, stated: bool) -> None:
    assert figures_stated(analyse(sentence), analyse(CLAIM)) is stated
    expected = "contains" if stated else None
    assert _relation(CONSISTENT, 0.9, 0.9, sentence=sentence) == expected


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("count:peopl", "count:protest", True),  # "40,000 people" / "40,000 marched"
        ("count:peopl", "killed", True),  # a plain count says little of what it counts
        ("percent:rais", "percent:forecast", True),  # "rise by 40%" / "forecast to grow by 40%"
        ("killed", "casualties", False),
        ("money:profit", "money:damage", False),
        ("measure:metre", "measure:hectare", False),
    ],
)
def test_one_figure_worded_twice_keeps_its_measure_class(x: str, y: str, same: bool) -> None:
    assert same_measure(x, y) is same
    assert same_measure(y, x) is same


def test_a_figure_counted_with_another_noun_is_still_the_claims_figure() -> None:
    claim = analyse("More than 40,000 people took part in the pension protest in Velsund.")
    sentence = analyse(
        "The union says more than 40,000 marched through Velsund on Tuesday, the biggest protest in years."
    )
    assert figures_stated(sentence, claim)
