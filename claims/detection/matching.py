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

import re
from dataclasses import dataclass

from .judge import Judgement

# A fused retrieval score reaches about 1.25 for a verbatim copy (0.2 BM25 + 0.6 cosine + 0.4
# query coverage + 0.05 fact): divided by this it reads as a share of a perfect match.
RETRIEVAL_SCALE = 1.2


@dataclass(frozen=True, slots=True)
class MatchWeights:
    """Shares of the match score: retrieval (scaled to [0, 1]) and the judge's relatedness."""

    retrieval: float = 0.8
    judgement: float = 0.2


DEFAULT_MATCH_WEIGHTS = MatchWeights()
MATCH_FLOOR = 0.45


_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
# A pasted post's signature: "— Name (@handle) January 14, 2020" at the end.
_SIGNATURE = re.compile(r"\s[—–-]+\s[^—–]{0,80}\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}[\s\"']*$")
_HANDLE = re.compile(r"@(\w+)")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def match_query(text: str) -> str:
    """The statement as the match looks it up: links, a pasted post's signature and @ or # marks
    left out ("#AustralianFires" reads "Australian Fires"), so that what a reader pastes from a
    social network matches the claim it repeats. The text itself is otherwise unchanged."""
    cleaned = _URL.sub(" ", text)
    cleaned = _SIGNATURE.sub("", cleaned)
    cleaned = _HANDLE.sub(lambda m: _CAMEL.sub(" ", m.group(1)), cleaned)
    cleaned = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)), cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned or text


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
    scaled = min(1.0, max(0.0, retrieval / RETRIEVAL_SCALE))
    total = weights.retrieval + weights.judgement
    score = (weights.retrieval * scaled + weights.judgement * relatedness(judgement)) / total
    return round(min(1.0, max(0.0, score)), 4)


def match_label(judgement: Judgement) -> str:
    """The relation shown on a result: "duplicate", "contradiction" or "related" (a retrieved
    claim the judge calls unrelated or consistent is still about the statement's subject once its
    score passes the floor)."""
    if judgement.relation in ("duplicate", "contradiction"):
        return judgement.relation
    return "related"
