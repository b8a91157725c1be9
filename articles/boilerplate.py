"""Line-level boilerplate filtering for imported articles. Pure: lines in, kept and dropped lines out.

News pages carry advertisement markers, share and subscription pleas, related-article teasers,
weather and date headers, and footers. They are not part of what an outlet reported, and a claim
highlighted in them would be meaningless, so the importer drops them and reports each drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHOLE_LINE = [
    (re.compile(p, re.IGNORECASE), reason)
    for p, reason in [
        (r"-*\s*advertisement\s*-*", "advertisement marker"),
        (r"(ad|ads|sponsored( content)?|promoted)", "advertisement marker"),
        (r"share( this| the)?( article| story| post| news)?|share (on|via) \w+", "share prompt"),
        (
            r"must read|hot news( now)?|you may also like|more articles|latest( articles?| news)?",
            "related teaser",
        ),
        (
            r"related( articles?| stories| coverage)?:?|recommended( for you)?|trending( now)?",
            "related teaser",
        ),
        (r"most (read|popular)|top stories|editor'?s picks|don'?t miss", "related teaser"),
        (
            r"read more|see also|source link|leave a comment|comments?( \(\d+\))?|\d+ comments?",
            "page furniture",
        ),
        (r"(print|email|copy link|whatsapp|facebook|twitter|x|linkedin|telegram)", "share prompt"),
        (r"listen to (this )?article.*|\d+ min(ute)? read", "page furniture"),
        (r"(skip to (main )?content|back to top|scroll to top|menu|search|home)", "page furniture"),
        (r"-?\d+(\.\d+)?\s*°?\s*[CF]", "weather header"),
        (
            r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+"
            r"(\d{1,2}\s+\w+|\w+\s+\d{1,2}),?\s+\d{4}",
            "date header",
        ),
        (r"[\w.-]+\.(com|net|org|co\.uk|news|info|example)", "site name"),
    ]
]

_PREFIX = [
    (re.compile(p, re.IGNORECASE), reason)
    for p, reason in [
        (r"(subscribe|sign up|signup|register) (to|for|now|today)\b", "subscription plea"),
        (r"(support|fund) (our |independent |quality )?(journalism|reporting)", "subscription plea"),
        (r"(become|join us as) a (member|subscriber|supporter)", "subscription plea"),
        (r"subscribe (free|now|today|here)\b", "subscription plea"),
        (r"(this|the) (story|article) is part of\b.{0,80}\bnewsletter\b", "subscription plea"),
        (r"click here\b", "subscription plea"),
        (r"(follow|like) us on\b", "share prompt"),
        (r"(read more|see also|also read|read also|related|watch|listen)\s*[:|-]", "related teaser"),
        (r"©|\(c\) \d{4}|copyright\b", "footer"),
        (r".*all rights reserved\.?$", "footer"),
        (r"via @\w+", "attribution handle"),
        (r"(main )?photo (source|credit)s?\s*:", "photo credit"),
        (r"(image|picture) (source|credit)s?\s*:", "photo credit"),
        (
            r"(this|the) (article|story) (was|is) (originally )?(published|first published|updated)",
            "page furniture",
        ),
        (r"we use cookies|by continuing to (use|browse)|accept (all )?cookies", "cookie banner"),
    ]
]

# Anywhere in a line: pleas for money or sign-ups that no news sentence makes.
_ANYWHERE = [
    (re.compile(p, re.IGNORECASE), reason)
    for p, reason in [
        (r"\b(consider )?becoming a (paid )?(member|subscriber|supporter)\b", "subscription plea"),
        (r"\byour support helps us\b", "subscription plea"),
    ]
]
# "by NAME · Outlet" glued to the first sentence ("... · Daily PostThe council said ...").
_GLUED_BYLINE = re.compile(
    r"^by\s+(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})\s*[·|•]\s*[A-Z][\w ]{0,40}?[a-z](?=[A-Z][a-z])"
)
_EMAIL = re.compile(r"\[email\s*protected\]|[\w.+-]+@[\w-]+\.[\w.]+", re.IGNORECASE)
_REPORTER = re.compile(r"^(reporter|correspondent|written by|by)\s+\S.{0,60}$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)\]]$")
# A teaser headline may end in a quotation mark but never in a full stop.
_TERMINAL_STOP = re.compile(r"[.!?…][\"'”’»)\]]?$")
# After these markers comes a teaser headline for another article.
_TEASER_MARKERS = re.compile(r"^(read more|see also|more on this|related)\s*:?$", re.IGNORECASE)


@dataclass(frozen=True)
class DroppedLine:
    number: int  # 1-based line number in the source
    text: str
    reason: str


@dataclass(frozen=True)
class CleanedLines:
    title: str | None
    byline: str
    lines: tuple[str, ...]
    dropped: tuple[DroppedLine, ...]


def _word_count(line: str) -> int:
    return len(line.split())


def classify(line: str) -> str | None:
    """The reason ``line`` is boilerplate, or None when it may be article text."""
    stripped = line.strip().strip("|•·").strip()
    if not stripped:
        return None
    for pattern, reason in _WHOLE_LINE:
        if pattern.fullmatch(stripped):
            return reason
    for pattern, reason in _PREFIX:
        if pattern.match(stripped):
            return reason
    for pattern, reason in _ANYWHERE:
        if pattern.search(stripped):
            return reason
    if _EMAIL.search(stripped) and _word_count(stripped) <= 12:
        return "reporter contact"
    return None


def clean_lines(raw_lines: list[str], *, take_title: bool) -> CleanedLines:
    """Drop boilerplate lines; with ``take_title`` the first substantial line becomes the title.

    Lines above the title that are short (weather, a city, a date) are header noise. A byline line
    ("by ..." / "Reporter ...") is removed from the text and returned separately. Short lines
    without sentence punctuation after the last paragraph are a footer.
    """
    kept: list[tuple[int, str]] = []
    dropped: list[DroppedLine] = []
    title: str | None = None
    byline = ""
    skip_teaser_after: int | None = None
    for number, raw in enumerate(raw_lines, start=1):
        line = raw.replace("\u00a0", " ").strip()
        if not line:
            continue
        if skip_teaser_after is not None and number > skip_teaser_after:
            skip_teaser_after = None
            if not _TERMINAL_STOP.search(line) and _word_count(line) <= 20:
                dropped.append(DroppedLine(number, line, "related teaser"))
                continue
        reason = classify(line)
        if reason is not None:
            dropped.append(DroppedLine(number, line, reason))
            if _TEASER_MARKERS.match(line):
                skip_teaser_after = number
            continue
        if title is not None and line.replace(title, "").strip() == "":
            # Page templates repeat the headline, sometimes twice on one line.
            dropped.append(DroppedLine(number, line, "repeated title"))
            continue
        glued = _GLUED_BYLINE.match(line)
        if glued:
            byline = byline or glued["name"]
            dropped.append(DroppedLine(number, glued.group(0), "byline"))
            line = line[glued.end() :]
        if take_title and title is None:
            if _word_count(line) >= 3:
                title = line
            else:
                dropped.append(DroppedLine(number, line, "header noise before the title"))
            continue
        if _REPORTER.match(line) and not _SENTENCE_END.search(line) and _word_count(line) <= 8:
            byline = byline or re.sub(r"^(reporter|correspondent|written by|by)\s+", "", line, flags=re.I)
            dropped.append(DroppedLine(number, line, "byline"))
            continue
        kept.append((number, line))
    # A footer is the run of short, unpunctuated lines after the last real paragraph.
    while kept:
        number, line = kept[-1]
        if _word_count(line) < 6 and not _SENTENCE_END.search(line):
            dropped.append(DroppedLine(number, line, "footer"))
            kept.pop()
        else:
            break
    dropped.sort(key=lambda item: item.number)
    return CleanedLines(
        title=title, byline=byline, lines=tuple(line for _, line in kept), dropped=tuple(dropped)
    )
