"""Duplicate and contradiction detection for claims: a pure, deterministic package.

It imports nothing from Django, Celery, scikit-learn or the rest of the project, reads no clock
or network, and uses no randomness; the only files it reads are those of the installed spaCy model
package (``parsing``, loaded once per process) and its own ``calibration_model.json`` (read once).
The Django side calls:

- ``analyse(text) -> ClaimFeatures`` and ``analyse_many(texts)`` (batched: use it for many
  claims): normalisation, quantities, measures, polarity, time cues and the claim frame; or in two
  steps, ``read_many`` (no parser; enough for retrieval) then ``analyse_readings`` (the frames);
- ``CandidateIndex``: fused BM25 + HNSW + numeric-fact candidate retrieval;
- ``judge(a, b, similarity) -> Judgement`` (the rules, then the calibrated classifier of
  ``calibration``, trained by ``bench/train_detection.py``) and ``match_relation(judgement)``;
- ``SUGGEST_THRESHOLD`` / ``CONFIRM_THRESHOLD`` for duplicate scores;
- ``repeats.repeat_relation``: whether an article's sentence repeats a stored claim (triage).

Embeddings come from ``claims.embedding`` (not pure: it reads model files). Bump
``DETECTOR_VERSION`` whenever behaviour changes so stored results can be recomputed.
"""

from .features import (
    ClaimFeatures,
    ClaimReading,
    analyse,
    analyse_many,
    analyse_readings,
    lookup_terms,
    read_many,
)
from .judge import judge
from .judgement import (
    CONFIRM_THRESHOLD,
    RELATIONS,
    SUGGEST_THRESHOLD,
    Judgement,
    match_relation,
    similarity_score,
)
from .measures import Fact
from .polarity import PolarityCue
from .quantities import Quantity
from .retrieval import Candidate, CandidateIndex, FusionWeights
from .timecues import TimeCue

DETECTOR_VERSION = "2026.12.10"

__all__ = [
    "CONFIRM_THRESHOLD",
    "DETECTOR_VERSION",
    "RELATIONS",
    "SUGGEST_THRESHOLD",
    "Candidate",
    "CandidateIndex",
    "ClaimFeatures",
    "ClaimReading",
    "Fact",
    "FusionWeights",
    "Judgement",
    "PolarityCue",
    "Quantity",
    "TimeCue",
    "analyse",
    "analyse_many",
    "analyse_readings",
    "judge",
    "lookup_terms",
    "match_relation",
    "read_many",
    "similarity_score",
]
