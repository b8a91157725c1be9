"""Pairwise judgement on the product issue's own examples, symmetry and explanations.

Similarities are fixed numbers of the order the wordllama embedder gives for such pairs, so the
tests need no model files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.detection import (
    CONFIRM_THRESHOLD,
    SUGGEST_THRESHOLD,
    Judgement,
    analyse,
    judge,
    match_relation,
)

PAIRS = Path(__file__).resolve().parents[2] / "data" / "detection_pairs.jsonl"


def j(a: str, b: str, similarity: float = 0.7) -> Judgement:
    """The rules alone: these tests pin their reasons and scores; the calibrated last step that
    confirms, vetoes or promotes them is tested in ``test_calibration.py``."""
    return judge(analyse(a), analyse(b), similarity, calibrated=False)


# --- the examples, verbatim ---------------------------------------------------------
def test_duplicate_suicide_paraphrase() -> None:
    out = j(
        "Some of the deployed troops committed suicide rather than surrender.",
        "Some of the deployed troops took their own lives rather than surrendering.",
        0.84,
    )
    assert out.relation == "duplicate"
    assert out.score >= SUGGEST_THRESHOLD


def test_duplicate_hedged_figures_that_agree() -> None:
    out = j("an estimated 11,000 deployed", "over 11,000 engaged in combat", 0.28)
    assert out.relation == "duplicate"
    assert (
        out.explanation == 'Same claim, same figures: "an estimated 11,000" deployed ~ "over 11,000" engaged'
    )
    # figures are hedged differently, so never auto-confirmed
    assert out.score < CONFIRM_THRESHOLD


def test_conflicting_figures_for_the_same_measure() -> None:
    out = j("about 3,000 sent", "over 11,000 deployed", 0.21)
    assert out.relation == "contradiction"
    assert out.explanation == 'Figures conflict: "about 3,000" sent vs "over 11,000" deployed'


def test_conflicting_troop_figures_in_full_sentences() -> None:
    out = j(
        "About 3,000 North Korean troops were sent to Russia.",
        "Over 11,000 North Korean troops have been deployed to Russia.",
        0.9,
    )
    assert out.relation == "contradiction"
    assert out.explanation == 'Figures conflict: "About 3,000" troops sent vs "Over 11,000" troops deployed'


def test_deaths_exceeding_casualties_for_the_same_window() -> None:
    out = j("more than 1,000 died in the past week", "about 1,000 casualties in the past week", 0.59)
    assert out.relation == "contradiction"
    assert out.explanation == 'Part exceeds total: "more than 1,000" died vs "about 1,000" casualties'


def test_opposite_outcomes_approved_rejected() -> None:
    out = j(
        "The city council approved the stadium plan.", "The city council rejected the stadium plan.", 0.74
    )
    assert out.relation == "contradiction"
    assert out.explanation == 'Opposite outcomes: "approved" vs "rejected"'


def test_no_arrests_against_35_arrested() -> None:
    out = j("no arrests", "35 arrested", 0.62)
    assert out.relation == "contradiction"
    assert out.explanation == 'Figures conflict: "35" arrested vs "no arrests"'


def test_parts_agree_with_total() -> None:
    out = j("300 killed and 2,700 injured", "at least 3,000 killed or wounded", 0.81)
    assert out.relation == "consistent"
    assert out.explanation == (
        'Consistent: figures agree: "300" killed + "2,700" injured = "at least 3,000" killed or wounded'
    )


def test_parts_that_do_not_add_up_conflict() -> None:
    out = j("300 killed and 2,700 injured", "at least 5,000 killed or wounded", 0.81)
    assert out.relation == "contradiction"
    assert out.explanation.startswith('Parts do not add up: "300" killed + "2,700" injured')


def test_weekly_figure_does_not_contradict_cumulative() -> None:
    out = j(
        "More than 1,000 North Korean soldiers were killed or wounded in the past week.",
        "North Korean troops have suffered about 3,000 casualties since they arrived in Kursk.",
        0.62,
    )
    assert out.relation == "consistent"
    assert "different time windows" in out.explanation
    assert '"More than 1,000"' in out.explanation
    assert '"about 3,000"' in out.explanation


def test_weekly_figure_above_the_total_is_a_conflict() -> None:
    out = j(
        "More than 5,000 North Korean soldiers were killed or wounded in the past week.",
        "North Korean troops have suffered about 3,000 casualties since they arrived in Kursk.",
        0.62,
    )
    assert out.relation == "contradiction"
    assert out.explanation.startswith("Shorter-window figure exceeds total")


def test_killed_and_wounded_are_different_measures() -> None:
    out = j(
        "Around 300 North Korean soldiers have been killed.",
        "Around 2,700 North Korean soldiers have been wounded.",
        0.9,
    )
    assert out.relation == "consistent"
    assert (
        out.explanation
        == 'Consistent: different measures: "Around 2,700" soldiers wounded vs "Around 300" soldiers killed'
    )


def test_different_subjects_are_not_in_conflict() -> None:
    out = j(
        "Rebel forces lost 400 fighters in the battle for Sorn.",
        "Government troops lost 150 soldiers in the battle for Sorn.",
        0.8,
    )
    assert out.relation == "consistent"
    assert "different subjects" in out.explanation
    assert j("Oil prices rose on Monday.", "Gold prices fell on Monday.", 0.8).relation == "consistent"
    assert (
        j(
            "The Unity Party won the election in Brevia.",
            "The Labour Front lost the election in Brevia.",
            0.7,
        ).relation
        == "consistent"
    )


def test_negation_of_the_same_statement() -> None:
    out = j(
        "The mayor attended the memorial ceremony on Sunday.",
        "The mayor did not attend the memorial ceremony on Sunday.",
        0.93,
    )
    assert out.relation == "contradiction"
    assert out.explanation == 'Negation: "did not attend" vs "attended"'


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The ruling Unity Party won the election in Brevia.",
            "The ruling Unity Party lost the election in Brevia.",
        ),
        (
            "The ministry confirmed that the minister had met the lobbyists.",
            "The ministry denied that the minister had met the lobbyists.",
        ),
        (
            "Oil prices rose on Monday after the pipeline outage.",
            "Oil prices fell on Monday despite the pipeline outage.",
        ),
    ],
)
def test_antonyms(a: str, b: str) -> None:
    assert j(a, b, 0.85).relation == "contradiction"


def test_unrelated_claims() -> None:
    out = j(
        "The central bank kept its main interest rate unchanged at 3.5%.",
        "A rare white rhino calf was born at Kelby zoo.",
        0.05,
    )
    assert out.relation == "unrelated"
    assert match_relation(out) == "related"


def test_match_relation_maps_relations() -> None:
    assert match_relation(Judgement("duplicate", 0.9, "x")) == "duplicate"
    assert match_relation(Judgement("contradiction", 0.9, "x")) == "contradiction"
    assert match_relation(Judgement("consistent", 0.9, "x")) == "related"


def test_confirmed_duplicates_have_identical_figures() -> None:
    same = j(
        "Police arrested 35 people in Valdora on Saturday.",
        "Police arrested 35 people in Valdora on Saturday.",
        1.0,
    )
    assert same.relation == "duplicate"
    assert same.score >= CONFIRM_THRESHOLD
    hedged = j(
        "Police arrested 35 people in Valdora on Saturday.",
        "Police arrested about 35 people in Valdora on Saturday.",
        1.0,
    )
    assert hedged.relation == "duplicate"
    assert hedged.score < CONFIRM_THRESHOLD


def _dataset() -> list[dict[str, str]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_judging_is_symmetric_and_deterministic() -> None:
    for row in _dataset():
        a, b = analyse(row["a"]), analyse(row["b"])
        for sim in (0.2, 0.6, 0.9):
            forward = judge(a, b, sim)
            assert forward == judge(b, a, sim)
            assert forward == judge(analyse(row["a"]), analyse(row["b"]), sim)
            assert 0.0 <= forward.score <= 1.0


def test_explanations_quote_figures_from_both_claims() -> None:
    for row in _dataset():
        out = judge(analyse(row["a"]), analyse(row["b"]), 0.8)
        if out.explanation.startswith(("Figures conflict", "Part exceeds", "Parts do not")):
            quoted = out.explanation.split('"')[1::2]
            assert any(q in row["a"] for q in quoted), (out, row)
            assert any(q in row["b"] for q in quoted), (out, row)


def test_handwritten_set_shape() -> None:
    rows = _dataset()
    labels = [r["label"] for r in rows]
    assert len(rows) >= 150
    assert set(labels) == {"duplicate", "contradiction", "consistent", "unrelated"}
    assert min(labels.count(x) for x in set(labels)) >= 30
    assert len({(r["a"], r["b"]) for r in rows}) == len(rows)
