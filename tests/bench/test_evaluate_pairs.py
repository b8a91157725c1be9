"""The pair evaluation shows what the app would show and scores it per class."""

from __future__ import annotations

import pytest

from bench.evaluate_pairs import Finding, Merge, Scored, flagged, report, score_findings
from bench.pair_sets import Pair
from claims.detection import SUGGEST_THRESHOLD, Judgement


def _scored(label: str, predicted: str) -> Scored:
    pair = Pair(source="news", id=f"{label}-{predicted}", a="a", b="b", label=label, kinds=(), split="test")
    return Scored(pair, Judgement(predicted, 1.0, ""), predicted)


@pytest.mark.parametrize(
    ("relation", "score", "shown"),
    [
        ("contradiction", 0.1, "contradiction"),
        ("duplicate", SUGGEST_THRESHOLD, "duplicate"),
        ("duplicate", SUGGEST_THRESHOLD - 0.01, "not-flagged"),
        ("consistent", 0.99, "not-flagged"),
        ("unrelated", 0.99, "not-flagged"),
    ],
)
def test_a_pair_is_flagged_as_the_app_flags_it(relation: str, score: float, shown: str) -> None:
    assert flagged(Judgement(relation, score, "")) == shown


def test_report_scores_three_classes_and_keeps_four_gold_rows() -> None:
    scored = [
        _scored("duplicate", "duplicate"),
        _scored("duplicate", "not-flagged"),
        _scored("contradiction", "contradiction"),
        _scored("consistent", "contradiction"),
        _scored("unrelated", "duplicate"),
        _scored("unrelated", "not-flagged"),
    ]

    r = report(scored)

    assert r.n == 6
    assert r.precision == {"duplicate": 0.5, "contradiction": 0.5, "not-flagged": 0.5}
    assert r.recall == {"duplicate": 0.5, "contradiction": 1.0, "not-flagged": pytest.approx(1 / 3)}
    assert r.f1["contradiction"] == pytest.approx(2 / 3)
    assert r.f1["not-flagged"] == pytest.approx(0.4)
    assert r.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.4) / 3)
    assert r.confusion["consistent"]["contradiction"] == 1
    assert r.confusion["unrelated"]["duplicate"] == 1


def test_macro_f1_leaves_out_a_class_with_no_gold_pair() -> None:
    r = report([_scored("consistent", "not-flagged"), _scored("duplicate", "duplicate")])

    assert r.macro_f1 == 1.0


def _gold(a: str, b: str, label: str) -> Pair:
    return Pair(source="demo", id=f"{a}-{b}", a=a, b=b, label=label, kinds=(), split="test")


def _finding(kind: str, a: str, b: str) -> Finding:
    return Finding(kind=kind, state="suggested", score=0.9, explanation="", a=a, b=b)


def test_findings_are_held_against_gold_in_either_order() -> None:
    gold = [
        _gold("Seven died in Renwick.", "At least 40 died in the province.", "consistent"),
        _gold("Seepage was reported.", "No defect was reported.", "contradiction"),
        _gold("Deputies approved it 112-97.", "The chamber passed it 112 to 97.", "duplicate"),
    ]
    findings = [
        _finding("contradiction", "At least 40 died in the province.", "Seven died in Renwick."),
        _finding("contradiction", "No defect was reported.", "Seepage was reported."),
        _finding("duplicate", "A pair nobody labelled.", "Another."),
    ]
    merges = [Merge(merged="The chamber passed it 112 to 97.", into="Deputies approved it 112-97.")]

    result = score_findings(findings, merges, gold)

    assert [f.a for f in result.agreed] == ["No defect was reported."]
    assert [(f.kind, p.label) for f, p in result.rejected] == [("contradiction", "consistent")]
    assert [f.a for f in result.unlabelled] == ["A pair nobody labelled."]
    assert result.precision() == 0.5
    assert result.precision("contradiction") == 0.5
    assert result.precision("duplicate") is None
    assert result.gold_found == {"duplicate": (0, 1), "contradiction": (1, 1)}
    assert [label for _, label in result.merges] == ["duplicate"]
