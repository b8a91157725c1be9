"""The per-process retrieval index, rebuilt from the database and kept in step with it.

Vectors and analysed features live in ``ClaimVector`` (the system of record). Each worker process
holds one ``CandidateIndex`` built from them; before every search it catches up with rows changed
since its watermark, re-reading a short overlap because a transaction that started earlier can
commit later (rows whose version it already holds are skipped after a light first query).
Removed and merged claims may linger in the index: candidates are re-read from the database,
which filters them out.

An LRU cache keeps the features and float32 vector of recently seen claims by claim version, so
judging a candidate costs one light query (is it live, at which version?) and reads the stored
blobs only of the candidates missing from it.
"""

from __future__ import annotations

import logging
import math
import pickle
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from claims import detection
from claims.chunking import chunked
from claims.detection.matching import (
    DEFAULT_MATCH_WEIGHTS,
    MATCH_FLOOR,
    MatchWeights,
    match_label,
    match_score,
    match_score_ceiling,
)
from claims.detection.repeats import repeat_relation
from claims.embedding import Embedder, get_embedder
from claims.models import Claim, ClaimVector

logger = logging.getLogger(__name__)

SYNC_OVERLAP = timedelta(seconds=10)
BUILD_BATCH = 5000
# Ids per ``IN (...)`` list: well below SQLite's limit on query parameters.
QUERY_CHUNK = 5000
CANDIDATES = 50
FEATURE_CACHE_SIZE = 100_000

_lock = threading.RLock()


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A live claim as the index and the judge see it."""

    claim_id: int
    version: int
    vector: np.ndarray
    features: detection.ClaimFeatures
    # Retrieval only: the text embedded with the claim's title, and the title (None and "" for a
    # claim without one). The judge compares ``vector`` and ``features``, the text's.
    lookup_vector: np.ndarray | None = None
    title: str = ""

    @property
    def index_vector(self) -> np.ndarray:
        return self.vector if self.lookup_vector is None else self.lookup_vector


@dataclass
class _Runtime:
    embedder: Embedder | None = None
    index: detection.CandidateIndex | None = None
    watermark: datetime | None = None
    indexed_versions: dict[int, int] = field(default_factory=dict)
    cache: OrderedDict[int, StoredClaim] = field(default_factory=OrderedDict)


_runtime = _Runtime()


def embedder() -> Embedder:
    with _lock:
        if _runtime.embedder is None:
            _runtime.embedder = get_embedder(settings.DETECTION_CACHE_DIR)
        return _runtime.embedder


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=np.float32)


def features_to_bytes(features: detection.ClaimFeatures) -> bytes:
    return pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL)


def _stored_features(
    text: str, detector_version: str, raw: bytes | memoryview | None
) -> detection.ClaimFeatures | None:
    """The stored features when the running detector wrote them for this text, else None."""
    if detector_version == detection.DETECTOR_VERSION and raw:
        # The blob was written by this application (claim_vectors_store), never by a client.
        features = pickle.loads(bytes(raw))  # noqa: S301
        if isinstance(features, detection.ClaimFeatures) and features.text == text:
            return features
    return None


def features_from_row(text: str, detector_version: str, raw: bytes | memoryview) -> detection.ClaimFeatures:
    """Stored features when the running detector wrote them, else a fresh analysis."""
    return _stored_features(text, detector_version, raw) or detection.analyse(text)


def _remember(stored: StoredClaim) -> None:
    cache = _runtime.cache
    cache[stored.claim_id] = stored
    cache.move_to_end(stored.claim_id)
    while len(cache) > FEATURE_CACHE_SIZE:
        cache.popitem(last=False)


def _cached(claim_id: int, version: int) -> StoredClaim | None:
    stored = _runtime.cache.get(claim_id)
    if stored is None or stored.version != version:
        return None
    _runtime.cache.move_to_end(claim_id)
    return stored


def lookup_text(claim: Claim) -> str:
    """What retrieval embeds for a claim with a title: the text followed by the title."""
    return f"{claim.text} {claim.title}"


def claim_vectors_store(*, claims: Sequence[Claim]) -> list[StoredClaim]:
    """Embed and analyse claims and upsert both. Returns them in the order given."""
    if not claims:
        return []
    vectors = embedder().embed([claim.text for claim in claims])
    titled = [claim for claim in claims if claim.title]
    lookups: dict[int, np.ndarray] = {}
    if titled:
        embedded = embedder().embed([lookup_text(claim) for claim in titled])
        lookups = {claim.pk: vector for claim, vector in zip(titled, embedded, strict=True)}
    # One batched parse for the whole batch: the claim frame is built once per claim, here.
    analysed = detection.analyse_many([claim.text for claim in claims])
    stored = [
        StoredClaim(claim.pk, claim.version, vector, features, lookups.get(claim.pk), claim.title)
        for claim, vector, features in zip(claims, vectors, analysed, strict=True)
    ]
    now = timezone.now()
    ClaimVector.objects.bulk_create(
        [
            ClaimVector(
                claim_id=item.claim_id,
                model_name=embedder().model_name,
                claim_version=item.version,
                vector=vector_to_bytes(item.vector),
                lookup_vector=None if item.lookup_vector is None else vector_to_bytes(item.lookup_vector),
                detector_version=detection.DETECTOR_VERSION,
                features=features_to_bytes(item.features),
                updated_at=now,
            )
            for item in stored
        ],
        update_conflicts=True,
        unique_fields=["claim"],
        update_fields=[
            "model_name",
            "claim_version",
            "vector",
            "lookup_vector",
            "detector_version",
            "features",
            "updated_at",
        ],
        batch_size=1000,
    )
    with _lock:
        # Only a process that holds an index judges against these claims again soon; an importer
        # without one would otherwise keep up to FEATURE_CACHE_SIZE claims it never reads.
        if _runtime.index is not None:
            for item in stored:
                _remember(item)
    return stored


def claim_vectors_current(*, claims: Sequence[Claim]) -> list[StoredClaim]:
    """Vectors and features of the claims at their current version, in the order given.

    Reuses what is cached or stored for this version, model and detector; embeds, analyses and
    stores only the rest (new or edited claims, another detector version). Archive imports store
    vectors up front, so checking them embeds nothing again.
    """
    found: dict[int, StoredClaim] = {}
    with _lock:
        for claim in claims:
            cached = _cached(claim.pk, claim.version)
            if cached is not None and cached.features.text == claim.text:
                found[claim.pk] = cached
    unknown = [claim for claim in claims if claim.pk not in found]
    if unknown:
        by_id = {claim.pk: claim for claim in unknown}
        for ids in chunked(by_id, QUERY_CHUNK):
            rows = ClaimVector.objects.filter(
                claim_id__any_of=ids, model_name=embedder().model_name
            ).values_list(
                "claim_id", "claim_version", "vector", "lookup_vector", "detector_version", "features"
            )
            for claim_id, version, raw_vector, raw_lookup, detector_version, raw_features in rows:
                claim = by_id[claim_id]
                if version != claim.version or bool(claim.title) != (raw_lookup is not None):
                    continue
                features = _stored_features(claim.text, detector_version, raw_features)
                if features is not None:
                    found[claim_id] = StoredClaim(
                        claim_id,
                        version,
                        vector_from_bytes(raw_vector),
                        features,
                        None if raw_lookup is None else vector_from_bytes(raw_lookup),
                        claim.title,
                    )
        with _lock:
            for claim_id in by_id:
                if claim_id in found:
                    _remember(found[claim_id])
        missing = [claim for claim in unknown if claim.pk not in found]
        for item in claim_vectors_store(claims=missing):
            found[item.claim_id] = item
    return [found[claim.pk] for claim in claims]


def _load(claim_ids: Sequence[int]) -> dict[int, StoredClaim]:
    """Live (unmerged) claims among ``claim_ids`` at their stored version, from the cache where
    it holds that version, else from their stored rows."""
    model_name = embedder().model_name
    versions: dict[int, int] = {}
    for ids in chunked(claim_ids, QUERY_CHUNK):
        versions.update(
            ClaimVector.objects.filter(
                claim_id__any_of=ids, claim__merged_into__isnull=True, model_name=model_name
            ).values_list("claim_id", "claim_version")
        )
    loaded: dict[int, StoredClaim] = {}
    for claim_id, version in versions.items():
        cached = _cached(claim_id, version)
        if cached is not None:
            loaded[claim_id] = cached
    misses = [claim_id for claim_id in versions if claim_id not in loaded]
    for ids in chunked(misses, QUERY_CHUNK):
        rows = ClaimVector.objects.filter(
            claim_id__any_of=ids, claim__merged_into__isnull=True, model_name=model_name
        ).values_list(
            "claim_id",
            "claim_version",
            "vector",
            "lookup_vector",
            "claim__text",
            "claim__title",
            "detector_version",
            "features",
        )
        for claim_id, version, raw_vector, raw_lookup, text, title, detector_version, raw_features in rows:
            stored = StoredClaim(
                claim_id,
                version,
                vector_from_bytes(raw_vector),
                features_from_row(text, detector_version, raw_features),
                None if raw_lookup is None else vector_from_bytes(raw_lookup),
                title,
            )
            _remember(stored)
            loaded[claim_id] = stored
    return loaded


def _index_add(index: detection.CandidateIndex, rows: Sequence[StoredClaim]) -> None:
    """Index claims not already indexed at their version (re-adding would only churn the graph)."""
    versions = _runtime.indexed_versions
    fresh = list({row.claim_id: row for row in rows if versions.get(row.claim_id) != row.version}.values())
    if not fresh:
        return
    index.add_many(
        [row.claim_id for row in fresh],
        [row.features for row in fresh],
        np.vstack([row.index_vector for row in fresh]),
        [detection.lookup_terms(row.title) if row.title else () for row in fresh],
    )
    for row in fresh:
        versions[row.claim_id] = row.version


def candidate_index() -> detection.CandidateIndex:
    """This process's index, caught up with the database."""
    with _lock:
        started = timezone.now()
        if _runtime.index is None:
            _runtime.index = detection.CandidateIndex(dim=embedder().dim)
            _runtime.indexed_versions = {}
            since = None
        else:
            assert _runtime.watermark is not None
            since = _runtime.watermark - SYNC_OVERLAP
        query = ClaimVector.objects.filter(model_name=embedder().model_name, claim__merged_into__isnull=True)
        if since is not None:
            query = query.filter(updated_at__gte=since)
        versions = _runtime.indexed_versions
        todo = [
            claim_id
            for claim_id, version in query.order_by("claim_id")
            .values_list("claim_id", "claim_version")
            .iterator(chunk_size=BUILD_BATCH)
            if versions.get(claim_id) != version
        ]
        for chunk in chunked(todo, BUILD_BATCH):
            loaded = _load(chunk)
            _index_add(_runtime.index, list(loaded.values()))
        _runtime.watermark = started
        return _runtime.index


def index_reset() -> None:
    """Forget the in-process index and caches (tests, or after a bulk rebuild)."""
    with _lock:
        _runtime.index = None
        _runtime.watermark = None
        _runtime.indexed_versions = {}
        _runtime.cache.clear()


@dataclass(frozen=True)
class Retrieved:
    """Candidates of a batch of claims, with everything judging them needs."""

    claims: dict[int, StoredClaim]
    candidates: dict[int, list[int]]
    # Every claim ``judged`` can judge against: the batch's claims, and the live claims loaded
    # for them (which take precedence, being read after the batch was indexed).
    known: dict[int, StoredClaim]

    def load(self, claim_ids: Iterable[int]) -> None:
        """Make more claims available to ``judged`` (one query for all of them)."""
        wanted = sorted(set(claim_ids) - set(self.known))
        if wanted:
            with _lock:
                self.known.update(_load(wanted))

    def judged(
        self,
        claim_id: int,
        *,
        skip: frozenset[int] | set[int] = frozenset(),
        also: Iterable[int] = (),
    ) -> list[tuple[int, detection.Judgement]]:
        """The claim judged against each of its live candidates, best retrieved first, then
        against the live claims of ``also`` (loaded before) that were not candidates."""
        claim = self.claims[claim_id]
        ids = list(dict.fromkeys([*self.candidates[claim_id], *also]))
        return _judge(
            claim.features,
            claim.vector,
            [c for c in ids if c not in skip and c != claim_id],
            self.known,
        )


def claims_retrieve(*, claims: Sequence[Claim], limit: int = CANDIDATES) -> Retrieved:
    """Index the claims (their vectors are stored when missing) and retrieve their candidates.

    The index is caught up once for the batch and every claim of the batch is indexed before any
    is searched, so claims of one batch find one another as they would one after the other.
    """
    stored = claim_vectors_current(claims=claims)
    with _lock:
        index = candidate_index()
        _index_add(index, stored)
        found = index.search_many(
            [item.features for item in stored],
            np.vstack([item.vector for item in stored]) if stored else np.zeros((0, index.dim), np.float32),
            limit=limit,
            excludes=[item.claim_id for item in stored],
        )
        candidates = {
            item.claim_id: [candidate.claim_id for candidate in hits]
            for item, hits in zip(stored, found, strict=True)
        }
        wanted = sorted({claim_id for ids in candidates.values() for claim_id in ids})
        batch = {item.claim_id: item for item in stored}
        known = {**batch, **_load(wanted)}
    return Retrieved(batch, candidates, known)


def _judge(
    features: detection.ClaimFeatures,
    vector: np.ndarray,
    candidate_ids: Sequence[int],
    loaded: Mapping[int, StoredClaim],
) -> list[tuple[int, detection.Judgement]]:
    judged = []
    for claim_id in candidate_ids:
        other = loaded.get(claim_id)
        if other is None:
            continue
        similarity = float(np.dot(vector, other.vector))
        judged.append((claim_id, detection.judge(features, other.features, similarity)))
    return judged


def judge_against(
    *, features: detection.ClaimFeatures, vector: np.ndarray, candidate_ids: list[int]
) -> list[tuple[int, detection.Judgement]]:
    if not candidate_ids:
        return []
    with _lock:
        loaded = _load(candidate_ids)
    return _judge(features, vector, candidate_ids, loaded)


@dataclass(frozen=True)
class Match:
    """A stored claim offered for a statement: its match score (retrieval fused with judgement,
    see ``claims.detection.matching``) and the relation shown beside it."""

    claim_id: int
    text: str
    score: float
    relation: str
    judgement: detection.Judgement
    title: str = ""
    # Whether the statement repeats the claim ("duplicate", "contains" or None), by
    # ``claims.detection.repeats.repeat_relation``: what triage marks a sentence by.
    repeat: str | None = None
    # The share of the claim's idf mass the statement says (``detection.Candidate.coverage``).
    coverage: float = 0.0


# Candidates retrieved per result asked for (at least MATCH_POOL_MIN), before judging and ranking.
MATCH_POOL_FACTOR = 4
MATCH_POOL_MIN = 20


def match_candidates(
    *, text: str, pool: int = MATCH_POOL_MIN
) -> list[tuple[detection.Candidate, detection.Judgement]]:
    """The live claims retrieved for ``text``, each with its judgement, in retrieval order."""
    features = detection.analyse(text)
    vector = embedder().embed([text])[0]
    with _lock:
        candidates = candidate_index().search(features, vector, limit=pool)
    judged = dict(
        judge_against(features=features, vector=vector, candidate_ids=[c.claim_id for c in candidates])
    )
    return [
        (candidate, judged[candidate.claim_id]) for candidate in candidates if candidate.claim_id in judged
    ]


def claims_match(
    *,
    text: str,
    limit: int = 5,
    min_score: float | None = None,
    weights: MatchWeights = DEFAULT_MATCH_WEIGHTS,
) -> list[Match]:
    """The stored claims that best match ``text``, sorted by one match score (higher first; ties
    by id), at most ``limit``. Stores nothing.

    Only results scoring at least ``min_score`` are returned; without it, at least ``MATCH_FLOOR``,
    so that an empty list means nothing stored is about the statement. The judge's relation labels
    each result but neither filters nor orders them: a claim retrieval puts first is offered even
    when the judge finds no shared subject."""
    return claims_match_many(texts=[text], limit=limit, min_score=min_score, weights=weights)[0]


def claims_match_many(
    *,
    texts: Sequence[str],
    limit: int = 5,
    min_score: float | None = None,
    weights: MatchWeights = DEFAULT_MATCH_WEIGHTS,
) -> list[list[Match]]:
    """``claims_match`` for each of ``texts``, in order, with the same retrieval, judging and ranking,
    but one embedding call, one index catch-up and one load of candidates for the whole batch
    (article triage matches every sentence of an article)."""
    if not texts:
        return []
    floor = MATCH_FLOOR if min_score is None else min_score
    pool = max(limit * MATCH_POOL_FACTOR, MATCH_POOL_MIN)
    readings = detection.read_many(texts)
    vectors = embedder().embed(list(texts))
    with _lock:
        retrieved = candidate_index().search_many(readings, vectors, limit=pool)
        # A candidate that cannot reach the floor whatever the judge says is neither judged nor
        # loaded (most of an article's sentences repeat nothing stored).
        hopeful = [
            [candidate for candidate in found if match_score_ceiling(candidate.score, weights) >= floor]
            for found in retrieved
        ]
        loaded = _load(sorted({candidate.claim_id for found in hopeful for candidate in found}))
    # Only texts with a candidate to judge are parsed for their frames (the parse is most of
    # the analysis, and the judge is its only reader).
    judged = [position for position, candidates in enumerate(hopeful) if candidates]
    analysed = dict(zip(judged, detection.analyse_readings([readings[k] for k in judged]), strict=True))
    ranked_all = [
        _ranked(analysed[k], vectors[k], candidates, loaded, floor=floor, limit=limit, weights=weights)
        if candidates
        else []
        for k, candidates in enumerate(hopeful)
    ]
    wanted = sorted({claim_id for ranked in ranked_all for _, claim_id, _ in ranked})
    words: dict[int, tuple[str, str]] = {}  # claim id -> (text, title)
    for ids in chunked(wanted, QUERY_CHUNK):
        rows = Claim.objects.filter(pk__in=ids).values_list("pk", "text", "title")
        words.update((pk, (text, title)) for pk, text, title in rows)
    coverage = [{candidate.claim_id: candidate.coverage for candidate in found} for found in hopeful]
    return [
        [
            Match(
                claim_id,
                words[claim_id][0],
                score,
                match_label(judgement),
                judgement,
                title=words[claim_id][1],
                repeat=repeat_relation(
                    score=score,
                    judgement=judgement,
                    sentence=analysed[k],
                    claim=loaded[claim_id].features,
                    coverage=coverage[k][claim_id],
                ),
                coverage=coverage[k][claim_id],
            )
            for score, claim_id, judgement in ranked
            if claim_id in words
        ]
        for k, ranked in enumerate(ranked_all)
    ]


def _ranked(
    features: detection.ClaimFeatures,
    vector: np.ndarray,
    candidates: Sequence[detection.Candidate],
    loaded: Mapping[int, StoredClaim],
    *,
    floor: float,
    limit: int,
    weights: MatchWeights,
) -> list[tuple[float, int, detection.Judgement]]:
    """The best ``limit`` (score, claim id, judgement) of the live candidates scoring at least
    ``floor``, by score (higher first) then id: what judging every candidate would give.

    Candidates are judged by their ceiling (``match_score_ceiling``), highest first, and judging
    stops at the first whose ceiling is below the floor or below the ``limit``-th best score
    found so far: neither it nor any after it could be among the results (a ceiling equal to
    that score could tie and win on its id, so it is judged)."""
    scored: list[tuple[float, int, detection.Judgement]] = []
    kth = -math.inf
    by_ceiling = sorted(
        ((match_score_ceiling(candidate.score, weights), candidate) for candidate in candidates),
        key=lambda item: -item[0],
    )
    for ceiling, candidate in by_ceiling:
        if ceiling < floor or ceiling < kth:
            break
        for claim_id, judgement in _judge(features, vector, [candidate.claim_id], loaded):
            score = match_score(candidate.score, judgement, weights)
            if score >= floor:
                scored.append((score, claim_id, judgement))
        if 0 < limit <= len(scored):
            kth = sorted((score for score, _, _ in scored), reverse=True)[limit - 1]
    return sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
