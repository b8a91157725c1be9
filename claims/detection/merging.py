"""When two claims may be merged without asking anyone: near-identical text and the same frame.

An automatic merge hides one claim behind another, so it is kept for pairs an editor would merge
without reading twice. Everything else the judge calls a duplicate stays a suggestion. The rule,
in full:

1. **Near-identical text**: the two claims' token sequences (``ClaimFeatures.tokens``: lower-cased
   words and numbers, punctuation dropped) have an edit similarity of at least
   ``NEAR_IDENTICAL`` = 1 - (token edit distance / length of the longer sequence). One changed
   word in ten is the most it allows; "No arrests in Brannoch" / "No arrests in Eskhaven" is 0.75.
2. **The same frame** (``merge_frame``): the same figures with the same measures (value, unit,
   measure class, counted noun), the same named places, bodies and people, the same outcome cues
   with the same sign, the same number of negations and the same time cues. A changed word that
   is a place, a figure, a date or a negation therefore always blocks, however similar the rest.

``bench/evaluate_detection.py`` measures the precision of ``auto_merge`` on the judge's duplicates
(MRPC test and the project's labelled pairs) with this very function.

Hook for claim frames: when ``ClaimFeatures`` carries a frame (event, measure, scope, time), put it
in ``merge_frame``; the rule above stays the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .features import ClaimFeatures

NEAR_IDENTICAL = 0.9


def token_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """1 - Levenshtein distance over tokens / the longer length (1.0 for two empty sequences)."""
    if not a and not b:
        return 1.0
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, token in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (token != other)))
        previous = current
    return 1.0 - previous[-1] / len(a)


def merge_frame(features: ClaimFeatures) -> tuple[Any, ...]:
    """What must be equal for two claims to be merged automatically (see module docstring)."""
    figures = tuple(
        sorted(
            (f.quantity.kind, f.quantity.value, f.quantity.second, f.quantity.unit, f.measure, f.head)
            for f in features.facts
        )
    )
    quantities = tuple(sorted((q.kind, q.value, q.second, q.unit) for q in features.quantities))
    outcomes = tuple(sorted((cue.concept, cue.sign) for cue in features.polarity))
    times = tuple(sorted((cue.kind, cue.label) for cue in features.time_cues))
    return (figures, quantities, tuple(sorted(features.entities)), outcomes, features.negations, times)


def auto_merge(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """True when the pair may be merged without an editor: near-identical text, same frame."""
    if merge_frame(a) != merge_frame(b):
        return False
    return token_similarity(a.tokens, b.tokens) >= NEAR_IDENTICAL


def confirms(a: ClaimFeatures, b: ClaimFeatures, relation: str) -> bool:
    """Whether a judged pair becomes a confirmed duplicate (merged automatically) rather than a
    suggestion: the judge calls it a duplicate and ``auto_merge`` holds."""
    return relation == "duplicate" and auto_merge(a, b)
