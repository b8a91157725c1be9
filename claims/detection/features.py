"""``analyse``: everything the detector needs to know about one claim, computed once.

Contract: ``analyse(text)`` is a pure, deterministic function returning a frozen
``ClaimFeatures``; the same text always yields an equal value. It never raises on odd input
(empty strings, emoji, markup): such text simply yields empty feature sets. It is two steps, also
callable apart: ``read_many`` (everything but the claim frame, no parser) and ``analyse_readings``
(the frame, from one batched spaCy parse); ``analyse_readings(read_many(texts))`` is
``analyse_many(texts)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from .frames import ClaimFrame, attribution_chars, build_frame
from .measures import Fact, extract_facts, named_entities
from .normalise import STOPWORDS, concept, fold_phrases, index_terms, normalise, stem, word_tokens
from .parsing import Parse, parse_many
from .polarity import PolarityCue, extract_polarity, negation_count
from .quantities import Quantity, extract_quantities
from .timecues import TimeCue, extract_time_cues


@dataclass(frozen=True, slots=True)
class ClaimReading:
    """A claim read without the parser (everything ``ClaimFeatures`` holds but the frame).

    - ``text``: the input as given; ``normalised``: cleaned text that explanations quote;
    - ``tokens``: lower-cased word/number tokens; ``terms``: stemmed content terms (BM25);
    - ``canonical``: tokens with words folded to concepts and each figure replaced by its value
      (``"about 4,000"`` and ``"roughly 4,000"`` both become ``"=4000"``), for wording overlap;
    - ``concepts``: paraphrase-folded set of ``terms`` (overlap in the judge);
    - ``quantities`` and ``facts`` (a quantity with its measure class, window and subject);
    - ``polarity``: outcome cues after negation; ``negations``: number of negators;
    - ``time_cues``: window cues; ``entities``: named places/organisations/people, demonyms folded.

    Retrieval needs only this; ``analyse_readings`` adds the frame, which takes a spaCy parse, so
    a caller can parse only the claims it goes on to judge."""

    text: str
    normalised: str
    tokens: tuple[str, ...]
    terms: tuple[str, ...]
    canonical: tuple[str, ...]
    concepts: frozenset[str]
    quantities: tuple[Quantity, ...]
    facts: tuple[Fact, ...]
    polarity: tuple[PolarityCue, ...]
    negations: int
    time_cues: tuple[TimeCue, ...]
    entities: frozenset[str]


@dataclass(frozen=True, slots=True)
class ClaimFeatures(ClaimReading):
    """Analysed claim: its reading (``ClaimReading``) and what the parse adds.

    - ``frame``: the claim frame (event, modality, figures, scope, time, speaker; ``frames``),
      built from one spaCy parse of ``normalised``;
    - ``attribution``: the code-point span of its attribution clause in ``normalised`` ("..., a
      spokesman told reporters"; ``(0, 0)`` when the claim names no speaker), so the claim's own
      words can be compared without it.

    The fields keep the order they had before ``ClaimReading`` was split out, so stored pickles
    load as they are."""

    frame: ClaimFrame
    attribution: tuple[int, int]


def value_token(q: Quantity) -> str:
    """A figure as a canonical token: "=" + its value (in its canonical unit) + the unit."""
    value = f"{q.value:.6g}"
    if q.kind == "tally":
        value += f"-{q.second:.6g}"
    return "=" + value + q.unit


def _canonical_tokens(norm: str, quantities: tuple[Quantity, ...]) -> tuple[str, ...]:
    out: list[str] = []
    pos = 0
    for q in (*quantities, None):
        end = q.start if q is not None else len(norm)
        for t in fold_phrases(word_tokens(norm[pos:end])):
            out.append(t if t in STOPWORDS or t[0].isdigit() else concept(stem(t)))
        if q is not None:
            out.append(value_token(q))
            pos = q.end
    return tuple(out)


def analyse(text: str) -> ClaimFeatures:
    """Analyse one claim (see module docstring). For many claims use ``analyse_many``: it parses
    them in batches."""
    return analyse_many([text])[0]


def analyse_many(texts: Sequence[str]) -> list[ClaimFeatures]:
    """Analyse claims, in order: one batched spaCy run over the texts not parsed before."""
    return analyse_readings(read_many(texts))


def read_many(texts: Sequence[str]) -> list[ClaimReading]:
    """Read claims, in order, without parsing them."""
    return [_read(text) for text in texts]


def lookup_terms(text: str) -> tuple[str, ...]:
    """The search terms of a text read for retrieval only (a claim's title): what ``terms`` holds
    for a claim, without reading figures or parsing."""
    return index_terms(fold_phrases(word_tokens(normalise(text))))


def analyse_readings(readings: Sequence[ClaimReading]) -> list[ClaimFeatures]:
    """The features of read claims, in order: one batched spaCy run for their frames."""
    parses = parse_many([reading.normalised for reading in readings])
    return [_complete(reading, parsed) for reading, parsed in zip(readings, parses, strict=True)]


def _read(text: str) -> ClaimReading:
    norm = normalise(text)
    tokens = word_tokens(norm)
    terms = index_terms(fold_phrases(tokens))
    quantities = extract_quantities(norm)
    cues = extract_time_cues(norm)
    return ClaimReading(
        text=text,
        normalised=norm,
        tokens=tokens,
        terms=terms,
        canonical=_canonical_tokens(norm, quantities),
        concepts=frozenset(concept(t) for t in terms if not t[0].isdigit()),
        quantities=quantities,
        facts=extract_facts(norm, quantities, cues),
        polarity=extract_polarity(norm),
        negations=negation_count(norm),
        time_cues=cues,
        entities=named_entities(norm),
    )


def _complete(reading: ClaimReading, parsed: Parse) -> ClaimFeatures:
    """The reading's fields as they are, plus what the parse gives (the frame, the attribution)."""
    read = {field.name: getattr(reading, field.name) for field in fields(ClaimReading)}
    return ClaimFeatures(
        **read,
        frame=build_frame(parsed, reading.facts, reading.polarity, reading.negations),
        attribution=attribution_chars(parsed),
    )
