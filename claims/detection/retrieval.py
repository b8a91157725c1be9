"""CandidateIndex: in-memory retrieval of claims worth judging against a new claim.

Contract:
- ``add_many(ids, features, vectors)`` indexes claims; ``vectors`` are L2-normalised float32 of
  shape (n, dim). Re-adding an id replaces its previous entry; ``remove(id)`` forgets it.
- ``search(features, vector, limit, exclude)`` returns up to ``limit`` ``Candidate`` s, best
  first (``features`` may be a ``ClaimReading``: retrieval reads no claim frame);
  ``search_many`` does it for a batch of claims, with the same results. Candidates come only
  from indexes, never from a loop over all claims: BM25 over an inverted index
  (``lexical.BM25Index``), approximate nearest neighbours over an HNSW graph (usearch), and a
  posting index keyed by (measure class, subject) for numeric facts, so that "about 3,000
  troops sent" finds "over 11,000 soldiers deployed" however it is worded. The union is
  re-scored by a fixed linear fusion of BM25, cosine and idf-weighted term overlap.
- ``semantic_search`` is the ANN side alone; ``exact_search`` the brute-force cosine oracle the
  benchmark measures ANN recall against.
- Deterministic for a given sequence of calls (the HNSW graph is built single-threaded unless
  ``threads`` > 1 is asked for). Not thread-safe: guard concurrent use with a lock.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from usearch.index import Index, Matches

from .features import ClaimFeatures, ClaimReading
from .lexical import BM25Index

FACT_KEY_CAP = 64  # most recent claims read per (measure, subject) key
_FACT_MEASURES_SKIP = frozenset({"count", "fraction", "multiplier", "tally"})


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """Weights of the candidate score: BM25 (scaled to the best candidate), cosine, the share of
    the query's idf mass found in the candidate and the share of the candidate's idf mass found
    in the query. Tuned once on the CheckThat! 2020 training split."""

    bm25: float = 0.20
    cosine: float = 0.60
    query_coverage: float = 0.40
    doc_coverage: float = 0.0
    fact: float = 0.05


DEFAULT_FUSION = FusionWeights()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A retrieved claim: fused ``score`` (higher is better), its parts and where it came from
    (``sources`` is a subset of {"lexical", "semantic", "fact"})."""

    claim_id: int
    score: float
    lexical: float
    semantic: float
    sources: tuple[str, ...]
    # The share of the candidate's idf mass found in the query: how much of what the stored claim
    # says, weighted by how rare each word is among the stored claims, the query says too.
    coverage: float = 0.0


def fact_keys(features: ClaimReading, anchors: Sequence[str]) -> set[tuple[str, str]]:
    """Keys under which a claim's numeric facts are posted: (measure class, subject anchor)."""
    keys: set[tuple[str, str]] = set()
    for fact in features.facts:
        if fact.measure in _FACT_MEASURES_SKIP or fact.measure.startswith("duration:"):
            continue
        measure = "people" if fact.measure in ("killed", "injured", "casualties") else fact.measure
        for anchor in anchors:
            keys.add((measure, anchor))
    return keys


class CandidateIndex:
    """Fused lexical + semantic + numeric-fact candidate retrieval (see module docstring)."""

    def __init__(
        self,
        dim: int,
        *,
        connectivity: int = 12,
        expansion_add: int = 64,
        expansion_search: int = 320,
        expansion_search_large: int = 960,
        large_from: int = 500_000,
        dtype: str = "f16",
        threads: int = 1,
        ann_breadth: int = 200,
        lexical_k: int = 100,
        semantic_k: int = 100,
        fusion: FusionWeights = DEFAULT_FUSION,
    ) -> None:
        self.dim = dim
        self.threads = threads
        # The search beam widens once the graph is large: measured on the check benchmark's
        # corpus (bench/ann_recall.py), recall@50 against brute force with a beam of 320 is 0.990
        # at 100k claims but 0.973 at 1M, and 0.983 at 1M with 960, for 1 ms more per query.
        self.expansion_search = expansion_search
        self.expansion_search_large = expansion_search_large
        self.large_from = large_from
        self.ann_breadth = ann_breadth
        self.lexical_k = lexical_k
        self.semantic_k = semantic_k
        self.fusion = fusion
        self._ann = Index(
            ndim=dim,
            metric="ip",
            dtype=dtype,
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        self._lex = BM25Index()
        self._row_of: dict[int, int] = {}
        self._id_of = array("q")
        self._vectors = np.zeros((0, dim), dtype=np.float16)
        self._facts: dict[tuple[str, str], array[int]] = {}
        self._n_rows = 0

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._row_of

    # ------------------------------------------------------------------ building
    def _grow(self, needed: int) -> None:
        cap = self._vectors.shape[0]
        if needed <= cap:
            return
        new_cap = max(needed, cap * 2, 1024)
        grown = np.zeros((new_cap, self.dim), dtype=np.float16)
        grown[:cap] = self._vectors
        self._vectors = grown

    def _anchors(self, features: ClaimReading) -> list[str]:
        if features.entities:
            return sorted(features.entities)[:4]
        terms = sorted(
            {t for t in features.terms if not t[0].isdigit()}, key=lambda t: (-self._lex.idf(t), t)
        )
        return terms[:3]

    def add_many(
        self,
        ids: Sequence[int],
        features: Sequence[ClaimFeatures],
        vectors: npt.NDArray[np.float32],
        extra_terms: Sequence[tuple[str, ...]] | None = None,
    ) -> None:
        """Index claims; an id already present is replaced. ``extra_terms`` (one tuple per claim,
        see ``lookup_terms``) are searched beside each claim's own terms: a claim's title."""
        vecs = np.asarray(vectors, dtype=np.float32)
        if vecs.ndim != 2 or vecs.shape[1] != self.dim:
            raise ValueError(f"vectors must have shape (n, {self.dim})")
        if not (len(ids) == len(features) == vecs.shape[0]):
            raise ValueError("ids, features and vectors must have the same length")
        if extra_terms is not None and len(extra_terms) != len(ids):
            raise ValueError("extra_terms must have one entry per id")
        if len(set(ids)) != len(ids):
            raise ValueError("ids must be unique within one call")
        if not ids:
            return
        for cid in ids:
            if cid in self._row_of:
                self.remove(cid)
        first = self._n_rows
        rows = np.arange(first, first + len(ids), dtype=np.uint64)
        self._grow(first + len(ids))
        self._vectors[first : first + len(ids)] = vecs
        for k, (cid, feats) in enumerate(zip(ids, features, strict=False)):
            row = first + k
            self._lex.add(row, feats.terms + extra_terms[k] if extra_terms is not None else feats.terms)
            self._row_of[int(cid)] = row
            self._id_of.append(int(cid))
            for key in fact_keys(feats, self._anchors(feats)):
                bucket = self._facts.get(key)
                if bucket is None:
                    bucket = self._facts[key] = array("i")
                bucket.append(row)
        self._n_rows += len(ids)
        self._ann.add(rows, vecs, threads=self.threads)

    def remove(self, claim_id: int) -> None:
        """Forget a claim (no-op when absent)."""
        row = self._row_of.pop(int(claim_id), None)
        if row is None:
            return
        self._lex.remove(row)
        self._ann.remove(row)

    # ------------------------------------------------------------------ searching
    def _alive_row(self, row: int) -> bool:
        return self._row_of.get(self._id_of[row]) == row

    def semantic_search(
        self, vector: npt.NDArray[np.float32], limit: int = 50, exclude: int | None = None
    ) -> list[Candidate]:
        """Approximate nearest neighbours by cosine (the ANN side of ``search``)."""
        rows, sims = self._ann_rows(vector, limit, exclude)
        return [
            Candidate(self._id_of[int(r)], float(s), 0.0, float(s), ("semantic",))
            for r, s in zip(rows, sims, strict=True)
        ]

    def _ann_rows(
        self, vector: npt.NDArray[np.float32], limit: int, exclude: int | None
    ) -> tuple[list[int], list[float]]:
        return self._ann_rows_many(np.asarray(vector, dtype=np.float32).reshape(1, -1), limit, [exclude])[0]

    def _ann_rows_many(
        self, vectors: npt.NDArray[np.float32], limit: int, excludes: Sequence[int | None]
    ) -> list[tuple[list[int], list[float]]]:
        """``_ann_rows`` of each row of ``vectors``: one usearch call per group of queries asking
        for as many neighbours (usearch searches each row of a matrix as it would search it alone)."""
        if len(self._row_of) == 0 or limit <= 0:
            return [([], []) for _ in excludes]
        skips = [self._row_of.get(exclude) if exclude is not None else None for exclude in excludes]
        beam = self.expansion_search_large if self._n_rows >= self.large_from else self.expansion_search
        if self._ann.expansion_search != beam:
            self._ann.expansion_search = beam  # type: ignore[misc]  # usearch has the setter; mypy misses it
        by_count: dict[int, list[int]] = {}
        for position, skip in enumerate(skips):
            k = min(limit + (1 if skip is not None else 0), len(self._row_of))
            # Asking HNSW for more neighbours than needed widens its beam too.
            by_count.setdefault(max(k, self.ann_breadth), []).append(position)
        queries = np.asarray(vectors, dtype=np.float32)
        out: list[tuple[list[int], list[float]]] = [([], []) for _ in excludes]
        for count, positions in by_count.items():
            batch = self._ann.search(queries[positions], count, threads=1)
            found = [batch] if isinstance(batch, Matches) else [batch[k] for k in range(len(positions))]
            for position, matches in zip(positions, found, strict=True):
                keys = np.asarray(matches.keys, dtype=np.int64)
                sims = 1.0 - np.asarray(matches.distances, dtype=np.float64)
                keep = self._lex.alive_mask(keys)
                if skips[position] is not None:
                    keep &= keys != skips[position]
                out[position] = (keys[keep][:limit].tolist(), sims[keep][:limit].tolist())
        return out

    def exact_search(
        self, vector: npt.NDArray[np.float32], limit: int = 50, exclude: int | None = None
    ) -> list[Candidate]:
        """Brute-force cosine over every indexed vector: the recall oracle (slow at scale)."""
        if len(self._row_of) == 0 or limit <= 0:
            return []
        q = np.asarray(vector, dtype=np.float32).reshape(-1)
        n = self._n_rows
        sims = np.empty(n, dtype=np.float32)
        chunk = 65_536
        for s in range(0, n, chunk):
            sims[s : s + chunk] = self._vectors[s : min(n, s + chunk)].astype(np.float32) @ q
        alive = np.zeros(n, dtype=bool)
        alive[np.fromiter(self._row_of.values(), dtype=np.int64, count=len(self._row_of))] = True
        skip = self._row_of.get(exclude) if exclude is not None else None
        if skip is not None:
            alive[skip] = False
        sims[~alive] = -np.inf
        k = min(limit, int(alive.sum()))
        top = np.argpartition(-sims, k - 1)[:k] if k < n else np.arange(n)
        top = top[np.lexsort((top, -sims[top]))][:k]
        return [
            Candidate(self._id_of[int(r)], float(sims[r]), 0.0, float(sims[r]), ("semantic",)) for r in top
        ]

    def search(
        self,
        features: ClaimReading,
        vector: npt.NDArray[np.float32],
        limit: int = 50,
        exclude: int | None = None,
    ) -> list[Candidate]:
        """Fused candidates for a claim, best first (see module docstring)."""
        queries = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        return self.search_many([features], queries, limit=limit, excludes=[exclude])[0]

    def search_many(
        self,
        features: Sequence[ClaimReading],
        vectors: npt.NDArray[np.float32],
        limit: int = 50,
        excludes: Sequence[int | None] | None = None,
    ) -> list[list[Candidate]]:
        """``search`` for each claim, in order (``vectors`` has one row per claim): the same
        candidates, with the nearest neighbours of the whole batch found in one usearch call and
        each query term's BM25 postings weighted once for the batch."""
        if len(features) != len(vectors):
            raise ValueError("features and vectors must have the same length")
        excludes = list(excludes) if excludes is not None else [None] * len(features)
        if len(self._row_of) == 0 or limit <= 0 or not features:
            return [[] for _ in features]
        queries = np.asarray(vectors, dtype=np.float32).reshape(len(features), -1)
        lexical = self._lex.search_many([claim.terms for claim in features], self.lexical_k + 1)
        semantic = self._ann_rows_many(queries, self.semantic_k, excludes)
        return [
            self._fused(claim, query, lex_rows, np.asarray(sem_rows, dtype=np.int64), limit, exclude)
            for claim, query, (lex_rows, _), (sem_rows, _), exclude in zip(
                features, queries, lexical, semantic, excludes, strict=True
            )
        ]

    def _fused(
        self,
        features: ClaimReading,
        q: npt.NDArray[np.float32],
        lex_rows: npt.NDArray[np.int64],
        sem_rows: npt.NDArray[np.int64],
        limit: int,
        exclude: int | None,
    ) -> list[Candidate]:
        """The union of the BM25 (``lex_rows``), ANN (``sem_rows``) and fact candidates, re-scored
        and ranked."""
        skip = self._row_of.get(exclude) if exclude is not None else None
        buckets = [
            np.frombuffer(bucket, dtype=np.int32)[-FACT_KEY_CAP:]
            for key in sorted(fact_keys(features, self._anchors(features)))
            if (bucket := self._facts.get(key)) is not None
        ]
        fact_rows = np.concatenate(buckets).astype(np.int64) if buckets else np.zeros(0, dtype=np.int64)
        fact_rows = fact_rows[self._lex.alive_mask(fact_rows)]
        # One sort gives the union and, through the inverse, which side found each row.
        rows, inverse = np.unique(np.concatenate([fact_rows, lex_rows, sem_rows]), return_inverse=True)
        found_by = np.zeros((3, rows.size), dtype=bool)
        ends = np.cumsum([fact_rows.size, lex_rows.size, sem_rows.size])
        for side, (start, end) in enumerate(zip([0, *ends[:-1]], ends, strict=True)):
            found_by[side, inverse[start:end]] = True
        if skip is not None:
            keep = rows != skip
            rows, found_by = rows[keep], found_by[:, keep]
        if rows.size == 0:
            return []
        cos = (self._vectors[rows].astype(np.float32) @ q).astype(np.float64)
        bm25, q_cov, d_cov = self._lex.row_features(features.terms, rows.tolist())
        top_bm25 = float(bm25.max()) if bm25.size else 0.0
        bm25n = bm25 / top_bm25 if top_bm25 > 0 else bm25
        in_fact, in_lex, in_sem = found_by
        w = self.fusion
        score = w.bm25 * bm25n + w.cosine * cos + w.query_coverage * q_cov + w.doc_coverage * d_cov
        score = score + w.fact * in_fact
        ids = np.frombuffer(self._id_of, dtype=np.int64)[rows]
        order = np.lexsort((ids, -score))[:limit]
        out: list[Candidate] = []
        for k in order.tolist():
            src = tuple(
                name
                for name, flag in (("fact", in_fact[k]), ("lexical", in_lex[k]), ("semantic", in_sem[k]))
                if flag
            )
            out.append(
                Candidate(int(ids[k]), float(score[k]), float(bm25n[k]), float(cos[k]), src, float(d_cov[k]))
            )
        return out
