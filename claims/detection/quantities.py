"""Quantity extraction: figures written as digits or words, with their hedges, as intervals.

Contract: ``extract_quantities(text)`` takes normalised text (``normalise.normalise``) and returns
the quantities in reading order. Every ``Quantity`` carries the exact surface it was read from
(hedge included, e.g. ``"about 3,000"``), its nominal value and a closed/open interval the writer
committed to:

- bare figures are exact, widened by rounding: ``"11,000"`` reads as 11,000 +/- 300 because a
  round figure is a rounded count, while ``"7"`` is exactly 7;
- ``about/around/roughly/some/an estimated/approximately`` widen by 15 % each side;
- ``nearly/almost/close to`` lie at or just below the figure;
- ``over/more than/above/in excess of`` are open below (value, inf);
- ``at least/no fewer than/a minimum of`` are [value, inf);
- ``up to/as many as/at most/no more than`` are [0, value]; ``fewer than/less than/under`` [0, value);
- ``dozens``, ``hundreds``, ``thousands``, ``tens of thousands`` ... are vague ranges;
- ``no``/``nobody``/``none``/``not ... any`` before a noun are zero;
- ``double``/``twofold``/``tripled`` are multipliers, ``three in five`` a percentage;

- measures are stored in their dimension's canonical unit (metre, square metre, kg, litre,
  degree Celsius, km/h; ``lexicon.UNIT_CONVERSIONS``), the surface as written: "5.5 inches" and
  "140 millimetres" compare;
- "a third", "two-thirds", "half" are percentages (a share of a whole) and "a quarter of the 400
  workers" a count of 100; "None of the ..." is a 0 % share; "without ... a single" is zero.

Years, days of the month, ordinals and clock times ("11:40 p.m.", "2 a.m.") are not quantities
(time cues read dates). Every word list is in ``lexicon``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num  # type: ignore[import-not-found,import-untyped,unused-ignore]

from .lexicon import (
    CURRENCY_CODES,
    CURRENCY_SYMBOL,
    CURRENCY_WORD,
    FRACTION_NUMERATORS,
    FRACTION_WORDS,
    HEDGES_AFTER,
    HEDGES_BEFORE,
    MILLION_M_NOUNS,
    MONTH_WORDS,
    MULTIPLIERS,
    NOT_COUNT_AFTER_NO,
    ORDINAL_SUFFIX,
    PERCENT_WORDS,
    PHYSICAL_UNITS,
    POINT_WORDS,
    SCALE_ABBR,
    SCALE_ABBR_SPACED,
    SCALE_WORDS,
    TWICE_AS_CLAUSE,
    TWICE_BEFORE,
    UNIT_CONVERSIONS,
    UNITS_WORDS,
    VAGUE_MAGNITUDES,
    ZERO_WORDS,
)

INF = math.inf

# Relative spread for "about"-style hedges and for rounding of round figures.
ABOUT_SPREAD = 0.15
ROUNDING_SHARE = 0.35


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure read from a claim.

    ``low``/``high`` bound the value the writer committed to (``high`` may be ``inf``);
    ``low_open``/``high_open`` say whether the bound itself is excluded ("more than 1,000"
    excludes 1,000). ``kind`` is one of count, percent, money, measure, multiplier,
    tally; ``unit`` is "%" for percentages, an ISO currency code for money, a canonical unit word
    for measures, and "" for plain counts. ``second`` is the other side of a tally ("61-39").
    ``start``/``end`` are character offsets in the normalised text.
    """

    surface: str
    value: float
    low: float
    high: float
    kind: str
    unit: str
    hedge: str
    start: int
    end: int
    low_open: bool = False
    high_open: bool = False
    second: float = 0.0


@dataclass(frozen=True, slots=True)
class Token:
    """A scanner token: ``kind`` is num, cur, pct, word, dash or punct."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


_TOKEN_RE = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<cur>US\$|\$|€|£|¥|₹|₽)"
    r"|(?P<pct>%)"
    r"|(?P<word>[A-Za-z]+(?:'[A-Za-z]+)?\d*)"
    r"|(?P<dash>-)"
    r"|(?P<punct>[.;:!?()\"]|,(?!\d{3}))"
)


@lru_cache(maxsize=8192)
def _scan(text: str) -> tuple[Token, ...]:
    return tuple(
        Token(m.lastgroup or "punct", m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)
    )


def scan(text: str) -> list[Token]:
    """Split normalised text into scanner tokens (words, numbers, symbols). Several modules scan
    the same claim, so results are memoised (tokens are immutable)."""
    return list(_scan(text))


_TRIGGERS = frozenset(
    set(UNITS_WORDS)
    | set(SCALE_WORDS)
    | {p[0] for p, _, _ in VAGUE_MAGNITUDES}
    | set(FRACTION_NUMERATORS)
    | set(FRACTION_WORDS)
    | set(MULTIPLIERS)
    | ZERO_WORDS
    | {code.lower() for code in CURRENCY_CODES}
    | {"no", "not", "a", "without", "twice"}
)


def _is_number_word(tok: Token) -> bool:
    if tok.kind != "word":
        return False
    return tok.low in UNITS_WORDS or tok.low in SCALE_WORDS


def _word_number(tok: Token) -> bool:
    """Hyphenated tens like "thirty-five" arrive as word, dash, word."""
    return _is_number_word(tok)


def _rounding_tolerance(value: float, literal: str, scale: float) -> float:
    """Half-width implied by how round the written figure is."""
    literal = literal.replace(",", "")
    if "." in literal:
        decimals = len(literal.split(".", 1)[1])
        return ROUNDING_SHARE * (10.0**-decimals) * scale
    digits = literal.rstrip("0")
    trailing = len(literal) - len(digits)
    if trailing == 0 or value == 0:
        return 0.0 if scale == 1 else ROUNDING_SHARE * scale
    return ROUNDING_SHARE * (10.0**trailing) * scale


def _interval(value: float, tol: float, hedge: str) -> tuple[float, float, bool, bool]:
    spread = value * ABOUT_SPREAD
    if hedge == "about":
        return max(0.0, value - spread - tol), value + spread + tol, False, False
    if hedge == "nearly":
        return max(0.0, value - spread - tol), value, False, False
    if hedge == "over":
        return value, INF, True, False
    if hedge == "just_over":
        return value, value + spread + tol, True, False
    if hedge == "at_least":
        return value, INF, False, False
    if hedge == "up_to":
        return 0.0, value, False, False
    if hedge == "under":
        return 0.0, value, False, True
    return max(0.0, value - tol), value + tol, False, False


class _Reader:
    """Cursor over scanner tokens with helpers for phrase matching."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = scan(text)
        self.lows = [t.text.lower() for t in self.toks]

    def words(self, i: int, n: int) -> tuple[str, ...]:
        return tuple(self.lows[i : i + n])

    def match_before(self, i: int, phrases: tuple[tuple[tuple[str, ...], str], ...]) -> tuple[int, str]:
        """Longest hedge phrase ending right before token i: (start index, hedge) or (i, "")."""
        for phrase, hedge in phrases:
            n = len(phrase)
            if i - n >= 0 and self.words(i - n, n) == phrase:
                return i - n, hedge
        return i, ""

    def match_after(self, j: int) -> tuple[int, str]:
        for phrase, hedge in HEDGES_AFTER:
            n = len(phrase)
            if self.words(j, n) == phrase:
                return j + n, hedge
        return j, ""


def _parse_word_run(reader: _Reader, i: int) -> tuple[float, int] | None:
    """Parse a run of number words from token i; returns (value, next index)."""
    toks = reader.toks
    j = i
    parts: list[str] = []
    if (
        toks[j].low == "a"
        and j + 1 < len(toks)
        and toks[j + 1].low in ("hundred", "thousand", "million", "billion")
    ):
        parts.append("one")
        j += 1
    while j < len(toks):
        t = toks[j]
        if _word_number(t):
            parts.append(t.low)
            j += 1
            # "thirty-five": the dash joins two number words
            if (
                j + 1 < len(toks)
                and toks[j].kind == "dash"
                and _word_number(toks[j + 1])
                and toks[j].start == t.end
            ):
                j += 1
            continue
        if (
            t.low == "and"
            and parts
            and parts[-1] in SCALE_WORDS
            and j + 1 < len(toks)
            and _word_number(toks[j + 1])
        ):
            parts.append("and")
            j += 1
            continue
        break
    if not parts:
        return None
    if parts == ["one"]:
        return None  # "one" is far more often a pronoun than a count
    try:
        value = float(text2num(" ".join(parts), "en"))
    except ValueError:
        # text2num rejects some orders ("million two"); fall back to the leading word only.
        first = parts[0]
        if first in UNITS_WORDS:
            return float(UNITS_WORDS[first]), i + 1
        return None
    return value, j


def extract_quantities(text: str) -> tuple[Quantity, ...]:
    """All quantities in normalised ``text``, in reading order (see module docstring)."""
    reader = _Reader(text)
    toks = reader.toks
    out: list[Quantity] = []
    i = 0
    n = len(toks)
    while i < n:
        q, nxt = _read_at(reader, i)
        if q is not None:
            out.append(q)
        # a skipped figure (a year, a clock time) is skipped whole: "11:40" yields no "40"
        i = max(nxt, i + 1)
    return tuple(out)


def _make(
    reader: _Reader,
    first: int,
    last: int,
    value: float,
    low: float,
    high: float,
    kind: str,
    unit: str,
    hedge: str,
    low_open: bool = False,
    high_open: bool = False,
    second: float = 0.0,
) -> Quantity:
    start = reader.toks[first].start
    end = reader.toks[last].end
    return Quantity(
        surface=reader.text[start:end],
        value=value,
        low=low,
        high=high,
        kind=kind,
        unit=unit,
        hedge=hedge,
        start=start,
        end=end,
        low_open=low_open,
        high_open=high_open,
        second=second,
    )


def _read_at(reader: _Reader, i: int) -> tuple[Quantity | None, int]:
    toks = reader.toks
    n = len(toks)
    tok = toks[i]
    low = reader.lows[i]
    if tok.kind not in ("num", "cur") and low not in _TRIGGERS:
        return None, i + 1

    # Vague magnitudes ("dozens of", "tens of thousands")
    for phrase, lo, hi in VAGUE_MAGNITUDES:
        k = len(phrase)
        if reader.words(i, k) == phrase:
            nxt = i + k
            bare = phrase in (("several",), ("a", "few"), ("a", "handful"))
            if bare and (nxt >= n or toks[nxt].kind != "word"):
                return None, i + 1  # only a count when a noun follows
            if nxt < n and toks[nxt].low == "of":
                nxt += 1
            first, hedge = reader.match_before(i, HEDGES_BEFORE)
            nominal = math.sqrt(lo * hi)
            unit = ""
            kind = "count"
            if nxt < n and toks[nxt].low in CURRENCY_WORD:
                kind, unit = "money", CURRENCY_WORD[toks[nxt].low]
            return _make(reader, first, i + k - 1, nominal, lo, hi, kind, unit, "vague"), nxt

    # "a dozen", "two dozen"
    if low in ("a", "one", "two", "three", "four", "half") and i + 1 < n and reader.lows[i + 1] == "dozen":
        value = {"a": 12.0, "one": 12.0, "two": 24.0, "three": 36.0, "four": 48.0, "half": 6.0}[low]
        first, hedge = reader.match_before(i, HEDGES_BEFORE)
        lo, hi, lo_o, hi_o = _interval(value, 0.0, hedge if hedge != "exact" else "")
        return _make(reader, first, i + 1, value, lo, hi, "count", "", hedge or "exact", lo_o, hi_o), i + 2

    # Fractions ("a third", "half", "two fifths") and fractions of a count ("a quarter of the 400")
    fraction = _read_fraction(reader, i)
    if fraction is not None:
        return fraction
    if low in MULTIPLIERS or (low == "twice" and _twice_multiplies(reader, i)):
        value = MULTIPLIERS.get(low, 2.0)  # "twice as many", "twice last year's number"
        return _make(reader, i, i, value, value * 0.95, value * 1.05, "multiplier", "", "exact"), i + 1

    # Zero: "no arrests", "nobody", "not ... any"
    if low == "none" and reader.words(i + 1, 2) in (("of", "the"), ("of", "its"), ("of", "their")):
        # "None of the city's buses": a share of a whole, like "a quarter of the city's buses"
        return _make(reader, i, i, 0.0, 0.0, 0.0, "percent", "%", "zero"), i + 1
    if low in ZERO_WORDS or (low == "no" and i + 1 < n and toks[i + 1].low == "one"):
        k = 2 if low == "no" else 1
        return _make(reader, i, i + k - 1, 0.0, 0.0, 0.0, "count", "", "zero"), i + k
    if (
        low == "no" and i + 1 < n and toks[i + 1].kind == "word" and toks[i + 1].low not in NOT_COUNT_AFTER_NO
    ) and toks[i + 1].start == tok.end + 1:
        return _make(reader, i, i + 1, 0.0, 0.0, 0.0, "count", "", "zero"), i + 1
    if low in ("not", "without"):  # "not a single death", "without causing a single death"
        for j in range(i + 1, min(n, i + 4)):
            if toks[j].kind != "word":
                break
            if toks[j].low in ("any", "a") and (
                toks[j].low == "any" or reader.words(j, 2) == ("a", "single")
            ):
                end = j + (2 if toks[j].low == "a" else 1)
                return _make(reader, i, end - 1, 0.0, 0.0, 0.0, "count", "", "zero"), end
    # "three in five" / "one in three" / "one out of five" read as a share of a whole
    gap = 2 if reader.words(i + 1, 2) == ("out", "of") else 1 if reader.words(i + 1, 1) == ("in",) else 0
    if (_is_number_word(tok) or tok.kind == "num") and gap and i + gap + 1 < n:
        a = _simple_value(toks[i])
        b = _simple_value(toks[i + gap + 1])
        if a is not None and b is not None and 0 < a < b <= 100 and (b <= 20 or tok.kind == "word"):
            first, hedge = reader.match_before(i, HEDGES_BEFORE)
            pct = 100.0 * a / b
            lo, hi, lo_o, hi_o = _interval(pct, 100.0 / b / 2 * ROUNDING_SHARE * 2, hedge or "exact")
            return _make(
                reader, first, i + gap + 1, pct, lo, hi, "percent", "%", hedge or "exact", lo_o, hi_o
            ), i + gap + 2

    # Figures: currency? digits / words, scale, unit
    j = i
    currency = ""
    if tok.kind == "cur":
        currency = CURRENCY_SYMBOL[tok.text]
        j = i + 1
        if j >= n:
            return None, i + 1
    elif tok.text in CURRENCY_CODES:
        if i + 1 >= n or toks[i + 1].kind != "num":
            return None, i + 1
        currency, j = CURRENCY_CODES[tok.text], i + 1  # "EUR 3m"
    t = toks[j]
    literal = ""
    if t.kind == "num":
        literal = t.text
        value = float(literal.replace(",", ""))
        j += 1
    else:
        parsed = _parse_word_run(reader, j)
        if parsed is None:
            return None, i + 1
        value, j = parsed
        literal = str(int(value)) if value == int(value) else str(value)
    num_tok = t

    # Skip things that look like figures but are not quantities.
    if t.kind == "num":
        if j < n and toks[j].low in ORDINAL_SUFFIX and toks[j].start == t.end:
            return None, j + 1
        if (
            j < n
            and toks[j].text == ":"
            and j + 1 < n
            and toks[j + 1].kind == "num"
            and value <= 24
            and len(toks[j + 1].text) == 2
            and toks[j].start == t.end
        ):
            return None, j + 2  # clock time
        if _clock_suffix(reader, j):
            return None, j + 1  # "2 a.m.", "9pm"
        if not currency and "," not in literal and "." not in literal and 1800 <= value <= 2100:
            nxt_low = toks[j].low if j < n else ""
            if (
                nxt_low not in PHYSICAL_UNITS
                and nxt_low not in CURRENCY_WORD
                and nxt_low not in ("people", "%")
            ):
                return None, j  # a year
        prev = toks[i - 1].low if i > 0 else ""
        nxt_low = toks[j].low if j < n else ""
        if value <= 31 and (prev in MONTH_WORDS or nxt_low in MONTH_WORDS):
            return None, j  # day of month
        if prev in ("no", "number", "no.", "#", "top", "page", "article", "section", "chapter", "paragraph"):
            return None, j
    scale = 1.0
    if (
        j + 1 < n
        and toks[j].kind == "dash"
        and toks[j + 1].low in SCALE_WORDS
        and t.kind == "num"
        and toks[j].start == toks[j - 1].end
    ):
        j += 1  # "38-million": the dash only joins figure and scale
    if j < n and toks[j].kind == "word":
        w = toks[j].low
        if w in SCALE_WORDS and t.kind == "num":
            scale = SCALE_WORDS[w]
            j += 1
            # "1.5 million" may continue with a currency word below
        elif w in SCALE_ABBR and _scale_abbr_here(reader, j, currency):
            scale = SCALE_ABBR[w]
            j += 1
        elif w == "m" and t.kind == "num" and _million_m(reader, j):
            # "40m" without a currency is metres unless a currency word or a counted noun follows
            scale = 1e6
            j += 1
    value *= scale
    last = j - 1
    kind = "count"
    unit = ""
    second = 0.0

    # Tallies and ranges: "61-39", "by 61 votes to 39", "3,000-5,000", "between 3 and 5"
    range_hi: float | None = None
    if (
        j + 1 < n
        and toks[j].kind == "dash"
        and toks[j + 1].kind == "num"
        and toks[j].start == toks[j - 1].end
    ):
        other = float(toks[j + 1].text.replace(",", ""))
        if other < value and value < 1000 and scale == 1 and not currency:
            kind, second, last, j = "tally", other, j + 1, j + 2
        elif other > value:
            range_hi, last, j = other * scale, j + 1, j + 2
    elif reader.words(j, 2) in (("votes", "to"), ("to", "vote")) and j + 2 < n and toks[j + 2].kind == "num":
        kind, second, last, j = "tally", float(toks[j + 2].text.replace(",", "")), j + 2, j + 3
    elif j + 1 < n and toks[j].low in ("to", "and") and toks[j + 1].kind == "num" and not currency:
        other = float(toks[j + 1].text.replace(",", "")) * scale
        if other > value and ((i > 0 and toks[i - 1].low in ("between", "from")) or toks[j].low == "to"):
            if toks[j].low == "to" and i > 0 and toks[i - 1].low == "from":
                pass  # "from 3 to 5" is a change, not a range: keep the first figure only
            elif toks[j].low == "and" and not (i > 0 and toks[i - 1].low == "between"):
                pass
            else:
                range_hi, last, j = other, j + 1, j + 2

    # Units after the figure
    if kind != "tally" and j < n:
        w = toks[j].low
        if (toks[j].kind == "pct" or w in PERCENT_WORDS) and j + 1 < n and toks[j + 1].low in POINT_WORDS:
            kind, unit, last, j = "measure", "point", j + 1, j + 2  # "1.5 percentage points": a change
        elif toks[j].kind == "pct" or w in PERCENT_WORDS:
            kind, unit, last, j = "percent", "%", j, j + 1
        elif w == "per" and j + 1 < n and toks[j + 1].low == "cent":
            kind, unit, last, j = "percent", "%", j + 1, j + 2
        elif w in CURRENCY_WORD and not (w == "won" and value < 1e5):
            currency = CURRENCY_WORD[w]
            last, j = j, j + 1
        elif toks[j].kind == "dash" and j + 1 < n and toks[j + 1].low in PHYSICAL_UNITS:
            kind, unit, last, j = "measure", PHYSICAL_UNITS[toks[j + 1].low], j + 1, j + 2
        elif (
            w in PHYSICAL_UNITS
            and w not in ("point", "points", "seats")
            and not (w in ("c", "f") and not _degree_sign(reader, j))
            and not (w == "m" and (toks[j].text != "m" or scale != 1 or num_tok.kind != "num"))
        ):
            kind, unit, last, j = "measure", PHYSICAL_UNITS[w], j, j + 1
            if w in ("year", "years") and j < n and toks[j].low == "old":
                unit, last, j = "age", j, j + 1
            elif unit in ("km", "mile") and reader.words(j, 2) in (("per", "hour"), ("an", "hour")):
                unit, last, j = ("kmh" if unit == "km" else "mph"), j + 1, j + 2  # "80 km per hour"
            elif (
                unit == "km"
                and j < n
                and toks[j].low == "h"
                and reader.text[toks[j - 1].end : toks[j].start] == "/"
            ):
                unit, last, j = "kmh", j, j + 1  # "130 km/h"
            elif unit == "degree" and j < n and toks[j].low in ("fahrenheit", "f", "celsius", "c"):
                unit, last, j = PHYSICAL_UNITS[toks[j].low], j, j + 1  # "degrees Fahrenheit"
        elif w in ("cubic", "square", "sq") and j + 1 < n and toks[j + 1].low in PHYSICAL_UNITS:
            shape = "square" if w == "sq" else w  # "12 sq km"
            kind, unit, last, j = "measure", shape + "_" + PHYSICAL_UNITS[toks[j + 1].low], j + 1, j + 2
            if unit == "cubic_metre" and toks[j - 1].low in ("metre", "metres", "meter", "meters"):
                pass
        elif _degree_sign_only(reader, j - 1):
            kind, unit = "measure", "degree"  # "41° in the shade"
    elif kind != "tally" and j == n and _degree_sign_only(reader, j - 1):
        kind, unit = "measure", "degree"  # "... reached 41°"
    if currency:
        kind, unit = "money", currency

    # Hedges around the figure
    first, hedge = reader.match_before(i, HEDGES_BEFORE)
    if hedge in ("exact",) and first < i and toks[first].low == "just" and i - first == 1:
        hedge = "exact"
    after_j, after_hedge = reader.match_after(j)
    if after_hedge and not hedge:
        hedge, last, j = after_hedge, after_j - 1, after_j
    if (
        first < i
        and hedge == "over"
        and toks[first].low in ("passed", "topped", "surpassed", "exceeded", "over")
    ):
        pass
    tol = _rounding_tolerance(value / scale if scale != 1 else value, literal, scale)
    if num_tok.kind == "word":
        tol = _rounding_tolerance(value, str(int(value)), 1.0)
    if hedge == "exact" and first < i and reader.lows[first] in ("exactly", "precisely"):
        tol = 0.0
    elif kind == "percent" and "." not in literal:
        tol = max(tol, 0.5)  # "17 percent" is how "17.3 percent" is rounded
    if scale > 1 and "." not in literal and hedge != "exact":
        tol = max(tol, 0.45 * scale)  # "$247 billion" is how "$247.7 billion" is rounded
    if kind == "tally":
        return _make(reader, first, last, value, value, value, kind, unit, hedge or "exact", second=second), j
    if range_hi is not None:
        unit, mid, lo, hi = _to_canonical_unit(unit, (value + range_hi) / 2, value, range_hi)
        return _make(reader, first, last, mid, lo, hi, kind, unit, "range"), j
    lo, hi, lo_o, hi_o = _interval(value, tol, hedge if hedge != "exact" else "")
    unit, value, lo, hi = _to_canonical_unit(unit, value, lo, hi)
    return _make(reader, first, last, value, lo, hi, kind, unit, hedge or "exact", lo_o, hi_o), j


def _clock_suffix(reader: _Reader, j: int) -> bool:
    """An hour of the day follows: "a.m."/"p.m." (scanned as a . m .) or "am"/"pm"."""
    lows, toks = reader.lows, reader.toks
    if j < len(lows) and lows[j] in ("am", "pm") and toks[j].start == toks[j - 1].end:
        return True
    return (
        j + 2 < len(lows)
        and lows[j] in ("a", "p")
        and lows[j + 1] == "."
        and lows[j + 2] in ("m", "m.")
        and toks[j + 1].start == toks[j].end
    )


def _twice_multiplies(reader: _Reader, i: int) -> bool:
    """ "twice" at token i multiplies what follows ("twice as many", "twice last year's number");
    "scored twice", "scored twice as the team won" count occasions."""
    nxt = reader.lows[i + 1] if i + 1 < len(reader.lows) else ""
    if nxt not in TWICE_BEFORE:
        return False
    if nxt != "as":
        return True
    after = reader.toks[i + 2] if i + 2 < len(reader.toks) else None
    return (
        after is not None
        and after.kind == "word"
        and after.low not in TWICE_AS_CLAUSE
        and not after.text[0].isupper()
    )


def _scale_abbr_here(reader: _Reader, j: int, currency: str) -> bool:
    """A scale abbreviation at token j: "bn", "mn" ... right after the figure or a space apart;
    "m", "b", "k" only right after it ("3bn", "40k"), and "m"/"b" only after a currency
    ("$3m", "$3 m"): without one, "6.2 m" is metres."""
    toks, w = reader.toks, reader.lows[j]
    gap = reader.text[toks[j - 1].end : toks[j].start]
    if gap not in ("", " "):
        return False
    if w in SCALE_ABBR_SPACED:
        return True
    if w in ("m", "b"):
        return bool(currency)
    return gap == "" or bool(currency)


def _million_m(reader: _Reader, j: int) -> bool:
    """ "m" after a figure without a currency before it is a million when a currency word or a
    counted noun follows ("3m euros", "1.2 m people"); otherwise it is metres."""
    toks = reader.toks
    if reader.text[toks[j - 1].end : toks[j].start] not in ("", " ") or j + 1 >= len(toks):
        return False
    nxt = reader.lows[j + 1]
    return nxt in CURRENCY_WORD or nxt in MILLION_M_NOUNS


def _degree_sign_only(reader: _Reader, j: int) -> bool:
    """A degree sign right after the figure at token j with no C/F after it ("41°")."""
    end = reader.toks[j].end
    if reader.text[end : end + 1] != "\u00b0":
        return False
    nxt = j + 1
    return not (nxt < len(reader.toks) and reader.lows[nxt] in ("c", "f", "celsius", "fahrenheit"))


def _degree_sign(reader: _Reader, j: int) -> bool:
    """ "C"/"F" is a temperature unit only right after the figure or after a degree sign ("43 °C")."""
    prev_end = reader.toks[j - 1].end
    between = reader.text[prev_end : reader.toks[j].start]
    return between == "" or between.strip() == "\u00b0"


def _to_canonical_unit(unit: str, value: float, low: float, high: float) -> tuple[str, float, float, float]:
    """A measure in its dimension's canonical unit (``lexicon.UNIT_CONVERSIONS``): "5.5 inches"
    and "140 millimetres" are both lengths in metres; the surface keeps what was written."""
    conv = UNIT_CONVERSIONS.get(unit)
    if conv is None:
        return unit, value, low, high
    canonical, factor, offset = conv

    def f(x: float) -> float:
        return x if math.isinf(x) else x * factor + offset

    return canonical, f(value), f(low), f(high)


# Interval of a fraction as a writer uses it: "a third" covers 30-36.7 %.
FRACTION_SPREAD = 0.10


def _read_fraction(reader: _Reader, i: int) -> tuple[Quantity | None, int] | None:
    """ "half", "a third", "two fifths" (a percentage of a whole) and "a quarter of the 400
    workers" (a count: 100). None when token i opens no fraction."""
    toks, lows, n = reader.toks, reader.lows, len(reader.toks)
    low = lows[i]
    if low == "half":
        if i > 0 and lows[i - 1] in ("and", "a"):
            return None, i + 1  # "two and a half", "a half-marathon"
        num, den_i = 1.0, i
        share = 0.5
    elif low in FRACTION_NUMERATORS:
        den_i = i + 1
        if den_i < n and toks[den_i].kind == "dash":
            den_i += 1  # "two-thirds"
        if den_i >= n or lows[den_i] not in FRACTION_WORDS or lows[den_i] == "half":
            return None
        num = float(FRACTION_NUMERATORS[low])
        share = num * FRACTION_WORDS[lows[den_i]]
        plural = lows[den_i].endswith("s")
        if share >= 1 or plural != (num > 1):
            return None  # "one thirds", "four thirds": not a share
        nxt = lows[den_i + 1] if den_i + 1 < n else ""
        prev = lows[i - 1] if i > 0 else ""
        # "a third" is a share only where a share reads ("a third of", "by a third", "nearly a
        # third"), never in "a third time" or "the first quarter".
        share_reads = nxt in ("of", "the", "their", "its", "", ".", ",") or prev in ("by", "than", "to")
        if not share_reads and reader.match_before(i, HEDGES_BEFORE)[1] == "":
            return None
    else:
        return None
    if den_i + 1 < n and toks[den_i + 1].kind == "dash":
        return None, i + 1  # "half-marathon", "half-year"
    first, hedge = reader.match_before(i, HEDGES_BEFORE)
    pct = 100.0 * share
    whole_at = _whole_after(reader, den_i + 1)
    if whole_at is not None:
        whole, last = whole_at
        value = share * whole
        lo, hi, lo_o, hi_o = _fraction_interval(value, hedge)
        return _make(reader, first, last, value, lo, hi, "count", "", hedge or "exact", lo_o, hi_o), den_i + 1
    lo, hi, lo_o, hi_o = _fraction_interval(pct, hedge)
    return _make(reader, first, den_i, pct, lo, hi, "percent", "%", hedge or "exact", lo_o, hi_o), den_i + 1


def _fraction_interval(value: float, hedge: str) -> tuple[float, float, bool, bool]:
    if hedge in ("about", "exact", ""):
        return value * (1 - FRACTION_SPREAD), value * (1 + FRACTION_SPREAD), False, False
    return _interval(value, 0.0, hedge)


def _whole_after(reader: _Reader, j: int) -> tuple[float, int] | None:
    """The whole a fraction is taken of: "of the 400", "of its 3,600" -> (400.0, index of 400)."""
    toks, lows = reader.toks, reader.lows
    if j + 2 < len(toks) and lows[j] == "of" and lows[j + 1] in ("the", "its", "their", "all"):
        t = toks[j + 2]
        if t.kind == "num":
            return float(t.text.replace(",", "")), j + 2
    return None


def _simple_value(tok: Token) -> float | None:
    if tok.kind == "num":
        try:
            return float(tok.text.replace(",", ""))
        except ValueError:
            return None
    if tok.low in UNITS_WORDS:
        return float(UNITS_WORDS[tok.low])
    return None


def intervals_overlap(a: Quantity, b: Quantity) -> bool:
    """True when some value satisfies both quantities' intervals."""
    if a.high < b.low or b.high < a.low:
        return False
    if a.high == b.low and (a.high_open or b.low_open):
        return False
    return not (b.high == a.low and (b.high_open or a.low_open))
