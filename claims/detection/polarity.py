"""Polarity: negation and opposite outcomes (approved/rejected, won/lost, rose/fell, ...).

Contract: ``extract_polarity(text)`` returns one ``PolarityCue`` per outcome word of normalised
``text``: the ``concept`` it speaks about ("approve", "win", "rise", ...), its ``sign`` (+1 for
approved/won/rose, -1 for rejected/lost/fell), already flipped by a negation in front of it
("did not approve" is -1, "failed to recapture" negates "recapture"), the words as written
(``surface``) and the concepts before it in its clause (``subject``), so "oil prices rose" and
"gold prices fell" are not read as a conflict.

The opposites (verdicts, states such as alive/dead, containment, votes read past their tally,
bans and permissions, ...) are in ``lexicon.OUTCOME_OPPOSITES`` and ``lexicon.OUTCOME_PHRASES``,
each group with the reason it holds in news copy.

``negation_count(tokens)`` counts negators (not, no, never, nobody, without, failed to, ...) for
the plain-negation test in the judge ("attended" vs "did not attend").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import (
    ACCEPT_OBJECTS,
    BOUND_COMPARATIVES,
    CLAIM_OBJECTS,
    CONTEST_STEMS,
    CUE_NEEDS_AFTER,
    JOB_STEMS,
    NEGATING_VERBS,
    NEGATION_BLOCKERS,
    NEGATOR_WORDS,
    OUTCOME_OPPOSITES,
    OUTCOME_PHRASES,
    PASS_MOVEMENT,
)
from .measures import clauses
from .normalise import STOPWORDS, concept, stem
from .quantities import Token, scan

# NEGATOR_WORDS is re-exported for the judge.
__all__ = ["NEGATOR_WORDS", "PolarityCue", "extract_polarity", "negation_count"]


@dataclass(frozen=True, slots=True)
class PolarityCue:
    """An outcome word with its concept, sign after negation, surface and clause subject."""

    concept: str
    sign: int
    surface: str
    start: int
    subject: frozenset[str]
    negated: bool


_CUES: dict[str, list[tuple[str, int]]] = {}
for _concept, (_pos, _neg) in OUTCOME_OPPOSITES.items():
    for _s in _pos:
        _CUES.setdefault(_s, []).append((_concept, 1))
    for _s in _neg:
        _CUES.setdefault(_s, []).append((_concept, -1))


_NEGATION_RE = re.compile(
    rf"\b(?:(?:not|no)(?!-| (?:{'|'.join(BOUND_COMPARATIVES)}) than\b)|never|none|nobody|nothing|neither|nor"
    r"|without|cannot)\b|n't\b"
    r"|\b(?:fail|fails|failed|failing|refuse|refuses|refused|refusing|decline|declined|declines) to\b",
    re.IGNORECASE,
)


def negation_count(text: str) -> int:
    """Negators in normalised text, "failed to"/"refused to" included; "no-confidence" is not one,
    nor are the hedges "no more than 40" and "not later than May" (a bound, not a denial)."""
    return len(_NEGATION_RE.findall(text))


def _subject(words: list[Token], upto: int) -> frozenset[str]:
    out: set[str] = set()
    for t in words[:upto]:
        if t.low in STOPWORDS or t.low in NEGATOR_WORDS or len(t.low) < 2:
            continue
        out.add(concept(stem(t.low)))
    return frozenset(out)


def extract_polarity(text: str) -> tuple[PolarityCue, ...]:
    """Outcome cues of normalised ``text`` with signs after negation (see module docstring)."""
    out: list[PolarityCue] = []
    all_toks = scan(text)
    for span in clauses(text):
        words = [t for t in all_toks if t.kind == "word" and span[0] <= t.start < span[1]]
        lows = [t.low for t in words]
        stems = [stem(w) for w in lows]
        has_job = any(s in JOB_STEMS for s in stems)
        used: set[int] = set()
        for i in range(len(words)):
            if i in used:
                continue
            hits: list[tuple[str, int]] = []
            width = 1
            phrase = _phrase_at(lows, i)
            vote = _vote_direction(lows, stems, i) if phrase is None else None
            if phrase is not None:
                hits, width = list(OUTCOME_PHRASES[phrase]), len(phrase)
                if phrase in (("up",), ("down",)) and not _count_follows(all_toks, words[i]):
                    continue  # "up 12 %" is a rise; "up the hill" is not
            elif vote is not None:
                hits = [("approve", vote)]
            else:
                s = stems[i]
                if s in NEGATING_VERBS and i + 1 < len(words) and lows[i + 1] == "to":
                    continue  # "failed to", "refused to": a negator of the next verb, not a cue
                hits = list(_CUES.get(s, ()))
                if not hits:
                    continue
                if lows[i] in ("won",) and i + 1 < len(words) and words[i + 1].text[0].isupper() is False:
                    pass
                filtered: list[tuple[str, int]] = []
                for c, sign in hits:
                    if c == "hire" and not has_job and s not in ("hire", "recruit"):
                        continue
                    if c == "rise" and has_job and s in ("cut", "slash", "axe", "shed", "scrap"):
                        continue
                    if c == "laden" and s == "carri" and not _count_follows(all_toks, words[i]):
                        continue  # "carried out a raid": no load
                    if c == "rise" and s == "add" and not _count_follows(all_toks, words[i]):
                        continue  # "he added that", "added a clause": no figure grew
                    if c == "win":
                        window = stems[i + 1 : i + 7]
                        contest = any(w in CONTEST_STEMS for w in window) and not _count_follows(
                            all_toks, words[i]
                        )
                        losing = s in ("lose", "lost", "defeat", "conced")
                        if losing and not contest and not _score_follows(all_toks, words[i]):
                            continue
                    if s == "accept" and not any(x in ACCEPT_OBJECTS for x in stems[i + 1 : i + 5]):
                        continue
                    if s in CUE_NEEDS_AFTER and not CUE_NEEDS_AFTER[s] & set(lows[i + 1 : i + 9]):
                        continue
                    if c == "approve" and sign < 0 and any(x in CLAIM_OBJECTS for x in stems[i + 1 : i + 4]):
                        c = "confirm"  # "rejected the allegations" is a denial, not a vote
                    if c == "profit" and not _money_near(all_toks, words[i]):
                        continue
                    if c == "effective" and not (
                        i > 0
                        and lows[i - 1]
                        in ("was", "is", "be", "been", "not", "proved", "were", "are", "proven")
                    ):
                        continue
                    if (
                        c == "go_on"
                        and s in ("hold", "go")
                        and not (i > 0 and lows[i - 1] in ("is", "was", "are", "were", "still"))
                    ):
                        continue
                    if c == "go_on" and s == "end" and i > 0 and lows[i - 1] in ("the", "by", "an", "at"):
                        continue
                    if c == "approve" and s == "pass" and i + 1 < len(words) and lows[i + 1] in PASS_MOVEMENT:
                        continue  # "passed through the airport", "passed away": no vote
                    filtered.append((c, sign))
                hits = filtered
            if not hits:
                continue
            negated = _negated(lows, stems, i)
            for c, sign in hits:
                out.append(
                    PolarityCue(
                        concept=c,
                        sign=-sign if negated else sign,
                        surface=_surface(text, words, i, width, negated, lows),
                        start=words[i].start,
                        subject=_subject(words, i),
                        negated=negated,
                    )
                )
            for k in range(i, i + width):
                used.add(k)
    return tuple(out)


_PHRASE_LENGTHS = sorted({len(k) for k in OUTCOME_PHRASES}, reverse=True)


def _phrase_at(lows: list[str], i: int) -> tuple[str, ...] | None:
    """The longest outcome phrase starting at word i ("out of control", "put out"), if any."""
    for k in _PHRASE_LENGTHS:
        key = tuple(lows[i : i + k])
        if len(key) == k and key in OUTCOME_PHRASES:
            return key
    return None


def _vote_direction(lows: list[str], stems: list[str], i: int) -> int | None:
    """The direction of a vote, tally or not: "voted 148 to 102 against extending" is -1,
    "voted to strike" and "voted in favour" +1, a vote with no direction None."""
    if stems[i] != "vote" or i + 1 >= len(lows):
        return None
    window = lows[i + 1 : i + 7]
    if "against" in window:
        return -1
    if lows[i] in ("votes", "vote") and i > 0 and lows[i - 1] != "to":
        return None  # "by 42 votes to 39" is a tally, "a vote to strike" needs "to" right after
    if {"to", "for", "favour", "favor"} & set(window):
        return 1
    return None


def _negated(lows: list[str], stems: list[str], i: int) -> bool:
    flips = 0
    for k in range(max(0, i - 3), i):
        w = lows[k]
        if w in NEGATION_BLOCKERS:
            return False
        if w in NEGATOR_WORDS or (stems[k] in NEGATING_VERBS and k + 1 < len(lows) and lows[k + 1] == "to"):
            flips += 1
    # "released without charge": "without" directly governs the next noun
    return flips % 2 == 1


def _surface(text: str, words: list[Token], i: int, width: int, negated: bool, lows: list[str]) -> str:
    first = i
    if negated:
        for k in range(max(0, i - 3), i):
            if lows[k] in NEGATOR_WORDS or stem(lows[k]) in NEGATING_VERBS:
                first = k
                break
    return text[words[first].start : words[i + width - 1].end]


def _score_follows(all_toks: list[Token], tok: Token) -> bool:
    """A match score right after the verb ("lost 2-0")."""
    idx = next((k for k, t in enumerate(all_toks) if t.start == tok.start), -1)
    nxt = all_toks[idx + 1 : idx + 4]
    return len(nxt) == 3 and nxt[0].kind == "num" and nxt[1].kind == "dash" and nxt[2].kind == "num"


def _count_follows(all_toks: list[Token], tok: Token) -> bool:
    """A count right after the verb ("lost 400 fighters") is a loss, not a defeat."""
    idx = next((k for k, t in enumerate(all_toks) if t.start == tok.start), -1)
    nxt = all_toks[idx + 1 : idx + 2]
    return bool(nxt) and nxt[0].kind == "num" and not _score_follows(all_toks, tok)


def _money_near(all_toks: list[Token], tok: Token) -> bool:
    idx = next((k for k, t in enumerate(all_toks) if t.start == tok.start), -1)
    window = all_toks[max(0, idx - 4) : idx + 6]
    return any(
        t.kind == "cur" or t.low in ("euros", "dollars", "pounds", "million", "billion", "bn", "m")
        for t in window
    ) or any(t.kind == "num" for t in window)
