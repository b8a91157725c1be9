"""Outcomes that cannot both hold, between two claims that are otherwise about the same thing.

In the order ``judge._frame_conflict`` tries them: opposite outcome words, one event on two dates
and a word against its WordNet antonym (``polarity_conflict``); "there is no X" against an X that
says more (``nothing_of_the_kind``); the same statement negated (``negation_conflict``); a denial
against what it denies (``denial_conflict``). Each returns the explanation, or "" for none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from . import wordnet
from .alignment import date_clash
from .features import ClaimFeatures
from .figures import compare_figures
from .lexicon import (
    ANTONYM_DETAILS,
    CALENDAR_WORDS,
    DIRECTION_OPPOSITES,
    NOTHING_OPENING,
    NOTHING_WORDS,
)
from .normalise import STOPWORDS, concept, stem, word_tokens
from .overlap import (
    concept_overlap,
    content_tokens,
    different_topics,
    entities_overlap,
    folded_concepts,
    names_match,
    says_word,
    shorten,
    stated_figures,
    time_clash,
)
from .polarity import NEGATOR_WORDS, PolarityCue
from .timecues import event_dates

# Plain negation is a contradiction only between near-identical statements.
NEGATION_MIN_OVERLAP = 0.75
NEGATION_MIN_SIMILARITY = 0.70
# Share of the words of "nothing of the kind happens" ("there is no dog leaping in the air") that the
# other claim must also say ("a dog is leaping high in the air and another is watching").
NOTHING_MIN_CONTAINMENT = 0.75
# Share of the rest of the shorter claim the other must say for two antonyms to be opposite outcomes.
ANTONYM_MIN_CONTAINMENT = 0.8


def polarity_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """Outcomes that cannot both hold: opposite outcome words, one event on two dates, or one word
    against its WordNet antonym."""
    return _opposite_outcome_words(a, b) or _date_conflict(a, b) or _antonym_conflict(a, b)


def _antonym_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """The same sentence but for one word and its WordNet antonym ("a child is hitting a
    baseball" / "a child is missing a baseball", "the ship was full" / "the ship was empty"), with
    the same figures if any: beside other figures the antonym may be a detail of another subject
    ("unemployment fell to 5.2 %" / "youth unemployment rose to 14 %")."""
    if (a.negations % 2) != (b.negations % 2) or stated_figures(a) != stated_figures(b):
        return ""
    only_a = [t for t in content_tokens(a) if concept(stem(t)) not in b.concepts]
    only_b = [t for t in content_tokens(b) if concept(stem(t)) not in a.concepts]
    for x in only_a:
        for y in only_b:
            if x in ANTONYM_DETAILS or y in ANTONYM_DETAILS or not wordnet.antonyms(x, y):
                continue
            rest_a = a.concepts - {concept(stem(x))}
            rest_b = b.concepts - {concept(stem(y))}
            if (
                rest_a
                and rest_b
                and len(rest_a & rest_b) / min(len(rest_a), len(rest_b)) >= ANTONYM_MIN_CONTAINMENT
            ):
                return f'Opposite outcomes: "{x}" vs "{y}"'
    return _opposite_directions(a, b)


def _opposite_directions(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """The same movement in opposite directions ("jumping into the pool" / "jumping out of the
    pool", "troops moved towards the city" / "away from the city"), in otherwise the same claim."""
    ta, tb = set(a.tokens), set(b.tokens)
    for x, y in DIRECTION_OPPOSITES:
        for one, other in ((x, y), (y, x)):
            if one not in ta or other not in tb or one in tb or other in ta:
                continue
            words = {concept(stem(one)), concept(stem(other))}
            if a.concepts - words and a.concepts - words == b.concepts - words:
                return f'Opposite directions: "{one}" vs "{other}"'
    return ""


# Near-identity of two claims once their dates are set aside (concept containment and Dice).
DATE_CONFLICT_MIN_CONTAINMENT = 0.85
DATE_CONFLICT_MIN_DICE = 0.7
_CALENDAR_STEMS = frozenset(stem(w) for w in CALENDAR_WORDS)


def _date_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """The same statement with another event date ("lifted on Thursday 9 July" / "lifted on
    Monday 13 July"): one event cannot happen on both. As-of dates of a running count ("by 13
    March") are windows and never conflict here; neither do claims whose figures differ."""
    da, db = event_dates(a.normalised), event_dates(b.normalised)
    if not da or not db:
        return ""
    clash: tuple[str, str] | None = None
    for grain in ("date", "weekday"):
        la = {(lab, sur) for g, lab, sur in da if g == grain}
        lb = {(lab, sur) for g, lab, sur in db if g == grain}
        if not la or not lb:
            continue
        if {x for x, _ in la} & {y for y, _ in lb}:
            return ""  # a shared date: the other date is another detail
        if clash is None:
            clash = (sorted(la)[0][1], sorted(lb)[0][1])
    if clash is None:
        return ""
    ca, cb = a.concepts - _CALENDAR_STEMS, b.concepts - _CALENDAR_STEMS
    if not ca or not cb:
        return ""
    inter = len(ca & cb)
    if inter / min(len(ca), len(cb)) < DATE_CONFLICT_MIN_CONTAINMENT:
        return ""
    if 2.0 * inter / (len(ca) + len(cb)) < DATE_CONFLICT_MIN_DICE:
        return ""
    num = compare_figures(a, b)
    if num.conflict or num.unmatched or _opposite_outcome_words(a, b):
        return ""
    return f'Different dates for one event: "{clash[0]}" vs "{clash[1]}"'


def _opposed(a: ClaimFeatures, b: ClaimFeatures) -> list[tuple[str, list[PolarityCue], list[PolarityCue]]]:
    """The outcome concepts said with one sign in each claim and opposite signs between them, with
    each claim's cues, in concept order."""
    by_a: dict[str, list[PolarityCue]] = {}
    by_b: dict[str, list[PolarityCue]] = {}
    for c in a.polarity:
        by_a.setdefault(c.concept, []).append(c)
    for c in b.polarity:
        by_b.setdefault(c.concept, []).append(c)
    out = []
    for name in sorted(set(by_a) & set(by_b)):
        xs, ys = by_a[name], by_b[name]
        sa, sb = {c.sign for c in xs}, {c.sign for c in ys}
        if len(sa) == 1 and len(sb) == 1 and sa != sb:
            out.append((name, xs, ys))
    return out


def _opposite_outcome_words(a: ClaimFeatures, b: ClaimFeatures) -> str:
    for _, xs, ys in _opposed(a, b):
        if time_clash(a, b) or different_topics(a, b):
            return ""
        if a.entities and b.entities and not entities_overlap(a.entities, b.entities):
            return ""
        return f'Opposite outcomes: "{xs[0].surface}" vs "{ys[0].surface}"'
    return ""


def unify_opposite_words(a: ClaimFeatures, b: ClaimFeatures) -> tuple[ClaimFeatures, ClaimFeatures]:
    """The pair with the words of opposite outcomes of one concept read as one word ("close" and
    "stay open" as the outcome "open"): how related two claims are should not drop because they
    say the opposite of each other, which is what is being asked."""
    opposed = _opposed(a, b)
    if not opposed:
        return a, b
    shared = {f"outcome:{name}" for name, _, _ in opposed}
    words_a = _cue_concepts(c for _, xs, _ in opposed for c in xs)
    words_b = _cue_concepts(c for _, _, ys in opposed for c in ys)
    return (
        dataclasses.replace(a, concepts=(a.concepts - words_a) | shared),
        dataclasses.replace(b, concepts=(b.concepts - words_b) | shared),
    )


def _cue_concepts(cues: Iterable[PolarityCue]) -> frozenset[str]:
    return folded_concepts(frozenset(w for c in cues for w in word_tokens(c.surface)))


def _negation_phrase(f: ClaimFeatures) -> str:
    """The negator and the words it governs, as written ("did not attend")."""
    toks = f.normalised.split()
    for k, t in enumerate(toks):
        low = t.lower().strip(".,;:!?\"'")
        if low in NEGATOR_WORDS or low.endswith("n't") or low in ("failed", "refused"):
            end = min(len(toks), k + 2)
            start = k - 1 if k > 0 and toks[k - 1].lower() in _AUX else k
            return " ".join(toks[start:end]).strip(".,;:!?")
    return ""


_AUX = frozenset(
    {"did", "does", "do", "will", "was", "is", "has", "have", "had", "were", "are", "would", "could"}
)


def negation_conflict(a: ClaimFeatures, b: ClaimFeatures, similarity: float) -> str:
    """Same statement, negated in one claim only ("attended" vs "did not attend")."""
    if (a.negations % 2) == (b.negations % 2):
        return ""
    dice, _ = concept_overlap(a, b)
    if dice < NEGATION_MIN_OVERLAP or similarity < NEGATION_MIN_SIMILARITY:
        return ""
    if different_topics(a, b):
        return ""
    neg, pos = (a, b) if a.negations % 2 else (b, a)
    if _negation_answered(neg, pos):
        return ""
    phrase = _negation_phrase(neg)
    if not phrase:
        return ""
    ref = _shared_verb(pos, phrase)
    return f'Negation: "{phrase}" vs "{ref}"' if ref else f'Negation: "{phrase}" in one claim only'


def denial_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """One claim denies what the other states ("police denied firing rubber bullets at the march"
    / "protesters said police fired rubber bullets at the march"): the same event with the same
    thing done, on no other date. Both can be reported, but not both be true."""
    fa, fb = a.frame, b.frame
    if {fa.modality, fb.modality} not in ({"denied", "happened"}, {"denied", "reported"}):
        return ""
    if not fa.event or fa.event != fb.event:
        return ""
    denial, stated = (a, b) if fa.modality == "denied" else (b, a)
    # the thing done is the same ("fired rubber bullets"), or, for a verb without one ("the
    # school closed"), the one it happened to
    done = (
        (folded_concepts(fa.theme), folded_concepts(fb.theme))
        if fa.theme or fb.theme
        else (folded_concepts(fa.agent), folded_concepts(fb.agent))
    )
    if not (done[0] & done[1]):
        return ""
    # whoever the other claim says did it is named in the denial ("police denied firing", not
    # "soldiers fired")
    if not folded_concepts(stated.frame.agent) <= denial.concepts:
        return ""
    if time_clash(a, b) or date_clash(a, b):
        return ""
    return f'Denial: "{shorten(denial)}" vs "{shorten(stated)}"'


def nothing_of_the_kind(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """One claim says that nothing of a kind happens ("There is no dog leaping in the air", "Nobody
    was hurt on the bench") and the other that something of that kind does, in at least as many
    words ("A dog is leaping high in the air and another is watching"): they cannot both hold, however
    much more the second one says. Needs every named thing of the first in the second and no
    window of its own; hedges ("no more than 40") are figures, not this."""
    if (a.negations % 2) == (b.negations % 2) or min(a.negations, b.negations) > 0:
        return ""
    neg, pos = (a, b) if a.negations else (b, a)
    found = NOTHING_OPENING.match(neg.normalised)
    figures = [q for q in neg.quantities if q.hedge != "zero"]  # "no dog" is read as a zero count
    if found is None or figures or time_clash(neg, pos):
        return ""
    if neg.entities and not all(any(names_match(x, y) for y in pos.entities) for x in neg.entities):
        return ""
    words = [t for t in content_tokens(neg) if concept(stem(t)) not in _NOTHING_STEMS]
    theirs = content_tokens(pos)
    # what there is none of ("no arrests", "there is no dog") is what the other claim has;
    # "nobody" and "no one" stand for anyone
    anyone = found.group(0).lower() in ("nobody", "no one", "no-one")
    kind = [t for t in word_tokens(neg.normalised[found.end() :])[:3] if t not in STOPWORDS][:1]
    if kind and not anyone and not says_word(kind[0], pos, theirs):
        return ""
    said = sum(1 for t in words if says_word(t, pos, theirs))
    if not words or said / len(words) < NOTHING_MIN_CONTAINMENT:
        return ""
    return f'Negation: "{found.group(0).strip()}" vs "{shorten(pos)}"'


_NOTHING_STEMS = frozenset(concept(stem(w)) for w in NOTHING_WORDS)


def _negation_answered(neg: ClaimFeatures, pos: ClaimFeatures) -> bool:
    """The negated outcome is stated the same way by an opposite word in the other claim
    ("refused to resign" / "would stay on"): the negation agrees, it does not conflict."""
    signs = {(c.concept, c.sign) for c in pos.polarity}
    return any(c.negated and (c.concept, c.sign) in signs for c in neg.polarity)


def _shared_verb(pos: ClaimFeatures, phrase: str) -> str:
    words = [w.strip(".,;:!?\"'").lower() for w in phrase.split()]
    targets = {
        stem(w) for w in words if w and w not in NEGATOR_WORDS and not w.endswith("n't") and w not in _AUX
    }
    for t in pos.normalised.split():
        w = t.strip(".,;:!?\"'")
        if w and stem(w.lower()) in targets:
            return w
    return ""


def opposite_outcomes(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Some outcome concept is positive in one claim and negative in the other."""
    return bool(_opposed(a, b)) or bool(_date_conflict(a, b))
