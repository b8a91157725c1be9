"""Check-worthiness of a sentence, and who it is attributed to. Pure: no Django, no I/O.

1. Cues: figures, comparisons, attributions, causal links, superlatives and named bodies are each
   found by one reader (``_cues``); each cue found adds its weight.
2. Sentences that cannot be checked lose weight: questions, very short lines, first-person asides.
3. The sum goes through a logistic curve to 0..1 (``worthiness``).
4. ``marks`` marks the best sentences at or above a threshold, never more than a share of them.
5. ``attribution`` reads the speaker from "according to X", "X said" and "said X".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

# Bump when the cues, weights or thresholds change: stored triage runs are redone.
WORTHINESS_VERSION = "1"

# Weights, each a cue's pull towards "worth checking" in logit units.
W_FIGURE = 1.6  # a number is what fact-checkers check first
W_COMPARISON = 0.8  # "more than", "doubled": a claim about change or rank
W_ATTRIBUTION = 1.0  # "X said": a statement someone can be held to
W_CAUSAL = 0.7  # "because", "led to": a checkable link between facts
W_SUPERLATIVE = 0.7  # "the largest", "a record": easy to state, often wrong
W_NAMED_BODY = 0.8  # a ministry, an agency, an army: the actors a claim is about
W_PROPER_NAMES = 0.4  # people and places named mid-sentence
W_QUESTION = -1.5  # a question asserts nothing
W_SHORT = -1.5  # fewer than SHORT_WORDS words: headlines, captions, credits
W_FIRST_PERSON = -0.6  # "I think", "we will": opinion and intention
W_NO_STOP = -1.0  # no full stop at the end: a headline, a caption, a credit line
BIAS = -1.6  # a sentence with no cue scores about 0.17

SHORT_WORDS = 7
# Chosen on the dev part of the seed highlights (bench/triage_worthiness.py --sweep, files 000 and
# 001): the highest threshold that catches as many dev highlights as any lower one (14 of 19), so
# the fewest marks for that catch (25 % of dev sentences). Test files were not looked at.
MARK_THRESHOLD = 0.6
MAX_MARKED_SHARE = 0.30

_NUMBER_WORDS = (
    r"hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|third|quarter|twice|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"percent|per cent"
)
_FIGURE = re.compile(rf"\d|%|[$€£¥]|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower|greater|smaller|larger|than|compared|doubled|tripled|halved|"
    r"increased?|decreased?|rose|risen|fell|fallen|dropped|grew|exceeds?|exceeded|up from|down from|"
    r"at least|at most|nearly|almost|over|under)\b",
    re.IGNORECASE,
)
_ATTRIBUTION_VERB = (
    r"said|says|told|stated|claimed|claims|alleged|reported|announced|confirmed|denied|estimated|"
    r"warned|added|insisted|revealed|explained|noted|argued|acknowledged|admitted|say|predicted|"
    r"predicts|suggested|believed|estimates"
)
_ATTRIBUTION = re.compile(rf"\b(?:{_ATTRIBUTION_VERB}|according to|allegedly|reportedly)\b", re.IGNORECASE)
_CAUSAL = re.compile(
    r"\b(?:because|due to|caused|causes|led to|leads to|result(?:ed)? in|as a result|owing to|"
    r"blamed|therefore|thanks to|in order to|so that)\b",
    re.IGNORECASE,
)
_SUPERLATIVE = re.compile(
    r"\b(?:most|least|largest|biggest|highest|lowest|worst|best|first|last|record|only|never|"
    r"all|every|none|unprecedented)\b|\b\w{3,}est\b",
    re.IGNORECASE,
)
_NAMED_BODY = re.compile(
    r"\b(?:ministry|minister|government|agency|department|council|committee|commission|police|"
    r"army|forces|military|intelligence|service|office|parliament|assembly|court|authority|"
    r"authorities|municipality|university|institute|union|bank|company|corporation|"
    r"organi[sz]ation)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_ENDS_WITH_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"'”’»]$")
_PROPER_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_FIRST_PERSON = re.compile(r"\b(?:I|we|my|our)\b")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Cues:
    figure: bool
    comparison: bool
    attribution: bool
    causal: bool
    superlative: bool
    named_body: bool
    proper_names: bool
    question: bool
    no_stop: bool
    short: bool
    first_person: bool


def cues(text: str) -> Cues:
    """What in ``text`` makes it worth checking, or not."""
    stripped = text.strip()
    return Cues(
        figure=_FIGURE.search(stripped) is not None,
        comparison=_COMPARISON.search(stripped) is not None,
        attribution=_ATTRIBUTION.search(stripped) is not None,
        causal=_CAUSAL.search(stripped) is not None,
        superlative=_SUPERLATIVE.search(stripped) is not None,
        named_body=_NAMED_BODY.search(stripped) is not None or _ACRONYM.search(stripped) is not None,
        proper_names=_PROPER_NAME.search(stripped) is not None,
        question=stripped.rstrip("\"'”’»)").endswith("?"),
        no_stop=_ENDS_WITH_STOP.search(stripped) is None,
        short=len(_WORD.findall(stripped)) < SHORT_WORDS,
        first_person=_FIRST_PERSON.search(stripped) is not None and _ATTRIBUTION.search(stripped) is None,
    )


def worthiness(text: str) -> float:
    """How worth checking the sentence is, 0..1 (rounded to 3 places, so stored values compare)."""
    found = cues(text)
    logit = BIAS + sum(
        weight
        for present, weight in (
            (found.figure, W_FIGURE),
            (found.comparison, W_COMPARISON),
            (found.attribution, W_ATTRIBUTION),
            (found.causal, W_CAUSAL),
            (found.superlative, W_SUPERLATIVE),
            (found.named_body, W_NAMED_BODY),
            (found.proper_names, W_PROPER_NAMES),
            (found.question, W_QUESTION),
            (found.no_stop, W_NO_STOP),
            (found.short, W_SHORT),
            (found.first_person, W_FIRST_PERSON),
        )
        if present
    )
    return round(1.0 / (1.0 + math.exp(-logit)), 3)


def marks(
    scores: Sequence[float], *, threshold: float = MARK_THRESHOLD, max_share: float = MAX_MARKED_SHARE
) -> list[bool]:
    """Which sentences to mark: those at or above ``threshold``, best first (ties: earlier first),
    at most ``max_share`` of all sentences (rounded down, but one when there are any)."""
    if not scores:
        return []
    budget = max(1, math.floor(len(scores) * max_share))
    ranked = sorted(range(len(scores)), key=lambda index: (-scores[index], index))
    chosen = {index for index in ranked[:budget] if scores[index] >= threshold}
    return [index in chosen for index in range(len(scores))]


_NAME = r"(?:the |a |an )?[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|of|for|and|the|de|von|al)){0,6}"
_ACCORDING = re.compile(rf"\b[Aa]ccording to ({_NAME})")
_SPEAKER_FIRST = re.compile(rf"(?<![\w'’])({_NAME}),? (?:also |later |then )?(?:{_ATTRIBUTION_VERB})\b")
_SPEAKER_AFTER = re.compile(rf"\b(?:said|says|told reporters|added) ({_NAME})(?=[.,;]|$)")
_LOWER_ACCORDING = re.compile(
    r"\b[Aa]ccording to (the [a-z]+(?: [a-z]+)?)\b|\b([Tt]he [a-z]+) (?:said|says|told)\b"
)
# Words that start a capitalised run without naming anyone.
_NOT_SPEAKERS = frozenset(
    str.split(
        "he she they it we i you this that these those there the a an but and so yet meanwhile "
        "however monday tuesday wednesday thursday friday saturday sunday today yesterday"
    )
)


def _clean_name(name: str) -> str:
    name = name.strip(" .,'’\"")
    words = name.split()
    while words and words[0].lower() in _NOT_SPEAKERS - {"the", "a", "an"}:
        words = words[1:]
    if not words or (len(words) == 1 and words[0].lower() in _NOT_SPEAKERS):
        return ""
    return " ".join(words)


def attribution(text: str) -> str:
    """Who the sentence is attributed to ("according to the municipality" -> "the municipality";
    "Kirby said" -> "Kirby"), or "" when it names nobody."""
    for pattern in (_ACCORDING, _SPEAKER_FIRST, _SPEAKER_AFTER, _LOWER_ACCORDING):
        for found in pattern.finditer(text):
            name = _clean_name(next(group for group in found.groups() if group))
            if name:
                return name[:300]
    return ""
