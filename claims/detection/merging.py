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

``same_content`` is the weaker relation the calibrated step of ``judge`` never overrules: the
same claim whoever is quoted. Each claim's attribution clause (``ClaimFeatures.attribution``:
"..., a government spokesman told reporters", "according to the ministry") is left out of its
words (``content_tokens``), its names and its time cues; the rest must be near-identical with
words only added, never replaced (the shorter claim's non-filler words are the longer's in
order, and all words differ by at most a tenth: "on 19 March 2026" / "on 19 March"), and the
frame must be the merge frame without the speaker. Not a merge: who said it stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rapidfuzz.distance import Levenshtein

from .features import ClaimFeatures
from .measures import named_entities

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
    times = tuple(sorted((cue.kind, cue.label) for cue in features.time_cues))
    return _frame_key(features, features.entities, times, speaker=features.frame.speaker)


def _frame_key(
    features: ClaimFeatures, names: frozenset[str], times: tuple[tuple[str, str], ...], *, speaker: str
) -> tuple[Any, ...]:
    figures = tuple(
        sorted(
            (f.quantity.kind, f.quantity.value, f.quantity.second, f.quantity.unit, f.measure, f.head)
            for f in features.facts
        )
    )
    quantities = tuple(sorted((q.kind, q.value, q.second, q.unit) for q in features.quantities))
    outcomes = tuple(sorted((cue.concept, cue.sign) for cue in features.polarity))
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
        speaker,
    )
    return (figures, quantities, tuple(sorted(names)), outcomes, features.negations, times, claim_frame)


def content_tokens(features: ClaimFeatures) -> tuple[str, ...]:
    """``merge_tokens`` of the claim without its attribution clause (see module docstring)."""
    start, end = features.attribution
    text = features.normalised
    return merge_tokens(f"{text[:start]} {text[end:]}" if end > start else text)


def _content_frame(features: ClaimFeatures) -> tuple[Any, ...]:
    """``merge_frame`` without the speaker, with the names and time cues outside the attribution."""
    start, end = features.attribution
    text = features.normalised
    names = features.entities
    if end > start:
        names = named_entities(text, (0, start)) | named_entities(text, (end, len(text)))
    times = tuple(sorted((c.kind, c.label) for c in features.time_cues if not start <= c.start < end))
    return _frame_key(features, names, times, speaker="")


def _words_added_only(shorter: Sequence[str], longer: Sequence[str]) -> bool:
    """Every word of ``shorter`` is in ``longer``, in the same order."""
    rest = iter(longer)
    return all(word in rest for word in shorter)


def same_content(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """The same claim once attributions are left out: near-identical words, only added, and the
    same frame apart from the speaker (see module docstring)."""
    words_a, words_b = content_tokens(a), content_tokens(b)
    if token_similarity(words_a, words_b) < NEAR_IDENTICAL:
        return False
    kept_a = [w for w in words_a if w not in FILLERS]
    kept_b = [w for w in words_b if w not in FILLERS]
    shorter, longer = (kept_a, kept_b) if len(kept_a) <= len(kept_b) else (kept_b, kept_a)
    return _words_added_only(shorter, longer) and _content_frame(a) == _content_frame(b)


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
