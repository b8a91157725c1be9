"""Measure classes: what a figure counts, so that only like is compared with like.

Contract: ``extract_facts(text, quantities, cues)`` turns each quantity of normalised ``text``
into a ``Fact`` that names its measure class:

- people: ``killed`` (killed, dead, died, deaths, death toll), ``injured`` (injured, wounded,
  hurt), ``casualties`` (casualties, losses, "killed or wounded" — casualties = killed + injured),
  ``arrests``, ``displaced`` (evacuated, fled), ``captured``;
- ``troops`` (troops/soldiers/forces sent, deployed, engaged, stationed);
- ``money:<what>`` (``money:damage``, ``money:profit``, plain ``money``), ``percent``, ``votes``,
  ``tally`` ("61-39"), ``measure:<unit>`` (hectares, magnitude, degrees), ``duration:<unit>``,
  ``fraction``, ``multiplier``;
- otherwise ``count:<noun>`` for the counted noun ("40 homes" -> ``count:home``).

Each Fact also says whether its figure is a part of a group named after it (``partitive``:
"Five of the people killed"), its ``role`` ("change" for a difference such as "up 12 %" or
"fell by a fifth", "whole" for the group of a partitive, "" for a level) and, for counts of
people, the ``group`` counted ("polic" for "14 police officers", "" for "35 people"). A figure
whose noun is elided ("and 8 in the south") takes the previous figure's measure. The words these
rules look for are in ``lexicon``.

``compose(measure_a, measure_b)`` states the composition rules the judge applies:
killed and injured are parts of casualties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    ARREST_STEMS,
    CALENDAR_WORDS,
    CAPTURED_STEMS,
    CASUALTY_STEMS,
    CHANGE_STEMS,
    COMPARATIVES,
    COUNT_MODIFIERS,
    DAMAGE_DEGREES,
    DISPLACED_STEMS,
    ELLIPSIS_FOLLOWERS,
    GENERIC_PERSON_STEMS,
    INJURED_STEMS,
    KILLED_STEMS,
    LIFE_WORDS,
    MONEY_HEADS,
    PARTITIVE_DETERMINERS,
    PERCENT_SKIP,
    PERCENT_WORDS_SKIP,
    PERSON_STEMS,
    SAY_WORDS,
    SUFFER_STEMS,
    TROOP_STEMS,
    VOTE_STEMS,
)
from .normalise import STOPWORDS, concept, entity_key, stem
from .quantities import Quantity, Token, scan
from .timecues import TimeCue, is_update, window_for

_CLAUSE_BREAK = re.compile(r"[.;!?](?=\s|$)|\b(?:while|whereas|although|but)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fact:
    """A quantity with what it measures and when.

    ``measure`` is the class (see module docstring); ``head`` the counted noun's concept;
    ``phrase`` the measure words as written next to the figure (used in explanations);
    ``window`` the governing time cue or None; ``update`` True for a running total reported as
    risen/climbed to; ``context`` the concepts of the figure's clause (subject matching);
    ``entities`` the named places/organisations/people of the clause.
    """

    quantity: Quantity
    measure: str
    head: str
    phrase: str
    window: TimeCue | None
    update: bool
    context: frozenset[str]
    entities: frozenset[str]
    # "Five of the people killed", "900 of its 3,600 jobs": a part of a group named after it.
    partitive: bool = False
    # "change" for a difference ("fell by a fifth", "up 12 %", "20 percent lower"), "whole" for
    # the group a partitive is taken from ("of the 23 miners"), "" for a level.
    role: str = ""
    # The group of people counted ("protest" for "nine protesters"), "" when generic ("people").
    group: str = ""


def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """Clause spans (start, end) of normalised text: sentences split also at while/but/although."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        # a full stop inside a figure ("5.2") is not followed by whitespace, so it never matches
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return tuple(spans) or ((0, len(text)),)


def _clause_of(pos: int, spans: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return spans[-1]


def named_entities(text: str, span: tuple[int, int] | None = None) -> frozenset[str]:
    """Capitalised names in ``text`` (optionally only within ``span``), demonyms folded.

    A sentence-initial capitalised word counts only when it continues into another capitalised
    word ("North Korean") or is a known demonym/place, because "Police" or "Seven" open
    sentences too.
    """
    toks = [t for t in scan(text) if span is None or span[0] <= t.start < span[1]]
    out: set[str] = set()
    run: list[str] = []
    run_initial = False
    prev_end_punct = True

    def flush() -> None:
        if run:
            words = [entity_key(_fold_possessive(w)) for w in run]
            if not (run_initial and len(run) == 1 and words[0] == run[0].lower()):
                out.add(" ".join(words))
                for w in words:
                    if " " in w:
                        out.add(w)

    for t in toks:
        if (
            t.kind == "word"
            and t.text[0].isupper()
            and len(t.text) > 1
            and t.low not in STOPWORDS
            and _fold_possessive(t.low) not in CALENDAR_WORDS
        ):
            if not run:
                run_initial = prev_end_punct
            run.append(t.text)
        else:
            flush()
            run = []
        prev_end_punct = t.kind == "punct" and t.text in '.!?:"'
    flush()
    # Multi-word names also count by their last word ("North Korea" ~ "Korea" is too loose, so
    # only the full name is kept); demonym folding makes "North Korean" == "North Korea".
    return frozenset(out)


def _fold_possessive(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word


def _content_concepts(toks: list[Token]) -> frozenset[str]:
    out: set[str] = set()
    for t in toks:
        if t.kind != "word":
            continue
        low = t.low
        if low in STOPWORDS or len(low) < 2:
            continue
        out.add(concept(stem(low)))
    return frozenset(out)


def _percent_subject(before: list[Token], after: list[Token]) -> str:
    """What a percentage is of: the clause's first content word ("Unemployment fell to 5%"),
    or, when the figure opens the clause, the first content word after it ("41% of voters
    turned out" -> turnout)."""
    words = [t for t in before if t.kind == "word"]
    for seq in (words, [t for t in after if t.kind == "word"]):
        for t in seq:
            if t.low in STOPWORDS or (t.text[0].isupper() and t is not seq[0]):
                continue
            c = concept(stem(t.low))
            if c in PERCENT_SKIP or stem(t.low) in PERCENT_SKIP or t.low in PERCENT_WORDS_SKIP:
                continue
            if (
                t.text[0].isupper()
                and t.low not in STOPWORDS
                and t is seq[0]
                and len(seq) > 1
                and seq[1].text[0].isupper()
            ):
                continue
            return c
    return ""


def _classify(before: list[Token], after: list[Token], q: Quantity) -> tuple[str, str, list[Token]]:
    """Measure class, head concept and the tokens naming the measure."""
    if q.kind == "percent":
        head = _percent_subject(before, after)
        return ("percent:" + head if head else "percent"), head, []
    if q.kind == "tally":
        return "tally", "", []
    if q.kind == "fraction":
        return "fraction", "", []
    if q.kind == "multiplier":
        return "multiplier", "", []
    if q.kind == "measure":
        if q.unit in ("day", "week", "month", "year", "hour", "minute", "age"):
            return "duration:" + q.unit, q.unit, []
        return "measure:" + q.unit, q.unit, []

    after_words = [t for t in after if t.kind == "word"][:8]
    before_words = [t for t in before if t.kind == "word"][-9:]
    a_stems = [stem(t.low) for t in after_words]
    b_stems = [stem(t.low) for t in before_words]

    if q.kind == "money":
        for stems_, toks_ in (
            (a_stems[:5], after_words[:5]),
            (list(reversed(b_stems)), list(reversed(before_words))),
        ):
            for s, t in zip(stems_, toks_, strict=False):
                if s in MONEY_HEADS:
                    return "money:" + MONEY_HEADS[s], MONEY_HEADS[s], [t]
        return "money", "", []

    # magnitude written before the figure: "a magnitude of 5.8", "magnitude 6.1"
    if any(s == "magnitud" for s in a_stems[:3] + b_stems[-3:]):
        return "measure:magnitude", "magnitude", []

    # "killed or wounded", "dead and injured" -> casualties
    for k in range(len(a_stems) - 2):
        if (
            a_stems[k] in KILLED_STEMS
            and after_words[k + 1].low in ("or", "and")
            and a_stems[k + 2] in INJURED_STEMS
        ):
            return "casualties", "person", after_words[k : k + 3]

    head = ""
    head_tok: Token | None = None
    for t, s in zip(after_words[:4], a_stems[:4], strict=False):
        if t.text[0].isupper() or s in STOPWORDS or s in COUNT_MODIFIERS or t.low in STOPWORDS:
            continue
        head, head_tok = s, t
        break

    def scan_class(stems_: list[str], toks_: list[Token]) -> tuple[str, list[Token]] | None:
        for k, (s, t) in enumerate(zip(stems_, toks_, strict=False)):
            if t.low in LIFE_WORDS or (
                s in ("lost", "loss") and any(x.low in LIFE_WORDS for x in toks_[k + 1 : k + 3])
            ):
                return "killed", [t]  # "lost their lives", "claimed 53 lives"
            if s in CASUALTY_STEMS and not (s in ("loss", "lost") and head not in TROOP_STEMS | PERSON_STEMS):
                return "casualties", [t]
            if s in KILLED_STEMS:
                return "killed", [t]
            if s in INJURED_STEMS:
                return "injured", [t]
            if s in ARREST_STEMS:
                return "arrests", [t]
            if s in DISPLACED_STEMS:
                return "displaced", [t]
            if s in CAPTURED_STEMS:
                return "captured", [t]
        return None

    # The counted noun's own verb follows it ("35 people were arrested"); a verb before the
    # figure governs it too ("police arrested 35", "the toll stands at 9").
    found = scan_class(a_stems[:6], after_words[:6])
    if found is None:
        found = scan_class(list(reversed(b_stems)), list(reversed(before_words)))
    if found is None and head in KILLED_STEMS | INJURED_STEMS | ARREST_STEMS | CASUALTY_STEMS:
        found = scan_class([head], [head_tok] if head_tok else [])
    phrase_toks: list[Token] = [head_tok] if head_tok else []
    if found is not None:
        cls, toks_ = found
        if (
            head
            and head not in TROOP_STEMS | PERSON_STEMS
            and cls not in ("casualties", "killed", "injured", "arrests")
            and head not in (KILLED_STEMS | INJURED_STEMS | ARREST_STEMS | CASUALTY_STEMS)
            and not (head_tok is not None and head_tok.low in LIFE_WORDS)
        ):
            # "40 homes evacuated" style: the verb is not about people; stay with the noun (only
            # the living are killed, injured or arrested, so "12 marchers injured" is injured)
            return "count:" + concept(head), concept(head), phrase_toks
        return cls, "person", sorted(set(phrase_toks + toks_), key=lambda t: t.start)
    if head in TROOP_STEMS:
        pairs = zip(after_words + before_words, a_stems + b_stems, strict=True)
        verbs = [t for t, s in pairs if concept(s) == "send"]
        return "troops", "troop", sorted(set(phrase_toks + verbs[:1]), key=lambda t: t.start)
    if head in VOTE_STEMS:
        return "votes", "vote", phrase_toks
    if not head:
        return "count", "", []
    if before_words and before_words[-1].low in ("another", "additional", "further", "extra"):
        # "another 60 homes" adds to an earlier figure; it is not a rival count
        return "count:" + concept(head) + "+more", concept(head), [before_words[-1], *phrase_toks]
    degree = next((DAMAGE_DEGREES[x] for x in a_stems[:6] + b_stems[::-1] if x in DAMAGE_DEGREES), "")
    if degree:
        # "400 homes destroyed" and "2,300 homes damaged" are two tallies of one disaster
        return "count:" + concept(head) + ":" + degree, concept(head), phrase_toks
    return "count:" + concept(head), concept(head), phrase_toks


def extract_facts(text: str, quantities: tuple[Quantity, ...], cues: tuple[TimeCue, ...]) -> tuple[Fact, ...]:
    """One Fact per quantity of normalised ``text`` (same order)."""
    toks = scan(text)
    spans = clauses(text)
    facts: list[Fact] = []
    for idx, q in enumerate(quantities):
        clause = _clause_of(q.start, spans)
        prev_end = quantities[idx - 1].end if idx > 0 else 0
        next_start = quantities[idx + 1].start if idx + 1 < len(quantities) else len(text)
        before = [t for t in toks if max(clause[0], prev_end) <= t.start and t.end <= q.start]
        after_from = q.end
        if q.hedge == "zero":
            inner = [t for t in toks if q.start <= t.start and t.end <= q.end and t.kind == "word"]
            if inner and inner[0].low in ("not", "without"):
                # "not captured any soldiers": the verb is inside the figure, the noun after it
                before = before + inner[1:-1]
            elif len(inner) > 1 and inner[0].low == "no" and inner[1].low != "one":
                # "no arrests": the counted noun is inside the figure's own surface
                after_from = inner[1].start
        after = [t for t in toks if after_from <= t.start and t.end <= min(clause[1], next_start)]
        measure, head, phrase_toks = _classify(before, after, q)
        elided = bool(facts) and _elided(before, after, facts[-1], clause)
        if elided:
            # "killed 6 people in the north and 8 in the south": the second figure counts the same
            measure, head, phrase_toks = facts[-1].measure, facts[-1].head, []
        q, measure, phrase_toks = _all_survived(q, measure, head, before, after, phrase_toks)
        phrase = " ".join(t.text for t in phrase_toks)
        clause_toks = _strip_attribution(
            [
                t
                for t in toks
                if clause[0] <= t.start < clause[1]
                and not any(o.start <= t.start < o.end for o in quantities)
            ],
            q.start,
        )
        context = _content_concepts(clause_toks)
        facts.append(
            Fact(
                quantity=q,
                measure=measure,
                head=head,
                phrase=phrase,
                window=window_for(q.start, cues, clause),
                update=is_update(q.start, cues) or _toll_before(before),
                context=context,
                entities=named_entities(text, clause),
                partitive=_partitive(after, figure_next=idx + 1 < len(quantities) and next_start < clause[1]),
                role="whole"
                if facts and facts[-1].partitive and _after_of(before)
                else _role(before, after, q),
                group=facts[-1].group
                if elided
                else _group(before, after)
                if measure in PEOPLE_MEASURES
                else "",
            )
        )
    return tuple(facts)


def _elided(before: list[Token], after: list[Token], previous: Fact, clause: tuple[int, int]) -> bool:
    """A figure whose noun is left out because the previous figure of its clause names it."""
    if (
        previous.quantity.start < clause[0]
        or previous.measure in ("count", "tally")
        or previous.quantity.kind == "tally"
    ):
        return False
    words_before = [t.low for t in before if t.kind == "word"]
    first_after = next((t.low for t in after), "")
    return words_before[-1:] in (["and"], ["while"], ["with"], []) and first_after in ELLIPSIS_FOLLOWERS


PEOPLE_MEASURE_STEMS = KILLED_STEMS | INJURED_STEMS | ARREST_STEMS | CASUALTY_STEMS | DISPLACED_STEMS


def _group(before: list[Token], after: list[Token]) -> str:
    """Who a count of people counts: the noun right after the figure ("14 police officers"), or
    the subject of a verb of suffering before it ("troops have suffered 3,000 casualties");
    "" when generic ("35 people")."""
    words = [t for t in before if t.kind == "word"]
    for k in range(len(words) - 1, 0, -1):
        if stem(words[k].low) in SUFFER_STEMS:
            for t in reversed(words[:k]):
                s = stem(t.low)
                if s in PERSON_STEMS or s in TROOP_STEMS:
                    return "" if s in GENERIC_PERSON_STEMS else concept(s)
            break
    for t in after[:4]:
        if t.kind != "word" or t.low in STOPWORDS:
            return ""  # "7 in the south": no noun of its own
        if t.text[0].isupper():
            continue  # "North Korean soldiers": a name qualifies the group
        s = stem(t.low)
        if s in GENERIC_PERSON_STEMS or s in PEOPLE_MEASURE_STEMS:
            return ""
        if s not in COUNT_MODIFIERS:
            return concept(s)
    return ""


def _after_of(before: list[Token]) -> bool:
    """The figure is the whole of the previous partitive figure ("Nine of the 23 miners", "120
    of 2,000 workers", "one out of 20")."""
    lows = [t.low for t in before if t.kind == "word"]
    if lows in (["of"], ["out", "of"]):
        return True
    return len(lows) >= 2 and lows[-2] == "of" and lows[-1] in PARTITIVE_DETERMINERS


def _partitive(after: list[Token], *, figure_next: bool = False) -> bool:
    """A part of a group named after it: "of the people killed", or "of" right before the next
    figure of the clause ("120 of 2,000 workers", "one out of 20 homes")."""
    lows = [t.low for t in after[:2]]
    if figure_next and lows in (["of"], ["out", "of"]) and len(after) == len(lows):
        return True
    return len(lows) == 2 and lows[0] == "of" and lows[1] in PARTITIVE_DETERMINERS


def _role(before: list[Token], after: list[Token], q: Quantity) -> str:
    """ "change" when the figure is a difference: "by" or a change verb right before it ("rose
    12 %", "up 3", "cut by a third") or a comparative right after ("20 percent lower")."""
    words_before = [t.low for t in before if t.kind == "word"]
    prev = words_before[-1] if words_before else ""
    nxt = next((t.low for t in after if t.kind == "word"), "")
    if prev == "by" or prev in ("up", "down") or (prev and stem(prev) in CHANGE_STEMS):
        return "change"
    if nxt in COMPARATIVES and q.kind in ("percent", "money", "measure", "count"):
        return "change"
    return ""


def _strip_attribution(toks: list[Token], figure_start: int) -> list[Token]:
    """Drop who-said-it from a clause: "Police said ...", "..., officials said", "according to X".

    Two outlets quoting different sources for one figure are still talking about the same
    thing, so the source must not count as a difference of subject.
    """
    words = [t for t in toks if t.kind == "word"]
    out = list(toks)
    for k, t in enumerate(words):
        if t.low in ("according",) and k + 1 < len(words) and words[k + 1].low == "to":
            end = next((p.start for p in toks if p.start > t.start and p.kind == "punct"), 1 << 30)
            out = [x for x in out if not (t.start <= x.start < end)]
            break
        if t.low in SAY_WORDS:
            if t.start < figure_start:
                out = [x for x in out if x.start > t.start]
            else:
                comma = max((p.start for p in toks if p.kind == "punct" and p.start < t.start), default=-1)
                if comma > figure_start:
                    out = [x for x in out if x.start < comma]
            break
    return out


def _all_survived(
    q: Quantity, measure: str, head: str, before: list[Token], after: list[Token], phrase: list[Token]
) -> tuple[Quantity, str, list[Token]]:
    """ "All 56 passengers survived" states that nobody died: read it as zero killed."""
    words = [t for t in after if t.kind == "word"][:4]
    prev = [t for t in before if t.kind == "word"][-1:]
    survived = [t for t in words if stem(t.low) == "surviv"]
    if prev and prev[0].low in ("all", "everyone") and survived and head in PERSON_STEMS | {"person"}:
        zero = Quantity(
            surface=f"{prev[0].text} {q.surface}",
            value=0.0,
            low=0.0,
            high=0.0,
            kind="count",
            unit="",
            hedge="zero",
            start=prev[0].start,
            end=q.end,
        )
        return zero, "killed", phrase + survived[:1]
    return q, measure, phrase


def _toll_before(before: list[Token]) -> bool:
    words = [t.low for t in before if t.kind == "word"]
    return "toll" in words and any(w in ("risen", "rose", "climbed", "reached", "rises") for w in words)


# Measures that count people harmed; killed/injured are parts of casualties.
PARTS_OF = {"killed": "casualties", "injured": "casualties"}
PEOPLE_MEASURES = frozenset({"killed", "injured", "casualties", "arrests", "displaced", "captured", "troops"})


def compose(measure_a: str, measure_b: str) -> str:
    """How two measures relate: "same", "a_part_of_b", "b_part_of_a" or "different"."""
    if measure_a == measure_b:
        return "same"
    if PARTS_OF.get(measure_a) == measure_b:
        return "a_part_of_b"
    if PARTS_OF.get(measure_b) == measure_a:
        return "b_part_of_a"
    return "different"
