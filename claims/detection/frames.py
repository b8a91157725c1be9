"""Claim frames: who did what, to what, where, when and according to whom, read once per claim.

Contract: ``build_frame(parse, facts, polarity, negations, entities)`` turns a claim's spaCy
``Parse`` (POS tags and lemmas) and the figures the readers found (``Fact``) into a frozen
``ClaimFrame``; the same inputs always give an equal frame. The fields:

- ``event``: lemma of the main predicate (the first verb that is not an auxiliary, a reporting
  verb or a modality verb: "denied that the school closed" -> ``close``); ``outcome``: the first
  outcome cue of the polarity reader as ``concept+`` / ``concept-`` ("" when none);
- ``polarity``: ``-1`` when an odd number of negators governs the claim, else ``1``;
- ``modality``: ``happened`` | ``planned`` ("plans to", "will", "proposed") | ``denied`` ("denied
  that", "dropped its plan") | ``reported`` ("allegedly", "reportedly") | ``possible`` ("may",
  "could");
- ``figures``: each figure as written with its measure and interval (``FrameFigure``);
- ``places``: names after a locative preposition ("in Renwick", "off Skarholm") or before a
  possessive ("Caldrith's"), folded like ``named_entities``; ``parts``: the group or part a figure
  is restricted to ("twelve of the dead", "in the eastern suburbs", "inside the town limits");
  ``bodies``: the acting bodies (chamber, senate, court, police, organisers...), not the speaker;
- ``agent`` / ``theme``: lemmas of the nouns before and after the main predicate (swapped for a
  passive: "homes were buried by the landslide"); ``nouns``: every noun lemma of the claim;
- ``as_of``: (month, day) of a stated date ("by 13 March", "on 4 May"), ``date_surface`` as
  written; ``cumulative``: a running total ("so far", "by 13 March", "since", "death toll",
  "has risen to");
- ``speaker``: who is quoted ("X said", "according to X"), lower-cased, "" when nobody. The
  clause that quotes them (``attribution_span``; ``attribution_chars`` as a text span) is left
  out of the event, the arguments, the places and the bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import BODIES, MEMBER_BODIES, MONTHS
from .measures import Fact
from .normalise import entity_key
from .parsing import Parse, ParsedToken
from .polarity import PolarityCue

MODALITIES = ("happened", "planned", "denied", "reported", "possible")

REPORTING_VERBS = frozenset(
    {"say", "tell", "report", "state", "add", "announce", "confirm", "claim", "estimate", "accord", "note"}
)
_PLAN_VERBS = frozenset(
    {"plan", "intend", "propose", "schedule", "aim", "expect", "vow", "pledge", "promise"}
)
_DENY_VERBS = frozenset({"deny", "refute"})
# Verbs that deny or cancel only with such an object: "dropped its plan", "rejected allegations".
_CANCEL_VERBS = frozenset({"drop", "scrap", "abandon", "shelve", "reject", "dismiss", "withdraw", "rule"})
_CANCEL_OBJECTS = frozenset(
    {
        "plan",
        "proposal",
        "idea",
        "bid",
        "allegation",
        "claim",
        "report",
        "accusation",
        "charge",
        "out",
        "suggestion",
    }
)
_MODAL_VERBS = (
    _PLAN_VERBS | _DENY_VERBS | frozenset({"seem", "appear", "try", "want", "begin", "start", "continue"})
)
_POSSIBLE = frozenset({"may", "might", "could", "possibly", "probably", "likely", "perhaps"})
_REPORTED = frozenset({"allegedly", "reportedly", "purportedly", "apparently", "supposedly"})
_FUTURE = frozenset({"will", "shall", "'ll"})
_LIGHT_VERBS = frozenset({"be", "have", "do", "make", "get", "take", "put", "give", "go", "come"})

_LOCATIVE = frozenset(
    {
        "in",
        "near",
        "at",
        "off",
        "across",
        "outside",
        "inside",
        "around",
        "throughout",
        "within",
        "from",
        "into",
    }
)
_PART_PREPS = frozenset({"in", "inside", "within", "among", "across"})
_TIME_NOUNS = frozenset(
    {
        "day",
        "week",
        "month",
        "year",
        "quarter",
        "half",
        "morning",
        "evening",
        "night",
        "afternoon",
        "weekend",
        "hour",
        "minute",
        "term",
        "season",
        "decade",
        "time",
        "date",
        "end",
        "start",
        "period",
    }
)
# Tagged as nouns, but they stand for the figure or the people counted, not for a subject.
_PRONOUN_NOUNS = frozenset(
    {"nobody", "none", "everyone", "everybody", "anyone", "anybody", "someone", "somebody", "nothing",
     "everything", "something", "anything", "one", "all"}
)  # fmt: skip
_MONTHS = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_RE = "|".join(_MONTHS)
_DATE_RE = re.compile(
    rf"\b(?:(?P<prep>by|on|as of|until|through|since|to)\s+)?(?:\w+day,?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH_RE})|(?P<m2>{_MONTH_RE})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)",
    re.IGNORECASE,
)
_CUMULATIVE_RE = re.compile(
    r"\b(?:so far|to date|in total|overall|altogether|cumulative|all told|in all|since|death toll|toll"
    r"|(?:has|have|had) (?:risen|climbed|reached|grown|increased)|rose to|climbed to|risen to)\b",
    re.IGNORECASE,
)
_SAY_LEMMAS = frozenset({"say", "tell", "report", "state", "estimate", "announce", "confirm", "add", "claim"})


@dataclass(frozen=True, slots=True)
class FrameFigure:
    """A figure of the frame: as written, what it counts, its interval and its measure words."""

    surface: str
    measure: str
    phrase: str
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class ClaimFrame:
    """See module docstring."""

    event: str
    outcome: str
    polarity: int
    modality: str
    figures: tuple[FrameFigure, ...]
    places: frozenset[str]
    parts: frozenset[str]
    bodies: frozenset[str]
    agent: frozenset[str]
    theme: frozenset[str]
    nouns: frozenset[str]
    as_of: tuple[int, int] | None
    date_surface: str
    cumulative: bool
    speaker: str

    @property
    def measures(self) -> frozenset[str]:
        return frozenset(f.measure for f in self.figures)


EMPTY_FRAME = ClaimFrame(
    "",
    "",
    1,
    "happened",
    (),
    frozenset(),
    frozenset(),
    frozenset(),
    frozenset(),
    frozenset(),
    frozenset(),
    None,
    "",
    False,
    "",
)


def attribution_span(toks: tuple[ParsedToken, ...]) -> tuple[int, int, str]:
    """The attribution clause: (start, end) token span and the speaker's words; (0, 0, "") if none.

    The clause is "according to X", "X said" or "said X" with what belongs to the telling after
    the verb when it runs to the next punctuation mark or the end ("told reporters", "said again
    on Tuesday", "said in a statement"); a figure, a verb or a pronoun there is the claim's own
    ("officials said 35 people died"), so the clause then ends at the verb."""
    n = len(toks)
    for i, t in enumerate(toks):
        if t.lemma == "accord" and i + 1 < n and toks[i + 1].lemma == "to":
            j = i + 2
            words: list[str] = []
            while j < n and toks[j].pos not in ("PUNCT", "VERB", "AUX", "SCONJ"):
                if toks[j].pos in ("NOUN", "PROPN", "ADJ"):
                    words.append(toks[j].lemma)
                j += 1
            return i, j, " ".join(words)
    # "..., X said." / "..., said X." at the end, or "X said (that) ..." at the start
    for i, t in enumerate(toks):
        if t.pos != "VERB" or t.lemma not in _SAY_LEMMAS:
            continue
        back = i - 1
        while back >= 0 and toks[back].pos in ("AUX", "ADV"):  # "has confirmed", "also said"
            back -= 1
        words = []
        while back >= 0 and (toks[back].pos in _SPEAKER_POS or _modifier_participle(toks, back)):
            if toks[back].pos in ("NOUN", "PROPN"):
                words.insert(0, toks[back].lemma)
            back -= 1
        if words and (back < 0 or toks[back].pos == "PUNCT"):
            return back + 1, _clause_tail(toks, i + 1), " ".join(words)
        fwd = i + 1
        words = []
        while fwd < len(toks) and toks[fwd].pos in ("NOUN", "PROPN", "DET", "ADJ"):
            if toks[fwd].pos in ("NOUN", "PROPN"):
                words.append(toks[fwd].lemma)
            fwd += 1
        if words and i > 0 and toks[i - 1].pos == "PUNCT":
            return i, _clause_tail(toks, fwd), " ".join(words)
    return 0, 0, ""


_SPEAKER_POS = frozenset({"NOUN", "PROPN", "DET", "ADJ", "PART", "PRON"})
# What may follow the reporting verb inside the clause: its object and where or when it was said.
_TAIL_POS = frozenset({"NOUN", "PROPN", "DET", "ADJ", "ADV", "ADP", "PART"})


def _modifier_participle(toks: tuple[ParsedToken, ...], k: int) -> bool:
    """A participle naming the speaker's kind before a noun: "the organising unions"."""
    return toks[k].tag in ("VBG", "VBN") and k + 1 < len(toks) and toks[k + 1].pos == "NOUN"


def _clause_tail(toks: tuple[ParsedToken, ...], j: int) -> int:
    """End of the attribution clause whose verb ends before ``j`` (see ``attribution_span``); an
    apposition that ends the sentence belongs to it ("said Elin Dahl, the operator's director.")."""
    end = _tail_run(toks, j)
    if end is None:
        return j
    if end < len(toks) and toks[end].text == ",":
        last = _tail_run(toks, end + 1)
        if last is not None and last >= len(toks) - 1:
            return last
    return end


def _tail_run(toks: tuple[ParsedToken, ...], j: int) -> int | None:
    """Where a run of ``_TAIL_POS`` words from ``j`` stops at punctuation or the end; None when a
    word of another kind stops it."""
    end = j
    while end < len(toks) and toks[end].pos in _TAIL_POS:
        end += 1
    return end if end == len(toks) or toks[end].pos == "PUNCT" else None


def attribution_chars(parse: Parse) -> tuple[int, int]:
    """The attribution clause of ``attribution_span`` as a code-point span of ``parse.text``;
    (0, 0) when the claim names no speaker."""
    toks = parse.tokens
    s0, s1, _ = attribution_span(toks)
    if s1 <= s0:
        return 0, 0
    return toks[s0].start, toks[s1 - 1].start + len(toks[s1 - 1].text)


def _is_name(t: ParsedToken, i: int) -> bool:
    return t.pos == "PROPN" or (i > 0 and t.text[:1].isupper() and t.pos in ("ADJ", "NOUN", "PROPN"))


def _places(toks: tuple[ParsedToken, ...], skip: range) -> frozenset[str]:
    out: set[str] = set()
    n = len(toks)
    for i, t in enumerate(toks):
        if i in skip:
            continue
        if t.lemma in _LOCATIVE and t.pos in ("ADP", "SCONJ", "ADV"):
            j = i + 1
            while j < n and toks[j].pos == "DET":
                j += 1
            run: list[str] = []
            while j < n and _is_name(toks[j], j) and toks[j].lemma not in _MONTHS:
                run.append(toks[j].text)
                j += 1
            # "the Birch Lane warehouse" / "the Birch Lane primary school": the named place's noun
            while run and j < n and toks[j].text.islower() and _place_noun(toks, j):
                run.append(toks[j].lemma)
                j += 1
            if run and run[-1] in ("area", "region", "province"):
                run.pop()
            if run and not _is_weekday(run[0]):
                out.add(entity_key(" ".join(run).lower()))
            # "in Halvard Square, Velsund": the town after the comma is a place too
            if run and j + 1 < n and toks[j].text == "," and toks[j + 1].pos == "PROPN":
                k = j + 1
                town: list[str] = []
                while k < n and toks[k].pos == "PROPN" and toks[k].lemma not in _MONTHS:
                    town.append(toks[k].text)
                    k += 1
                if town and not _is_weekday(town[0]):
                    out.add(entity_key(" ".join(town).lower()))
        elif t.tag == "POS" and i > 0 and _is_name(toks[i - 1], i - 1) and not _is_weekday(toks[i - 1].text):
            k = i - 1
            run = []
            while k >= 0 and _is_name(toks[k], k):
                run.insert(0, toks[k].text)
                k -= 1
            if run and (k < 0 or toks[k].lemma in _LOCATIVE or toks[k].pos in ("DET", "PUNCT", "ADP")):
                out.add(entity_key(" ".join(run).lower()))
    return frozenset(p for p in out if p)


def _place_noun(toks: tuple[ParsedToken, ...], j: int) -> bool:
    """A common noun (or an adjective before one) continuing a place name, not a time word."""
    t = toks[j]
    if t.pos == "ADJ":
        return j + 1 < len(toks) and toks[j + 1].pos == "NOUN" and toks[j + 1].lemma not in _TIME_NOUNS
    return t.pos == "NOUN" and t.lemma not in _TIME_NOUNS


def _is_body(toks: tuple[ParsedToken, ...], k: int) -> bool:
    """A body noun in use as one: "House" (not "14 houses"), "board" (not "on board")."""
    t = toks[k]
    if t.lemma in MEMBER_BODIES and t.pos in ("NOUN", "PROPN"):
        # a title ("deputy mayor", "senator Ross") is not the body acting
        after = toks[k + 1] if k + 1 < len(toks) else None
        return after is None or after.pos not in ("NOUN", "PROPN")
    if t.lemma not in BODIES or t.pos not in ("NOUN", "PROPN"):
        return False
    prev = toks[k - 1].lemma if k > 0 else ""
    if t.lemma == "house":
        return t.text[0].isupper() or prev in ("lower", "upper")
    return not (t.lemma == "board" and prev == "on")


def _is_weekday(word: str) -> bool:
    return word.lower().endswith("day") and word.lower()[:3] in (
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    )


def _parts(toks: tuple[ParsedToken, ...]) -> frozenset[str]:
    """Restrictions of a figure to a part of a group: "N of the X", "in the eastern suburbs"."""
    out: set[str] = set()
    n = len(toks)
    for i, t in enumerate(toks):
        if t.lemma == "of" and i > 0 and toks[i - 1].pos == "NUM" and i + 1 < n and toks[i + 1].pos == "DET":
            j = i + 2
            # "of the dead", "of the injured" (tagged as a past participle), "of the 40 miners"
            while j < n and (toks[j].pos in ("ADJ", "NOUN", "NUM") or toks[j].tag == "VBN"):
                if toks[j].pos != "NUM":
                    out.add("of:" + toks[j].text.lower())
                j += 1
        elif t.lemma in _PART_PREPS and t.pos == "ADP" and i + 1 < n and toks[i + 1].pos == "DET":
            j = i + 2
            words: list[str] = []
            while j < n and toks[j].pos in ("ADJ", "NOUN", "PROPN"):
                words.append(toks[j].lemma)
                j += 1
            # only noun phrases with a restricting adjective or a part noun: "the eastern suburbs",
            # "the town limits" (a bare "in the province" names the whole, not a part)
            if words and words[-1] not in _TIME_NOUNS and (len(words) > 1 or words[-1] in _PART_NOUNS):
                out.add("in:" + " ".join(words))
    return frozenset(out)


_PART_NOUNS = frozenset(
    {"suburb", "district", "ward", "limit", "centre", "center", "outskirt", "north", "south"}
)


def _main_predicate(toks: tuple[ParsedToken, ...], skip: range) -> tuple[int, str]:
    """Index of the main predicate and the modality its neighbours give it."""
    modality = "happened"
    for t in toks:
        if t.lemma in _REPORTED:
            modality = "reported"
        elif t.lemma in _POSSIBLE and modality == "happened" and (t.tag == "MD" or t.pos == "ADV"):
            modality = "possible"
        elif t.lemma in _FUTURE and modality == "happened":
            modality = "planned"
    first = -1
    for i, t in enumerate(toks):
        if i in skip or t.pos != "VERB":
            continue
        if t.lemma in _DENY_VERBS or (t.lemma in _CANCEL_VERBS and _object_in(toks, i, _CANCEL_OBJECTS)):
            modality = "denied"
            continue
        if t.lemma in _PLAN_VERBS:
            modality = "planned"
            continue
        if t.lemma in _MODAL_VERBS or t.lemma in REPORTING_VERBS:
            continue
        if first < 0:
            first = i
        if t.lemma not in _LIGHT_VERBS:
            return i, modality
    if first >= 0:
        return first, modality
    for i, t in enumerate(toks):
        if i not in skip and t.lemma in _PLAN_VERBS:  # "plans to close" tagged as a noun
            modality = "planned"
    return -1, modality


def _object_in(toks: tuple[ParsedToken, ...], i: int, words: frozenset[str]) -> bool:
    """One of ``words`` within the three tokens after ``i`` ("dropped its plan")."""
    return any(t.lemma in words for t in toks[i + 1 : i + 4])


def _nouns(toks: tuple[ParsedToken, ...], lo: int, hi: int, skip: range) -> frozenset[str]:
    return frozenset(
        t.lemma
        for k, t in enumerate(toks[lo:hi], start=lo)
        if k not in skip
        and t.pos in ("NOUN", "PROPN")
        and t.lemma not in _TIME_NOUNS
        and t.lemma not in BODIES
        and t.lemma not in _MONTHS
        and t.lemma not in _PRONOUN_NOUNS
        and not _is_weekday(t.text)
    )


def _arguments(toks: tuple[ParsedToken, ...], v: int, skip: range) -> tuple[frozenset[str], frozenset[str]]:
    """Nouns of the phrase before the predicate and of the phrase right after it."""
    if v < 0:
        return frozenset(), frozenset()
    if toks[v].tag == "VBN" and v > 0 and any(t.lemma == "be" for t in toks[max(0, v - 3) : v]):
        # passive: "homes were buried by the landslide" -> agent landslide, theme home
        by = next((k for k in range(v + 1, min(len(toks), v + 4)) if toks[k].lemma == "by"), -1)
        before = _arguments_active(toks, v, skip)[0]
        after = _nouns(toks, by + 1, _phrase_end(toks, by + 1), skip) if by >= 0 else frozenset()
        return after, before
    return _arguments_active(toks, v, skip)


def _phrase_end(toks: tuple[ParsedToken, ...], start: int) -> int:
    hi = start
    while hi < len(toks) and toks[hi].pos in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON", "PART", "ADV"):
        hi += 1
    return hi


def _apposition_start(toks: tuple[ParsedToken, ...], v: int, skip: range) -> int:
    """Where the subject phrase ends its search backwards: the predicate itself, or, when a name in
    commas stands right before it ("Brenlow's mayor, Tomas Reid, refused"), the comma that opens
    it, so the subject is the title and the name together."""
    if v < 2 or toks[v - 1].text != "," or (v - 1) in skip:
        return v
    k = v - 2
    while k > 0 and toks[k].pos in ("PROPN", "NOUN", "DET", "ADJ", "PART") and k not in skip:
        k -= 1
    return k if k > 0 and k < v - 2 and toks[k].text == "," and k not in skip else v


def _arguments_active(
    toks: tuple[ParsedToken, ...], v: int, skip: range
) -> tuple[frozenset[str], frozenset[str]]:
    lo = _apposition_start(toks, v, skip)
    while lo > 0 and toks[lo - 1].pos not in ("PUNCT", "VERB", "SCONJ") and (lo - 1) not in skip:
        lo -= 1
    obj = v + 1
    # "voted to extend the subsidy", "voted against extending the subsidy": the object is the
    # second verb's
    if obj + 1 < len(toks) and toks[obj].lemma in ("to", "against", "for") and toks[obj + 1].pos == "VERB":
        obj += 2
    # the subject's core: "House prices [in Greyfield]", "Nurses [at Irlo General]"
    while lo < v and toks[lo].pos == "ADP":
        lo = next((k for k in range(lo + 1, v) if toks[k].pos == "PUNCT"), lo) + 1
    core = next((k for k in range(lo, v) if toks[k].pos == "ADP"), v)
    return _nouns(toks, lo, core, skip), _nouns(toks, obj, _phrase_end(toks, obj), skip)


def _as_of(text: str) -> tuple[tuple[int, int] | None, str, bool]:
    m = _DATE_RE.search(text)
    if m is None:
        return None, "", False
    month = (m.group("m1") or m.group("m2")).lower()
    day = int(m.group("d1") or m.group("d2"))
    prep = (m.group("prep") or "").lower()
    return (_MONTHS[month], day), m.group(0).strip(), prep in ("by", "as of", "since", "to")


def build_frame(
    parse: Parse,
    facts: tuple[Fact, ...],
    polarity: tuple[PolarityCue, ...],
    negations: int,
) -> ClaimFrame:
    """The frame of one claim (see module docstring)."""
    toks = parse.tokens
    s0, s1, speaker = attribution_span(toks)
    skip = range(s0, s1)
    v, modality = _main_predicate(toks, skip)
    agent, theme = _arguments(toks, v, skip)
    bodies = frozenset(
        MEMBER_BODIES.get(t.lemma, t.lemma) for k, t in enumerate(toks) if k not in skip and _is_body(toks, k)
    )
    as_of, date_surface, by_date = _as_of(parse.text)
    outcome = f"{polarity[0].concept}{'+' if polarity[0].sign > 0 else '-'}" if polarity else ""
    figures = tuple(
        FrameFigure(f.quantity.surface, f.measure, f.phrase, f.quantity.low, f.quantity.high) for f in facts
    )
    return ClaimFrame(
        event=toks[v].lemma if v >= 0 else "",
        outcome=outcome,
        polarity=-1 if negations % 2 else 1,
        modality=modality,
        figures=figures,
        places=_places(toks, skip),
        parts=_parts(toks),
        bodies=bodies,
        agent=agent,
        theme=theme,
        nouns=frozenset(t.lemma for t in toks if t.pos in ("NOUN", "PROPN")),
        as_of=as_of,
        date_surface=date_surface,
        cumulative=by_date or bool(_CUMULATIVE_RE.search(parse.text)),
        speaker=speaker,
    )
