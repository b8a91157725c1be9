"""The calibrated last step of the judge: the committed model fits the features, decides
deterministically, moves as its weights say and never drops the rules' explanation."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from claims.detection import Judgement, analyse, judge
from claims.detection.calibration import (
    CLASSES,
    DUPLICATE_OFF,
    FEATURES,
    MODEL_PATH,
    CalibrationModel,
    CalibrationModelError,
    calibrate,
    decide,
    feature_names,
    load_model,
    never_vetoed,
    pair_vector,
)
from claims.detection.merging import same_content

PAIRS = Path(__file__).resolve().parents[2] / "data" / "detection_pairs.jsonl"


def _own_pairs() -> list[dict[str, str]]:
    return [json.loads(x) for x in PAIRS.read_text(encoding="utf-8").splitlines() if x.strip()]


def _vector(a: str, b: str, similarity: float = 0.8) -> dict[str, float]:
    fa, fb = analyse(a), analyse(b)
    return pair_vector(fa, fb, similarity, judge(fa, fb, similarity, calibrated=False))


def test_the_committed_model_has_exactly_the_features_pair_vector_makes() -> None:
    """A stale model (features added, renamed or removed since training) fails here: retrain with
    ``bench/train_detection.py``."""
    model = load_model()
    made = feature_names(_vector("The council approved the budget.", "The council rejected the budget."))
    assert model.features == made, (
        "calibration_model.json was trained on other features than pair_vector makes now: "
        f"missing {sorted(set(made) - set(model.features))}, "
        f"extra {sorted(set(model.features) - set(made))}; "
        "run bench/train_detection.py"
    )
    assert set(model.classes) == set(CLASSES)
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["trained_on"]["news"] > 0
    assert data["date"]
    assert 0.0 < model.thresholds["contradiction"] < 1.0
    # flagged duplicates must pass the findings' SUGGEST_THRESHOLD filter, or keep the rules' score
    assert model.thresholds["duplicate"] >= 0.38 or model.thresholds["duplicate"] == DUPLICATE_OFF


def test_pair_vector_is_symmetric_and_names_every_base_feature() -> None:
    a = "Floodwaters forced about 4,000 residents of Marlow Vale to leave on Tuesday."
    b = "Roughly 4,000 people were evacuated from Marlow Vale on Tuesday."
    fa, fb = analyse(a), analyse(b)
    rule = judge(fa, fb, 0.8, calibrated=False)
    assert pair_vector(fa, fb, 0.8, rule) == pair_vector(fb, fa, 0.8, rule)
    assert set(FEATURES) <= set(pair_vector(fa, fb, 0.8, rule))


def test_judgements_are_deterministic_and_symmetric() -> None:
    for row in _own_pairs()[:40]:
        fa, fb = analyse(row["a"]), analyse(row["b"])
        first = judge(fa, fb, 0.73)
        assert judge(analyse(row["a"]), analyse(row["b"]), 0.73) == first
        assert judge(fb, fa, 0.73) == first


def test_a_weight_moves_the_probabilities_as_its_sign_says() -> None:
    model = load_model()
    dup, none = model.classes.index("duplicate"), model.classes.index("none")
    diffs = [w_d - w_n for w_d, w_n in zip(model.coef[dup], model.coef[none], strict=True)]
    k = max(range(len(diffs)), key=lambda i: abs(diffs[i]))
    name = model.features[k]
    base = dict(zip(model.features, model.mean, strict=True))
    p0 = model.probabilities(base)
    step = 3.0
    moved = {**base, name: base[name] + step * model.scale[k]}
    p1 = model.probabilities(moved)
    # log-odds of duplicate against none move by exactly step x the weight difference
    change = math.log(p1["duplicate"] / p1["none"]) - math.log(p0["duplicate"] / p0["none"])
    assert change == pytest.approx(step * diffs[k], abs=1e-9)
    # far enough along that feature one way, duplicate beats none; the other way, none wins
    toward = model.probabilities({**base, name: base[name] + math.copysign(50.0, diffs[k]) * model.scale[k]})
    away = model.probabilities({**base, name: base[name] - math.copysign(50.0, diffs[k]) * model.scale[k]})
    assert toward["duplicate"] > toward["none"]
    assert away["none"] > away["duplicate"]


def _model(p_dup: float, p_con: float) -> CalibrationModel:
    """A one-feature model whose probabilities are set by its intercepts."""
    p_none = 1.0 - p_dup - p_con
    return CalibrationModel.from_dict(
        {
            "features": list(FEATURES),
            "classes": ["duplicate", "contradiction", "none"],
            "mean": [0.0] * len(FEATURES),
            "scale": [1.0] * len(FEATURES),
            "coef": [[0.0] * len(FEATURES)] * 3,
            "intercept": [math.log(p_dup), math.log(p_con), math.log(p_none)],
            "thresholds": {"duplicate": 0.5, "contradiction": 0.4, "promote": 0.9},
        }
    )


def _pair(a: str, b: str, sim: float) -> tuple[Judgement, dict[str, float]]:
    fa, fb = analyse(a), analyse(b)
    rule = judge(fa, fb, sim, calibrated=False)
    return rule, pair_vector(fa, fb, sim, rule)


def test_a_confirmed_contradiction_keeps_the_rules_explanation_and_scores_its_probability() -> None:
    rule, vector = _pair(
        "The council approved the budget on Monday.", "The council rejected the budget on Monday.", 0.9
    )
    assert rule.relation == "contradiction"
    out = calibrate(rule, vector, _model(0.05, 0.8))
    assert out.relation == "contradiction"
    assert out.score == pytest.approx(0.8, abs=1e-4)
    assert out.explanation == rule.explanation


def test_a_vetoed_contradiction_says_what_the_rules_found_and_why_it_is_not_shown() -> None:
    rule, vector = _pair(
        "The council approved the budget on Monday.", "The council rejected the budget on Monday.", 0.9
    )
    out = calibrate(rule, vector, _model(0.05, 0.1))
    assert out.relation == "consistent"
    assert rule.explanation in out.explanation
    assert "p=0.10" in out.explanation


def test_a_promoted_duplicate_is_explained_and_a_contradiction_is_never_invented() -> None:
    rule, vector = _pair("Prices rose in Velsund last year.", "The Velsund harbour was rebuilt.", 0.5)
    assert rule.relation in ("consistent", "unrelated")
    promoted = calibrate(rule, vector, _model(0.95, 0.01))
    assert promoted.relation == "duplicate"
    assert rule.explanation in promoted.explanation
    assert "similarity 0.50" in promoted.explanation
    assert calibrate(rule, vector, _model(0.01, 0.98)) == rule
    assert (
        decide(
            rule,
            {"duplicate": 0.6, "contradiction": 0.0, "none": 0.4},
            {"duplicate": 0.5, "contradiction": 0.4, "promote": 0.9},
        )
        == "none"
    )


def test_a_pair_the_frames_block_is_never_promoted_however_sure_the_classifier_is() -> None:
    # A town's toll against its province's: same wording, another place. The rules say why they
    # hold it back, and the classifier may not overrule that, even at p(duplicate) 0.95.
    town = "At least 40 people died in the floods in Renwick, officials said."
    province = "At least 40 people died in the floods in Harlow province, officials said."
    rule, vector = _pair(town, province, 0.93)
    assert rule.relation != "duplicate"
    assert rule.blocked, rule.explanation
    assert calibrate(rule, vector, _model(0.95, 0.01)) == rule
    # The same classifier promotes a pair nothing blocks (see the test above), so the block is
    # what holds this one back.
    free, free_vector = _pair("Prices rose in Velsund last year.", "The Velsund harbour was rebuilt.", 0.5)
    assert not free.blocked
    assert calibrate(free, free_vector, _model(0.95, 0.01)).relation == "duplicate"


def test_with_duplicate_vetoes_off_the_rules_duplicate_stands_with_its_own_score() -> None:
    rule, vector = _pair(
        "Police arrested 35 people in Valdora on Saturday.",
        "On Saturday police in Valdora arrested 35 people.",
        0.95,
    )
    assert rule.relation == "duplicate"
    unsure = _model(0.01, 0.01)
    assert calibrate(rule, vector, unsure).relation == "consistent"  # vetoed at threshold 0.5
    off = dataclasses.replace(unsure, thresholds={**unsure.thresholds, "duplicate": DUPLICATE_OFF})
    assert calibrate(rule, vector, off) == rule


def test_the_hook_in_judge_never_drops_an_explanation() -> None:
    for row in _own_pairs():
        fa, fb = analyse(row["a"]), analyse(row["b"])
        rule = judge(fa, fb, 0.75, calibrated=False)
        out = judge(fa, fb, 0.75)
        assert rule.explanation in out.explanation
        if out.relation in ("duplicate", "contradiction"):
            assert 0.0 <= out.score <= 1.0


def test_a_model_that_lacks_a_feature_or_is_malformed_fails_loudly(tmp_path: Path) -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"][0] = "no_such_feature"
    _, vector = _pair("A", "B", 0.1)
    with pytest.raises(CalibrationModelError, match="no_such_feature"):
        CalibrationModel.from_dict(data).probabilities(vector)
    broken = tmp_path / "model.json"
    broken.write_text(json.dumps({**data, "coef": [[1.0]]}), encoding="utf-8")
    with pytest.raises(CalibrationModelError):
        load_model(broken)


def test_the_classifier_never_vetoes_a_pair_the_merge_rule_would_merge() -> None:
    same = "Police arrested 35 people in Valdora on Saturday."
    rule, vector = _pair(same, same, 1.0)
    assert rule.relation == "duplicate"
    assert vector["merge_rule"] == 1.0
    kept = calibrate(rule, vector, _model(0.01, 0.01))
    assert kept.relation == "duplicate"
    assert kept.score == rule.score
    # one word apart (another town): the merge rule does not hold, so the classifier may veto
    rule, vector = _pair(same, same.replace("Valdora", "Brannoch"), 0.95)
    assert vector["merge_rule"] == 0.0
    if rule.relation == "duplicate":
        assert calibrate(rule, vector, _model(0.01, 0.01)).relation == "consistent"


def test_the_classifier_never_vetoes_a_claim_repeated_with_only_an_attribution_added() -> None:
    said = (
        "The harbour board approved the dredging plan by 7 votes to 2 on 14 May, a spokesman told reporters."
    )
    rule, vector = _pair(
        "The harbour board approved the dredging plan by 7 votes to 2 on 14 May 2026.", said, 0.9
    )
    assert rule.relation == "duplicate"
    assert vector["merge_rule"] == 0.0
    kept = calibrate(rule, vector, _model(0.01, 0.01), attribution_only=True)
    assert kept == Judgement("duplicate", rule.score, rule.explanation)
    assert calibrate(rule, vector, _model(0.01, 0.01)).relation == "consistent"
    # the hook in judge finds it with the committed model
    a, b = (
        analyse("The harbour board approved the dredging plan by 7 votes to 2 on 14 May 2026."),
        analyse(said),
    )
    assert judge(a, b, 0.9).relation == "duplicate"
    # another vote count: not the same content, so the classifier decides as before
    assert not same_content(a, analyse(said.replace("7 votes to 2", "6 votes to 3")))
    assert not never_vetoed(vector, attribution_only=False)


def test_frame_features_appear_once_claims_carry_a_frame() -> None:
    """Before the frames branch, claims have no frame and no frame feature exists; after it, every
    frame field becomes a feature (so the committed model is stale until retrained)."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Frame:
        event: str
        scope: tuple[str, ...]
        time: str | None

    a, b = analyse("35 arrested in Valdora."), analyse("35 arrested in Brannoch.")
    if hasattr(a, "frame"):
        pytest.skip("claims carry a frame already: the stale-model test above covers it")
    fa = type("WithFrame", (), {"frame": Frame("arrest", ("valdora",), None)})()
    fb = type("WithFrame", (), {"frame": Frame("arrest", ("brannoch",), "2026-03-17")})()
    from claims.detection.calibration import frame_features

    assert frame_features(a, b) == {}
    assert frame_features(fa, fb) == {"frame:event": 1.0, "frame:scope": -1.0, "frame:time": 0.0}  # type: ignore[arg-type]
