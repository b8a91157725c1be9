"""Re-anchoring of highlights onto a new revision of an article's text.

Pure and deterministic: no Django, no I/O, no clock, no randomness. Every offset is a Unicode code
point index (a Python ``str`` index) into the caller's normalised text (NFC, ``\n`` line endings).

An :class:`Anchor` is a W3C TextPositionSelector (``start``/``end``) plus a TextQuoteSelector
(``exact`` with up to :data:`CONTEXT_LENGTH` characters of ``prefix`` and ``suffix``).
:func:`reanchor` finds where an anchor went in a new text, in this order:

1. exact position: the quote is still at its old offsets, with its old neighbours (or one of them, or its
   old sentence, and no other copy fits as well);
2. exact quote elsewhere: the copy whose prefix/suffix agree best, provided no other copy fits about as
   well (ambiguous: needs_review) and the quote's own sentence reads as it did, as far as the stored
   context shows (else the copy may be part of a lookalike sentence);
3. approximate search with rapidfuzz (``partial_ratio_alignment`` over the whole text for the best place and
   the best place on either side of it, the text between the old prefix and suffix, then a Levenshtein
   alignment of prefix+quote+suffix for precise boundaries), each candidate scored on quote similarity,
   prefix similarity, suffix similarity and closeness to the old position (relative to text length).

The guiding rule is *never silently attach a claim to a lookalike sentence*. A candidate is accepted
("fuzzy") only when its words differ from the quote in spelling, case, accents, punctuation, spacing or
articles alone, at least one neighbour is unchanged, no other place scores within AMBIGUITY_MARGIN, and
it scores ACCEPT_THRESHOLD. A changed figure or negation (``not``, ``never``, ``n't``, ``un-``/``dis-``...)
inside the quote or in the rest of its sentence next to it, or any other changed word in the quote, weighs
heavily in the score and caps the result at "needs_review".

Invariants of :class:`AnchorResult`: "exact" has score 1.0; "fuzzy" has ``score >= ACCEPT_THRESHOLD``;
"needs_review" has ``score < ACCEPT_THRESHOLD`` and carries the best guess; "orphan" has no anchor.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein, Opcodes

__all__ = [
    "ACCEPT_THRESHOLD",
    "AMBIGUITY_MARGIN",
    "CONTEXT_LENGTH",
    "REVIEW_THRESHOLD",
    "Anchor",
    "AnchorError",
    "AnchorResult",
    "State",
    "codepoint_to_utf16",
    "reanchor",
    "selectors_for",
    "utf16_to_codepoint",
    "validate_selection",
]

State = Literal["exact", "fuzzy", "needs_review", "orphan"]

#: Characters of prefix and suffix stored with a quote (W3C TextQuoteSelector).
CONTEXT_LENGTH: Final = 32
#: A re-anchored candidate at or above this confidence is accepted ("fuzzy").
ACCEPT_THRESHOLD: Final = 0.85
#: Between this and ACCEPT_THRESHOLD the best guess is kept for an editor ("needs_review"); below: orphan.
REVIEW_THRESHOLD: Final = 0.55
#: Two places whose scores are closer than this are ambiguous: never accepted.
AMBIGUITY_MARGIN: Final = 0.08

# Score weights for a candidate place (they sum to 1).
_W_QUOTE: Final = 0.60
_W_PREFIX: Final = 0.15
_W_SUFFIX: Final = 0.15
_W_CLOSE: Final = 0.10
# Deducted from the quote similarity per changed figure/negation, and per other changed word.
_CRITICAL_PENALTY: Final = 0.35
_WORD_PENALTY: Final = 0.20
# Verbatim copies this close (plus the quote's length) that share a verbatim neighbour are ambiguous.
_NEIGHBOURHOOD: Final = 1000
# Context at least this similar to the old one counts as the same neighbour.
_STRONG_CONTEXT: Final = 0.95
# Context at least this similar to the old one, but with a figure or negation changed, is a lookalike's.
_LOOKALIKE_CONTEXT: Final = 0.6
# Verbatim occurrences examined at most (a stock phrase can occur hundreds of times in a long text).
_MAX_OCCURRENCES: Final = 500
# Differences of at most this many characters (OSA) in a word at least this long count as a typo fix.
_TYPO_MAX_EDITS: Final = 1
_TYPO_MIN_LENGTH: Final = 7
# Quotes longer than this are searched for by pieces of this length (and their boundaries fitted by them).
_PROBE_LENGTH: Final = 64
# Boundaries of an approximate match are tried this many characters either side of the aligned ones.
_BOUNDARY_SLACK: Final = 3
# Cost, in edits, of a boundary that cuts a word or number the old boundary did not cut (or vice versa).
_JOIN_PENALTY: Final = 2.5

_REVIEW_CAP: Final = round(ACCEPT_THRESHOLD - 0.01, 2)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NEGATIONS: Final = _word_set("not no never none nobody nothing nowhere neither nor cannot without")
# A word and the same word with one of these in front are opposites ("likely"/"unlikely").
_NEGATION_AFFIXES: Final = ("un", "non", "non-", "dis", "in", "im", "il", "ir")
_NUMBER_WORDS: Final = _word_set(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    hundreds thousand thousands million millions billion billions trillion trillions dozen dozens half
    quarter third fourth fifth sixth seventh eighth ninth tenth first second once twice double triple
    percent cent"""
)
# Words whose insertion or removal does not change what a quote says.
_LIGHT_WORDS: Final = frozenset({"a", "an", "the"})
_TOKEN = re.compile(r"\w+(?:['\u2019.,]\w+)*|[^\w\s]")

_DIGITS = re.compile(r"\d+")
# The end of a sentence (with closing quotes or brackets) or of a paragraph.
_CLOSERS = '"\u201d\u2019)\\]'
_WIDE_STOPS = "\u3002\uff01\uff1f"  # 。！？ end a sentence without a space after them
_SENTENCE_END = re.compile(rf"[.!?][{_CLOSERS}]*\s|[{_WIDE_STOPS}][{_CLOSERS}]*|\n")
# The same in a suffix, where the end of the text also ends a sentence.
_SENTENCE_END_AHEAD = re.compile(rf"[.!?][{_CLOSERS}]*(?:\s|\Z)|[{_WIDE_STOPS}][{_CLOSERS}]*|\n")
# A quote that ends a sentence, and a prefix after which a sentence starts.
_SENTENCE_CLOSE = re.compile(rf"[.!?{_WIDE_STOPS}][{_CLOSERS}]*\Z")
_SENTENCE_OPEN = re.compile(rf"(?:[.!?][{_CLOSERS}]*\s+|[{_WIDE_STOPS}][{_CLOSERS}]*\s*|\n)\Z")
# Scripts written without spaces between words: each character is compared as a word.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_GRAPHEME_EXTEND_CATEGORIES: Final = frozenset({"Mn", "Mc", "Me"})
_ZWJ: Final = "\u200d"


class AnchorError(ValueError):
    """A selection or offset that cannot be used; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """What is stored for a highlight: position and quote selectors over one revision's text."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise AnchorError(f"an anchor needs 0 <= start < end, got start={self.start}, end={self.end}")
        if len(self.exact) != self.end - self.start:
            raise AnchorError(
                f"the quote is {len(self.exact)} characters long but the span {self.start}-{self.end} "
                f"is {self.end - self.start}"
            )


@dataclass(frozen=True, slots=True)
class AnchorResult:
    """Outcome of :func:`reanchor`. ``anchor`` is None only for "orphan"; for "needs_review" it is the
    best guess. ``reason`` is a short explanation for the review queue."""

    state: State
    score: float
    anchor: Anchor | None
    reason: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score must be within 0..1, got {self.score}")
        if (self.anchor is None) != (self.state == "orphan"):
            raise ValueError("an orphan has no anchor and every other state has one")
        if self.state == "exact" and self.score != 1.0:
            raise ValueError("an exact anchor has score 1.0")
        if self.state == "fuzzy" and self.score < ACCEPT_THRESHOLD:
            raise ValueError("a fuzzy anchor scores at least ACCEPT_THRESHOLD")
        if self.state == "needs_review" and self.score >= ACCEPT_THRESHOLD:
            raise ValueError("a needs_review anchor scores below ACCEPT_THRESHOLD")

    @property
    def accepted(self) -> bool:
        return self.state in ("exact", "fuzzy")


# --------------------------------------------------------------------------------------------------
# Selectors and validation


def selectors_for(text: str, start: int, end: int, context: int = CONTEXT_LENGTH) -> Anchor:
    """The anchor of ``text[start:end]``, with ``context`` characters of prefix and suffix."""
    if not 0 <= start < end <= len(text):
        raise AnchorError(
            f"span {start}-{end} is not a non-empty range within the text ({len(text)} characters)"
        )
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def validate_selection(
    text: str,
    *,
    start: int | None,
    end: int | None,
    exact: str | None,
    prefix: str | None,
    suffix: str | None,
    max_length: int,
) -> Anchor:
    """Check a selection sent by a client and return its canonical :class:`Anchor`.

    Either selector alone is enough when it is unambiguous: a position (``start`` and ``end``), or a
    quote (``exact``, which ``prefix``/``suffix`` may disambiguate). When both are given they must agree.
    Raises :class:`AnchorError` with a message a person can act on.
    """
    has_position = start is not None or end is not None
    if not has_position and not exact:
        if exact == "":
            raise AnchorError("the quote is empty: select at least one character")
        raise AnchorError("give the position (start and end) or the quoted text (exact) of the selection")
    if has_position:
        if start is None or end is None:
            missing = "end" if end is None else "start"
            raise AnchorError(f"the position needs both start and end; {missing} is missing")
        span_start, span_end = start, end
        if span_start < 0 or span_end < 0 or span_start > len(text) or span_end > len(text):
            raise AnchorError(
                f"position {span_start}-{span_end} is out of range: the text has {len(text)} characters "
                f"(valid offsets are 0 to {len(text)})"
            )
        if span_end < span_start:
            raise AnchorError(f"position {span_start}-{span_end} ends before it starts")
        if span_end == span_start:
            raise AnchorError(
                f"the selection {span_start}-{span_end} is empty: select at least one character"
            )
        if exact is not None and text[span_start:span_end] != exact:
            raise AnchorError(
                f"position {span_start}-{span_end} does not match the quote: the text there is "
                f"{_show(text[span_start:span_end])} but the quote is {_show(exact)}"
            )
        if prefix and not text[:span_start].endswith(prefix):
            raise AnchorError(
                f"the prefix does not match the text before position {span_start}: the text there is "
                f"{_show(text[max(0, span_start - len(prefix)) : span_start])} but the prefix is "
                f"{_show(prefix)}"
            )
        if suffix and not text.startswith(suffix, span_end):
            raise AnchorError(
                f"the suffix does not match the text after position {span_end}: the text there is "
                f"{_show(text[span_end : span_end + len(suffix)])} but the suffix is {_show(suffix)}"
            )
    else:
        assert exact  # for mypy: checked above
        occurrences = _occurrences(text, exact, limit=len(text) + 1)
        if not occurrences:
            raise AnchorError(
                f"the quote {_show(exact)} occurs nowhere in the text (it must match the article text "
                "character for character)"
            )
        matching = [
            at
            for at in occurrences
            if (not prefix or text[:at].endswith(prefix))
            and (not suffix or text.startswith(suffix, at + len(exact)))
        ]
        if not matching:
            raise AnchorError(
                f"the quote {_show(exact)} occurs {_times(len(occurrences))} but never with the given "
                "prefix and suffix"
            )
        if len(matching) > 1:
            if prefix or suffix:
                raise AnchorError(
                    f"the quote {_show(exact)} occurs {_times(len(occurrences))} and "
                    f"{_times(len(matching), 'still')} with the given prefix and suffix: give a longer "
                    "prefix or suffix, or the position (start and end)"
                )
            raise AnchorError(
                f"the quote {_show(exact)} is ambiguous: it occurs {_times(len(occurrences))}; give a "
                "prefix or suffix, or the position (start and end)"
            )
        span_start, span_end = matching[0], matching[0] + len(exact)
    if span_end - span_start > max_length:
        raise AnchorError(
            f"the selection is {span_end - span_start} characters long; the maximum is {max_length}"
        )
    for offset in (span_start, span_end):
        if _splits_grapheme(text, offset):
            raise AnchorError(
                f"offset {offset} falls inside a character (between a letter or emoji and the mark or "
                "joiner that belongs to it): move the selection boundary"
            )
    return selectors_for(text, span_start, span_end)


def _show(value: str, limit: int = 80) -> str:
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return f"“{value}”"


def _times(count: int, qualifier: str = "") -> str:
    word = "once" if count == 1 else "twice" if count == 2 else f"{count} times"
    return f"{qualifier} {word}".strip()


def _splits_grapheme(text: str, offset: int) -> bool:
    """Whether a boundary at ``offset`` separates a character from a mark or joiner attached to it."""
    if offset <= 0 or offset >= len(text):
        return False
    after, before = text[offset], text[offset - 1]
    return (
        unicodedata.category(after) in _GRAPHEME_EXTEND_CATEGORIES
        or after == _ZWJ
        or before == _ZWJ
        or 0x1F3FB <= ord(after) <= 0x1F3FF  # emoji skin tone modifier
    )


# --------------------------------------------------------------------------------------------------
# UTF-16 offsets (what browsers count) <-> code points (what Python and the stored selectors count)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Code point index of a UTF-16 code unit offset into ``text``."""
    units = text.encode("utf-16-le", "surrogatepass")
    total = len(units) // 2
    if not 0 <= offset <= total:
        raise AnchorError(f"UTF-16 offset {offset} is out of range: the text has {total} UTF-16 code units")
    if 0 < offset < total:
        unit = int.from_bytes(units[2 * offset : 2 * offset + 2], "little")
        previous = int.from_bytes(units[2 * offset - 2 : 2 * offset], "little")
        if 0xDC00 <= unit <= 0xDFFF and 0xD800 <= previous <= 0xDBFF:
            raise AnchorError(
                f"UTF-16 offset {offset} falls between the two halves of a surrogate pair (an emoji or "
                "other character outside the Basic Multilingual Plane)"
            )
    return len(units[: 2 * offset].decode("utf-16-le", "surrogatepass"))


def codepoint_to_utf16(text: str, offset: int) -> int:
    """UTF-16 code unit offset of a code point index into ``text``."""
    if not 0 <= offset <= len(text):
        raise AnchorError(f"offset {offset} is out of range: the text has {len(text)} characters")
    return len(text[:offset].encode("utf-16-le", "surrogatepass")) // 2


# --------------------------------------------------------------------------------------------------
# Re-anchoring


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    score: float
    prefix_sim: float
    suffix_sim: float
    verbatim: bool
    critical: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def strong_sides(self) -> int:
        """How many sides of the context are (nearly) verbatim the old ones."""
        return int(self.prefix_sim >= _STRONG_CONTEXT) + int(self.suffix_sim >= _STRONG_CONTEXT)

    @property
    def clean(self) -> bool:
        return not self.critical and not self.changed

    def overlaps(self, other: _Candidate) -> bool:
        return self.start < other.end and other.start < self.end


def reanchor(anchor: Anchor, new_text: str, old_text: str | None = None) -> AnchorResult:
    """Find where ``anchor`` (made on an older revision) belongs in ``new_text``.

    ``old_text``, the text the anchor was made on, is optional; when given, a quote that had a verbatim
    twin in the old text (same words, same context) is not moved onto the twin that survived.
    """
    if old_text is not None and old_text[anchor.start : anchor.end] != anchor.exact:
        old_text = None  # not the text this anchor was made on
    if new_text.startswith(anchor.exact, anchor.start):
        here = _evaluate(anchor, new_text, anchor.start, anchor.end, verbatim=True)
        if here.clean and here.strong_sides == 2:  # the common case: nothing changed around the quote
            return _exact(new_text, here, "the quote is unchanged at its position")
    occurrences = [
        _evaluate(anchor, new_text, at, at + len(anchor.exact), verbatim=True)
        for at in _occurrences(new_text, anchor.exact, limit=_MAX_OCCURRENCES)
    ]
    clean = [c for c in occurrences if c.clean]

    # 1. The old position still holds the quote with its old neighbours, or with one of them or its old
    # sentence and no other copy fits as well.
    at_old = next((c for c in clean if c.start == anchor.start), None)
    if at_old is not None and (
        at_old.strong_sides == 2
        or (
            (at_old.strong_sides == 1 or _same_statement(anchor, new_text, at_old))
            and not any(c is not at_old and _rivals(c, at_old) for c in occurrences)
        )
    ):
        return _exact(new_text, at_old, "the quote is unchanged at its position")

    # 2. The quote elsewhere: the copy whose context agrees best, if no other copy fits about as well
    # (verbatim context on one side is strong evidence, and a lookalike sentence inserted next to the
    # original takes over its old neighbour on one side), and if the sentence around it reads as it did.
    if clean:
        best = max(clean, key=lambda c: (c.strong_sides, c.score, -c.start))
        rival = next((c for c in occurrences if c is not best and _rivals(c, best)), None)
        if rival is not None:
            return _result(
                "needs_review",
                _review_score(best.score),
                new_text,
                best,
                f"the quote occurs {_times(len(occurrences))}, and the copies at {best.start} and "
                f"{rival.start} fit its old context about equally well",
            )
        window = _statement_window(anchor, new_text, best)
        if window is not None and old_text is not None and len(_occurrences(old_text, window, limit=2)) > 1:
            return _result(
                "needs_review",
                _review_score(best.score),
                new_text,
                best,
                "the old text had this passage twice; it cannot tell which of the two this was",
            )
        if window is not None:
            in_place = _between_context(anchor, new_text)
            if (
                in_place is None
                or (in_place[0] < best.end and best.start < in_place[1])
                or not _resembles(anchor, new_text, in_place)
            ):
                return _exact(new_text, best, "the quote moved")
            edited = _evaluate(anchor, new_text, *in_place, verbatim=False)
            changes = "; ".join(edited.critical + edited.changed) or "its wording changed"
            return _result(
                "needs_review",
                _review_score(edited.score),
                new_text,
                edited,
                f"the quote was edited where it stood ({changes}), and its old wording is found "
                f"elsewhere (at {best.start})",
            )

    # 3. Approximate search; verbatim copies whose context did not convince compete on the same scale.
    candidates = list(occurrences)
    for start, end in _candidate_spans(anchor, new_text):
        candidate = _evaluate(anchor, new_text, start, end, verbatim=False)
        if candidate.end > candidate.start:
            candidates.append(candidate)
    if not candidates:
        return AnchorResult("orphan", 0.0, None, "no passage resembling the quote was found")
    candidates.sort(key=lambda c: (c.score, -abs(c.start - anchor.start), -c.start), reverse=True)
    best = candidates[0]
    if best.score < REVIEW_THRESHOLD:
        # The words of the quote, found verbatim, are always worth a look; anything else is an orphan.
        best = next((c for c in candidates if c.verbatim), best)
        if not best.verbatim:
            return AnchorResult(
                "orphan", _clamp(best.score), None, "no passage resembles the quote closely enough"
            )
    score = _review_score(max(best.score, REVIEW_THRESHOLD))
    rival = next((c for c in candidates if c is not best and not c.overlaps(best)), None)
    if best.critical:
        return _result("needs_review", score, new_text, best, "; ".join(best.critical))
    if best.changed:
        return _result("needs_review", score, new_text, best, "words changed: " + "; ".join(best.changed))
    if rival is not None and rival.score > best.score - AMBIGUITY_MARGIN:
        reason = f"two places match about equally well (at {best.start} and {rival.start})"
        return _result("needs_review", score, new_text, best, reason)
    if best.verbatim:
        reason = "the quote is found elsewhere, but the sentence around it reads differently"
        return _result("needs_review", score, new_text, best, reason)
    if best.score >= ACCEPT_THRESHOLD and best.strong_sides >= 1:
        return _result("fuzzy", _clamp(best.score), new_text, best, "the quote was lightly edited")
    return _result("needs_review", score, new_text, best, "the passage changed around the quote")


def _exact(text: str, candidate: _Candidate, reason: str) -> AnchorResult:
    return AnchorResult("exact", 1.0, selectors_for(text, candidate.start, candidate.end), reason)


def _result(state: State, score: float, text: str, candidate: _Candidate, reason: str) -> AnchorResult:
    return AnchorResult(state, score, selectors_for(text, candidate.start, candidate.end), reason)


def _clamp(score: float) -> float:
    return round(min(1.0, max(0.0, score)), 4)


def _review_score(score: float) -> float:
    return _clamp(min(score, _REVIEW_CAP))


def _rivals(other: _Candidate, best: _Candidate) -> bool:
    """Whether another verbatim copy makes ``best`` ambiguous. A copy that shares a verbatim neighbour
    with ``best`` is a rival whatever its other side: a sentence inserted next to the original takes over
    its old neighbour on that side."""
    if other.score > best.score - AMBIGUITY_MARGIN or other.strong_sides >= max(1, best.strong_sides):
        return True
    if not other.clean or abs(other.start - best.start) > _NEIGHBOURHOOD + (best.end - best.start):
        return False  # a copy with a changed figure or word next to it is not the original moved
    return (other.prefix_sim >= _STRONG_CONTEXT and best.prefix_sim >= _STRONG_CONTEXT) or (
        other.suffix_sim >= _STRONG_CONTEXT and best.suffix_sim >= _STRONG_CONTEXT
    )


def _same_statement(anchor: Anchor, text: str, candidate: _Candidate) -> bool:
    """Whether the sentence around a verbatim copy reads as it did around the quote, as far as the stored
    context shows: up to the sentence boundary when the context has one, else the whole context. Then the
    copy says the same thing (a moved sentence); otherwise it may be part of a lookalike sentence."""
    return _statement_window(anchor, text, candidate) is not None


def _statement_window(anchor: Anchor, text: str, candidate: _Candidate) -> str | None:
    """The quote with the context that agrees around the copy (see _same_statement), or None."""
    left = _verified_before(anchor.prefix, text[: candidate.start])
    right = _verified_after(anchor.exact, anchor.suffix, text[candidate.end :])
    if left is None or right is None:
        return None
    return anchor.prefix[len(anchor.prefix) - left[0] :] + anchor.exact + anchor.suffix[: right[0]]


def _verified_before(prefix: str, before: str) -> tuple[int, bool] | None:
    """Characters of the old prefix in the quote's sentence found verbatim before the copy, and whether they
    reach the start of the sentence; None if they differ."""
    breaks = list(_SENTENCE_END.finditer(prefix))
    if breaks:
        opening = prefix[breaks[-1].end() :]  # the start of the quote's sentence
        rest = before[: len(before) - len(opening)]
        same = before.endswith(opening) and (not rest or _SENTENCE_OPEN.search(rest) is not None)
        return (len(opening), True) if same else None
    if not prefix:  # the quote opened the old text
        return (0, True) if not before or _SENTENCE_OPEN.search(before) is not None else None
    rest = before[: len(before) - len(prefix)]
    if len(prefix) < CONTEXT_LENGTH:  # the quote's sentence opened the old text: it must still open one
        same = before.endswith(prefix) and (not rest or _SENTENCE_OPEN.search(rest) is not None)
        return (len(prefix), True) if same else None
    return (len(prefix), False) if before.endswith(prefix) else None


def _verified_after(quote: str, suffix: str, after: str) -> tuple[int, bool] | None:
    """Like _verified_before, for the suffix and the text after the copy."""
    if _closes_sentence(quote, suffix):
        return (0, True) if _closes_sentence(quote, after) else None
    first = _SENTENCE_END_AHEAD.search(suffix)
    if first:
        closing = suffix[: first.end()].rstrip()  # the rest of the quote's sentence, with its full stop
        same = after.startswith(closing) and _closes_sentence(closing, after[len(closing) :])
        return (len(closing), True) if same else None
    if len(suffix) < CONTEXT_LENGTH:  # the old text ended in the quote's sentence, with no full stop
        rest = after[len(suffix) : len(suffix) + 1]
        same = after.startswith(suffix) and (not rest or rest.isspace())
        return (len(suffix), True) if same else None
    return (len(suffix), False) if after.startswith(suffix) else None


def _closes_sentence(sentence: str, after: str) -> bool:
    """Whether ``sentence`` ends a sentence when ``after`` follows it."""
    if not after or after[0] == "\n":
        return True
    stop = _SENTENCE_CLOSE.search(sentence)
    return stop is not None and (after[0].isspace() or stop.group()[0] in _WIDE_STOPS)


def _occurrences(text: str, quote: str, *, limit: int) -> list[int]:
    found: list[int] = []
    at = text.find(quote)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


# Scoring ------------------------------------------------------------------------------------------


def _evaluate(anchor: Anchor, text: str, start: int, end: int, *, verbatim: bool) -> _Candidate:
    candidate_text = text[start:end]
    critical: list[str] = []
    changed: list[str] = []
    if verbatim:
        quote_sim = 1.0
    else:
        quote_sim = Levenshtein.normalized_similarity(anchor.exact, candidate_text)
        critical, changed = _word_changes(anchor.exact, candidate_text)
    for side, old_joined, new_joined in (
        (
            "start",
            _continues(anchor.prefix, anchor.exact),
            _continues(text[max(0, start - 2) : start], candidate_text),
        ),
        ("end", _continues(anchor.exact, anchor.suffix), _continues(candidate_text, text[end : end + 2])),
    ):
        if old_joined != new_joined:
            around = text[max(0, start - 8) : end + 8] if side == "start" else text[start : end + 8]
            note = f"the {side} of the quote is now joined to a different word: {_show(around, 60)}"
            if _has_digit(
                text[max(0, start - 3) : start + 3] if side == "start" else text[end - 3 : end + 3]
            ):
                critical.append("figure changed: " + note)
            else:
                changed.append(note)
    new_prefix = text[max(0, start - len(anchor.prefix)) : start]
    new_suffix = text[end : end + len(anchor.suffix)]
    prefix_sim = _context_similarity(anchor.prefix, new_prefix)
    suffix_sim = _context_similarity(anchor.suffix, new_suffix)
    closes_sentence = _closes_sentence(anchor.exact, anchor.suffix)
    for side, old_context, new_context in (
        ("before", anchor.prefix, new_prefix),
        ("after", "" if closes_sentence else anchor.suffix, "" if closes_sentence else new_suffix),
    ):
        change = _lookalike_context(old_context, new_context, before=side == "before")
        if change:
            critical.append(f"a figure or negation changed just {side} the quote: {change}")
    if not anchor.prefix and start > 0:
        prefix_sim = 0.5  # the quote opened the old text; new text was put before it
    if not anchor.suffix and end < len(text):
        suffix_sim = 0.5
    closeness = 1.0 - min(1.0, abs(start - anchor.start) / max(1, len(text)))
    penalised = quote_sim - _CRITICAL_PENALTY * len(critical) - _WORD_PENALTY * len(changed)
    score = (
        _W_QUOTE * max(0.0, penalised)
        + _W_PREFIX * prefix_sim
        + _W_SUFFIX * suffix_sim
        + _W_CLOSE * closeness
    )
    return _Candidate(
        start=start,
        end=end,
        score=score,
        prefix_sim=prefix_sim,
        suffix_sim=suffix_sim,
        verbatim=verbatim,
        critical=tuple(critical),
        changed=tuple(changed),
    )


def _lookalike_context(old: str, new: str, *, before: bool) -> str:
    """If the quote's own sentence reads the same around it but for a figure or negation, say which."""
    if old == new:
        return ""
    old_part, old_cut = _same_sentence(old, before=before)
    new_part, new_cut = _same_sentence(new, before=before)
    if not old_part or not new_part:
        return ""
    masked = Levenshtein.normalized_similarity(_DIGITS.sub("0", old_part), _DIGITS.sub("0", new_part))
    if masked < _LOOKALIKE_CONTEXT:
        return ""
    old_marks = _marks(old_part, cut=old_cut, before=before)
    new_marks = _marks(new_part, cut=new_cut, before=before)
    return "" if old_marks == new_marks else f"{_listing(old_marks)} → {_listing(new_marks)}"


def _same_sentence(context: str, *, before: bool) -> tuple[str, bool]:
    """The part of a context window in the quote's sentence, and whether the window cut a word off it."""
    if before:
        ends = list(_SENTENCE_END.finditer(context))
        return (context[ends[-1].end() :], False) if ends else (context, len(context) == CONTEXT_LENGTH)
    end = _SENTENCE_END_AHEAD.search(context)
    return (context[: end.end()].rstrip(), False) if end else (context, len(context) == CONTEXT_LENGTH)


def _marks(part: str, *, cut: bool, before: bool) -> list[str]:
    """Figures and negations in a piece of context, leaving out a word the window may have cut."""
    tokens = [_fold(t) for t in _tokens(part)]
    if cut and tokens:
        tokens = tokens[1:] if before else tokens[:-1]
    return [t for t in tokens if _is_figure(t) or _is_negation(t)]


def _context_similarity(old: str, new: str) -> float:
    if not old and not new:
        return 1.0
    return Levenshtein.normalized_similarity(old, new)


def _continues(left: str, right: str) -> bool:
    """Whether the boundary between ``left`` and ``right`` is inside a word or a number."""
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    if a.isalnum() and b.isalnum():
        return True
    # Thousands or decimal separators: "1,300", "2.5".
    if a in ",." and b.isdigit() and len(left) > 1 and left[-2].isdigit():
        return True
    if b in ",." and a.isdigit() and len(right) > 1 and right[1].isdigit():
        return True
    return bool(unicodedata.category(b) in _GRAPHEME_EXTEND_CATEGORIES)


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def _tokens(value: str) -> list[str]:
    return _TOKEN.findall(_UNSPACED.sub(r" \g<0> ", value))


def _fold(token: str) -> str:
    """Lower case without accents: differences below this are orthographic."""
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("\u2019", "'")


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def _is_negation(folded: str) -> bool:
    return folded in _NEGATIONS or folded.endswith("n't")


def _is_figure(folded: str) -> bool:
    return _has_digit(folded) or folded in _NUMBER_WORDS


def _negated_pair(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return any(long == affix + short for affix in _NEGATION_AFFIXES) and len(short) >= 3


def _word_changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """Meaningful differences between a quote and a candidate: (figures/negations, other words)."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    old_folded, new_folded = [_fold(t) for t in old_tokens], [_fold(t) for t in new_tokens]
    critical: list[str] = []
    changed: list[str] = []
    old_figures = [t for t in old_folded if _is_figure(t)]
    new_figures = [t for t in new_folded if _is_figure(t)]
    if old_figures != new_figures:
        critical.append(f"figures changed: {_listing(old_figures)} → {_listing(new_figures)}")
    old_negations = [t for t in old_folded if _is_negation(t)]
    new_negations = [t for t in new_folded if _is_negation(t)]
    if old_negations != new_negations:
        critical.append(f"negation changed: {_listing(old_negations)} → {_listing(new_negations)}")
    for src_start, src_end, dest_start, dest_end in _changed_blocks(
        Levenshtein.opcodes(old_folded, new_folded)
    ):
        removed = old_folded[src_start:src_end]
        added = new_folded[dest_start:dest_end]
        # An article may come or go inside the quote; at its edges the span may have shrunk past a word.
        inside = src_start > 0 and src_end < len(old_folded) and dest_start > 0 and dest_end < len(new_folded)
        if _is_light_change(removed, added, articles=inside):
            continue
        if _is_light_change(_ordinary(removed), _ordinary(added), articles=inside):
            continue  # only figures or negations differ, reported above
        before = _show(" ".join(old_tokens[src_start:src_end]), 40)
        after = _show(" ".join(new_tokens[dest_start:dest_end]), 40)
        if len(removed) == len(added) and any(
            _negated_pair(a, b) for a, b in zip(removed, added, strict=True)
        ):
            critical.append(f"negation changed: {before} → {after}")
        else:
            changed.append(f"{before} → {after}")
    return critical, changed


def _changed_blocks(opcodes: Opcodes) -> list[tuple[int, int, int, int]]:
    """Runs of adjacent edits merged ("cease-fire" → "ceasefire" is one change, not an insert and a
    replace), as (src_start, src_end, dest_start, dest_end)."""
    blocks: list[tuple[int, int, int, int]] = []
    for op in opcodes:
        if op.tag == "equal":
            continue
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            blocks[-1] = (blocks[-1][0], op.src_end, blocks[-1][2], op.dest_end)
        else:
            blocks.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return blocks


def _ordinary(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if not _is_figure(t) and not _is_negation(t)]


def _listing(values: Sequence[str]) -> str:
    return ", ".join(values) if values else "none"


def _is_light_change(removed: Sequence[str], added: Sequence[str], *, articles: bool) -> bool:
    """Spelling, punctuation, spacing, hyphenation or an article: the quote still says the same."""
    light = _LIGHT_WORDS if articles else frozenset[str]()
    old_words = [t for t in removed if _is_word(t) and t not in light]
    new_words = [t for t in added if _is_word(t) and t not in light]
    if "".join(old_words) == "".join(new_words):
        return True  # punctuation, articles, "cease-fire" vs "ceasefire" vs "cease fire"
    if len(old_words) != len(new_words):
        return False
    return all(_is_typo(a, b) for a, b in zip(old_words, new_words, strict=True))


def _is_typo(a: str, b: str) -> bool:
    if a == b:
        return True
    if _is_figure(a) or _is_figure(b) or _negated_pair(a, b):
        return False
    return min(len(a), len(b)) >= _TYPO_MIN_LENGTH and OSA.distance(a, b) <= _TYPO_MAX_EDITS


# Approximate search -------------------------------------------------------------------------------


def _candidate_spans(anchor: Anchor, text: str) -> list[tuple[int, int]]:
    """Places that may hold an edited version of the quote, with boundaries refined."""
    spans: list[tuple[int, int]] = []
    refined: list[tuple[int, int]] = []
    anchored = _between_context(anchor, text)
    if anchored is not None:
        refined.append(anchored)  # exact boundaries already: the old prefix and suffix enclose it
    quote = anchor.exact
    if len(quote) <= _PROBE_LENGTH:
        probes = [(quote, 0)]
    else:  # a long quote is looked for by its start, middle and end (partial alignment of it all is slow)
        middle = (len(quote) - _PROBE_LENGTH) // 2
        probes = [(quote[:_PROBE_LENGTH], 0), (quote[middle : middle + _PROBE_LENGTH], middle)]
        probes.append((quote[-_PROBE_LENGTH:], len(quote) - _PROBE_LENGTH))
    for index, (probe, offset) in enumerate(probes):
        best = _best_window(probe, text, 0, len(text))
        if best is None:
            continue
        found = [best]
        if index == 0:
            # The best place left and right of it: a lookalike, or the real place if the best is a lookalike.
            for lo, hi in ((0, best[0]), (best[1], len(text))):
                other = _best_window(probe, text, lo, hi)
                if other is not None:
                    found.append(other)
        for window_start, _ in found:
            start = max(0, window_start - offset)
            if all(abs(start - known) > 2 for known, _ in spans):
                spans.append((start, min(len(text), start + len(quote))))
    for start, end in spans:
        fitted = _refine(anchor, text, start, end)
        if fitted is not None and fitted not in refined:
            refined.append(fitted)
    return refined


def _resembles(anchor: Anchor, text: str, span: tuple[int, int]) -> bool:
    return Levenshtein.normalized_similarity(anchor.exact, text[span[0] : span[1]]) >= 0.5


def _between_context(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """The text between the old prefix and the old suffix, found verbatim near the old position."""
    if len(anchor.prefix) < 8 or len(anchor.suffix) < 8:
        return None
    limit = 2 * len(anchor.exact) + 64
    starts = _occurrences(text, anchor.prefix, limit=_MAX_OCCURRENCES)
    best: tuple[int, int] | None = None
    for at in sorted(starts, key=lambda p: abs(p + len(anchor.prefix) - anchor.start)):
        start = at + len(anchor.prefix)
        end = text.find(anchor.suffix, start + 1, start + limit + len(anchor.suffix))
        if end != -1:
            best = (start, end)
            break
    return best


def _best_window(quote: str, text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Best-matching window for ``quote`` in ``text[lo:hi]`` (rapidfuzz partial alignment)."""
    if hi - lo < max(1, len(quote) // 2):
        return None
    region = text[lo:hi]
    if len(region) <= len(quote):
        return (lo, hi)
    found = fuzz.partial_ratio_alignment(quote, region, score_cutoff=40)
    if found is None:
        return None
    return (lo + found.dest_start, lo + found.dest_end)


def _refine(anchor: Anchor, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Precise boundaries for an approximate window, by aligning the old prefix+quote+suffix onto it."""
    pad = 8 + len(anchor.exact) // 8
    lo = max(0, start - len(anchor.prefix) - pad)
    hi = min(len(text), end + len(anchor.suffix) + pad)
    source = anchor.prefix + anchor.exact + anchor.suffix
    opcodes: Opcodes = Levenshtein.opcodes(source, text[lo:hi])
    quote_start = len(anchor.prefix)
    quote_end = quote_start + len(anchor.exact)
    new_start = lo + _map_start(opcodes, quote_start, hi - lo)
    new_end = lo + _map_end(opcodes, quote_end)
    if new_end <= new_start:
        return None
    return _adjust_boundaries(anchor, text, new_start, new_end)


def _map_start(opcodes: Opcodes, position: int, dest_len: int) -> int:
    """Where the source character at ``position`` (or the first kept one after it) went."""
    for op in opcodes:
        if op.tag != "insert" and op.src_start <= position < op.src_end:
            return op.dest_start + (position - op.src_start if op.tag != "delete" else 0)
    return dest_len


def _map_end(opcodes: Opcodes, position: int) -> int:
    """Where the end of the source character just before ``position`` went."""
    last = position - 1
    for op in opcodes:
        if op.tag != "insert" and op.src_start <= last < op.src_end:
            return op.dest_start + (last - op.src_start + 1 if op.tag != "delete" else 0)
    return 0


def _adjust_boundaries(anchor: Anchor, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Nudge boundaries a few characters to the closest match that starts and ends like the quote did.
    A long quote's start is fitted by its first _PROBE_LENGTH characters and its end by its last ones."""
    quote = anchor.exact
    long = len(quote) > _PROBE_LENGTH
    head, tail = quote[:_PROBE_LENGTH], quote[-_PROBE_LENGTH:]
    old_start_joined = _continues(anchor.prefix, quote)
    old_end_joined = _continues(quote, anchor.suffix)
    starts: list[tuple[float, int]] = []
    for s in range(max(0, start - _BOUNDARY_SLACK), min(len(text) - 1, start + _BOUNDARY_SLACK) + 1):
        if _splits_grapheme(text, s) or (text[s].isspace() and not quote[0].isspace()):
            continue
        cost = 0.01 * abs(s - start)
        cost += (
            _JOIN_PENALTY if _continues(text[max(0, s - 2) : s], text[s : s + 2]) != old_start_joined else 0
        )
        starts.append((cost + (Levenshtein.distance(head, text[s : s + len(head)]) if long else 0), s))
    ends: list[tuple[float, int]] = []
    for e in range(max(1, end - _BOUNDARY_SLACK), min(len(text), end + _BOUNDARY_SLACK) + 1):
        if _splits_grapheme(text, e) or (text[e - 1].isspace() and not quote[-1].isspace()):
            continue
        cost = 0.01 * abs(e - end)
        cost += _JOIN_PENALTY if _continues(text[max(0, e - 2) : e], text[e : e + 2]) != old_end_joined else 0
        ends.append((cost + (Levenshtein.distance(tail, text[max(0, e - len(tail)) : e]) if long else 0), e))
    pairs = [
        (start_cost + end_cost + (0 if long else Levenshtein.distance(quote, text[s:e])), s, e)
        for start_cost, s in starts
        for end_cost, e in ends
        if e > s
    ]
    if not pairs:
        return None
    _, best_start, best_end = min(pairs)
    return best_start, best_end
