"""Split an article's text into sentences, as spans of Unicode code points (Python ``str`` indices,
as annotation selectors use). Pure: no Django, no I/O.

1. Paragraphs: every line break ends a sentence (the normalised text keeps one paragraph per line).
2. Inside a line, a sentence ends at ``.``, ``!``, ``?`` or ``…`` with its closing quotes and
   brackets, when whitespace and then a capital, a digit or an opening quote follow.
3. Not after an abbreviation (``Mr.``, ``Gen.``, ``U.S.``) or a single initial (``John F. Kennedy``).
4. Spans are trimmed of surrounding whitespace; empty ones are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Closing quotes and brackets that belong to the sentence they close.
_CLOSERS = "\"'”’»)]"
# Where a sentence may end: the stop, its closers, then the whitespace before the next one.
_BOUNDARY = re.compile(rf"([.!?…]+)([{re.escape(_CLOSERS)}]*)(\s+)(?=[\"'“‘«(\[A-Z0-9À-ÖØ-Þ])")
_LAST_WORD = re.compile(r"(\S+)$")
# Abbreviations after which a full stop does not end a sentence (compared without the stop,
# case-insensitively): titles, ranks, months and Latin shorthands news copy uses.
_ABBREVIATIONS = frozenset(
    str.split(
        "mr mrs ms dr prof gen lt col sgt capt cmdr adm maj gov sen rep st jr sr rev hon pres no "
        "nos vol fig art dept est approx inc ltd co corp vs etc e.g i.e cf al jan feb mar apr jun "
        "jul aug sep sept oct nov dec"
    )
)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def _ends_sentence(line: str, stop_at: int) -> bool:
    """Whether the full stop at ``stop_at`` closes a sentence rather than an abbreviation."""
    word = _LAST_WORD.search(line, 0, stop_at)
    if word is None:
        return True
    token = word.group(1).lstrip("\"'“‘«([").lower()
    if token in _ABBREVIATIONS:
        return False
    # A single letter (an initial) or dotted letters (U.S, U.N) is an abbreviation.
    return not re.fullmatch(r"(?:[a-z]\.)*[a-z]", token)


def _line_sentences(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    line = text[line_start:line_end]
    begin = 0
    for boundary in _BOUNDARY.finditer(line):
        stops = boundary.group(1)
        if stops == "." and not _ends_sentence(line, boundary.start(1)):
            continue
        spans.append((begin, boundary.start(3)))
        begin = boundary.end(3)
    spans.append((begin, len(line)))
    return [(line_start + start, line_start + end) for start, end in spans]


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each with ``text[start:end] == sentence.text``."""
    sentences: list[Sentence] = []
    position = 0
    for line in text.split("\n"):
        line_start, line_end = position, position + len(line)
        position = line_end + 1
        for start, end in _line_sentences(text, line_start, line_end):
            piece = text[start:end]
            stripped = piece.strip()
            if not stripped:
                continue
            start += len(piece) - len(piece.lstrip())
            sentences.append(Sentence(start, start + len(stripped), stripped))
    return sentences
