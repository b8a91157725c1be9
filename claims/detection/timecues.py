"""Time-window cues: which stretch of time a figure counts over.

Contract: ``extract_time_cues(text)`` returns the cues in normalised ``text`` in reading order.
A ``TimeCue`` has a ``kind``:

- ``cumulative``: "so far", "in total", "to date", "overall", "since October", "since the war began";
- ``rate``: "daily", "a day", "per week", "an hour" (a figure per period, never comparable with a
  total);
- a calendar window ``day``/``week``/``month``/``quarter``/``half``/``year`` with a ``label``
  ("recent" for "in the past week", "monday", "march", "2023", "first", ...);
- ``update``: "rose to", "has risen to", "climbed to" (a later running total).

- ``asof``: "by 13 March", "as of March 23" (the date a running count was taken; label "03-13").

``event_dates(text)`` returns the dates an event is said to happen on ("on Tuesday", "from 1
June"), for the judge's one-event-two-dates rule; as-of dates are not among them.

``compare_windows(a, b)`` says how two figures' windows relate: "same" (compare directly),
"a_within_b"/"b_within_a" (the first count can be at most the second), or "incomparable"
(different days, a rate against a count, ...). A figure without any cue is treated as an
unspecified running total: equal to another unspecified figure, and containing any explicit
shorter window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import MONTHS, WEEKDAYS


@dataclass(frozen=True, slots=True)
class TimeCue:
    """A time-window cue: ``kind``, a normalised ``label`` and the ``surface`` text at ``start``."""

    kind: str
    label: str
    surface: str
    start: int
    end: int


_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"

# "a year ago", "a day later" date an event; they are not rates.
_NOT_AGO = r"(?! (?:ago|earlier|later|before|after|previously|on)\b)"

_PATTERNS: tuple[tuple[str, str, str], ...] = (
    # "by 13 March", "as of March 23": the date a running count was taken (label set below)
    (
        r"\b(?:by|as of|as at|up to) (?:\d{1,2}(?:st|nd|rd|th)? (?:"
        + _MONTHS
        + r")|(?:"
        + _MONTHS
        + r") \d{1,2})\b",
        "asof",
        "",
    ),
    # (regex, kind, label) — label "" means: take it from the first capture group
    (
        r"\b(?:so far|to date|in total|overall|altogether|cumulative(?:ly)?|all told|in all)\b",
        "cumulative",
        "total",
    ),
    (r"\btotal\b", "cumulative", "total"),
    (r"\bsince (?:early |late |mid-?)?\w+", "cumulative", "since"),
    (r"\bthroughout the (?:war|conflict|year)\b", "cumulative", "total"),
    (r"\b(?:daily|per day|a day|each day|every day|a night|per night)\b" + _NOT_AGO, "rate", "day"),
    (r"\b(?:weekly|per week|a week|each week|every week)\b" + _NOT_AGO, "rate", "week"),
    (r"\b(?:monthly|per month|a month|each month|every month)\b" + _NOT_AGO, "rate", "month"),
    (r"\b(?:annually|per year|a year|each year|every year|per annum|annual)\b" + _NOT_AGO, "rate", "year"),
    (r"\b(?:hourly|per hour|an hour|each hour)\b" + _NOT_AGO, "rate", "hour"),
    (
        r"\b(?:in|over|during) the (?:past|last|previous) (?:week|seven days|7 days)\b"
        r"|\bthis week\b|\blast week\b",
        "week",
        "recent",
    ),
    (
        r"\b(?:in|over|during) the (?:past|last|previous) (?:24|48) hours\b"
        r"|\b(?:today|yesterday|overnight|tonight)\b",
        "day",
        "recent",
    ),
    (
        r"\b(?:in|over|during) the (?:past|last|previous) (?:month|30 days)\b|\bthis month\b|\blast month\b",
        "month",
        "recent",
    ),
    (
        r"\b(?:in|over|during) the (?:past|last|previous) (?:year|12 months)\b|\bthis year\b|\blast year\b",
        "year",
        "recent",
    ),
    (r"\b(?:first|second|third|fourth) quarter\b", "quarter", ""),
    (r"\b(?:first|second) half\b", "half", ""),
    (r"\b(?:full|whole|entire) year\b|\bfor the year\b", "year", "full"),
    (r"\b(?:on|last|this|since|by) (" + _DAYS + r")\b", "day", ""),
    (r"\b(" + _DAYS + r") (?:alone|night|morning|evening)\b", "day", ""),
    (r"\b(" + _DAYS + r")'s\b", "day", ""),
    (r"\b(?:in|during|for|of|last|this) (" + _MONTHS + r")\b", "month", ""),
    (r"\bin (\d{4})\b", "year", ""),
    (r"\b(?:rose|risen|rises|climbed|climbs|increased|jumped|swelled|grew) to\b", "update", "update"),
)
_COMPILED = tuple((re.compile(p, re.IGNORECASE), k, lab) for p, k, lab in _PATTERNS)
# Cheap pre-filter: a pattern can only match when one of these words occurs in the text.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "asof": ("by ", "as of", "as at", "up to"),
    "cumulative": (
        "far",
        "date",
        "total",
        "overall",
        "altogether",
        "cumulative",
        "all",
        "since",
        "throughout",
    ),
    "rate": (
        "daily",
        "per ",
        "a day",
        "each",
        "every",
        "a night",
        "weekly",
        "a week",
        "monthly",
        "a month",
        "annual",
        "a year",
        "hourly",
        "an hour",
    ),
    "week": ("week", "seven days", "7 days"),
    "day": (
        "day",
        "hours",
        "tonight",
        "overnight",
        *WEEKDAYS,
    ),
    "month": (
        "month",
        "30 days",
        *MONTHS,
    ),
    "year": ("year", "12 months", "in 1", "in 2"),
    "quarter": ("quarter",),
    "half": ("half",),
    "update": (" to",),
}


def extract_time_cues(text: str) -> tuple[TimeCue, ...]:
    """All time cues in normalised ``text``, non-overlapping, in reading order."""
    found: list[TimeCue] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    kinds = {k for k, words in _TRIGGERS.items() if any(w in low for w in words)}
    for rx, kind, label in _COMPILED:
        if kind not in kinds:
            continue
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            lab = label or (m.group(1) if m.groups() else m.group(0)).lower()
            if kind == "quarter" or kind == "half":
                lab = m.group(0).split()[0].lower()
            if kind == "asof":
                lab = _month_day(m.group(0))
            found.append(TimeCue(kind, lab, m.group(0), s, e))
            taken.append((s, e))
    found.sort(key=lambda c: c.start)
    return tuple(found)


# Dates that say when an event happened ("on Tuesday", "from 1 June", "Thursday 9 July"), as
# opposed to as-of dates of a running count ("by 13 March", "since Monday"), which are windows.
_EVENT_DATE = re.compile(
    r"(?<!\bby )(?<!\bsince )(?<!\buntil )(?<!\bas of )(?<!\bthrough )"
    r"\b(?:(?P<dm>\d{1,2})(?:st|nd|rd|th)? (?P<m1>" + _MONTHS + r")\b"
    r"|(?P<m2>" + _MONTHS + r") (?P<md>\d{1,2})(?:st|nd|rd|th)?\b(?!\d)"
    r"|(?P<wd>" + _DAYS + r")\b(?!'s? (?:night|morning|evening))?)",
    re.IGNORECASE,
)
_AS_OF = re.compile(r"\b(?:by|since|until|till|through|to)\s+(?:\w+\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=65_536)
def event_dates(text: str) -> frozenset[tuple[str, str, str]]:
    """(granularity, label, surface) of each event date in normalised ``text``: granularity
    "date" for a day of a month ("9 july"), "weekday" for a day name; as-of dates are left out.
    Cached: the judge asks again for each claim a claim is compared with."""
    out: set[tuple[str, str, str]] = set()
    for m in _EVENT_DATE.finditer(text):
        if _AS_OF.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        if m.group("wd"):
            out.add(("weekday", m.group("wd").lower(), m.group(0)))
        else:
            day = m.group("dm") or m.group("md")
            month = (m.group("m1") or m.group("m2")).lower()
            out.add(("date", f"{int(day)} {month}", m.group(0)))
    return frozenset(out)


_MONTH_INDEX = {name: k for k, name in enumerate(_MONTHS.split("|"), start=1)}
_DAY_NUMBER = re.compile(r"\d{1,2}")


def _month_day(surface: str) -> str:
    """ "by 13 March" -> "03-13", a label that sorts in date order."""
    low = surface.lower()
    month = next(k for name, k in _MONTH_INDEX.items() if name in low)
    day = _DAY_NUMBER.search(low)
    return f"{month:02d}-{int(day.group(0)) if day else 0:02d}"


def window_for(position: int, cues: tuple[TimeCue, ...], clause: tuple[int, int]) -> TimeCue | None:
    """The window cue governing a figure at ``position`` inside ``clause`` (start, end offsets).

    Cues in the figure's own clause win, the nearest first; "update" cues are not windows and
    are ignored here (see ``is_update``).
    """
    best: TimeCue | None = None
    best_d = 1 << 30
    for cue in cues:
        if cue.kind == "update":
            continue
        if not (clause[0] <= cue.start < clause[1]):
            continue
        d = abs(cue.start - position)
        if d < best_d:
            best, best_d = cue, d
    return best


def is_update(position: int, cues: tuple[TimeCue, ...]) -> bool:
    """True when an update verb ("rose to", "climbed to") ends just before the figure."""
    return any(c.kind == "update" and 0 <= position - c.end <= 3 for c in cues)


_NESTED = ("day", "week", "month", "quarter", "half", "year")


def compare_windows(a: TimeCue | None, b: TimeCue | None) -> str:
    """Relation between two figures' windows: same, a_within_b, b_within_a or incomparable."""
    ka = a.kind if a else "open"
    kb = b.kind if b else "open"
    if ka == "rate" or kb == "rate":
        if ka == kb and a is not None and b is not None and a.label == b.label:
            return "same"
        return "incomparable"
    if ka == kb == "asof" and a is not None and b is not None and a.label != b.label:
        # a running count taken on an earlier date is at most the count taken later
        return "a_within_b" if a.label < b.label else "b_within_a"
    if ka in ("open", "cumulative", "asof") and kb in ("open", "cumulative", "asof"):
        return "same"
    if ka == "asof":
        ka = "open"
    if kb == "asof":
        kb = "open"
    if ka in ("open", "cumulative"):
        return "b_within_a"
    if kb in ("open", "cumulative"):
        return "a_within_b"
    assert a is not None
    assert b is not None
    if ka == kb and a.label == b.label:
        return "same"
    if a.label == "recent" and b.label == "recent" and ka in _NESTED and kb in _NESTED:
        return "a_within_b" if _NESTED.index(ka) < _NESTED.index(kb) else "b_within_a"
    if ka == "half" and kb == "year" and b.label in ("full", "recent"):
        return "a_within_b"
    if kb == "half" and ka == "year" and a.label in ("full", "recent"):
        return "b_within_a"
    return "incomparable"
