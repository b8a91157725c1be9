"""The per-process retrieval index, rebuilt from the database and kept in step with it.

Vectors and analysed features live in ``ClaimVector`` (the system of record). Each worker process
holds one ``CandidateIndex`` built from them; before every search it catches up with rows changed
since its watermark, re-reading a short overlap because a transaction that started earlier can
commit later (rows whose version it already holds are skipped after a light first query).
Removed and merged claims may linger in the index: candidates are re-read from the database,
which filters them out.
"""

from __future__ import annotations

import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from claims import detection
from claims.embedding import Embedder, get_embedder
from claims.models import Claim, ClaimVector

logger = logging.getLogger(__name__)

SYNC_OVERLAP = timedelta(seconds=10)
BUILD_BATCH = 5000
CANDIDATES = 50
FEATURE_CACHE_SIZE = 100_000

_lock = threading.RLock()


@dataclass
class _Runtime:
    embedder: Embedder | None = None
    index: detection.CandidateIndex | None = None
    watermark: datetime | None = None
    indexed_versions: dict[int, int] = field(default_factory=dict)
    features: OrderedDict[int, tuple[int, detection.ClaimFeatures]] = field(default_factory=OrderedDict)


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


def features_from_row(text: str, detector_version: str, raw: bytes | memoryview) -> detection.ClaimFeatures:
    """Stored features when the running detector wrote them, else a fresh analysis."""
    if detector_version == detection.DETECTOR_VERSION and raw:
        # The blob was written by this application (claim_vectors_store), never by a client.
        features = pickle.loads(bytes(raw))  # noqa: S301
        if isinstance(features, detection.ClaimFeatures) and features.text == text:
            return features
    return detection.analyse(text)


def _remember(claim_id: int, version: int, features: detection.ClaimFeatures) -> None:
    cache = _runtime.features
    cache[claim_id] = (version, features)
    cache.move_to_end(claim_id)
    while len(cache) > FEATURE_CACHE_SIZE:
        cache.popitem(last=False)


def claim_vectors_store(*, claims: Sequence[Claim]) -> tuple[np.ndarray, list[detection.ClaimFeatures]]:
    """Embed and analyse claims and upsert both. Returns vectors and features in the order given."""
    if not claims:
        return np.zeros((0, embedder().dim), dtype=np.float32), []
    vectors = embedder().embed([claim.text for claim in claims])
    features = [detection.analyse(claim.text) for claim in claims]
    now = timezone.now()
    rows = [
        ClaimVector(
            claim_id=claim.pk,
            model_name=embedder().model_name,
            claim_version=claim.version,
            vector=vector_to_bytes(vector),
            detector_version=detection.DETECTOR_VERSION,
            features=features_to_bytes(claim_features),
            updated_at=now,
        )
        for claim, vector, claim_features in zip(claims, vectors, features, strict=True)
    ]
    ClaimVector.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["claim"],
        update_fields=["model_name", "claim_version", "vector", "detector_version", "features", "updated_at"],
        batch_size=1000,
    )
    with _lock:
        for claim, claim_features in zip(claims, features, strict=True):
            _remember(claim.pk, claim.version, claim_features)
    return vectors, features


def _load_rows(claim_ids: Sequence[int]) -> list[tuple[int, int, np.ndarray, detection.ClaimFeatures]]:
    rows = ClaimVector.objects.filter(
        claim_id__in=list(claim_ids), claim__merged_into__isnull=True, model_name=embedder().model_name
    ).values_list("claim_id", "claim_version", "vector", "claim__text", "detector_version", "features")
    loaded = []
    for claim_id, version, raw_vector, text, detector_version, raw_features in rows:
        cached = _runtime.features.get(claim_id)
        if cached is not None and cached[0] == version:
            features = cached[1]
        else:
            features = features_from_row(text, detector_version, raw_features)
            _remember(claim_id, version, features)
        loaded.append((claim_id, version, vector_from_bytes(raw_vector), features))
    return loaded


def _index_rows(
    index: detection.CandidateIndex, rows: list[tuple[int, int, np.ndarray, detection.ClaimFeatures]]
) -> None:
    if not rows:
        return
    index.add_many([r[0] for r in rows], [r[3] for r in rows], np.vstack([r[2] for r in rows]))
    for claim_id, version, _, _ in rows:
        _runtime.indexed_versions[claim_id] = version


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
        for start in range(0, len(todo), BUILD_BATCH):
            _index_rows(_runtime.index, _load_rows(todo[start : start + BUILD_BATCH]))
        _runtime.watermark = started
        return _runtime.index


def index_reset() -> None:
    """Forget the in-process index and caches (tests, or after a bulk rebuild)."""
    with _lock:
        _runtime.index = None
        _runtime.watermark = None
        _runtime.indexed_versions = {}
        _runtime.features.clear()


def claims_judge_candidates(
    *, claim: Claim, limit: int = CANDIDATES
) -> list[tuple[int, detection.Judgement]]:
    """Index the claim, retrieve its candidates and judge each pair. Stores only the claim's vector."""
    vectors, features = claim_vectors_store(claims=[claim])
    vector = vectors[0]
    with _lock:
        index = candidate_index()
        _index_rows(index, [(claim.pk, claim.version, vector, features[0])])
        candidates = index.search(features[0], vector, limit=limit, exclude=claim.pk)
    return judge_against(features=features[0], vector=vector, candidate_ids=[c.claim_id for c in candidates])


def judge_against(
    *, features: detection.ClaimFeatures, vector: np.ndarray, candidate_ids: list[int]
) -> list[tuple[int, detection.Judgement]]:
    if not candidate_ids:
        return []
    with _lock:
        loaded = {row[0]: row for row in _load_rows(candidate_ids)}
    judged = []
    for claim_id in candidate_ids:
        if claim_id not in loaded:
            continue
        _, _, other_vector, other_features = loaded[claim_id]
        similarity = float(np.dot(vector, other_vector))
        judged.append((claim_id, detection.judge(features, other_features, similarity)))
    return judged


def claims_match(*, text: str, limit: int = 5) -> list[tuple[int, str, detection.Judgement]]:
    """The stored claims most like ``text``, best first, with their relation. Stores nothing."""
    features = detection.analyse(text)
    vector = embedder().embed([text])[0]
    with _lock:
        candidates = candidate_index().search(features, vector, limit=max(limit * 4, 20))
    judged = judge_against(features=features, vector=vector, candidate_ids=[c.claim_id for c in candidates])
    texts = dict(Claim.objects.filter(pk__in=[claim_id for claim_id, _ in judged]).values_list("pk", "text"))
    ranked = sorted(judged, key=lambda item: -item[1].score)
    return [(claim_id, texts[claim_id], judgement) for claim_id, judgement in ranked[:limit]]
