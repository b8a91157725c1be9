"""Normalisation, measure classes, time cues and polarity."""

from __future__ import annotations

import pytest

from claims.detection import analyse
from claims.detection.measures import compose
from claims.detection.normalise import normalise, word_tokens
from claims.detection.timecues import compare_windows, extract_time_cues


def test_tweet_noise_is_removed_and_hashtags_split() -> None:
    text = (
        "How are butterflies surviving the #AustralianFires? Footage pic.twitter.com/0eJtwJyS1J "
        "https://t.co/abc — Center for Bio Div (@CenterForBioDiv) January 14, 2020"
    )
    assert normalise(text) == "How are butterflies surviving the Australian Fires ? Footage"
    assert normalise("thanks @BernieSanders for #DefundTheCBC") == "thanks Bernie Sanders for Defund The CBC"


def test_tokens_fold_case_thousands_and_negation() -> None:
    assert word_tokens("Police didn't arrest 11,000 people") == (
        "police",
        "did",
        "not",
        "arrest",
        "11000",
        "people",
    )


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("About 3,000 North Korean troops were sent to Russia.", "troops"),
        ("More than 1,000 North Korean soldiers died in the past week.", "killed"),
        ("About 1,000 North Korean casualties were reported.", "casualties"),
        ("At least 3,000 soldiers have been killed or wounded.", "casualties"),
        ("Around 2,700 soldiers have been wounded.", "injured"),
        ("Police arrested 35 people during the march.", "arrests"),
        ("There were no arrests during the march.", "arrests"),
        ("Roughly 4,000 people were evacuated.", "displaced"),
        ("The storm caused an estimated 200 million dollars in damage.", "money:damage"),
        ("Unemployment fell to 5.2% in March.", "percent:unemploy"),
        ("The fire destroyed 40 homes.", "count:home:destroyed"),
    ],
)
def test_measure_classes(text: str, measure: str) -> None:
    (fact,) = analyse(text).facts
    assert fact.measure == measure


def test_composition_rules() -> None:
    assert compose("killed", "casualties") == "a_part_of_b"
    assert compose("casualties", "injured") == "b_part_of_a"
    assert compose("killed", "injured") == "different"
    assert compose("troops", "troops") == "same"


def test_time_cues_and_window_relations() -> None:
    week = extract_time_cues("more than 1,000 died in the past week")
    total = extract_time_cues("about 3,000 casualties since they arrived")
    so_far = extract_time_cues("48 people so far")
    daily = extract_time_cues("4,000 new infections daily")
    assert [(c.kind, c.label) for c in week] == [("week", "recent")]
    assert [(c.kind, c.label) for c in total] == [("cumulative", "since")]
    assert [(c.kind, c.label) for c in so_far] == [("cumulative", "total")]
    assert compare_windows(week[0], total[0]) == "a_within_b"
    assert compare_windows(total[0], week[0]) == "b_within_a"
    assert compare_windows(week[0], week[0]) == "same"
    assert compare_windows(daily[0], so_far[0]) == "incomparable"
    assert compare_windows(None, None) == "same"


@pytest.mark.parametrize(
    ("text", "concept", "sign"),
    [
        ("The council approved the plan.", "approve", 1),
        ("The council rejected the plan.", "approve", -1),
        ("The regulator refused to approve the drug.", "approve", -1),
        ("The party won the election.", "win", 1),
        ("The party lost the election.", "win", -1),
        ("Oil prices rose on Monday.", "rise", 1),
        ("Oil prices fell on Monday.", "rise", -1),
        ("The ministry denied the report.", "confirm", -1),
        ("The court acquitted the defendant.", "guilty", -1),
    ],
)
def test_polarity_cues(text: str, concept: str, sign: int) -> None:
    cues = [c for c in analyse(text).polarity if c.concept == concept]
    assert [c.sign for c in cues] == [sign]


def test_losing_soldiers_is_not_losing_a_contest() -> None:
    assert [c.concept for c in analyse("Rebel forces lost 400 fighters in the battle.").polarity] == []


def test_negations_are_counted_but_compounds_are_not() -> None:
    assert analyse("The mayor did not attend the ceremony.").negations == 1
    assert analyse("Government forces failed to recapture the town.").negations == 1
    assert analyse("She lost a no-confidence vote.").negations == 0
