"""The calibrated last step of ``judge``: a trained classifier over the rules' own evidence.

Contract:

- ``pair_vector(a, b, similarity, rule) -> dict[str, float]``: named, symmetric features of a
  pair (embedding cosine; wording, term and concept overlaps; figures that agree, differ or
  conflict; outcome and negation mismatches; named entities shared or not; the rule judgement's
  relation one-hot, score and kind of reason (figures, outcomes, negation); and, once
  ``ClaimFeatures`` carries a ``frame``, one feature per frame field: +1 equal, -1 different, 0
  when a side lacks it). The names are ``FEATURES`` plus the frame's fields, sorted.
- ``calibrate(rule, vector) -> Judgement``: a multinomial logistic regression (duplicate /
  contradiction / none) whose weights, feature names, standardisation, decision thresholds,
  training sets and date live in ``calibration_model.json`` beside this module, written by
  ``bench/train_detection.py`` (scikit-learn is used there only; here it is plain arithmetic).

The decision keeps the rules' explanations; the classifier may veto or promote, never invent a
reason:

- the rules flag a contradiction: it stays one, with the rules' explanation word for word, when
  p(contradiction) >= the ``contradiction`` threshold (score = that probability), else it is vetoed;
- the rules flag a duplicate: it stays one when p(duplicate) >= ``duplicate`` threshold, else it is
  vetoed; a threshold of ``DUPLICATE_OFF`` (0) leaves duplicates to the rules, score and all; a
  duplicate is never turned into a contradiction (no rule found a conflict to quote). A pair the
  merge rule would merge (``merging.auto_merge``: near-identical text, same frame; the
  ``merge_rule`` feature), or that says the same once who is quoted is left out
  (``merging.same_content``: "..., a government spokesman told reporters" added to a claim), is
  never vetoed and keeps at least the rules' score: no claim is "not flagged" against its own
  words, whoever repeats them;
- the rules do not flag: the pair becomes a duplicate only when the claim frames do not rule a
  duplicate out (``Judgement.blocked``: another place, body, subject, outcome or count, a running
  total's update; such a block holds whatever the similarity) and p(duplicate) >= ``promote``
  (chosen on dev, at least ``duplicate``), explained by its similarity and the rules' own
  reading of its figures; it never becomes a contradiction (the rules give the reason for those);
- a vetoed pair reads "consistent", scored by its relatedness, and its explanation says what the
  rules had found and the probability that overruled it.

Pure and deterministic: the model file is read once (it ships in the package) and the arithmetic
is plain Python floats in a fixed order. A model whose feature names are not this module's is
stale: ``tests/claims/detection/test_calibration.py`` fails until it is retrained.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .features import ClaimFeatures
from .figures import compare_figures
from .judgement import (
    DUPLICATE_BIAS,
    DUPLICATE_WEIGHTS,
    Judgement,
    duplicate_features,
    relatedness_score,
)
from .merging import auto_merge, same_content
from .outcomes import (
    opposite_outcomes,
    polarity_conflict,
)
from .overlap import (
    concept_overlap,
    different_outcome_concepts,
    different_topics,
    entities_overlap,
    names_match,
    stated_figures,
    time_clash,
)

MODEL_PATH = Path(__file__).with_name("calibration_model.json")
CLASSES = ("duplicate", "contradiction", "none")
RULE_RELATIONS = ("duplicate", "contradiction", "consistent", "unrelated")

#: Features every pair has (frame features are added when claims carry a frame).
FEATURES = (
    "cosine",
    "wording_fuzzy",
    "wording_dice",
    "length_diff",
    "term_jaccard",
    "concept_dice",
    "concept_containment",
    "duplicate_score",
    "relatedness",
    "figures_both",
    "figures_one_side",
    "figures_agree",
    "figures_matched",
    "figures_unmatched",
    "figure_notes",
    "figure_conflict",
    "figures_composed",
    "stated_figures_equal",
    "outcomes_opposite",
    "outcome_conflict",
    "outcome_concepts_differ",
    "outcome_mismatch",
    "negation_mismatch",
    "negation_both",
    "entities_overlap",
    "entities_mismatch",
    "entities_jaccard",
    "entities_one_side",
    "time_clash",
    "different_topics",
    "rule_duplicate",
    "rule_contradiction",
    "rule_consistent",
    "rule_unrelated",
    "rule_score",
    "rule_duplicate_score",
    "rule_contradiction_score",
    "rule_conflict_figures",
    "rule_conflict_outcomes",
    "rule_conflict_negation",
    "rule_same_figures",
    "merge_rule",
)

# The rules' reasons, read from the first words of their explanations (``judge`` writes them).
_FIGURE_REASONS = ("Figures conflict", "Part exceeds total", "Shorter-window", "Parts do not add up")


class CalibrationModelError(RuntimeError):
    """The model file is missing, malformed or does not fit the features."""


def _jaccard(x: frozenset[str] | set[str], y: frozenset[str] | set[str]) -> float:
    union = x | y
    return len(x & y) / len(union) if union else 0.0


def _entity_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    shared = sum(1 for x in a if any(names_match(x, y) for y in b))
    return shared / (len(a) + len(b) - shared) if len(a) + len(b) - shared else 0.0


def _frame_value(value: Any) -> Any:
    """A frame field made comparable: collections as sorted tuples, empties as None."""
    if value is None or value == "" or value == () or value == frozenset() or value == []:
        return None
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(map(repr, value)))
    if isinstance(value, list):
        return tuple(value)
    return value


def frame_features(a: ClaimFeatures, b: ClaimFeatures) -> dict[str, float]:
    """``frame:<field>``: +1 equal, -1 different, 0 when either claim lacks that field; nothing when
    ``ClaimFeatures`` has no ``frame`` (before claim frames exist). A frame may be a dataclass, a
    named tuple or a dict; nested values are compared as a whole."""
    fa, fb = getattr(a, "frame", None), getattr(b, "frame", None)
    names = _frame_fields(fa) or _frame_fields(fb)
    out: dict[str, float] = {}
    for name in names:
        va, vb = _frame_value(_frame_get(fa, name)), _frame_value(_frame_get(fb, name))
        out[f"frame:{name}"] = 0.0 if va is None or vb is None else 1.0 if va == vb else -1.0
    return out


def _frame_fields(frame: Any) -> tuple[str, ...]:
    """Field names of a frame: a dataclass, a named tuple or a mapping (whatever frames become)."""
    if frame is None:
        return ()
    if dataclasses.is_dataclass(frame):
        return tuple(f.name for f in dataclasses.fields(frame))
    if isinstance(frame, tuple) and hasattr(frame, "_fields"):
        return tuple(str(f) for f in frame._fields)
    if isinstance(frame, dict):
        return tuple(sorted(str(k) for k in frame))
    return ()


def _frame_get(frame: Any, name: str) -> Any:
    if frame is None:
        return None
    if isinstance(frame, dict):
        return frame.get(name)
    return getattr(frame, name, None)


def _duplicate_probability(inputs: tuple[float, ...]) -> float:
    """``judge.duplicate_score`` from its already computed inputs."""
    z = DUPLICATE_BIAS + sum(w * f for w, f in zip(DUPLICATE_WEIGHTS, inputs, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def pair_vector(a: ClaimFeatures, b: ClaimFeatures, similarity: float, rule: Judgement) -> dict[str, float]:
    """Named features of a pair (see module docstring); symmetric in ``a`` and ``b``."""
    similarity = max(-1.0, min(1.0, float(similarity)))
    num = compare_figures(a, b)
    dup_inputs = duplicate_features(a, b, similarity, num.unmatched)
    _, fuzzy, dice_words, length_diff, _, entity_mismatch, outcome_mismatch = dup_inputs
    concept_dice, concept_contain = concept_overlap(a, b)
    fig_a, fig_b = len(a.facts), len(b.facts)
    rel = rule.relation
    vector = {
        "cosine": similarity,
        "wording_fuzzy": fuzzy,
        "wording_dice": dice_words,
        "length_diff": length_diff,
        "term_jaccard": _jaccard(set(a.terms), set(b.terms)),
        "concept_dice": concept_dice,
        "concept_containment": concept_contain,
        "duplicate_score": _duplicate_probability(dup_inputs),
        "relatedness": relatedness_score(a, b, similarity),
        "figures_both": float(fig_a > 0 and fig_b > 0),
        "figures_one_side": float((fig_a > 0) != (fig_b > 0)),
        "figures_agree": float(min(3, len(num.agreements))),
        "figures_matched": float(min(4, num.matched)),
        "figures_unmatched": float(min(4, num.unmatched)),
        "figure_notes": float(min(3, len(num.notes))),
        "figure_conflict": float(bool(num.conflict)),
        "figures_composed": float(num.composed),
        "stated_figures_equal": float(
            bool(a.quantities or b.quantities) and stated_figures(a) == stated_figures(b)
        ),
        "outcomes_opposite": float(opposite_outcomes(a, b)),
        "outcome_conflict": float(bool(polarity_conflict(a, b))),
        "outcome_concepts_differ": float(different_outcome_concepts(a, b)),
        "outcome_mismatch": outcome_mismatch,
        "negation_mismatch": float((a.negations % 2) != (b.negations % 2)),
        "negation_both": float(a.negations > 0 and b.negations > 0),
        "entities_overlap": float(
            bool(a.entities and b.entities and entities_overlap(a.entities, b.entities))
        ),
        "entities_mismatch": entity_mismatch,
        "entities_jaccard": _entity_jaccard(a.entities, b.entities),
        "entities_one_side": float(bool(a.entities) != bool(b.entities)),
        "time_clash": float(time_clash(a, b)),
        "different_topics": float(different_topics(a, b) or different_topics(b, a)),
        "rule_score": float(rule.score),
        "rule_duplicate_score": float(rule.score) if rel == "duplicate" else 0.0,
        "rule_contradiction_score": float(rule.score) if rel == "contradiction" else 0.0,
    }
    for r in RULE_RELATIONS:
        vector[f"rule_{r}"] = float(rel == r)
    why = rule.explanation
    vector["rule_conflict_figures"] = float(rel == "contradiction" and why.startswith(_FIGURE_REASONS))
    vector["rule_conflict_outcomes"] = float(rel == "contradiction" and why.startswith("Opposite outcomes"))
    vector["rule_conflict_negation"] = float(rel == "contradiction" and why.startswith("Negation"))
    vector["rule_same_figures"] = float(rel == "duplicate" and why.startswith("Same claim, same figures"))
    vector["merge_rule"] = float(auto_merge(a, b))
    vector.update(frame_features(a, b))
    return vector


def feature_names(vector: dict[str, float]) -> tuple[str, ...]:
    """The order a model stores its weights in: ``FEATURES``, then frame features sorted."""
    return FEATURES + tuple(sorted(k for k in vector if k not in FEATURES))


# ---------------------------------------------------------------- the model
@dataclass(frozen=True)
class CalibrationModel:
    """Weights of the multinomial logistic regression and its decision thresholds."""

    features: tuple[str, ...]
    classes: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per class
    intercept: tuple[float, ...]
    thresholds: dict[str, float]  # duplicate, contradiction, promote
    meta: dict[str, Any]

    @functools.cached_property
    def _folded(self) -> tuple[tuple[tuple[float, ...], ...], tuple[float, ...]]:
        """Weights with the standardisation folded in: z = b' + sum(w' * raw value)."""
        rows = tuple(tuple(w / s for w, s in zip(row, self.scale, strict=True)) for row in self.coef)
        biases = tuple(
            b - math.fsum(w * m for w, m in zip(row, self.mean, strict=True))
            for row, b in zip(rows, self.intercept, strict=True)
        )
        return rows, biases

    def probabilities(self, vector: dict[str, float]) -> dict[str, float]:
        """Softmax probabilities per class; raises ``CalibrationModelError`` on a missing feature."""
        try:
            x = [vector[name] for name in self.features]
        except KeyError as exc:
            raise CalibrationModelError(
                f"the calibration model needs feature {exc.args[0]!r}, which pair_vector no longer makes: "
                "retrain it with bench/train_detection.py"
            ) from exc
        rows, biases = self._folded
        z = [b + sum(map(operator.mul, row, x)) for row, b in zip(rows, biases, strict=True)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = math.fsum(e)
        return {c: v / total for c, v in zip(self.classes, e, strict=True)}

    @staticmethod
    def from_dict(data: dict[str, Any]) -> CalibrationModel:
        try:
            model = CalibrationModel(
                features=tuple(str(f) for f in data["features"]),
                classes=tuple(str(c) for c in data["classes"]),
                mean=tuple(float(v) for v in data["mean"]),
                scale=tuple(float(v) for v in data["scale"]),
                coef=tuple(tuple(float(v) for v in row) for row in data["coef"]),
                intercept=tuple(float(v) for v in data["intercept"]),
                thresholds={k: float(v) for k, v in data["thresholds"].items()},
                meta={k: v for k, v in data.items() if k not in _MODEL_KEYS},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CalibrationModelError(f"malformed calibration model: {exc}") from exc
        n = len(model.features)
        if (
            set(model.classes) != set(CLASSES)
            or len(model.mean) != n
            or len(model.scale) != n
            or any(s <= 0 for s in model.scale)
            or len(model.coef) != len(model.classes)
            or any(len(row) != n for row in model.coef)
            or len(model.intercept) != len(model.classes)
            or not {"duplicate", "contradiction", "promote"} <= model.thresholds.keys()
        ):
            raise CalibrationModelError("calibration model: shapes, classes or thresholds do not fit")
        return model


_MODEL_KEYS = frozenset({"features", "classes", "mean", "scale", "coef", "intercept", "thresholds"})


@functools.lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> CalibrationModel:
    """The committed model (read once)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CalibrationModelError(f"cannot read the calibration model {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise CalibrationModelError(f"{path.name}: expected a JSON object")
    return CalibrationModel.from_dict(data)


# ---------------------------------------------------------------- the decision
def never_vetoed(vector: dict[str, float], *, attribution_only: bool) -> bool:
    """The classifier never overrules the rules' duplicate on this pair: the merge rule holds
    (``merge_rule``), or the claims differ only in who is quoted (``attribution_only``:
    ``merging.same_content``)."""
    return attribution_only or vector.get("merge_rule", 0.0) == 1.0


# A ``duplicate`` threshold at or below this: the classifier never vetoes the rules' duplicates,
# which keep their score and explanation (chosen on dev when vetoes cost more than they save).
DUPLICATE_OFF = 0.0


def decide(
    rule: Judgement, probs: dict[str, float], thresholds: dict[str, float], *, near_identical: bool = False
) -> str:
    """The calibrated outcome: "duplicate", "contradiction" or "none" (see module docstring).
    ``near_identical``: ``never_vetoed`` holds, and the classifier never overrules the rules'
    duplicate on such a pair."""
    if rule.relation == "contradiction":
        return "contradiction" if probs["contradiction"] >= thresholds["contradiction"] else "none"
    if rule.relation == "duplicate":
        if near_identical or thresholds["duplicate"] <= DUPLICATE_OFF:
            return "duplicate"
        return "duplicate" if probs["duplicate"] >= thresholds["duplicate"] else "none"
    if rule.blocked:
        return "none"
    promote = max(thresholds["promote"], thresholds["duplicate"])
    return "duplicate" if probs["duplicate"] >= promote else "none"


def _rules_stand(rule: Judgement, model: CalibrationModel) -> bool:
    """Whether the classifier cannot change ``rule`` under ``model``'s thresholds, whatever its
    probabilities (``decide`` keeps the rules' outcome): an unflagged pair while promotion is off
    or the frames block a duplicate, or a duplicate while vetoes are off (``DUPLICATE_OFF``)."""
    if rule.relation == "contradiction":
        return False
    if rule.relation == "duplicate":
        return model.thresholds["duplicate"] <= DUPLICATE_OFF
    return rule.blocked or max(model.thresholds["promote"], model.thresholds["duplicate"]) > 1.0


def calibrated_judgement(a: ClaimFeatures, b: ClaimFeatures, similarity: float, rule: Judgement) -> Judgement:
    """The hook at the end of ``judge``: ``calibrate(rule, pair_vector(...))``, skipping the vector
    when nothing could change (``_rules_stand``: most pairs of a check)."""
    model = load_model()
    if _rules_stand(rule, model):
        return rule
    attribution_only = rule.relation == "duplicate" and same_content(a, b)
    return calibrate(rule, pair_vector(a, b, similarity, rule), model, attribution_only=attribution_only)


def calibrate(
    rule: Judgement,
    vector: dict[str, float],
    model: CalibrationModel | None = None,
    *,
    attribution_only: bool = False,
) -> Judgement:
    """The rule judgement confirmed, vetoed or promoted by the calibrated classifier; the
    explanation always keeps the rules' reason (see module docstring). ``attribution_only``: the
    pair holds ``merging.same_content`` (the vector does not carry it)."""
    model = model if model is not None else load_model()
    if _rules_stand(rule, model):
        return rule
    probs = model.probabilities(vector)
    near_identical = never_vetoed(vector, attribution_only=attribution_only)
    outcome = decide(rule, probs, model.thresholds, near_identical=near_identical)
    if outcome == rule.relation:
        p = probs[outcome]
        if near_identical and outcome == "duplicate":
            p = max(p, rule.score)  # the same words and frame: the rules' score stands
        return Judgement(outcome, round(p, 4), rule.explanation)
    if outcome == "duplicate":
        p = probs["duplicate"]
        agree = int(vector.get("figures_agree", 0.0))
        figures = f", {agree} figure{'s' if agree != 1 else ''} agreeing" if agree else ""
        return Judgement(
            "duplicate",
            round(p, 4),
            f"Same claim by the calibrated check (p={p:.2f}): similarity {vector['cosine']:.2f}, "
            f"wording overlap {vector['wording_dice']:.2f}{figures}; the rules read: {rule.explanation}",
        )
    if rule.relation in ("duplicate", "contradiction"):
        p = probs[rule.relation]
        t = model.thresholds[rule.relation]
        return Judgement(
            "consistent",
            round(min(1.0, max(0.0, vector["relatedness"])), 4),
            f"Not flagged: the calibrated check puts {rule.relation} at p={p:.2f} (below {t:.2f}); "
            f"the rules had said: {rule.explanation}",
        )
    return rule
