"""When two claims may be merged without asking anyone: near-identical text and the same frame.

An automatic merge hides one claim behind another, so it is kept for pairs an editor would merge
without reading twice. Everything else the judge calls a duplicate stays a suggestion. The rule,
in full:

1. **Near-identical text**: the two claims' word sequences (``merge_tokens``: lower-cased words
   and numbers, punctuation dropped, curly quotes folded, hyphenated words split, so "most-popular"
   reads "most popular") are equal once the filler words of ``FILLERS`` (articles, "has", "its",
   "their", "on", ...) are left out, and those fillers change at most a tenth of the longer sequence
   (``NEAR_IDENTICAL`` = 0.9 edit similarity). No word is ever replaced by another: "from Velsund" /
   "to Velsund", "east coast" / "west coast", "April 2026" / "April 2027" and "No arrests in
   Brannoch" / "No arrests in Eskhaven" all stay suggestions, as does MRPC's "second behind CBS,
   although it's first" / "second behind CBS, which is first" (who is first?).
2. **The same frame** (``merge_frame``): the same figures with the same measures (value, unit,
   measure class, counted noun), the same named places, bodies and people, the same outcome cues
   with the same sign, the same number of negations and the same time cues. A changed word that
   is a place, a figure, a date or a negation therefore always blocks, however similar the rest.

``bench/evaluate_detection.py`` measures the precision of ``auto_merge`` on the judge's duplicates
(MRPC test and the project's labelled pairs) with this very function.

   The claim frame (``frames.ClaimFrame``) is part of it: the same main event and outcome,
   modality (happened / planned / denied / reported / possible), places, parts, acting bodies,
   stated date, running-total marker and speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rapidfuzz.distance import Levenshtein

from .features import ClaimFeatures

NEAR_IDENTICAL = 0.9
# Words whose presence or absence never changes what a claim says: "has confirmed" / "confirmed",
# "the nearby villages" / "nearby villages", "early on Sunday" / "early Sunday".
FILLERS = frozenset(
    {"a", "an", "the", "has", "have", "had", "that", "its", "their", "his", "her", "also", "on", "just"}
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def merge_tokens(text: str) -> tuple[str, ...]:
    """The words the near-identical test compares (see module docstring)."""
    return tuple(_WORD.findall(text.translate(_QUOTES).lower()))


def token_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """1 - token edit distance / the longer length (1.0 for two empty sequences)."""
    longer = max(len(a), len(b))
    return 1.0 if longer == 0 else 1.0 - Levenshtein.distance(a, b) / longer


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
    frame = features.frame
    claim_frame = (
        frame.event,
        frame.outcome,
        frame.modality,
        tuple(sorted(frame.places)),
        tuple(sorted(frame.parts)),
        tuple(sorted(frame.bodies)),
        frame.as_of,
        frame.cumulative,
        frame.speaker,
    )
    return (
        figures,
        quantities,
        tuple(sorted(features.entities)),
        outcomes,
        features.negations,
        times,
        claim_frame,
    )


def auto_merge(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """True when the pair may be merged without an editor: near-identical text, same frame."""
    if merge_frame(a) != merge_frame(b):
        return False
    words_a, words_b = merge_tokens(a.text), merge_tokens(b.text)
    if [w for w in words_a if w not in FILLERS] != [w for w in words_b if w not in FILLERS]:
        return False
    return token_similarity(words_a, words_b) >= NEAR_IDENTICAL


def confirms(a: ClaimFeatures, b: ClaimFeatures, relation: str) -> bool:
    """Whether a judged pair becomes a confirmed duplicate (merged automatically) rather than a
    suggestion: the judge calls it a duplicate and ``auto_merge`` holds."""
    return relation == "duplicate" and auto_merge(a, b)
