"""Pairwise judgement: duplicate, contradiction, consistent or unrelated.

Contract: ``judge(a, b, similarity)`` takes two analysed claims and the cosine similarity of their
embeddings and returns a ``Judgement``:

- ``contradiction`` when the claims cannot both be true: figures for the same measure, subject
  and time window whose intervals do not overlap; a part exceeding its whole (deaths above
  casualties for the same window); parts that add up to something other than the stated total;
  "no"/"nobody" against a positive count; opposite outcomes for the same subject (approved vs
  rejected, won vs lost, rose vs fell, ...); or the same statement negated;
- ``duplicate`` when they say the same thing: duplicate score >= ``SUGGEST_THRESHOLD`` and nothing
  that rules it out (figures that agree only once parts are added up, figures compared under
  different windows, opposite outcomes, outcomes about different things). A duplicate whose
  figures differ in any way, hedges included ("about 35" vs "35"), is capped below
  ``CONFIRM_THRESHOLD``, so it is never auto-confirmed;
- ``consistent`` when they are about the same story without conflict (killed vs wounded, a
  weekly figure vs a cumulative one, different subjects, parts that add up to the total);
- ``unrelated`` otherwise.

``score`` is in [0, 1]: the duplicate score for duplicates, the confidence of the conflict for
contradictions, relatedness for consistent pairs and 1 - relatedness for unrelated ones.
``explanation`` is one line quoting the figures or words from both claims. The function is
symmetric: the pair is put in a canonical order first, so ``judge(a, b, s) == judge(b, a, s)``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import wordnet
from .alignment import (
    aligned_pieces,
    cumulative_change,
    date_clash,
    duplicate_block,
    exclusive_dates,
    part_of_whole,
    scope_clash,
)
from .features import ClaimFeatures
from .lexicon import (
    ANTONYM_DETAILS,
    CALENDAR_WORDS,
    DURATION_WORDS,
    EXTREMA_WORDS,
    NOTHING_OPENING,
    NOTHING_WORDS,
    OUTCOME_OPPOSITES,
    PEOPLE_COUNT_MEASURES,
    PERSISTENCE_WORDS,
    SCALE_WORDS,
    UNITS_WORDS,
)
from .measures import PEOPLE_MEASURES, Fact, compose
from .normalise import STOPWORDS, concept, stem, word_tokens
from .polarity import NEGATOR_WORDS, PolarityCue
from .quantities import Quantity, intervals_overlap
from .timecues import compare_windows, event_dates

# Duplicate score at which a pair is suggested to editors, and at which it is auto-confirmed.
# SUGGEST is the F1-optimal threshold on the MRPC training split. CONFIRM is the lowest score
# from which duplicate precision stays >= 0.98 on MRPC train + the hand-written set and on MRPC
# test + the hand-written set (0.91-0.93 dipped below 0.98 on test).
SUGGEST_THRESHOLD = 0.38
CONFIRM_THRESHOLD = 0.94
# Below this relatedness a pair is unrelated rather than consistent.
RELATED_THRESHOLD = 0.42
# Plain negation is a contradiction only between near-identical statements.
NEGATION_MIN_OVERLAP = 0.75
NEGATION_MIN_SIMILARITY = 0.70
# Share of the words of "nothing of the kind happens" ("there is no dog leaping in the air") that the
# other claim must also say ("a dog is leaping high in the air and another is watching").
NOTHING_MIN_CONTAINMENT = 0.75
# Share of the rest of the shorter claim the other must say for two antonyms to be opposite outcomes.
ANTONYM_MIN_CONTAINMENT = 0.8
# Two dates for one event are a conflict only between claims this similar (dev splits).
EXCLUSIVE_DATE_MIN_SIMILARITY = 0.8
_FIGURES_DIFFER_CAP = CONFIRM_THRESHOLD - 0.05

RELATIONS = ("duplicate", "contradiction", "consistent", "unrelated")


@dataclass(frozen=True, slots=True)
class Judgement:
    """Outcome of ``judge``: relation, confidence in [0, 1] and a one-line explanation."""

    relation: str
    score: float
    explanation: str
    # The claim frames rule a duplicate out (another place, body, subject, outcome or figure; a
    # running total's update): no later step may turn such a pair into a duplicate.
    blocked: bool = False


def match_relation(j: Judgement) -> str:
    """Relation for the match API: "duplicate", "contradiction" or "related"."""
    if j.relation in ("duplicate", "contradiction"):
        return j.relation
    return "related"


# Words that never make two subjects different: measure words, hedges, reporting verbs,
# generic nouns and time words.
_NEUTRAL = frozenset(
    {
        "die",
        "injur",
        "casualti",
        "arrest",
        "evacu",
        "capture",
        "troop",
        "send",
        "peopl",
        "person",
        "offici",
        "say",
        "report",
        "figur",
        "number",
        "total",
        "estim",
        "data",
        "latest",
        "least",
        "nearli",
        "almost",
        "around",
        "roughli",
        "approxim",
        "rais",
        "fall",
        "more",
        "less",
        "fewer",
        "than",
        "record",
        "week",
        "day",
        "month",
        "year",
        "past",
        "last",
        "sinc",
        "far",
        "date",
        "overal",
        "daili",
        "alon",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "januari",
        "februari",
        "march",
        "april",
        "may",
        "june",
        "juli",
        "august",
        "septemb",
        "octob",
        "novemb",
        "decemb",
        "morn",
        "even",
        "night",
        "earli",
        "late",
        "now",
        "yet",
        "still",
        "also",
        "alreadi",
        "onli",
        "just",
        "accord",
        "polic",
        "organis",
        "organ",
        "sourc",
        "ministri",
        "spokesman",
        "spokeswoman",
        "told",
        "percent",
        "voter",
        "resid",
        "citizen",
        "public",
        "countri",
        "nation",
        "region",
        "area",
        "local",
        "new",
        "some",
        "toll",
        "suffer",
        "made",
        "took",
        "part",
        "reach",
        "stand",
        "hit",
        "put",
        "stood",
        "go",
        "went",
        "got",
        "left",
        "leav",
        "take",
        "bring",
        "brought",
        "caus",
        "result",
        "forc",
        "compar",
        "combat",
        "engag",
        "aliv",
        "suicid",
    }
)


# Words after which an extra word is not a restrictive modifier (measure words, generic nouns).
_NEUTRAL_HEADS = frozenset({"peopl", "person", "offici", "report", "figur", "number", "total", "say"})
_NEUTRAL_NOUNS = (_NEUTRAL - {"troop", "price", "voter", "resid"}) | _NEUTRAL_HEADS
_CUE_CONCEPTS = frozenset(
    concept(s) for s in ("rais", "fall", "approv", "reject", "cancel", "sack", "resign")
)


def _fuzzy_entity_match(x: str, y: str) -> bool:
    if x == y:
        return True
    if x in y.split() or y in x.split():
        return True
    n = min(len(x), len(y))
    k = 0
    while k < n and x[k] == y[k]:
        k += 1
    return k >= 5 and k >= 0.7 * n


def _entities_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    return any(_fuzzy_entity_match(x, y) for x in a for y in b)


def _canonical(a: ClaimFeatures, b: ClaimFeatures) -> tuple[ClaimFeatures, ClaimFeatures]:
    ka = (a.normalised, a.text)
    kb = (b.normalised, b.text)
    return (a, b) if ka <= kb else (b, a)


def _fmt_fact(f: Fact) -> str:
    """A figure as quoted in explanations: the surface as written plus its measure words."""
    return _fmt_figure(f.quantity.surface, f.phrase)


@functools.lru_cache(maxsize=65_536)
def _fmt_figure(surface: str, phrase: str) -> str:
    # Cached: a claim's figures are quoted again for each of the ~50 claims it is judged against.
    inside = set(surface.lower().split())
    words = " ".join(w for w in phrase.split() if w.lower() not in inside)
    return f'"{surface}"' + (f" {words}" if words else "")


def _concept_overlap(a: ClaimFeatures, b: ClaimFeatures) -> tuple[float, float]:
    """(Dice, containment) of the two claims' concept sets."""
    ca, cb = a.concepts, b.concepts
    if not ca or not cb:
        return 0.0, 0.0
    inter = len(ca & cb)
    return 2.0 * inter / (len(ca) + len(cb)), inter / min(len(ca), len(cb))


# ---------------------------------------------------------------- numeric reasoning
def _unique_concepts(x: frozenset[str], y: frozenset[str]) -> set[str]:
    """Concepts only ``x`` has that could name another subject: not measure, time, hedge, number
    or persistence words ("three", "remains")."""
    return {c for c in x - y if c not in _NEUTRAL and not c[0].isdigit() and c not in _TOPICLESS}


_TOPICLESS = frozenset(
    stem(w) for w in (*UNITS_WORDS, *SCALE_WORDS, *DURATION_WORDS, *PERSISTENCE_WORDS, *EXTREMA_WORDS)
)


def _same_subject(fa: Fact, fb: Fact, a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Do two facts speak about the same subject? Different named entities, or a restrictive
    modifier on one side ("youth unemployment" vs "unemployment", "rebel forces" vs "government
    troops") mean they do not. Different verbs ("attended" / "packed") do not matter."""
    if fa.entities and fb.entities and not _entities_overlap(fa.entities, fb.entities):
        return False
    shared = fa.context & fb.context
    for uniq, feats in (
        (_unique_concepts(fa.context, fb.context), a),
        (_unique_concepts(fb.context, fa.context), b),
    ):
        if uniq and _modifies_shared(uniq, shared, feats):
            return False
    return True


# Function words never restrict a noun ("despite the pipeline outage").
_FUNCTION = frozenset(
    {
        "despit",
        "amid",
        "follow",
        "befor",
        "after",
        "dure",
        "near",
        "against",
        "toward",
        "across",
        "among",
        "through",
        "sinc",
        "until",
        "within",
        "without",
        "via",
        "per",
        "like",
        "unlik",
        "includ",
        "regard",
        "concern",
        "plus",
        "onto",
        "upon",
        "besid",
        "beyond",
        "outsid",
        "insid",
        "behind",
        "around",
        "off",
        "aboard",
    }
)


def _modifies_shared(uniq: set[str], shared: frozenset[str], feats: ClaimFeatures) -> bool:
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
            and cons[k] not in _FUNCTION
            and cons[k + 1] in shared
            and cons[k + 1] not in _NEUTRAL_NOUNS
        ):
            return True
    return False


def _comparable_measure(fa: Fact, fb: Fact) -> str:
    """ "same", "a_part_of_b", "b_part_of_a" or "different" for two facts' measures."""
    if fa.role != fb.role:
        return "different"  # a difference ("up 12 %") is never compared with a level ("at 12 %")
    if _same_share(fa, fb):
        return "same"
    rel = compose(fa.measure, fb.measure)
    if rel != "same":
        return rel
    if fa.group != fb.group:
        # "14 police officers" and "nine protesters" are other people; "8 firefighters" are some
        # of "120 people"
        if fa.group and fb.group:
            return "different"
        return "a_part_of_b" if fa.group else "b_part_of_a"
    m = fa.measure
    if m in ("count", "fraction", "multiplier") or m.startswith("duration:"):
        return "different"
    if m == "money" and fa.head != fb.head:
        return "different"
    if m.startswith("measure:"):
        return "same"
    if fa.quantity.kind != fb.quantity.kind or fa.quantity.unit != fb.quantity.unit:
        return "different"
    return "same"


def _same_share(fa: Fact, fb: Fact) -> bool:
    """Two percentages read with other subject words ("40 % of the dockers' union members" /
    "one in ten members of the dockers' union") are one share when each subject word is in the
    other figure's clause."""
    return (
        fa.measure.startswith("percent:")
        and fb.measure.startswith("percent:")
        and fa.measure != fb.measure
        and fa.head in fb.context
        and fb.head in fa.context
    )


def _contains(q: Quantity, value: float) -> bool:
    return q.low <= value <= q.high


def _exceeds(part: Quantity, whole: Quantity) -> bool:
    """The part is certainly larger than the whole's stated figure."""
    if whole.hedge in ("over", "at_least", "vague", "range") or math.isinf(whole.high):
        return part.low > whole.high or (part.low == whole.high and part.low_open)
    return part.low > whole.value or (part.low == whole.value and part.low_open)


@dataclass(frozen=True, slots=True)
class _NumericResult:
    conflict: str  # explanation of a conflict, "" when none
    agreements: tuple[str, ...]
    notes: tuple[str, ...]  # why figures were not compared or differ without conflict
    matched: int
    unmatched: int
    composed: bool  # figures agree only once parts are added up
    # agreeing figures, both stated as bounds, whose values differ ("at least 22" / "at least 33"):
    # both can hold, so no conflict, but they are not one figure, so no duplicate ("more than three
    # quarters" / "78 %" is one figure worded twice: one bound, one value inside it)
    bounds_differ: tuple[str, ...] = ()
    # a count only one claim states while every figure of the other pairs with one of its own
    # ("1,500 marched" / "1,500 marched and 800 more in the port city"): that claim says more
    says_more: str = ""


# Hedges that state a bound, not an estimate of the value: "at least 22" and "more than 30" can
# both be true of one toll without being the same figure.
_BOUND_HEDGES = frozenset({"over", "at_least", "up_to", "under"})


_PEOPLE = ("killed", "injured", "casualties", "troops", "arrests", "displaced", "captured")


class _Tally:
    """Working state of ``_numeric``: which figures found a partner, and what was found."""

    def __init__(self) -> None:
        self.agreements: list[str] = []
        self.notes: list[str] = []
        self.matched_a: set[int] = set()
        self.matched_b: set[int] = set()
        self.composed = False
        self.bounds_differ: list[str] = []

    def match(self, i: int, j: int) -> None:
        self.matched_a.add(i)
        self.matched_b.add(j)


def _numeric(a: ClaimFeatures, b: ClaimFeatures) -> _NumericResult:
    """Compare the two claims' figures in named steps; the first conflict found wins."""
    if not a.facts and not b.facts:
        return _NO_FIGURES  # most pairs of a check: nothing to compare
    t = _Tally()
    _match_agreeing_figures(a, b, t)
    for x, y, flip in ((a, b, False), (b, a, True)):
        _match_sum_of_parts(x, y, t, flip)
    conflict = ""
    for x, y, flip in ((a, b, False), (b, a, True)):
        conflict = conflict or _match_shares(x, y, t, flip)
    for x, y in ((a, b), (b, a)):
        conflict = conflict or _part_against_all(x, y)
    conflict = conflict or _compare_unmatched_figures(a, b, t) or _compose_killed_and_injured(a, b, t)
    if conflict:
        return _NumericResult(conflict, (), (), 0, 0, False)
    _note_figures_in_one_claim_only(a, b, t)
    only_a = [fact for i, fact in enumerate(a.facts) if i not in t.matched_a]
    only_b = [fact for j, fact in enumerate(b.facts) if j not in t.matched_b]
    return _NumericResult(
        "",
        tuple(t.agreements),
        tuple(t.notes),
        len(t.matched_a) + len(t.matched_b),
        len(only_a) + len(only_b),
        t.composed,
        tuple(t.bounds_differ),
        _says_more(only_a, only_b) if t.matched_a and t.matched_b else "",
    )


# Conflicts of a part with its whole: the part-of-whole step must not excuse them.
_PART_EXCEEDS = "Part exceeds total"
_PART_AGAINST_ALL = "Part against all"


def _says_more(only_a: list[Fact], only_b: list[Fact]) -> str:
    """A count of people stated by one claim only, when the other states nothing unpaired."""
    if bool(only_a) == bool(only_b):
        return ""
    counts = [
        fact
        for fact in only_a or only_b
        if (fact.measure in PEOPLE_MEASURES or fact.measure in PEOPLE_COUNT_MEASURES)
        and fact.quantity.value > 0
        and fact.role != "whole"  # "of its 1,500 workers" is what a share is taken of
    ]
    if not counts:
        return ""
    what = "people" if counts[0].measure in PEOPLE_COUNT_MEASURES else counts[0].measure
    return f"one claim also counts {what}: {_fmt_fact(counts[0])}"


_NO_FIGURES = _NumericResult("", (), (), 0, 0, False)


def _match_agreeing_figures(a: ClaimFeatures, b: ClaimFeatures, t: _Tally) -> None:
    """Step 1: figures that agree. A figure with an agreeing partner is never in conflict: long
    sentences repeat several figures, and pairing every figure with every other would find
    spurious conflicts ("from 51.5% to 52.9%" against "to 52.9% from 51.5%")."""
    for i, fa in enumerate(a.facts):
        for j, fb in enumerate(b.facts):
            qa, qb = fa.quantity, fb.quantity
            if qa.kind == "tally" or qb.kind == "tally":
                if qa.kind == qb.kind == "tally" and qa.value == qb.value and qa.second == qb.second:
                    t.match(i, j)
                continue
            rel = _comparable_measure(fa, fb)
            # Agreeing figures agree unless both state different windows ("this week" / "so far")
            # and the figures are not simply the same number worded twice.
            same_window = (
                fa.window is None
                or fb.window is None
                or compare_windows(fa.window, fb.window) == "same"
                or (_contains(qa, qb.value) and _contains(qb, qa.value))
            )
            # "31 passengers died" ~ "the death toll is 31": one group named, the other generic
            named_group = rel != "different" and fa.measure == fb.measure
            if (rel == "same" or named_group) and same_window and intervals_overlap(qa, qb):
                t.match(i, j)
                t.agreements.append(f"{_fmt_fact(fa)} ~ {_fmt_fact(fb)}")
                if qa.value != qb.value and qa.hedge in _BOUND_HEDGES and qb.hedge in _BOUND_HEDGES:
                    t.bounds_differ.append(f"{_fmt_fact(fa)} vs {_fmt_fact(fb)}")
            elif (
                rel == "different"
                and qa.kind == qb.kind
                and qa.unit == qb.unit
                and qa.hedge != "zero"
                and (intervals_overlap(qa, qb))
            ):
                # the same figure under other words ("14 survivors" / "fourteen people rescued")
                t.match(i, j)


def _match_sum_of_parts(x: ClaimFeatures, y: ClaimFeatures, t: _Tally, flip: bool) -> None:
    """Step 2: parts in one claim that add up to a total in the other agree with it ("6 in the
    north and 8 in the south" = "14"); they are consistent, never a duplicate of the total."""
    if len(x.facts) < 2 or not y.facts:
        return
    mx, my = (t.matched_b, t.matched_a) if flip else (t.matched_a, t.matched_b)
    free = [k for k, f in enumerate(x.facts) if k not in mx and f.quantity.kind not in ("tally", "percent")]
    if len(free) < 2:
        return
    for j, total in enumerate(y.facts):
        if j in my or total.quantity.kind in ("tally", "percent"):
            continue
        parts = [k for k in free if _comparable_measure(x.facts[k], total) == "same"]
        if len(parts) < 2:
            continue
        qs = [x.facts[k].quantity for k in parts]
        summed = Quantity(
            surface="",
            value=sum(q.value for q in qs),
            low=sum(q.low for q in qs),
            high=sum(q.high for q in qs),
            kind=total.quantity.kind,
            unit=total.quantity.unit,
            hedge="sum",
            start=0,
            end=0,
        )
        if not intervals_overlap(summed, total.quantity):
            continue
        for k in parts:
            mx.add(k)
        my.add(j)
        t.agreements.append(" + ".join(_fmt_fact(x.facts[k]) for k in parts) + f" = {_fmt_fact(total)}")
        t.composed = True
        return


def _share_of_whole(x: ClaimFeatures, k: int) -> Fact | None:
    """The share a partitive count is of its stated whole, as a percentage fact: "120 of its 2,000
    staff" is 6 % of the staff. The part's interval (hedge and rounding) is carried over and
    divided by the whole as stated; a hedged whole ("of about 2,000") widens it by its own
    interval. None when the figure is no count of a stated, bounded whole."""
    part = x.facts[k]
    if not part.partitive or part.quantity.kind != "count" or part.quantity.hedge in ("zero", "vague"):
        return None
    if k + 1 >= len(x.facts) or x.facts[k + 1].role != "whole":
        return None
    whole = x.facts[k + 1].quantity
    if whole.kind != "count" or whole.value <= 0 or math.isinf(whole.high) or whole.hedge in _BOUND_HEDGES:
        return None
    lo_whole, hi_whole = (whole.value, whole.value) if whole.hedge == "exact" else (whole.low, whole.high)
    q = part.quantity
    if lo_whole <= 0 or q.value > whole.value:
        return None
    share = dataclasses.replace(
        q,
        value=100.0 * q.value / whole.value,
        low=100.0 * q.low / hi_whole,
        high=100.0 * q.high / lo_whole if not math.isinf(q.high) else 100.0,
        kind="percent",
        unit="%",
        surface=x.normalised[q.start : whole.end],
    )
    return dataclasses.replace(part, quantity=share)


def _match_shares(x: ClaimFeatures, y: ClaimFeatures, t: _Tally, flip: bool) -> str:
    """Step 2b: a count out of a stated whole in one claim against a percentage in the other ("120
    of its 2,000 staff" / "six percent of the staff"). The count's share is compared as a
    percentage of the same subject: each claim's subject word must be in the other figure's clause,
    as for two percentages read with other words (``_same_share``). Shares that agree are one
    figure; shares that differ are compared by the rules for two percentages (``_compare_pair``),
    so they conflict only where two such percentages would."""
    mx, my = (t.matched_b, t.matched_a) if flip else (t.matched_a, t.matched_b)
    for k in range(len(x.facts)):
        share = _share_of_whole(x, k)
        if share is None:
            continue
        whole = x.facts[k + 1]
        # what the whole counts: its noun, or the group of people it names ("480 workers ... lost")
        counted = {whole.head, whole.group} - {""}
        shares = [
            (j, dataclasses.replace(share, measure=pct.measure, head=pct.head), pct)
            for j, pct in enumerate(y.facts)
            if j not in my
            and pct.quantity.kind == "percent"
            and pct.role == share.role
            and pct.head
            and (pct.head in counted or (pct.head in share.context and counted & pct.context))
        ]
        agreeing = [
            (j, pct)
            for j, as_share, pct in shares
            if intervals_overlap(as_share.quantity, pct.quantity)
            and (
                share.window is None
                or pct.window is None
                or compare_windows(share.window, pct.window) == "same"
            )
        ]
        if agreeing:
            j, pct = agreeing[0]
            mx.add(k)
            my.add(j)
            t.agreements.append(f"{_fmt_fact(share)} = {share.quantity.value:.3g} % ~ {_fmt_fact(pct)}")
            continue
        for _, as_share, pct in shares:
            fa, fb, ca, cb = (pct, as_share, y, x) if flip else (as_share, pct, x, y)
            conflict = _compare_pair(fa, fb, ca, cb, t.notes)
            if conflict:
                return conflict
    return ""


def _part_against_all(x: ClaimFeatures, y: ClaimFeatures) -> str:
    """Some of a group against all of it, for one event: "nine of the 23 miners have been brought
    out" / "all 23 miners have been rescued" cannot both be the state of the rescue."""
    if x.frame.event != y.frame.event or not x.frame.event:
        return ""
    for whole in x.facts:
        if whole.role != "whole":
            continue
        parts = [f for f in x.facts if f.partitive and 0 < f.quantity.value < whole.quantity.value]
        if not parts:
            continue
        for fact in y.facts:
            if fact.partitive or fact.role or abs(fact.quantity.value - whole.quantity.value) > 1e-9:
                continue
            if re.search(
                rf"\ball (?:of )?(?:the |its |their )?{re.escape(fact.quantity.surface)}\b",
                y.normalised,
                re.I,
            ):
                some = f"{_fmt_fact(parts[0])} of {_fmt_fact(whole)}"
                return f"{_PART_AGAINST_ALL}: {some} vs all {_fmt_fact(fact)}"
    return ""


def _none_against_some(fa: Fact, fb: Fact) -> bool:
    """None of a group against a share of it, said of the same thing: everything the "none" clause
    says of the group is said by the other ("none of the city's buses are electric" / "a quarter of
    the city's buses run on electricity"); "none of the buses are new" says something else."""
    zero, some = (fa, fb) if fa.quantity.high == 0 else (fb, fa)
    if zero.quantity.high != 0 or some.quantity.low <= 0:
        return False
    said = {c for c in zero.context if c not in _NEUTRAL and c not in _TOPICLESS}
    return len(said) >= 2 and said <= some.context


def _compare_unmatched_figures(a: ClaimFeatures, b: ClaimFeatures, t: _Tally) -> str:
    """Step 3: figures without a partner, compared where measure, window and subject allow.
    Returns the conflict's explanation, or "" (notes say why figures differ without conflict)."""
    for i, fa in enumerate(a.facts):
        if i in t.matched_a:
            continue
        for j, fb in enumerate(b.facts):
            if j in t.matched_b:
                continue
            qa, qb = fa.quantity, fb.quantity
            if qa.kind == "tally" or qb.kind == "tally":
                continue
            conflict = _compare_pair(fa, fb, a, b, t.notes)
            if conflict:
                return conflict
    return ""


def _compare_pair(fa: Fact, fb: Fact, a: ClaimFeatures, b: ClaimFeatures, notes: list[str]) -> str:
    """Two unpaired figures (``fa`` of claim ``a``, ``fb`` of claim ``b``) compared where measure,
    window and subject allow: the conflict's explanation, or "" with a note on why they differ
    without conflict appended to ``notes``."""
    rel = _comparable_measure(fa, fb)
    if rel == "different":
        if fa.measure in _PEOPLE or fb.measure in _PEOPLE or _tallies_of_one_thing(fa, fb):
            notes.append(f"different measures: {_fmt_fact(fa)} vs {_fmt_fact(fb)}")
        return ""
    win = compare_windows(fa.window, fb.window)
    if win == "incomparable":
        wa = fa.window.surface if fa.window else "unspecified"
        wb = fb.window.surface if fb.window else "unspecified"
        notes.append(f'different time windows: {_fmt_fact(fa)} "{wa}" vs {_fmt_fact(fb)} "{wb}"')
        return ""
    if rel == "same" and fa.partitive != fb.partitive:
        # "Five of the people killed" is a part of "14 killed": at most the whole
        part, whole = (fa, fb) if fa.partitive else (fb, fa)
        if _exceeds(part.quantity, whole.quantity) and _same_subject(fa, fb, a, b):
            return f"{_PART_EXCEEDS}: {_fmt_fact(part)} vs {_fmt_fact(whole)}"
        notes.append(f"part and total: {_fmt_fact(part)} within {_fmt_fact(whole)}")
        return ""
    if rel == "same" and fa.partitive and fb.partitive:
        if _none_against_some(fa, fb):
            return f"None against some: {_fmt_fact(fa)} vs {_fmt_fact(fb)}"
        notes.append(f"different parts: {_fmt_fact(fa)} vs {_fmt_fact(fb)}")
        return ""
    if rel == "same" and win == "same" and fa.update == fb.update:
        if _same_subject(fa, fb, a, b):
            return f"Figures conflict: {_fmt_fact(fa)} vs {_fmt_fact(fb)}"
        notes.append(f"different subjects: {_fmt_fact(fa)} vs {_fmt_fact(fb)}")
        return ""
    # Ordered comparisons: a part, a shorter window or an earlier count is at most the other.
    small, big = fa, fb
    if rel == "b_part_of_a" or win == "b_within_a" or (rel == "same" and fa.update and not fb.update):
        small, big = fb, fa
    if rel != "same" and win not in ("same", "a_within_b" if small is fa else "b_within_a"):
        notes.append(f"different time windows: {_fmt_fact(fa)} vs {_fmt_fact(fb)}")
        return ""
    if _exceeds(small.quantity, big.quantity) and _same_subject(fa, fb, a, b):
        if rel != "same":
            return f"{_PART_EXCEEDS}: {_fmt_fact(small)} vs {_fmt_fact(big)}"
        if win != "same":
            return f"Shorter-window figure exceeds total: {_fmt_fact(small)} vs {_fmt_fact(big)}"
        notes.append(f"revised count: {_fmt_fact(small)} then {_fmt_fact(big)}")
        return ""
    if rel != "same":
        notes.append(f"part and total: {_fmt_fact(small)} within {_fmt_fact(big)}")
    elif win != "same":
        wa = small.window.surface if small.window else "unspecified"
        wb = big.window.surface if big.window else "unspecified"
        notes.append(f'different time windows: {_fmt_fact(small)} "{wa}" within {_fmt_fact(big)} "{wb}"')
    else:
        notes.append(f"earlier and later counts: {_fmt_fact(small)} then {_fmt_fact(big)}")
    return ""


def _tallies_of_one_thing(fa: Fact, fb: Fact) -> bool:
    """ "400 homes destroyed" / "2,300 homes damaged": one thing counted two ways."""
    return fa.measure.startswith("count:") and fa.head == fb.head and fb.measure.startswith("count:")


def _compose_killed_and_injured(a: ClaimFeatures, b: ClaimFeatures, t: _Tally) -> str:
    """Step 4: killed + injured in one claim against casualties in the other."""
    if len(a.facts) < 2 and len(b.facts) < 2:
        return ""
    for x, y in ((a, b), (b, a)):
        killed = [f for f in x.facts if f.measure == "killed"]
        injured = [f for f in x.facts if f.measure == "injured"]
        totals = [f for f in y.facts if f.measure == "casualties"]
        if len(killed) != 1 or len(injured) != 1:
            continue
        k, w = killed[0], injured[0]
        for tot in totals:
            if compare_windows(k.window, tot.window) != "same" or not _same_subject(k, tot, x, y):
                continue
            total = Quantity(
                surface="",
                value=k.quantity.value + w.quantity.value,
                low=k.quantity.low + w.quantity.low,
                high=k.quantity.high + w.quantity.high,
                kind="count",
                unit="",
                hedge="sum",
                start=0,
                end=0,
            )
            desc = f"{_fmt_fact(k)} + {_fmt_fact(w)}"
            if not intervals_overlap(total, tot.quantity):
                return f"Parts do not add up: {desc} vs {_fmt_fact(tot)}"
            t.agreements.append(f"{desc} = {_fmt_fact(tot)}")
            t.composed = True
            t.notes[:] = [n for n in t.notes if not n.startswith("part and total")]
    return ""


# The concept (normalise.concept) that names each people measure in a claim's words.
_MEASURE_CONCEPT = {
    "killed": "die",
    "injured": "injur",
    "arrests": "arrest",
    "displaced": "evacu",
    "casualties": "casualti",
    "captured": "capture",
    "troops": "troop",
}


def _note_figures_in_one_claim_only(a: ClaimFeatures, b: ClaimFeatures, t: _Tally) -> None:
    """Step 5: a figure about people that the other claim neither states nor names the measure of
    ("Nine protesters were taken to hospital" / "Police used tear gas") makes a detail, never the
    same claim."""
    for x, y, matched in ((a, b, t.matched_a), (b, a, t.matched_b)):
        if y.facts:
            continue
        for k, f in enumerate(x.facts):
            if k not in matched and f.measure in _PEOPLE and f.quantity.hedge != "zero":
                if _MEASURE_CONCEPT.get(f.measure, f.measure) in y.concepts:
                    continue  # "the men who were killed" / "the three men who were killed"
                t.notes.append(f"figure in one claim only: {_fmt_fact(f)}")
                return


# ---------------------------------------------------------------- polarity
_CUE_STEMS = frozenset(s for pos, neg in OUTCOME_OPPOSITES.values() for s in pos | neg)


def _time_clash(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Explicit windows that differ ("on Tuesday" vs "this year") make outcomes independent."""
    wa = [c for c in a.time_cues if c.kind != "update"]
    wb = [c for c in b.time_cues if c.kind != "update"]
    if not wa or not wb:
        return False
    return not any((x.kind, x.label) == (y.kind, y.label) for x in wa for y in wb)


def _different_topics(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Both claims name something the other lacks, or one restricts a shared noun."""
    ca = {c for c in a.concepts if c not in _CUE_STEMS}
    cb = {c for c in b.concepts if c not in _CUE_STEMS}
    ua = {c for c in _unique_concepts(frozenset(ca), frozenset(cb)) if c not in _CUE_CONCEPTS}
    ub = {c for c in _unique_concepts(frozenset(cb), frozenset(ca)) if c not in _CUE_CONCEPTS}
    if ua and ub:
        return True
    shared = frozenset(ca & cb)
    return bool(ua and _modifies_shared(ua, shared, a)) or bool(ub and _modifies_shared(ub, shared, b))


def _polarity_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """Outcomes that cannot both hold: opposite outcome words, one event on two dates, or one word
    against its WordNet antonym."""
    return _opposite_outcome_words(a, b) or _date_conflict(a, b) or _antonym_conflict(a, b)


def _content_tokens(f: ClaimFeatures) -> tuple[str, ...]:
    return tuple(t for t in f.tokens if t.isalpha() and len(t) > 2 and t not in STOPWORDS)


def _antonym_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """The same sentence but for one word and its WordNet antonym ("a child is hitting a
    baseball" / "a child is missing a baseball", "the ship was full" / "the ship was empty"), with
    the same figures if any: beside other figures the antonym may be a detail of another subject
    ("unemployment fell to 5.2 %" / "youth unemployment rose to 14 %")."""
    if (a.negations % 2) != (b.negations % 2) or _stated_figures(a) != _stated_figures(b):
        return ""
    only_a = [t for t in _content_tokens(a) if concept(stem(t)) not in b.concepts]
    only_b = [t for t in _content_tokens(b) if concept(stem(t)) not in a.concepts]
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
    num = _numeric(a, b)
    if num.conflict or num.unmatched or _opposite_outcome_words(a, b):
        return ""
    return f'Different dates for one event: "{clash[0]}" vs "{clash[1]}"'


def _opposite_outcome_words(a: ClaimFeatures, b: ClaimFeatures) -> str:
    by_a: dict[str, list[PolarityCue]] = {}
    by_b: dict[str, list[PolarityCue]] = {}
    for c in a.polarity:
        by_a.setdefault(c.concept, []).append(c)
    for c in b.polarity:
        by_b.setdefault(c.concept, []).append(c)
    for name in sorted(set(by_a) & set(by_b)):
        xs, ys = by_a[name], by_b[name]
        sa = {c.sign for c in xs}
        sb = {c.sign for c in ys}
        if len(sa) != 1 or len(sb) != 1 or sa == sb:
            continue
        if _time_clash(a, b) or _different_topics(a, b):
            return ""
        if a.entities and b.entities and not _entities_overlap(a.entities, b.entities):
            return ""
        return f'Opposite outcomes: "{xs[0].surface}" vs "{ys[0].surface}"'
    return ""


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


def _negation_conflict(a: ClaimFeatures, b: ClaimFeatures, similarity: float) -> str:
    """Same statement, negated in one claim only ("attended" vs "did not attend")."""
    if (a.negations % 2) == (b.negations % 2):
        return ""
    dice, _ = _concept_overlap(a, b)
    if dice < NEGATION_MIN_OVERLAP or similarity < NEGATION_MIN_SIMILARITY:
        return ""
    if _different_topics(a, b):
        return ""
    neg, pos = (a, b) if a.negations % 2 else (b, a)
    if _negation_answered(neg, pos):
        return ""
    phrase = _negation_phrase(neg)
    if not phrase:
        return ""
    ref = _shared_verb(pos, phrase)
    return f'Negation: "{phrase}" vs "{ref}"' if ref else f'Negation: "{phrase}" in one claim only'


def _denial_conflict(a: ClaimFeatures, b: ClaimFeatures) -> str:
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
        (_folded(fa.theme), _folded(fb.theme))
        if fa.theme or fb.theme
        else (_folded(fa.agent), _folded(fb.agent))
    )
    if not (done[0] & done[1]):
        return ""
    # whoever the other claim says did it is named in the denial ("police denied firing", not
    # "soldiers fired")
    if not _folded(stated.frame.agent) <= denial.concepts:
        return ""
    if _time_clash(a, b) or date_clash(a, b):
        return ""
    return f'Denial: "{_short(denial)}" vs "{_short(stated)}"'


def _nothing_of_the_kind(a: ClaimFeatures, b: ClaimFeatures) -> str:
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
    if found is None or figures or _time_clash(neg, pos):
        return ""
    if neg.entities and not all(any(_fuzzy_entity_match(x, y) for y in pos.entities) for x in neg.entities):
        return ""
    words = [t for t in _content_tokens(neg) if concept(stem(t)) not in _NOTHING_STEMS]
    theirs = _content_tokens(pos)
    # what there is none of ("no arrests", "there is no dog") is what the other claim has;
    # "nobody" and "no one" stand for anyone
    anyone = found.group(0).lower() in ("nobody", "no one", "no-one")
    kind = [t for t in word_tokens(neg.normalised[found.end() :])[:3] if t not in STOPWORDS][:1]
    if kind and not anyone and not _says(kind[0], pos, theirs):
        return ""
    said = sum(1 for t in words if _says(t, pos, theirs))
    if not words or said / len(words) < NOTHING_MIN_CONTAINMENT:
        return ""
    return f'Negation: "{found.group(0).strip()}" vs "{_short(pos)}"'


def _says(word: str, f: ClaimFeatures, tokens: tuple[str, ...]) -> bool:
    """``f`` says ``word``: the same concept, a synonym or something more specific ("car": "sedan")."""
    return concept(stem(word)) in f.concepts or any(wordnet.covers(word, t) for t in tokens)


def _folded(words: frozenset[str]) -> frozenset[str]:
    return frozenset(concept(stem(w)) for w in words)


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


# ---------------------------------------------------------------- duplicate score
def _entity_mismatch(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Each claim names someone or somewhere the other does not."""
    if not a.entities or not b.entities:
        return False
    only_a = [x for x in a.entities if not any(_fuzzy_entity_match(x, y) for y in b.entities)]
    only_b = [y for y in b.entities if not any(_fuzzy_entity_match(x, y) for x in a.entities)]
    return bool(only_a) and bool(only_b)


def _predicate_mismatch(a: ClaimFeatures, b: ClaimFeatures) -> int:
    """Outcome concepts (approve, charge, confirm...) that only one claim speaks of."""
    ca = {c.concept for c in a.polarity}
    cb = {c.concept for c in b.polarity}
    return len(ca ^ cb)


# Logistic model of "same claim": weights of embedding cosine, token-sort fuzzy ratio and token
# Dice (both over canonical tokens), relative length difference, unmatched figures (capped at 3),
# entity mismatch and outcome-concept mismatch (capped at 2). Fitted once by logistic regression
# on the MRPC *training* split (seven weights and a bias).
DUPLICATE_WEIGHTS = (1.731, 3.293, 3.762, -3.576, -0.211, -0.053, -0.230)
DUPLICATE_BIAS = -4.722


def duplicate_features(
    a: ClaimFeatures, b: ClaimFeatures, similarity: float, numeric_unmatched: int
) -> tuple[float, ...]:
    """The inputs of ``duplicate_score`` in ``DUPLICATE_WEIGHTS`` order."""
    fuzzy = fuzz.token_sort_ratio(" ".join(a.canonical), " ".join(b.canonical)) / 100.0
    ta, tb = set(a.canonical), set(b.canonical)
    uni = 2.0 * len(ta & tb) / (len(ta) + len(tb)) if ta and tb else 0.0
    la, lb = len(a.tokens), len(b.tokens)
    ldiff = abs(la - lb) / max(la, lb) if la and lb else 1.0
    return (
        max(similarity, 0.0),
        fuzzy,
        uni,
        ldiff,
        float(min(3, numeric_unmatched)),
        float(_entity_mismatch(a, b)),
        float(min(2, _predicate_mismatch(a, b))),
    )


def duplicate_score(a: ClaimFeatures, b: ClaimFeatures, similarity: float, numeric_unmatched: int) -> float:
    """Probability-like score in [0, 1] that the two claims say the same thing."""
    feats = duplicate_features(a, b, similarity, numeric_unmatched)
    z = DUPLICATE_BIAS + sum(w * f for w, f in zip(DUPLICATE_WEIGHTS, feats, strict=False))
    return 1.0 / (1.0 + math.exp(-z))


def _relatedness(a: ClaimFeatures, b: ClaimFeatures, similarity: float) -> float:
    dice, contain = _concept_overlap(a, b)
    rel = 0.6 * max(similarity, 0.0) + 0.4 * max(dice, contain * 0.8)
    if a.entities and b.entities and _entities_overlap(a.entities, b.entities):
        rel += 0.08
    ma = {f.measure for f in a.facts if f.measure not in ("count", "fraction", "multiplier")}
    mb = {f.measure for f in b.facts if f.measure not in ("count", "fraction", "multiplier")}
    if ma & mb:
        rel += 0.12
    return min(1.0, rel)


def _opposite_outcomes(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Some outcome concept is positive in one claim and negative in the other."""
    sa: dict[str, set[int]] = {}
    sb: dict[str, set[int]] = {}
    for c in a.polarity:
        sa.setdefault(c.concept, set()).add(c.sign)
    for c in b.polarity:
        sb.setdefault(c.concept, set()).add(c.sign)
    if any(len(sa[k]) == 1 and len(sb[k]) == 1 and sa[k] != sb[k] for k in set(sa) & set(sb)):
        return True
    return bool(_date_conflict(a, b))


def _stated_figures(f: ClaimFeatures) -> set[tuple[str, str, float, float, str]]:
    """Figures as stated, hedge included: "about 35" and "35" are different statements."""
    hedge = {"exact": "", "about": "~", "nearly": "<~", "just_over": ">~"}
    return {
        (q.kind, q.unit, round(q.value, 9), round(q.second, 9), hedge.get(q.hedge, q.hedge))
        for q in f.quantities
    }


def _different_outcome_concepts(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Both claims report an outcome, but about different things ("denied" vs "charged")."""
    ca = {c.concept for c in a.polarity}
    cb = {c.concept for c in b.polarity}
    return bool(ca) and bool(cb) and not (ca & cb)


def similarity_score(a: ClaimFeatures, b: ClaimFeatures, similarity: float) -> float:
    """Graded "same claim" score in [0, 1] (the duplicate score before thresholds); symmetric."""
    a, b = _canonical(a, b)
    num = _numeric(a, b)
    return duplicate_score(a, b, max(-1.0, min(1.0, float(similarity))), num.unmatched)


def judge(
    a: ClaimFeatures,
    b: ClaimFeatures,
    similarity: float,
    *,
    suggest_threshold: float = SUGGEST_THRESHOLD,
    calibrated: bool = True,
) -> Judgement:
    """Judge a pair of claims (see module docstring); symmetric in ``a`` and ``b``.

    The rules decide first; ``claims.detection.calibration`` then confirms, vetoes or promotes
    their outcome with the trained classifier (``calibrated=False`` gives the rules alone, for
    bench comparisons). ``suggest_threshold`` exists for calibration runs only; the app uses the
    default."""
    a, b = _canonical(a, b)
    similarity = max(-1.0, min(1.0, float(similarity)))
    rule = _rule_judge(a, b, similarity, suggest_threshold)
    if not calibrated:
        return rule
    from .calibration import calibrated_judgement  # calibration builds on this module's helpers

    return calibrated_judgement(a, b, similarity, rule)


def _rule_judge(a: ClaimFeatures, b: ClaimFeatures, similarity: float, suggest_threshold: float) -> Judgement:
    """The rules alone, on a canonically ordered pair with a clamped similarity."""
    related = _relatedness(a, b, similarity)
    num = _numeric(a, b)
    frame_note = ""
    if related >= RELATED_THRESHOLD:
        conflict, frame_note = _frame_conflict(a, b, num, similarity)
        if conflict is not None:
            return Judgement("contradiction", round(min(1.0, conflict + 0.4 * related), 4), frame_note)
    blocked = (
        num.composed
        or bool(num.notes and num.unmatched)
        or _opposite_outcomes(a, b)
        or _different_outcome_concepts(a, b)
        or bool(frame_note)
        or bool(num.bounds_differ)
    )
    frame_block = ""
    if _frame_block_matters(related, num, frame_note, blocked=blocked):
        frame_block = duplicate_block(a, b, similarity) or _unpaired_figures(a, b, num)
        blocked = blocked or bool(frame_block)
    # A blocked pair is no duplicate whatever its score, so the score is not computed (most pairs
    # of a check are blocked: figures that differ, other outcomes).
    if not blocked:
        dup = duplicate_score(a, b, similarity, num.unmatched)
        figures_differ = num.unmatched > 0 or _stated_figures(a) != _stated_figures(b)
        if figures_differ:
            dup = min(dup, _FIGURES_DIFFER_CAP)
        dup = round(dup, 4)
        if dup >= suggest_threshold:
            if num.agreements:
                why = "same figures: " + "; ".join(num.agreements[:2])
            else:
                why = f'same wording and meaning (similarity {similarity:.2f}): "{_short(a)}" / "{_short(b)}"'
            pieces = aligned_pieces(a, b)
            return Judgement("duplicate", dup, "Same claim, " + why + (f" (same {pieces})" if pieces else ""))
    if related >= RELATED_THRESHOLD:
        if frame_note:
            why = frame_note
        elif frame_block and not num.notes:
            why = frame_block
        elif num.bounds_differ and not num.notes:
            why = "different figures, both can hold: " + "; ".join(num.bounds_differ[:2])
        elif num.agreements and num.notes:
            why = "figures agree: " + "; ".join(num.agreements[:2]) + "; " + num.notes[0]
        elif num.agreements:
            why = "figures agree: " + "; ".join(num.agreements[:2])
        elif num.notes:
            why = num.notes[0]
        else:
            why = f'no conflicting figures or outcomes between "{_short(a)}" and "{_short(b)}"'
        return Judgement("consistent", round(related, 4), "Consistent: " + why, blocked=blocked)
    return Judgement(
        "unrelated",
        round(1.0 - related, 4),
        f'Unrelated: "{_short(a)}" / "{_short(b)}" share no subject',
        blocked=blocked,
    )


def _frame_block_matters(related: float, num: _NumericResult, frame_note: str, *, blocked: bool) -> bool:
    """Whether the frame block (``duplicate_block``, ``_unpaired_figures``) can change the rules'
    judgement: it rules out a duplicate only when nothing else does, and it is the explanation of a
    consistent pair only when there is no frame note and no figure note. Elsewhere reading it
    would change nothing, and it is a good part of the cost of a pair."""
    return not blocked or (related >= RELATED_THRESHOLD and not frame_note and not num.notes)


def _unpaired_figures(a: ClaimFeatures, b: ClaimFeatures, num: _NumericResult) -> str:
    """A duplicate states the same figures: counted things whose counts are far apart and pair with
    nothing in the other claim ("nine protesters" / "40,000 people") rule a duplicate out. Figures
    in other units or forms are left to the score (the readers may not pair them yet)."""
    if num.says_more:
        return num.says_more
    if num.unmatched == 0 or num.matched > 0 or not a.facts or not b.facts:
        return ""
    counts_a = [f for f in a.facts if f.measure.startswith("count:") and f.quantity.value > 0]
    counts_b = [f for f in b.facts if f.measure.startswith("count:") and f.quantity.value > 0]
    if not counts_a or not counts_b:
        return ""
    far_apart = all(
        max(x.quantity.value, y.quantity.value) >= _COUNTS_APART * min(x.quantity.value, y.quantity.value)
        for x in counts_a
        for y in counts_b
    )
    if far_apart:
        return f"different counts: {_fmt_fact(counts_a[0])} vs {_fmt_fact(counts_b[0])}"
    return ""


# Counts this many times apart are not one figure worded twice (nor a rounding or a conversion).
_COUNTS_APART = 3.0


def _frame_conflict(
    a: ClaimFeatures, b: ClaimFeatures, num: _NumericResult, similarity: float
) -> tuple[float | None, str]:
    """A contradiction needs the same frame: (base confidence, explanation) of a conflict that
    holds once the frames are aligned, or (None, why the pair is not a conflict; "" for none).

    Steps: a running total stated as of two dates is an update when it rises and a conflict when
    it falls; a figure, outcome or negation conflict holds only when the scope (place, body,
    subject) is the same; a figure conflict also needs the same stated date, and fails when one
    figure is a part of the other's whole. Outcome conflicts, in order: opposite outcome words,
    dates or antonyms (``_polarity_conflict``), "there is no X" against an X that says more
    (``_nothing_of_the_kind``, which names no doer, so only places and bodies set it apart), a
    plain negation, a denial."""
    change, why = cumulative_change(a, b)
    if change == "down":
        return 0.6, why
    if change == "update":
        return None, why
    if num.conflict:
        clash = scope_clash(a, b) or date_clash(a, b)
        if clash:
            return None, clash
        part = part_of_whole(a, b)
        if part and not num.conflict.startswith((_PART_EXCEEDS, _PART_AGAINST_ALL)):
            return None, part
        pieces = aligned_pieces(a, b)
        return 0.6, num.conflict + (f" (same {pieces})" if pieces else "")
    pol = _polarity_conflict(a, b)
    nothing = "" if pol else _nothing_of_the_kind(a, b)
    neg = "" if pol else (nothing or _negation_conflict(a, b, similarity) or _denial_conflict(a, b))
    if not pol and not neg:
        dates = exclusive_dates(a, b) if similarity >= EXCLUSIVE_DATE_MIN_SIMILARITY else ""
        if dates:
            pieces = aligned_pieces(a, b)
            return 0.45, dates + (f" (same {pieces})" if pieces else "")
        return None, ""
    # "No one" and "there is no man" name no doer, so only a place or body can set the claims apart.
    clash = scope_clash(a, b, roles=not nothing)
    if clash:
        return None, clash
    pieces = aligned_pieces(a, b)
    suffix = f" (same {pieces})" if pieces else ""
    related = _relatedness(a, b, similarity)
    if pol and related >= 0.5:
        return 0.5, pol + suffix
    if neg:
        return 0.45, neg + suffix
    return None, ""


def _short(f: ClaimFeatures, n: int = 60) -> str:
    t = f.normalised
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"
