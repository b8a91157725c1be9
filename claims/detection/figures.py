"""Comparing the figures of two claims: agreement, conflict, parts and wholes, sums and shares.

``compare_figures(a, b)`` pairs the facts of two claims (a quantity with its measure, window and subject)
and returns a ``FigureComparison``: the figures that agree, the first conflict, the notes of figures
that both can hold, and whether agreement needed parts to be composed. One reader per kind of
figure comparison: agreeing figures, sums of parts, shares of a whole, part against all, none
against some, the killed-and-injured composition, then the pairs left unmatched.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass

from .features import ClaimFeatures
from .lexicon import (
    NEUTRAL_STEMS,
    PEOPLE_COUNT_MEASURES,
)
from .measures import PEOPLE_MEASURES, Fact, compose
from .overlap import (
    TOPICLESS,
    entities_overlap,
    modifies_shared,
    unique_concepts,
)
from .quantities import Quantity, intervals_overlap
from .timecues import compare_windows


def quote_fact(f: Fact) -> str:
    """A figure as quoted in explanations: the surface as written plus its measure words."""
    return _fmt_figure(f.quantity.surface, f.phrase)


@functools.lru_cache(maxsize=65_536)
def _fmt_figure(surface: str, phrase: str) -> str:
    # Cached: a claim's figures are quoted again for each of the ~50 claims it is judged against.
    inside = set(surface.lower().split())
    words = " ".join(w for w in phrase.split() if w.lower() not in inside)
    return f'"{surface}"' + (f" {words}" if words else "")


def _same_subject(fa: Fact, fb: Fact, a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Do two facts speak about the same subject? Different named entities, or a restrictive
    modifier on one side ("youth unemployment" vs "unemployment", "rebel forces" vs "government
    troops") mean they do not. Different verbs ("attended" / "packed") do not matter."""
    if fa.entities and fb.entities and not entities_overlap(fa.entities, fb.entities):
        return False
    shared = fa.context & fb.context
    for uniq, feats in (
        (unique_concepts(fa.context, fb.context), a),
        (unique_concepts(fb.context, fa.context), b),
    ):
        if uniq and modifies_shared(uniq, shared, feats):
            return False
    return True


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
class FigureComparison:
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
    """Working state of ``compare_figures``: which figures found a partner, and what was found."""

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


def compare_figures(a: ClaimFeatures, b: ClaimFeatures) -> FigureComparison:
    """Compare the two claims' figures in named steps; the first conflict found wins."""
    if not a.facts and not b.facts:
        return _NO_FIGURES  # most pairs of a check: nothing to compare
    t = _Tally()
    _match_agreeing_figures(a, b, t)
    conflict = ""
    for x, y, flip in ((a, b, False), (b, a, True)):
        conflict = conflict or _match_point_changes(x, y, t, flip)
    for x, y, flip in ((a, b, False), (b, a, True)):
        _match_sum_of_parts(x, y, t, flip)
    for x, y, flip in ((a, b, False), (b, a, True)):
        conflict = conflict or _match_shares(x, y, t, flip)
    for x, y in ((a, b), (b, a)):
        conflict = conflict or _part_against_all(x, y)
    conflict = conflict or _compare_unmatched_figures(a, b, t) or _compose_killed_and_injured(a, b, t)
    if conflict:
        return FigureComparison(conflict, (), (), 0, 0, False)
    _note_figures_in_one_claim_only(a, b, t)
    only_a = [fact for i, fact in enumerate(a.facts) if i not in t.matched_a]
    only_b = [fact for j, fact in enumerate(b.facts) if j not in t.matched_b]
    return FigureComparison(
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
PART_EXCEEDS = "Part exceeds total"
PART_AGAINST_ALL = "Part against all"


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
    return f"one claim also counts {what}: {quote_fact(counts[0])}"


_NO_FIGURES = FigureComparison("", (), (), 0, 0, False)


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
                t.agreements.append(f"{quote_fact(fa)} ~ {quote_fact(fb)}")
                if qa.value != qb.value and qa.hedge in _BOUND_HEDGES and qb.hedge in _BOUND_HEDGES:
                    t.bounds_differ.append(f"{quote_fact(fa)} vs {quote_fact(fb)}")
            elif (
                rel == "different"
                and qa.kind == qb.kind
                and qa.unit == qb.unit
                and qa.hedge != "zero"
                and (intervals_overlap(qa, qb))
            ):
                # the same figure under other words ("14 survivors" / "fourteen people rescued")
                t.match(i, j)


# A rate's change in points: "dropped 0.8 points", "fell 1.5 percentage points".
POINT_CHANGE_MEASURES = frozenset({"count:point", "measure:point"})


def _match_point_changes(x: ClaimFeatures, y: ClaimFeatures, t: _Tally, flip: bool) -> str:
    """Step 1b: a change in points agrees with a rate stated at both ends ("dropped 0.8 points to
    4.2 %" = "slowed to 4.2 % from 5 %"): the difference of the two rates is the change. When the
    claim with the change also states one of the two ends and the gap is another, the figures
    conflict ("dropped 1.8 points to 4.2 %" against "to 4.2 % from 5 %"). Returns the conflict."""
    mx = t.matched_b if flip else t.matched_a
    rates = [(k, f) for k, f in enumerate(y.facts) if f.quantity.kind == "percent"]
    if len(rates) < 2:
        return ""
    own = {f.quantity.value for f in x.facts if f.quantity.kind == "percent"}
    for i, change in enumerate(x.facts):
        if i in mx or change.measure not in POINT_CHANGE_MEASURES:
            continue
        points = change.quantity.value
        for n, (j, one) in enumerate(rates):
            for k, other in rates[n + 1 :]:
                hi, lo = (one, other) if one.quantity.value >= other.quantity.value else (other, one)
                gap = hi.quantity.value - lo.quantity.value
                span = f"{quote_fact(hi)} - {quote_fact(lo)}"
                if abs(gap - points) > _POINT_TOLERANCE * max(points, gap, 1.0):
                    if len(rates) == 2 and own & {hi.quantity.value, lo.quantity.value}:
                        return f"Figures conflict: {span} is {gap:.3g} points, not {quote_fact(change)}"
                    continue
                for m in (j, k):
                    if flip:  # x is b: the change is b's, the rates a's
                        t.match(m, i)
                    else:
                        t.match(i, m)
                t.agreements.append(f"{quote_fact(change)} = {span}")
                return ""
    return ""


# "0.8 points" against 5 % and 4.2 %: equal within rounding of the figures as written.
_POINT_TOLERANCE = 0.02


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
        t.agreements.append(" + ".join(quote_fact(x.facts[k]) for k in parts) + f" = {quote_fact(total)}")
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
            t.agreements.append(f"{quote_fact(share)} = {share.quantity.value:.3g} % ~ {quote_fact(pct)}")
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
                some = f"{quote_fact(parts[0])} of {quote_fact(whole)}"
                return f"{PART_AGAINST_ALL}: {some} vs all {quote_fact(fact)}"
    return ""


def _none_against_some(fa: Fact, fb: Fact) -> bool:
    """None of a group against a share of it, said of the same thing: everything the "none" clause
    says of the group is said by the other ("none of the city's buses are electric" / "a quarter of
    the city's buses run on electricity"); "none of the buses are new" says something else."""
    zero, some = (fa, fb) if fa.quantity.high == 0 else (fb, fa)
    if zero.quantity.high != 0 or some.quantity.low <= 0:
        return False
    said = {c for c in zero.context if c not in NEUTRAL_STEMS and c not in TOPICLESS}
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
            notes.append(f"different measures: {quote_fact(fa)} vs {quote_fact(fb)}")
        return ""
    win = compare_windows(fa.window, fb.window)
    if win == "incomparable":
        wa = fa.window.surface if fa.window else "unspecified"
        wb = fb.window.surface if fb.window else "unspecified"
        notes.append(f'different time windows: {quote_fact(fa)} "{wa}" vs {quote_fact(fb)} "{wb}"')
        return ""
    if rel == "same" and fa.partitive != fb.partitive:
        # "Five of the people killed" is a part of "14 killed": at most the whole
        part, whole = (fa, fb) if fa.partitive else (fb, fa)
        if _exceeds(part.quantity, whole.quantity) and _same_subject(fa, fb, a, b):
            return f"{PART_EXCEEDS}: {quote_fact(part)} vs {quote_fact(whole)}"
        notes.append(f"part and total: {quote_fact(part)} within {quote_fact(whole)}")
        return ""
    if rel == "same" and fa.partitive and fb.partitive:
        if _none_against_some(fa, fb):
            return f"None against some: {quote_fact(fa)} vs {quote_fact(fb)}"
        notes.append(f"different parts: {quote_fact(fa)} vs {quote_fact(fb)}")
        return ""
    if rel == "same" and win == "same" and fa.update == fb.update:
        if _same_subject(fa, fb, a, b):
            return f"Figures conflict: {quote_fact(fa)} vs {quote_fact(fb)}"
        notes.append(f"different subjects: {quote_fact(fa)} vs {quote_fact(fb)}")
        return ""
    # Ordered comparisons: a part, a shorter window or an earlier count is at most the other.
    small, big = fa, fb
    if rel == "b_part_of_a" or win == "b_within_a" or (rel == "same" and fa.update and not fb.update):
        small, big = fb, fa
    if rel != "same" and win not in ("same", "a_within_b" if small is fa else "b_within_a"):
        notes.append(f"different time windows: {quote_fact(fa)} vs {quote_fact(fb)}")
        return ""
    if _exceeds(small.quantity, big.quantity) and _same_subject(fa, fb, a, b):
        if rel != "same":
            return f"{PART_EXCEEDS}: {quote_fact(small)} vs {quote_fact(big)}"
        if win != "same":
            return f"Shorter-window figure exceeds total: {quote_fact(small)} vs {quote_fact(big)}"
        notes.append(f"revised count: {quote_fact(small)} then {quote_fact(big)}")
        return ""
    if rel != "same":
        notes.append(f"part and total: {quote_fact(small)} within {quote_fact(big)}")
    elif win != "same":
        wa = small.window.surface if small.window else "unspecified"
        wb = big.window.surface if big.window else "unspecified"
        notes.append(f'different time windows: {quote_fact(small)} "{wa}" within {quote_fact(big)} "{wb}"')
    else:
        notes.append(f"earlier and later counts: {quote_fact(small)} then {quote_fact(big)}")
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
            desc = f"{quote_fact(k)} + {quote_fact(w)}"
            if not intervals_overlap(total, tot.quantity):
                return f"Parts do not add up: {desc} vs {quote_fact(tot)}"
            t.agreements.append(f"{desc} = {quote_fact(tot)}")
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
                t.notes.append(f"figure in one claim only: {quote_fact(f)}")
                return
