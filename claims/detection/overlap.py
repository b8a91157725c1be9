"""What two claims share and what sets them apart in words: concepts, topics, entities.

The word-level helpers of the judge (``judge.py``): concept overlap and containment, the concepts only
one claim has that could name another subject, entities that differ, windows that clash, the
content words a claim says (a synonym or a more specific word counts, through ``wordnet``).
Nothing here compares figures (``figures.py``) or outcomes (``outcomes.py``).
"""

from __future__ import annotations

from . import wordnet
from .features import ClaimFeatures
from .lexicon import (
    CURRENCY_WORD,
    DURATION_WORDS,
    EXTREMA_WORDS,
    FUNCTION_STEMS,
    NEUTRAL_HEAD_STEMS,
    NEUTRAL_STEMS,
    OUTCOME_KIN,
    OUTCOME_OPPOSITES,
    PERSISTENCE_WORDS,
    PHYSICAL_UNITS,
    SCALE_WORDS,
    SEASONS,
    UNITS_WORDS,
)
from .normalise import STOPWORDS, concept, stem

_NEUTRAL_NOUNS = (NEUTRAL_STEMS - {"troop", "price", "voter", "resid"}) | NEUTRAL_HEAD_STEMS
_CUE_CONCEPTS = frozenset(
    concept(s) for s in ("rais", "fall", "approv", "reject", "cancel", "sack", "resign")
)


def names_match(x: str, y: str) -> bool:
    """Two names of one place, body or person: equal, one a word of the other ("Renwick" / "Renwick
    district"), or a shared start of at least five letters and 70 % of the shorter one."""
    if x == y:
        return True
    if x in y.split() or y in x.split():
        return True
    n = min(len(x), len(y))
    k = 0
    while k < n and x[k] == y[k]:
        k += 1
    return k >= 5 and k >= 0.7 * n


def entities_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    return any(names_match(x, y) for x in a for y in b)


def canonical_order(a: ClaimFeatures, b: ClaimFeatures) -> tuple[ClaimFeatures, ClaimFeatures]:
    ka = (a.normalised, a.text)
    kb = (b.normalised, b.text)
    return (a, b) if ka <= kb else (b, a)


def concept_overlap(a: ClaimFeatures, b: ClaimFeatures) -> tuple[float, float]:
    """(Dice, containment) of the two claims' concept sets."""
    ca, cb = a.concepts, b.concepts
    if not ca or not cb:
        return 0.0, 0.0
    inter = len(ca & cb)
    return 2.0 * inter / (len(ca) + len(cb)), inter / min(len(ca), len(cb))


def unique_concepts(x: frozenset[str], y: frozenset[str]) -> set[str]:
    """Concepts only ``x`` has that could name another subject: not measure, time, hedge, number
    or persistence words ("three", "remains")."""
    return {c for c in x - y if c not in NEUTRAL_STEMS and not c[0].isdigit() and c not in TOPICLESS}


# Words that never name a subject of their own: number words, scales, units and currencies
# ("tonnes", "dollars"), durations, seasons, persistence and extrema words.
TOPICLESS = frozenset(
    stem(w)
    for w in (
        *UNITS_WORDS,
        *SCALE_WORDS,
        *PHYSICAL_UNITS,
        *CURRENCY_WORD,
        *DURATION_WORDS,
        *SEASONS,
        *PERSISTENCE_WORDS,
        *EXTREMA_WORDS,
    )
)


def modifies_shared(uniq: set[str], shared: frozenset[str], feats: ClaimFeatures) -> bool:
    """True when a word only one claim has sits right before a shared noun ("youth unemployment",
    "rebel forces"); stopwords in between break adjacency, so a verb and its object
    ("attended the rally") do not count."""
    toks = feats.tokens
    cons = [concept(stem(t)) if not t[0].isdigit() else t for t in toks]
    names = {w for e in feats.entities for w in e.split()}
    for k in range(len(cons) - 1):
        if toks[k] in STOPWORDS or toks[k + 1] in STOPWORDS or toks[k + 1] in names:
            continue
        if (
            cons[k] in uniq
            and cons[k] not in FUNCTION_STEMS
            and cons[k + 1] in shared
            and cons[k + 1] not in _NEUTRAL_NOUNS
        ):
            return True
    return False


_CUE_STEMS = frozenset(s for pos, neg in OUTCOME_OPPOSITES.values() for s in pos | neg)


def time_clash(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Explicit windows that differ ("on Tuesday" vs "this year") make outcomes independent."""
    wa = [c for c in a.time_cues if c.kind != "update"]
    wb = [c for c in b.time_cues if c.kind != "update"]
    if not wa or not wb:
        return False
    return not any((x.kind, x.label) == (y.kind, y.label) for x in wa for y in wb)


def different_topics(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Both claims name something the other lacks, or one restricts a shared noun."""
    ca = {c for c in a.concepts if c not in _CUE_STEMS}
    cb = {c for c in b.concepts if c not in _CUE_STEMS}
    ua = {c for c in unique_concepts(frozenset(ca), frozenset(cb)) if c not in _CUE_CONCEPTS}
    ub = {c for c in unique_concepts(frozenset(cb), frozenset(ca)) if c not in _CUE_CONCEPTS}
    if ua and ub:
        return True
    shared = frozenset(ca & cb)
    return bool(ua and modifies_shared(ua, shared, a)) or bool(ub and modifies_shared(ub, shared, b))


def content_tokens(f: ClaimFeatures) -> tuple[str, ...]:
    return tuple(t for t in f.tokens if t.isalpha() and len(t) > 2 and t not in STOPWORDS)


def says_word(word: str, f: ClaimFeatures, tokens: tuple[str, ...]) -> bool:
    """``f`` says ``word``: the same concept, a synonym or something more specific ("car": "sedan")."""
    return concept(stem(word)) in f.concepts or any(wordnet.covers(word, t) for t in tokens)


def folded_concepts(words: frozenset[str]) -> frozenset[str]:
    """Words folded to concepts, so "soldier" and "troop" are one."""
    return frozenset(concept(stem(w)) for w in words)


def entity_mismatch(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Each claim names someone or somewhere the other does not."""
    if not a.entities or not b.entities:
        return False
    only_a = [x for x in a.entities if not any(names_match(x, y) for y in b.entities)]
    only_b = [y for y in b.entities if not any(names_match(x, y) for x in a.entities)]
    return bool(only_a) and bool(only_b)


def predicate_mismatch(a: ClaimFeatures, b: ClaimFeatures) -> int:
    """Outcome concepts (approve, charge, confirm...) that only one claim speaks of."""
    ca = {c.concept for c in a.polarity}
    cb = {c.concept for c in b.polarity}
    return len(ca ^ cb)


def stated_figures(f: ClaimFeatures) -> set[tuple[str, str, float, float, str]]:
    """Figures as stated, hedge included: "about 35" and "35" are different statements."""
    hedge = {"exact": "", "about": "~", "nearly": "<~", "just_over": ">~"}
    return {
        (q.kind, q.unit, round(q.value, 9), round(q.second, 9), hedge.get(q.hedge, q.hedge))
        for q in f.quantities
    }


def different_outcome_concepts(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Both claims report an outcome, but about different things ("denied" vs "charged"); kin
    concepts with the same sign (``lexicon.OUTCOME_KIN``: "suspended" / "cancelled") are one."""
    ca = {c.concept for c in a.polarity}
    cb = {c.concept for c in b.polarity}
    if not ca or not cb or ca & cb:
        return False
    signed_b = {(c.concept, c.sign) for c in b.polarity}
    return not any(
        frozenset({x.concept, y}) in OUTCOME_KIN and (y, x.sign) in signed_b for x in a.polarity for y in cb
    )


def shorten(f: ClaimFeatures, n: int = 60) -> str:
    t = f.normalised
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"
