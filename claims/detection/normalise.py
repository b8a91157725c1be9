"""Text normalisation and tokenisation shared by every other detection module.

Contracts:
- ``normalise(text)`` returns display-safe text: Unicode NFKC, straight quotes, plain dashes,
  HTML entities decoded, social-media noise (URLs, ``pic.twitter.com`` links, the trailing
  ``— Name (@handle) Month d, yyyy`` signature) removed, hashtags and @handles split into words,
  whitespace collapsed. Case is kept so explanations can quote the claim as written.
- ``word_tokens(text)`` returns lower-cased word and number tokens of normalised text; number
  tokens lose their thousands separators (``"11,000"`` -> ``"11000"``).
- ``index_terms(tokens)`` drops stopwords and stems; these are the terms BM25 indexes.
- ``concept(stem)`` maps a stem to a canonical concept so that paraphrases overlap
  (``"troops"``/``"soldiers"`` -> ``"troop"``); unknown stems map to themselves.

Everything here is a pure function of its input.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import Stemmer  # type: ignore[import-not-found,import-untyped,unused-ignore]

from .lexicon import (
    CONCEPT_GROUPS,
    DEMONYMS,
    NEGATORS,
    STOPWORDS,
)

# Re-exported: the other readers and the judge import them from here.
__all__ = [
    "NEGATORS",
    "STOPWORDS",
    "concept",
    "entity_key",
    "fold",
    "fold_phrases",
    "index_terms",
    "normalise",
    "stem",
    "word_tokens",
]

_STEMMER = Stemmer.Stemmer("english")

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)

_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
# A tweet pasted from the web ends with "— Display Name (@handle) Month d, yyyy"; the name and
# date are provenance, not content, and they swamp short claims in BM25.
_SIGNATURE = re.compile(
    r"\s*[\u2014\u2013]\s*[^\u2014\u2013]{0,120}?\(@\w{1,30}\)\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\s*$"
)
_HASHTAG = re.compile(r"(?<![\w&])[#@]([A-Za-z0-9_]+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[\u2013\u2014]")

_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[A-Za-z][A-Za-z']*")


def normalise(text: str) -> str:
    """Return ``text`` cleaned for analysis and display (see module docstring)."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).translate(_TRANSLATE)
    text = _URL.sub(" ", text)
    text = _SIGNATURE.sub("", text)
    text = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1).replace("_", " ")) + " ", text)
    text = _DASHES.sub(" - ", text)
    return _SPACES.sub(" ", text).strip()


def fold(word: str) -> str:
    """Lower-case a token and strip possessive/quote apostrophes."""
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    return word.strip("'")


def word_tokens(text: str) -> tuple[str, ...]:
    """Lower-cased word/number tokens of ``text`` (already normalised)."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(tok.replace(",", ""))
        else:
            # "didn't" must still read as a negation after the apostrophe is split off.
            low = tok.lower()
            if low.endswith("n't"):
                stem = low[:-3]
                if stem:  # a bare "n't" is the negation alone
                    out.append({"ca": "can", "wo": "will", "sha": "shall"}.get(stem, stem))
                out.append("not")
                continue
            folded = fold(tok)
            if folded:
                out.append(folded)
    return tuple(out)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English stem of a lower-case word; numbers pass through unchanged."""
    if word[0].isdigit():
        return word
    return str(_STEMMER.stemWord(word))


# Multi-word paraphrases folded to one word before terms and concepts are taken, so that
# "took their own lives" overlaps "committed suicide". Keys are lower-case token sequences.
_PHRASES: dict[tuple[str, ...], str] = {}
for _phrase, _word in (
    ("took their own lives", "suicide"),
    ("take their own lives", "suicide"),
    ("taking their own lives", "suicide"),
    ("took his own life", "suicide"),
    ("took her own life", "suicide"),
    ("killed themselves", "suicide"),
    ("killed himself", "suicide"),
    ("lost their lives", "died"),
    ("lost his life", "died"),
    ("lost her life", "died"),
    ("stepped down", "resigned"),
    ("step down", "resign"),
    ("voted down", "rejected"),
    ("voted through", "approved"),
    ("walked out", "strike"),
    ("went on strike", "strike"),
    ("called back", "recalled"),
    ("call back", "recall"),
    ("turned out", "turnout"),
    ("took part", "participated"),
    ("taken prisoner", "captured"),
    ("taken captive", "captured"),
    ("laid off", "cut"),
    ("set fire to", "burned"),
):
    _PHRASES[tuple(_phrase.split())] = _word
_PHRASE_LENGTHS = sorted({len(k) for k in _PHRASES}, reverse=True)


def fold_phrases(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Replace known multi-word paraphrases by one word (see ``_PHRASES``)."""
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        for k in _PHRASE_LENGTHS:
            if i + k <= n and tokens[i : i + k] in _PHRASES:
                out.append(_PHRASES[tokens[i : i + k]])
                i += k
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def index_terms(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Stemmed content terms (stopwords and negators removed), in order, duplicates kept."""
    return tuple(stem(t) for t in tokens if t not in STOPWORDS and t not in NEGATORS and len(t) > 1)


_CONCEPT: dict[str, str] = {}
for _name, _stems in CONCEPT_GROUPS:
    for _s in _stems:
        _CONCEPT.setdefault(_s, _name)


def concept(term: str) -> str:
    """Canonical concept for a stemmed term (identity when the term is not in a group)."""
    return _CONCEPT.get(term, term)


def entity_key(word: str) -> str:
    """Fold demonyms and capital-city metonyms onto the place they name ("Ukrainian" -> "ukraine")."""
    low = word.lower()
    return DEMONYMS.get(low, low)
