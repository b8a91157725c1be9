"""The ``Judgement`` a pair of claims gets, and the scores it is built from.

``Judgement`` (relation, score, explanation, blocked), the thresholds of the relations, the
duplicate score and its features, relatedness, and ``similarity_score``. The calibrated last
step (``calibration.py``) reads these; the rules that decide (``judge.py``) build on them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz

from .features import ClaimFeatures, value_token
from .figures import compare_figures
from .overlap import (
    canonical_order,
    concept_overlap,
    entities_overlap,
    entity_mismatch,
    predicate_mismatch,
)

# Duplicate score at which a pair is suggested to editors, and at which it is auto-confirmed.
# SUGGEST is the F1-optimal threshold on the MRPC training split. CONFIRM is the lowest score
# from which duplicate precision stays >= 0.98 on MRPC train + the hand-written set and on MRPC
# test + the hand-written set (0.91-0.93 dipped below 0.98 on test).
SUGGEST_THRESHOLD = 0.38
CONFIRM_THRESHOLD = 0.94
# Below this relatedness a pair is unrelated rather than consistent.
RELATED_THRESHOLD = 0.42

RELATIONS = ("duplicate", "contradiction", "consistent", "unrelated")


@dataclass(frozen=True, slots=True)
class Judgement:
    """Outcome of ``judge``: relation, confidence in [0, 1] and a one-line explanation."""

    relation: str
    score: float
    explanation: str
    # The claim frames rule a duplicate out (another place, body, subject, outcome or figure; a
    # running total's update): no later step may turn such a pair into a duplicate.
    blocked: bool = False


def match_relation(j: Judgement) -> str:
    """Relation for the match API: "duplicate", "contradiction" or "related"."""
    if j.relation in ("duplicate", "contradiction"):
        return j.relation
    return "related"


# Logistic model of "same claim": weights of embedding cosine, token-sort fuzzy ratio and token
# Dice (both over canonical tokens), relative length difference, unmatched figures (capped at 3),
# entity mismatch and outcome-concept mismatch (capped at 2). Fitted once by logistic regression
# on the MRPC *training* split (seven weights and a bias).
DUPLICATE_WEIGHTS = (1.731, 3.293, 3.762, -3.576, -0.211, -0.053, -0.230)
DUPLICATE_BIAS = -4.722


def duplicate_features(
    a: ClaimFeatures, b: ClaimFeatures, similarity: float, numeric_unmatched: int
) -> tuple[float, ...]:
    """The inputs of ``duplicate_score`` in ``DUPLICATE_WEIGHTS`` order. When every figure of
    both claims pairs with one of the other (``numeric_unmatched`` 0), the figures are read as
    the same token when they are one value in two units ("43 °C" / "109 °F"): the figure readers
    have compared them, and the wording scores judge the rest of the words."""
    ca, cb = _wording_tokens(a, b, numeric_unmatched)
    fuzzy = fuzz.token_sort_ratio(" ".join(ca), " ".join(cb)) / 100.0
    ta, tb = set(ca), set(cb)
    uni = 2.0 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0
    la, lb = len(a.tokens), len(b.tokens)
    ldiff = abs(la - lb) / max(la, lb) if la and lb else 1.0
    return (
        max(similarity, 0.0),
        fuzzy,
        uni,
        ldiff,
        float(min(3, numeric_unmatched)),
        float(entity_mismatch(a, b)),
        float(min(2, predicate_mismatch(a, b))),
    )


# Two figures within this share of each other, in one canonical unit, are one figure written in
# two units or forms ("43 °C" and "109 °F", read as 42.8 degrees); a bound ("at least 20" / "31")
# is not.
_SAME_FIGURE_TOLERANCE = 0.05


def _wording_tokens(
    a: ClaimFeatures, b: ClaimFeatures, numeric_unmatched: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The canonical tokens the wording scores compare (see ``duplicate_features``): a figure of
    ``b`` that is one of ``a``'s in another unit is written as ``a`` writes it."""
    if numeric_unmatched or not a.quantities or not b.quantities:
        return a.canonical, b.canonical
    own = {value_token(qa) for qa in a.quantities}
    rewrite: dict[str, str] = {}
    for qb in b.quantities:
        if value_token(qb) in own:
            continue
        for qa in a.quantities:
            if qa.unit == qb.unit and abs(qa.value - qb.value) <= _SAME_FIGURE_TOLERANCE * max(
                abs(qa.value), abs(qb.value)
            ):
                rewrite.setdefault(value_token(qb), value_token(qa))
    return a.canonical, tuple(rewrite.get(t, t) for t in b.canonical)


def duplicate_score(a: ClaimFeatures, b: ClaimFeatures, similarity: float, numeric_unmatched: int) -> float:
    """Probability-like score in [0, 1] that the two claims say the same thing."""
    feats = duplicate_features(a, b, similarity, numeric_unmatched)
    z = DUPLICATE_BIAS + sum(w * f for w, f in zip(DUPLICATE_WEIGHTS, feats, strict=False))
    return 1.0 / (1.0 + math.exp(-z))


def relatedness_score(a: ClaimFeatures, b: ClaimFeatures, similarity: float) -> float:
    dice, contain = concept_overlap(a, b)
    rel = 0.6 * max(similarity, 0.0) + 0.4 * max(dice, contain * 0.8)
    if a.entities and b.entities and entities_overlap(a.entities, b.entities):
        rel += 0.08
    ma = {f.measure for f in a.facts if f.measure not in ("count", "fraction", "multiplier")}
    mb = {f.measure for f in b.facts if f.measure not in ("count", "fraction", "multiplier")}
    if ma & mb:
        rel += 0.12
    return min(1.0, rel)


def similarity_score(a: ClaimFeatures, b: ClaimFeatures, similarity: float) -> float:
    """Graded "same claim" score in [0, 1] (the duplicate score before thresholds); symmetric."""
    a, b = canonical_order(a, b)
    num = compare_figures(a, b)
    return duplicate_score(a, b, max(-1.0, min(1.0, float(similarity))), num.unmatched)
