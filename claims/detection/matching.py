"""One match score for "has this been checked already?": retrieval fused with judgement.

The match endpoint ranks stored claims the way a search engine ranks documents: by one score in
[0, 1] that adds the retrieval score (BM25, embedding cosine and term coverage, fused by
``CandidateIndex.search``) to how related the judge finds the pair. The relation (duplicate,
contradiction, related) is a label on each result, not a sort key: a certain contradiction of a
loosely worded statement is less of an answer than a near-verbatim duplicate, and the score says
so. ``MATCH_FLOOR`` is the least score a result needs when the client gives no ``min_score``: a
statement about something nothing stored mentions gets an empty list.

The weights were chosen on the CheckThat! 2020 train and dev splits only
(``bench/evaluate_detection.py --tune``); test was never looked at while choosing them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .judgement import Judgement

# A fused retrieval score reaches about 1.25 for a verbatim copy (0.2 BM25 + 0.6 cosine + 0.4
# query coverage + 0.05 fact): divided by this it reads as a share of a perfect match.
RETRIEVAL_SCALE = 1.2


@dataclass(frozen=True, slots=True)
class MatchWeights:
    """Shares of the match score: retrieval (scaled to [0, 1]) and the judge's relatedness."""

    retrieval: float = 0.9
    judgement: float = 0.1


DEFAULT_MATCH_WEIGHTS = MatchWeights()
# The least score of a result when the client sets no ``min_score``: on CheckThat! train and dev,
# 99 % of the right claims score above 0.23 and every query's best candidate above 0.2, while a
# stored claim sharing no word or topic with the statement scores under 0.1.
MATCH_FLOOR = 0.2


def relatedness(judgement: Judgement) -> float:
    """What the judge adds to the match score, in [0, 1]: a duplicate counts in the upper half by
    its score (the answer to "has this been checked?"), any other relation in the lower half by
    how related the pair is (an "unrelated" judgement's score is its confidence that the two
    share no subject, so it counts the other way round)."""
    if judgement.relation == "duplicate":
        value = 0.5 + 0.5 * judgement.score
    elif judgement.relation == "unrelated":
        value = 0.5 * (1.0 - judgement.score)
    else:
        value = 0.5 * judgement.score
    return min(1.0, max(0.0, value))


def match_score(
    retrieval: float, judgement: Judgement, weights: MatchWeights = DEFAULT_MATCH_WEIGHTS
) -> float:
    """The one score results are sorted by, in [0, 1] (4 decimals)."""
    return _fused(retrieval, relatedness(judgement), weights)


def match_score_ceiling(retrieval: float, weights: MatchWeights = DEFAULT_MATCH_WEIGHTS) -> float:
    """The highest ``match_score`` a candidate with this retrieval score can reach, whatever the
    judge says: a candidate whose ceiling is below the floor, or below the scores of as many
    results as are asked for, need not be judged. Relatedness is in [0, 1] and the score is
    monotonic in it (every step, rounding included, is), so one of the two ends is the ceiling."""
    return max(_fused(retrieval, 0.0, weights), _fused(retrieval, 1.0, weights))


def _fused(retrieval: float, related: float, weights: MatchWeights) -> float:
    scaled = min(1.0, max(0.0, retrieval / RETRIEVAL_SCALE))
    total = weights.retrieval + weights.judgement
    score = (weights.retrieval * scaled + weights.judgement * related) / total
    return round(min(1.0, max(0.0, score)), 4)


def match_label(judgement: Judgement) -> str:
    """The relation shown on a result: "duplicate", "contradiction" or "related" (a retrieved
    claim the judge calls unrelated or consistent is still about the statement's subject once its
    score passes the floor)."""
    if judgement.relation in ("duplicate", "contradiction"):
        return judgement.relation
    return "related"
