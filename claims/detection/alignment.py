"""Aligning two claim frames: what a duplicate or a contradiction needs beyond similar words.

Contract (all functions pure and symmetric up to the order of the quoted pieces):

- ``scope_clash(a, b, roles=True)``: why the two claims are about different things ("" when they
  may be the same): another place, another acting body (chamber vs senate; the speaker does not
  count), or, for one and the same event and unless ``roles`` is false, another subject or object
  ("approved the bypass" / "approved a swimming pool"). Blocks both a duplicate and a
  contradiction.
- ``part_of_whole(a, b)``: the figure of one claim is restricted to a part ("twelve of the dead",
  "in the eastern suburbs", a named place the other claim does not restrict to, or for a toll a
  town within the other claim's places) and no larger than the other claim's figure: a part never
  contradicts its whole.
- ``cumulative_change(a, b)``: for the same measure stated as of two dates, ``("update", why)``
  when the later running total is at least the earlier one and ``("down", why)`` when it is
  lower; ``("", "")`` otherwise, and when either count is over a window ("since 9 March", "in the
  week to 22 March") rather than up to its date.
- ``duplicate_block(a, b, similarity)``: why the pair cannot be a duplicate whatever its score: a
  scope clash (another subject or object only below ``ROLE_PARAPHRASE_SIMILARITY``: above it the
  cores are taken for a paraphrase), votes or approvals of different motions
  (``different_motions``: "to extend the fuel subsidy" / "to raise the retirement age"), people
  counted under different measures (tear gas and
  arrests at one protest), another main event with figures on one side only, another modality
  (planned / denied / happened), polarity or stated date.
- ``aligned_pieces(a, b)``: the frame pieces the two claims share, for explanations.
"""

from __future__ import annotations

import re

from .features import ClaimFeatures
from .frames import ClaimFrame, FrameFigure
from .lexicon import (
    CALENDAR_WORDS,
    DAY_WORDS,
    MONEY_FAMILIES,
    MONTHS,
    MOTION_ENDS,
    MOTION_HEADS,
    MOTION_OPENERS,
    TOLL_MEASURES,
    WHOLE_NOUNS,
)
from .measures import PEOPLE_MEASURES, compose
from .normalise import STOPWORDS, word_tokens
from .overlap import folded_concepts, names_match

_GENERIC_MEASURES = ("count", "fraction", "multiplier", "tally")
# A subject or object core worded differently is a paraphrase, not another subject, between claims
# this similar (embedding cosine): "the bids" / "the proposals", "a man" / "a person", "SARS" /
# "the disease". Rules alone on the train and dev splits: at 0.9 no pair of news, demo or desk
# changes, MRPC dev macro-F1 0.614 -> 0.623 and SICK dev 0.705 -> 0.722; at 0.85 a news dev pair
# of two subjects became a false duplicate. Duplicates only: a contradiction still needs them equal.
ROLE_PARAPHRASE_SIMILARITY = 0.9


def _disjoint(xs: frozenset[str], ys: frozenset[str]) -> bool:
    return bool(xs) and bool(ys) and not any(names_match(x, y) for x in xs for y in ys)


def _fmt(f: FrameFigure) -> str:
    inside = set(f.surface.lower().split())
    words = " ".join(w for w in f.phrase.split() if w.lower() not in inside)
    return f'"{f.surface}"' + (f" {words}" if words else "")


def scope_clash(a: ClaimFeatures, b: ClaimFeatures, *, roles: bool = True) -> str:
    fa, fb = a.frame, b.frame
    if _disjoint(fa.places, fb.places) or _apart(
        _unshared(fa.places, fb.places), _unshared(fb.places, fa.places)
    ):
        return f"different places: {_list(fa.places)} vs {_list(fb.places)}"
    if _disjoint(fa.bodies, fb.bodies):
        return f"different bodies: {_list(fa.bodies)} vs {_list(fb.bodies)}"
    if roles and fa.event and fa.event == fb.event:
        na, nb = folded_concepts(fa.nouns), folded_concepts(fb.nouns)
        for role, xs, ys in (("subject", fa.agent, fb.agent), ("object", fa.theme, fb.theme)):
            if (folded_concepts(xs) - nb) and (folded_concepts(ys) - na):
                return f'different {role}s of "{fa.event}": {_list(xs)} vs {_list(ys)}'
    return ""


def _unshared(xs: frozenset[str], ys: frozenset[str]) -> frozenset[str]:
    """The places of ``xs`` that name none of ``ys``: "Renwick" of {Renwick, the dam flood} against
    {Saltmere, the dam flood}, where the shared scope does not make the two towns one place."""
    return frozenset(x for x in xs if not any(names_match(x, y) for y in ys))


def _apart(xs: frozenset[str], ys: frozenset[str]) -> bool:
    """Places left on both sides that share no word: two towns ("ostby" / "lenning"), not one area
    named at two grains ("harrow storm" / "harrow valley")."""
    words_x = {w for x in xs for w in x.split()}
    return bool(xs) and bool(ys) and not any(w in words_x for y in ys for w in y.split())


def _narrower(xs: frozenset[str], ys: frozenset[str]) -> bool:
    """``xs`` names every place of ``ys`` and one more: "in Renwick in the dam flood" within "in the
    dam flood", a town within the area of the other claim."""
    return bool(ys) and bool(_unshared(xs, ys)) and not _unshared(ys, xs)


def _list(xs: frozenset[str]) -> str:
    return ", ".join(sorted(xs))


def part_of_whole(a: ClaimFeatures, b: ClaimFeatures) -> str:
    for x, y in ((a.frame, b.frame), (b.frame, a.frame)):
        extra_parts = x.parts - y.parts
        extra_places = bool(x.places) and not y.places and bool(y.nouns & WHOLE_NOUNS)
        # A town within the other claim's area is a part of it for a toll, which is counted place
        # by place and summed; a crowd or the arrests at one protest located more precisely
        # ("in Halvard Square, Velsund" / "in Velsund") are the same figure.
        narrower = _narrower(x.places, y.places)
        if not extra_parts and not extra_places and not narrower:
            continue
        for fx in x.figures:
            for fy in y.figures:
                rel = compose(fx.measure, fy.measure)
                if narrower and not (extra_parts or extra_places) and fx.measure not in TOLL_MEASURES:
                    continue
                if rel in ("same", "a_part_of_b") and fx.low <= fy.high:
                    scope = ", ".join(sorted(p.split(":", 1)[1] for p in extra_parts)) or _list(x.places)
                    return f"part and whole: {_fmt(fx)} ({scope}) within {_fmt(fy)}"
    return ""


def cumulative_change(a: ClaimFeatures, b: ClaimFeatures) -> tuple[str, str]:
    fa, fb = a.frame, b.frame
    if fa.as_of is None or fb.as_of is None or fa.as_of == fb.as_of or not (fa.cumulative or fb.cumulative):
        return "", ""
    if _window_start(fa) or _window_start(fb):
        # "53 deaths since 9 March" counts up to an unstated day after 9 March: it cannot be put
        # before or after "42 by 13 March", so neither an update nor a fall can be read.
        return "", ""
    if _PER_PERIOD.search(a.normalised) or _PER_PERIOD.search(b.normalised):
        # "six died in the week to 22 March" counts one week, not everything up to 22 March
        return "", ""
    early, late = (fa, fb) if fa.as_of < fb.as_of else (fb, fa)
    for fe in early.figures:
        for fl in late.figures:
            if compose(fe.measure, fl.measure) != "same" or fe.measure.startswith(_GENERIC_MEASURES[1:]):
                continue
            earlier = f'{_fmt(fe)} "{early.date_surface}"'
            later = f'{_fmt(fl)} "{late.date_surface}"'
            if fl.high < fe.low:
                return "down", f"Running total went down: {earlier} then {later}"
            return "update", f"Update of a running total: {earlier} then {later}"
    return "", ""


_PER_PERIOD = re.compile(
    r"\b(?:week|weeks|month|months|fortnight|year|quarter|days|hours)\s+(?:to|ending|ended|through)\s",
    re.IGNORECASE,
)


def _money_family(what: str) -> str:
    return MONEY_FAMILIES.get(what, "outlay")


def _window_start(f: ClaimFrame) -> bool:
    return f.date_surface.lower().startswith("since ")


def duplicate_block(a: ClaimFeatures, b: ClaimFeatures, similarity: float = -1.0) -> str:
    clash = scope_clash(a, b, roles=similarity < ROLE_PARAPHRASE_SIMILARITY)
    if clash:
        return clash
    motions = different_motions(a, b)
    if motions:
        return motions
    fa, fb = a.frame, b.frame
    pa = {x.measure for x in fa.figures if x.measure in PEOPLE_MEASURES}
    pb = {x.measure for x in fb.figures if x.measure in PEOPLE_MEASURES}
    if pa and pb and not any(compose(x, y) != "different" for x in pa for y in pb):
        return f"different measures: {_list(frozenset(pa))} vs {_list(frozenset(pb))}"
    # sums of money of two families ("a profit of 800 million" / "800 million in fines")
    ma = {x.measure.split(":", 1)[1] for x in fa.figures if x.measure.startswith("money:")}
    mb = {x.measure.split(":", 1)[1] for x in fb.figures if x.measure.startswith("money:")}
    if ma and mb and not ({_money_family(m) for m in ma} & {_money_family(m) for m in mb}):
        return f"different measures: {_list(frozenset(ma))} vs {_list(frozenset(mb))}"
    if (
        fa.event
        and fb.event
        and fa.event != fb.event
        and _counts(fa) != _counts(fb)
        and fa.event not in b.frame.theme | b.frame.agent
        and fb.event not in a.frame.theme | a.frame.agent
    ):
        return f'different events: "{fa.event}" vs "{fb.event}"'
    if fa.modality != fb.modality and "denied" in (fa.modality, fb.modality):
        # only a denial is never a duplicate of what it denies: "will", "could", "plans to" vary
        # between wordings of one statement (MRPC train: the wider rule blocked 70 paraphrases)
        return f"different modality: {fa.modality} vs {fb.modality}"
    dates = date_clash(a, b)
    if dates:
        return dates
    return ""


def different_motions(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """Two votes or approvals of different things: "voted 148 to 102 to extend the fuel subsidy" /
    "to raise the retirement age", "approved the northern bypass" / "approved a swimming pool": the
    two motions share no word, once folded to concepts (WordNet is not asked: over all senses it
    links too much, "fuel" to "raise"). A motion on one side only ("the extension
    cleared the house") or a long clause after the approval word (``_MOTION_MAX``) is none."""
    ma, mb = motion_words(a), motion_words(b)
    if not ma or not mb or len(ma) > _MOTION_MAX or len(mb) > _MOTION_MAX:
        return ""
    if not folded_concepts(frozenset(ma)) & folded_concepts(frozenset(mb)):
        return f'different motions: "{" ".join(ma)}" vs "{" ".join(mb)}"'
    return ""


# A longer stretch after an approval word is a clause, not the name of a motion.
_MOTION_MAX = 5


_TALLY = re.compile(r"^\s*(?:by\s+)?\d[\d,.]*\s*(?:votes?\s+)?(?:to|-|–)\s*\d[\d,.]*(?:\s+votes?)?")


def motion_words(f: ClaimFeatures) -> tuple[str, ...]:
    """The content words of what the claim's first vote or approval is about (``MOTION_*`` in the
    lexicon); () when it states none."""
    cue = next((c for c in f.polarity if c.concept == "approve"), None)
    if cue is None:
        return ()
    rest = f.normalised[cue.start :].lower()
    rest = re.sub(r"^\S+", "", rest)  # the outcome word itself
    for _ in range(2):  # "voted 148 to 102 to extend", "voted in favour of building"
        rest = _TALLY.sub("", rest)
        stripped = rest.lstrip()
        opener = next((o for o in MOTION_OPENERS if stripped.startswith(o + " ")), "")
        rest = stripped[len(opener) :] if opener else rest
    words: list[str] = []
    for w in word_tokens(re.split(r"[.,;:]", rest, maxsplit=1)[0]):
        if w in MOTION_ENDS or w in _CALENDAR_WORDS:
            break
        if w.isalpha() and w not in STOPWORDS and w not in MOTION_HEADS:
            words.append(w)
    return tuple(words)


_CALENDAR_WORDS = CALENDAR_WORDS | DAY_WORDS


def _unmatched(xs: frozenset[str], ys: frozenset[str]) -> frozenset[str]:
    return frozenset(x for x in xs if not any(names_match(x, y) for y in ys))


def _names_differ(a: ClaimFeatures, b: ClaimFeatures) -> bool:
    """Each claim names someone or somewhere the other does not ("Elsa Brandt" / "Jonas Brandt")."""
    return bool(_unmatched(a.entities, b.entities)) and bool(_unmatched(b.entities, a.entities))


_CALENDAR_KINDS = ("day", "month", "year", "quarter", "half")


def _calendar(f: ClaimFeatures) -> set[tuple[str, str]]:
    out = {(c.kind, c.label) for c in f.time_cues if c.kind in _CALENDAR_KINDS and c.label != "recent"}
    if f.frame.as_of is not None:
        out.add(("date", f"{f.frame.as_of[0]}-{f.frame.as_of[1]}"))
    return out


def date_clash(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """Both claims date what they say, to different days, months or years. Dates at two grains
    clash only where they say so: "on 1 January" is "in January", and "in 2025" may be "in March"."""
    ca, cb = _calendar(a), _calendar(b)
    if not ca or not cb or ca & cb:
        return ""
    if not any(_dates_exclude(x, y) for x in ca for y in cb):
        return ""
    return f"different dates: {_when(a)} vs {_when(b)}"


def _dates_exclude(x: tuple[str, str], y: tuple[str, str]) -> bool:
    if x[0] == y[0]:
        return x[1] != y[1]
    days = dict((x, y))
    if "date" in days and "month" in days and days["month"] in MONTHS:
        return days["date"].split("-", 1)[0] != str(MONTHS.index(days["month"]) + 1)
    return False


def _when(f: ClaimFeatures) -> str:
    if f.frame.date_surface:
        return f'"{f.frame.date_surface}"'
    cues = [c.surface for c in f.time_cues if c.kind in _CALENDAR_KINDS]
    return f'"{cues[0]}"' if cues else "undated"


def exclusive_dates(a: ClaimFeatures, b: ClaimFeatures) -> str:
    """One and the same event (same predicate, scope and modality) dated to two different days:
    both cannot hold ("opened on Monday 4 May" / "opened on Friday 8 May")."""
    fa, fb = a.frame, b.frame
    if not fa.event or fa.event != fb.event or fa.modality != fb.modality or fa.cumulative or fb.cumulative:
        return ""
    ca, cb = _calendar(a), _calendar(b)
    shared_kinds = {k for k, _ in ca} & {k for k, _ in cb}
    if not shared_kinds or ca & cb or scope_clash(a, b):
        return ""
    return f'Different dates for "{fa.event}": {_when(a)} vs {_when(b)}'


def _counts(f: ClaimFrame) -> bool:
    """The claim states a non-zero figure ("no deal" is an outcome, not a count)."""
    return any(x.high > 0 for x in f.figures)


def aligned_pieces(a: ClaimFeatures, b: ClaimFeatures) -> str:
    fa, fb = a.frame, b.frame
    pieces: list[str] = []
    if fa.event and fa.event == fb.event:
        pieces.append(f'event "{fa.event}"')
    shared_places = sorted(x for x in fa.places if any(names_match(x, y) for y in fb.places))
    if shared_places:
        pieces.append("place " + ", ".join(shared_places))
    if fa.bodies & fb.bodies:
        pieces.append("body " + _list(fa.bodies & fb.bodies))
    if fa.as_of is not None and fa.as_of == fb.as_of:
        pieces.append(f'date "{fa.date_surface}"')
    return ", ".join(pieces)
