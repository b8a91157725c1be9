"""Check-worthiness of a sentence, and who it is attributed to. Pure: no Django, no I/O.

1. What dates, times or places the story is set aside: a dateline ("BRANNOCH, Kelvara, March 10
   (MPA) -") is not read, and numbers that date, time or age something ("March 10", "11:40 p.m.",
   "Edith Nkemelu, 71,") are not figures; a year is a weak one (``_figures``).
2. Cues: figures (one, or several), comparisons, attributions, contested reporting ("claimed",
   "denied"), reported propositions ("said that", "He said 3,000 people had"), absences ("no arrests
   were made"), causal links, superlatives, named bodies and officials are each found by one reader
   (``cues``); each cue found adds its weight.
3. Sentences that cannot be checked lose weight: questions, very short lines, lines with no full
   stop, first-person speech, a witness given with an age ("Petra Vann, 52, said"), page furniture
   and credits. Word lists are looked up in the sentence's lower-case words (``_WordList``), not
   with one regex per list, so a 5,000-word article is scored in milliseconds.
4. The sum goes through a logistic curve to 0..1 (``worthiness``).
5. ``marks`` marks the best sentences at or above a threshold, never more than a share of them.
6. ``attribution`` reads the speaker from "according to X", "X said" and "said X".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from claims.detection.lexicon import (
    ARREST_STEMS,
    CAPTURED_STEMS,
    CASUALTY_STEMS,
    DISPLACED_STEMS,
    INJURED_STEMS,
    KILLED_STEMS,
    MONTH_WORDS,
    PERSON_STEMS,
    TROOP_STEMS,
    VOTE_STEMS,
    WORTH_AUXILIARIES,
    WORTH_BODIES,
    WORTH_CAUSAL,
    WORTH_COMPARISONS,
    WORTH_CONTESTED,
    WORTH_DENIALS,
    WORTH_FRACTION_COUNTS,
    WORTH_FRACTION_WORDS,
    WORTH_FURNITURE,
    WORTH_NONE_WORDS,
    WORTH_NOT_SUPERLATIVES,
    WORTH_NUMBER_WORDS,
    WORTH_SAY_PHRASES,
    WORTH_SAY_VERBS,
    WORTH_SUPERLATIVES,
    WORTH_THAT_HEADS,
)
from claims.detection.normalise import stem

# Bump when the cues, weights or thresholds change: stored triage runs are redone.
WORTHINESS_VERSION = "2"

# Weights, each a cue's pull towards "worth checking" in logit units.
W_FIGURE = 1.6  # a number is what fact-checkers check first
W_MORE_FIGURES = 0.5  # two figures or more: a sentence of facts, not an aside with a number
W_TOLL = 0.6  # a figure of people, deaths, arrests or votes: the counts that are disputed most
W_YEAR = 0.6  # "completed in 1968": a checkable date, weaker than a count
W_COMPARISON = 0.8  # "more than", "doubled": a claim about change or rank
W_ATTRIBUTION = 1.0  # "X said": a statement someone can be held to
W_CONTESTED = 0.6  # "claimed", "denied", "reportedly": a statement marked as in doubt
W_PROPOSITION = 0.6  # "said that ...": what is reported is a fact, not a feeling
W_ABSENCE = 0.7  # "no arrests were made", "denied": a negative claim is checkable too
W_CAUSAL = 0.7  # "because", "led to": a checkable link between facts
W_SUPERLATIVE = 0.7  # "the largest", "a record": easy to state, often wrong
W_NAMED_BODY = 0.8  # a ministry, an agency, an official: the actors a claim is about
W_PRIVATE_PERSON = -0.8  # "Petra Vann, 52, said": a witness's account, not a checkable claim
W_PROPER_NAMES = 0.4  # people and places named mid-sentence
W_QUESTION = -1.5  # a question asserts nothing
W_SHORT = -1.5  # fewer than SHORT_WORDS words: headlines, captions, credits
W_FIRST_PERSON = -0.6  # "I think", "we will": opinion and intention, quoted or not
W_NO_STOP = -1.0  # no full stop at the end: a headline, a caption, a credit line
W_FURNITURE = -2.0  # "(Reporting by ...)", "Subscribe": the page, not the story
BIAS = -1.6  # a sentence with no cue scores about 0.17

SHORT_WORDS = 7
# The floor: a sentence is marked only when its cues outweigh the bias (logit >= 0). On the tuning
# splits (bench/triage_worthiness.py --sweep: demo and seed dev) every floor from 0.20 to 0.55 catches
# the same 57 of 69 highlights, the 30 % cap deciding; above 0.55 fewer. Seed test was not used.
MARK_THRESHOLD = 0.5
MAX_MARKED_SHARE = 0.30


_MONTH = r"(?:" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + r")\.?"
# "BRANNOCH, Kelvara, March 10 (MPA) - ": the place, date and agency an article opens with.
_DATELINE = re.compile(
    rf"^[A-Z][A-Z'’. -]+,(?: [A-Z][\w'’. -]*,)? (?i:{_MONTH}) \d{{1,2}}(?: \([^)]{{1,20}}\))? [-–—] "
)
# "Petra Vann, 52,", "aged 71", "a 38-year-old": news gives ages for members of the public.
_AGE = re.compile(r"(?<=[A-Za-z]), \d{1,3}(?=,|\.?$)|\baged \d{1,3}\b|\b\d{1,3}-year-old\b", re.IGNORECASE)
# Numbers that say when, or how old, rather than how many.
_INCIDENTAL_NUMBER = re.compile(
    rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b"  # March 10
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {_MONTH}"  # 17 March
    r"|\b\d{1,2}(?:st|nd|rd|th)\b"  # the 28th
    r"|\b\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d{2}\b"  # 11:40 p.m.
    rf"|{_AGE.pattern}",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b(?!,\d)")
_DIGITS = re.compile(r"\d[\d,.]*%?|[$€£¥%]")
_RANGE = re.compile(r"\bfrom [^ ]*\d[^ ]* to [^ ]*\d", re.IGNORECASE)
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_CREDIT_LINE = re.compile(r"^\(.*\)$")
_ENDS_WITH_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"'”’»]$")
_PROPER_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Mm]y|[Oo]ur|me|us)\b")
_WORD = re.compile(r"\w+")
# Lower-case words, numbers and the quote marks that open a quotation, in order.
_TOKEN = re.compile(r"[^\W\d_]+|\d[\d,.]*|[\"“‘«]")
_OPENING_QUOTES = frozenset('"“‘«')
# "the authority's chief": the possessive is not a word of its own (and would stretch reaches).
_POSSESSIVE = re.compile(r"['’]s\b")


@dataclass(frozen=True, slots=True)
class _Tokens:
    tokens: tuple[str, ...]
    joined: str  # " token token ... ", so phrases are found as whole words


def _tokens(text: str) -> _Tokens:
    tokens = tuple(_TOKEN.findall(_POSSESSIVE.sub("", text.lower())))
    return _Tokens(tokens, " " + " ".join(tokens) + " ")


class _WordList:
    """A list of words and phrases, looked up in a sentence's tokens without one regex per list
    (a regex alternation of a hundred words costs ten times a set look-up)."""

    def __init__(self, *lists: Iterable[str]) -> None:
        entries = {tuple(entry.split()) for words in lists for entry in words}
        self.words = frozenset(entry[0] for entry in entries if len(entry) == 1)
        self.phrases = tuple(" " + " ".join(entry) + " " for entry in entries if len(entry) > 1)

    def found(self, sentence: _Tokens) -> bool:
        return not self.words.isdisjoint(sentence.tokens) or any(p in sentence.joined for p in self.phrases)

    def count(self, sentence: _Tokens) -> int:
        return sum(token in self.words for token in sentence.tokens) + sum(
            sentence.joined.count(p) for p in self.phrases
        )

    def at(self, sentence: _Tokens) -> list[int]:
        """Where the list's single words stand among the tokens."""
        return [index for index, token in enumerate(sentence.tokens) if token in self.words]


_NUMBER_WORDS = _WordList(WORTH_NUMBER_WORDS)
_FRACTIONS = _WordList(
    [f"{count} {word}" for count in WORTH_FRACTION_COUNTS for word in WORTH_FRACTION_WORDS]
)
_COMPARISONS = _WordList(WORTH_COMPARISONS)
_SAYING = _WordList(WORTH_SAY_VERBS, WORTH_SAY_PHRASES)
_SAY_VERBS = _WordList(WORTH_SAY_VERBS)
_CONTESTED = _WordList(WORTH_CONTESTED)
_THAT_HEADS = _WordList(WORTH_THAT_HEADS)
_NONE_WORDS = _WordList(WORTH_NONE_WORDS)
_DENIALS = _WordList(WORTH_DENIALS)
_CAUSAL = _WordList(WORTH_CAUSAL)
_SUPERLATIVES = _WordList(WORTH_SUPERLATIVES)
_BODIES = _WordList(WORTH_BODIES)
_FURNITURE = _WordList(WORTH_FURNITURE)
# What the measure readers count: people, the dead and hurt, arrests, the displaced, votes.
_TOLL_STEMS = (
    KILLED_STEMS
    | INJURED_STEMS
    | CASUALTY_STEMS
    | ARREST_STEMS
    | DISPLACED_STEMS
    | CAPTURED_STEMS
    | TROOP_STEMS
    | PERSON_STEMS
    | VOTE_STEMS
)
# How far after its verb a reported statement's "that" or verb may stand, in tokens.
_REPORT_REACH = 7
_ABSENCE_REACH = 4


@dataclass(frozen=True, slots=True)
class Cues:
    figures: int
    toll: bool
    year: bool
    comparison: bool
    attribution: bool
    contested: bool
    proposition: bool
    absence: bool
    causal: bool
    superlative: bool
    named_body: bool
    proper_names: bool
    private_person: bool
    question: bool
    no_stop: bool
    short: bool
    first_person: bool
    furniture: bool


def _figures(text: str, words: _Tokens) -> tuple[int, bool]:
    """How many figures ``text`` states (dates, times and ages set aside), and whether a year."""
    count = _NUMBER_WORDS.count(words) + _FRACTIONS.count(words)
    if not any(character.isdigit() for character in text):
        return count + len(_DIGITS.findall(text)), False
    counted = _INCIDENTAL_NUMBER.sub(" ", text)
    year = _YEAR.search(counted) is not None
    return count + len(_DIGITS.findall(_YEAR.sub(" ", counted))), year


def _toll(words: _Tokens) -> bool:
    """Whether the sentence names people, deaths, injuries, arrests, the displaced or votes."""
    return any(stem(token) in _TOLL_STEMS for token in words.tokens if token.isalpha())


def _proposition(words: _Tokens) -> bool:
    """A reported statement: "reported that ...", "said: "...", "He said 3,000 people had been"."""
    tokens = words.tokens
    for index in _THAT_HEADS.at(words):
        if "that" in tokens[index + 1 : index + 1 + _REPORT_REACH]:
            return True
    for index in _SAY_VERBS.at(words):
        following = tokens[index + 1 : index + 1 + _REPORT_REACH]
        if following and following[0] in _OPENING_QUOTES:
            return True
        if not WORTH_AUXILIARIES.isdisjoint(following[1:]):
            return True
    return False


def _absence(words: _Tokens) -> bool:
    """A negative claim: "no arrests were made", "none of them was", "denied"."""
    if _DENIALS.found(words):
        return True
    tokens = words.tokens
    return any(
        not WORTH_AUXILIARIES.isdisjoint(tokens[index + 2 : index + 1 + _ABSENCE_REACH])
        for index in _NONE_WORDS.at(words)
    )


def _superlative(words: _Tokens) -> bool:
    """Whether a superlative or an absolute stands in the sentence ("the largest", "never"); the
    hedges "at least" and "at most" are not superlatives."""
    tokens = words.tokens
    return any(index == 0 or tokens[index - 1] != "at" for index in _SUPERLATIVES.at(words)) or any(
        len(token) >= 6 and token.endswith("est") and token not in WORTH_NOT_SUPERLATIVES
        for token in words.tokens
    )


def cues(text: str) -> Cues:
    """What in ``text`` makes it worth checking, or not."""
    stripped = _DATELINE.sub("", text.strip())
    words = _tokens(stripped)
    figures, year = _figures(stripped, words)
    return Cues(
        figures=figures,
        toll=figures > 0 and _toll(words),
        year=year,
        comparison=_COMPARISONS.found(words) or _RANGE.search(stripped) is not None,
        attribution=_SAYING.found(words),
        contested=_CONTESTED.found(words),
        proposition=_proposition(words),
        absence=_absence(words),
        causal=_CAUSAL.found(words),
        superlative=_superlative(words),
        named_body=_BODIES.found(words) or _ACRONYM.search(stripped) is not None,
        proper_names=_PROPER_NAME.search(stripped) is not None,
        private_person=_AGE.search(stripped) is not None,
        question=stripped.rstrip("\"'”’»)").endswith("?"),
        no_stop=_ENDS_WITH_STOP.search(stripped) is None,
        short=len(_WORD.findall(stripped)) < SHORT_WORDS,
        first_person=_FIRST_PERSON.search(stripped) is not None,
        furniture="©" in stripped or _CREDIT_LINE.match(stripped) is not None or _FURNITURE.found(words),
    )


def worthiness(text: str) -> float:
    """How worth checking the sentence is, 0..1 (rounded to 3 places, so stored values compare)."""
    found = cues(text)
    logit = BIAS + sum(
        weight
        for present, weight in (
            (found.figures >= 1, W_FIGURE),
            (found.figures >= 2, W_MORE_FIGURES),
            (found.toll, W_TOLL),
            (found.year, W_YEAR),
            (found.comparison, W_COMPARISON),
            (found.attribution, W_ATTRIBUTION),
            (found.contested, W_CONTESTED),
            (found.proposition, W_PROPOSITION),
            (found.absence, W_ABSENCE),
            (found.causal, W_CAUSAL),
            (found.superlative, W_SUPERLATIVE),
            (found.named_body, W_NAMED_BODY),
            (found.proper_names, W_PROPER_NAMES),
            (found.private_person, W_PRIVATE_PERSON),
            (found.question, W_QUESTION),
            (found.no_stop, W_NO_STOP),
            (found.short, W_SHORT),
            (found.first_person, W_FIRST_PERSON),
            (found.furniture, W_FURNITURE),
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


_SAY_VERB = "|".join(WORTH_SAY_VERBS)
_NAME = r"(?:the |a |an )?[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|of|for|and|the|de|von|al)){0,6}"
_ACCORDING = re.compile(rf"\b[Aa]ccording to ({_NAME})")
_SPEAKER_FIRST = re.compile(rf"(?<![\w'’])({_NAME}),? (?:also |later |then )?(?:{_SAY_VERB})\b")
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
