"""Does a sentence of an article repeat a stored claim? The rule triage marks repeats by.

A sentence repeats a claim in one of two ways:

- ``duplicate``: the judge finds the same claim (``judge``'s duplicate, at a match score of at
  least ``DUPLICATE_MIN_SCORE``);
- ``contains``: the sentence makes the claim and says more besides. A news sentence seldom
  restates a highlighted claim on its own: "At least 18 died when the dam failed, officials said
  on Tuesday, as rescuers searched for dozens more" makes the claim "At least 18 died when the dam
  failed" inside a longer report, and the judge, which compares two claims, calls the pair
  consistent (one says more). The sentence contains the claim when retrieval and the judge rank it
  high (a match score of at least ``CONTAINS_MIN_SCORE``), it says at least ``CONTAINS_MIN_COVERAGE``
  of the claim's idf mass (``Candidate.coverage``: words every stored claim uses count for little,
  so a story's recurring names do not make two of its claims one), every figure of the claim is in
  it with the same value and measure (``figures_stated``), and the frames do not rule the pair out
  (no contradiction; no other place, body, subject, outcome or figure: ``Judgement.blocked``).

The thresholds were chosen on the train and dev splits of CheckThat! 2020 (tweets against the
fact-checked claims they repeat, 907 tweets with their three best candidates), of
``bench/data/news_pairs.jsonl`` and of the demo newsroom (each highlight's sentence against the
other demo claims, labelled by ``demo_pairs.jsonl``) together (``bench/triage_repeats.py --dev``):
of a grid of score and coverage thresholds, the one with the highest recall at a precision of at
least 0.90 (precision 0.90, recall 0.38 with the detector of 2026-12-08, which moved the choice from
coverage 0.4 to 0.2; the rule of an earlier release, duplicates at 0.70 alone, found 0.09). The
seed figure (``--seeds``) is test only.
"""

from __future__ import annotations

from .features import ClaimFeatures
from .judgement import Judgement
from .quantities import Quantity

# Bump when the rule changes: stored triage is redone (``claims.selectors.triage.TRIAGE_VERSION``).
REPEATS_VERSION = 3
DUPLICATE_MIN_SCORE = 0.70
CONTAINS_MIN_SCORE = 0.55
CONTAINS_MIN_COVERAGE = 0.2
# The least match score any repeat has: what triage asks ``claims_match_many`` for.
REPEAT_MIN_SCORE = min(DUPLICATE_MIN_SCORE, CONTAINS_MIN_SCORE)
# A figure of the claim is in the sentence when one of the sentence's figures of the same kind
# has its value within this share.
FIGURE_TOLERANCE = 0.01
# Measure classes that say little of what is counted ("40,000 people" / "40,000 marched"): they
# agree with any other.
_ANY_MEASURE = frozenset({"", "count"})
# Classes whose sub-measure is read from nearby words that wordings vary ("40% by 2045" after
# "rise" or after "forecast"): one class is one measure.
_CLASS_ONLY = frozenset({"percent"})


def same_measure(x: str, y: str) -> bool:
    """Two measure classes (``Fact.measure``) of one figure worded twice: equal, one of them a plain
    count, or one class whose sub-measure does not matter; "casualties" is not "killed", and
    "money:profit" is not "money:damage"."""
    if x == y:
        return True
    class_x, class_y = x.split(":", 1)[0], y.split(":", 1)[0]
    if class_x in _ANY_MEASURE or class_y in _ANY_MEASURE:
        return True
    return class_x == class_y and class_x in _CLASS_ONLY


def figures_stated(sentence: ClaimFeatures, claim: ClaimFeatures) -> bool:
    """Every figure of ``claim`` is one of ``sentence``'s: the same kind and value, and the same
    measure where both say what they count ("1,000 casualties" is not in "1,000 died"). Each
    quantity a claim states is one of its facts, so the facts are all there is to compare."""
    return all(
        any(
            _same_value(mine.quantity, theirs.quantity) and same_measure(mine.measure, theirs.measure)
            for mine in sentence.facts
        )
        for theirs in claim.facts
    )


def _same_value(mine: Quantity, theirs: Quantity) -> bool:
    return mine.kind == theirs.kind and abs(mine.value - theirs.value) <= FIGURE_TOLERANCE * max(
        abs(theirs.value), 1e-9
    )


def repeat_relation(
    *,
    score: float,
    judgement: Judgement,
    sentence: ClaimFeatures,
    claim: ClaimFeatures,
    coverage: float,
    min_score: float = CONTAINS_MIN_SCORE,
    min_coverage: float = CONTAINS_MIN_COVERAGE,
) -> str | None:
    """How ``sentence`` repeats ``claim``: "duplicate", "contains" (see the module docstring) or
    None. ``score`` is the pair's match score, ``judgement`` the judge's on the pair and
    ``coverage`` the share of the claim's idf mass the sentence says (``Candidate.coverage``).
    The thresholds of "contains" are parameters only for the sweep that chose them."""
    if judgement.relation == "duplicate":
        return "duplicate" if score >= DUPLICATE_MIN_SCORE else None
    if judgement.relation == "contradiction" or judgement.blocked:
        return None
    if score < min_score or coverage < min_coverage:
        return None
    return "contains" if figures_stated(sentence, claim) else None
