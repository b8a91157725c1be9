"""BM25 over an inverted index whose posting lists are compact typed arrays.

Contract:
- documents are identified by a dense internal ``row`` (int >= 0) chosen by the caller; a row is
  added once and may later be marked dead; dead rows are never returned;
- ``search(terms, limit)`` scores only rows found in the posting lists of the query terms
  (never a scan of all documents). For a term whose posting list is longer than
  ``max_postings`` only its most recent ``max_postings`` rows are read: such a term is so common
  that its idf is tiny, and recent claims are the ones an editor cares about;
- ``score_rows(terms, rows)`` gives exact BM25 scores for arbitrary rows via the forward index;
  ``row_features`` adds idf-weighted coverage both ways, vectorised for candidate re-scoring.

Not thread-safe: queries reuse scratch buffers.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

K1 = 1.2
B = 0.75
MAX_POSTINGS = 10_000
_PURGE_RATIO = 0.25
# A query term's rows and what it adds to each row's score (float32 at run time; numpy's stubs
# widen arithmetic on float32 arrays to float64).
_Weighted = tuple[npt.NDArray[np.int32], npt.NDArray[np.floating[Any]]]


class BM25Index:
    """Inverted index with BM25 scoring (see module docstring)."""

    def __init__(self, k1: float = K1, b: float = B, max_postings: int = MAX_POSTINGS) -> None:
        self.k1 = k1
        self.b = b
        self.max_postings = max_postings
        self._term_ids: dict[str, int] = {}
        self._rows: list[array[int]] = []  # term id -> rows (int32)
        self._tfs: list[array[int]] = []  # term id -> term frequency (uint16)
        self._df = array("i")  # live document frequency per term id
        self._fwd_terms = array("i")  # forward index: term ids of every row, concatenated
        self._fwd_tf = array("H")
        self._fwd_start = array("q")  # row -> offset into _fwd_terms (-1 when never added)
        self._fwd_len = array("i")
        self._doc_len = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._live = 0
        self._total_len = 0.0
        self._dead_postings = 0
        self._scratch = np.zeros(0, dtype=np.float32)
        self._stamp = np.zeros(0, dtype=np.int32)
        self._stamp_value = 0

    # ------------------------------------------------------------------ building
    def __len__(self) -> int:
        return self._live

    def _ensure(self, row: int) -> None:
        cap = len(self._alive)
        if row < cap:
            return
        new_cap = max(1024, cap * 2, row + 1)
        self._doc_len = np.concatenate([self._doc_len, np.zeros(new_cap - cap, dtype=np.float32)])
        self._alive = np.concatenate([self._alive, np.zeros(new_cap - cap, dtype=bool)])
        self._scratch = np.zeros(new_cap, dtype=np.float32)
        self._stamp = np.zeros(new_cap, dtype=np.int32)
        self._stamp_value = 0
        missing = new_cap - len(self._fwd_start)
        self._fwd_start.extend([-1] * missing)
        self._fwd_len.extend([0] * missing)

    def add(self, row: int, terms: Sequence[str]) -> None:
        """Index ``terms`` (with repeats) under a fresh ``row``."""
        self._ensure(row)
        if self._alive[row]:
            raise ValueError(f"row {row} already indexed")
        counts: dict[int, int] = {}
        ids = self._term_ids
        for t in terms:
            tid = ids.get(t)
            if tid is None:
                tid = len(ids)
                ids[t] = tid
                self._rows.append(array("i"))
                self._tfs.append(array("H"))
                self._df.append(0)
            counts[tid] = counts.get(tid, 0) + 1
        self._fwd_start[row] = len(self._fwd_terms)
        self._fwd_len[row] = len(counts)
        for tid, tf in counts.items():
            self._rows[tid].append(row)
            self._tfs[tid].append(min(tf, 65535))
            self._df[tid] += 1
            self._fwd_terms.append(tid)
            self._fwd_tf.append(min(tf, 65535))
        self._doc_len[row] = float(len(terms))
        self._alive[row] = True
        self._live += 1
        self._total_len += float(len(terms))

    def remove(self, row: int) -> None:
        """Mark ``row`` dead; its postings are purged lazily."""
        if row >= len(self._alive) or not self._alive[row]:
            return
        self._alive[row] = False
        self._live -= 1
        self._total_len -= float(self._doc_len[row])
        start, n = self._fwd_start[row], self._fwd_len[row]
        for k in range(start, start + n):
            self._df[self._fwd_terms[k]] -= 1
        self._dead_postings += n
        if self._dead_postings > _PURGE_RATIO * max(1, len(self._fwd_terms)):
            self._purge()

    def _purge(self) -> None:
        alive = self._alive
        for tid in range(len(self._rows)):
            rows = np.frombuffer(self._rows[tid], dtype=np.int32)
            if rows.size == 0:
                continue
            keep = alive[rows]
            if keep.all():
                continue
            tfs = np.frombuffer(self._tfs[tid], dtype=np.uint16)
            new_rows = array("i", rows[keep].tobytes())
            new_tfs = array("H", tfs[keep].tobytes())
            del rows, tfs
            self._rows[tid] = new_rows
            self._tfs[tid] = new_tfs
        self._dead_postings = 0

    def alive_mask(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of ``rows`` are live (rows never added count as dead)."""
        inside = rows < len(self._alive)
        out = np.zeros(rows.shape, dtype=bool)
        out[inside] = self._alive[rows[inside]]
        return out

    # ------------------------------------------------------------------ scoring
    def idf(self, term: str) -> float:
        """Robertson-Sparck Jones idf (always positive); 0 for unknown terms."""
        tid = self._term_ids.get(term)
        if tid is None:
            return 0.0
        return self._idf(self._df[tid])

    def _idf(self, df: int) -> float:
        n = max(self._live, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _query_terms(self, terms: Sequence[str]) -> dict[int, int]:
        q: dict[int, int] = {}
        for t in terms:
            tid = self._term_ids.get(t)
            if tid is not None and self._df[tid] > 0:
                q[tid] = q.get(tid, 0) + 1
        return q

    def search(
        self, terms: Sequence[str], limit: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Top ``limit`` live rows by BM25 for ``terms``: (rows, scores), best first."""
        return self._search(terms, limit, {})

    def search_many(
        self, queries: Sequence[Sequence[str]], limit: int
    ) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]]:
        """``search`` of each query, in order. A term's weighted postings are computed once for the
        batch: the common words of an article's sentences recur in most of them."""
        weighted: dict[tuple[int, int], _Weighted] = {}
        return [self._search(terms, limit, weighted) for terms in queries]

    def _weighted(
        self,
        tid: int,
        qtf: int,
        avgdl: float,
        weighted: dict[tuple[int, int], _Weighted],
    ) -> _Weighted:
        """The rows read for a query term and what it adds to each: (rows, BM25 contributions)."""
        found = weighted.get((tid, qtf))
        if found is None:
            k1, b = self.k1, self.b
            rows = np.frombuffer(self._rows[tid], dtype=np.int32)
            tfs = np.frombuffer(self._tfs[tid], dtype=np.uint16)
            if rows.size > self.max_postings:
                rows = rows[-self.max_postings :]
                tfs = tfs[-self.max_postings :]
            tf = tfs.astype(np.float32)
            norm = k1 * (1.0 - b + b * self._doc_len[rows] / avgdl)
            w = np.float32(self._idf(self._df[tid]) * qtf) * tf * (k1 + 1.0) / (tf + norm)
            found = weighted[(tid, qtf)] = (rows, w)
        return found

    def _search(
        self,
        terms: Sequence[str],
        limit: int,
        weighted: dict[tuple[int, int], _Weighted],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        q = self._query_terms(terms)
        if not q or self._live == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        avgdl = self._total_len / self._live
        scratch, stamp = self._scratch, self._stamp
        self._stamp_value += 1
        if self._stamp_value >= 2**31 - 1:
            stamp[:] = 0
            self._stamp_value = 1
        sv = self._stamp_value
        touched: list[npt.NDArray[np.int32]] = []
        for tid, qtf in q.items():
            rows, w = self._weighted(tid, qtf, avgdl, weighted)
            scratch[rows] += w
            new = rows[stamp[rows] != sv]
            stamp[new] = sv
            touched.append(new)
        cand = np.concatenate(touched)
        scores = scratch[cand].copy()
        scratch[cand] = 0.0
        live = self._alive[cand]
        cand, scores = cand[live], scores[live]
        if cand.size > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
            cand, scores = cand[top], scores[top]
        order = np.lexsort((cand, -scores))
        return cand[order].astype(np.int64), scores[order]

    def score_rows(self, terms: Sequence[str], rows: Sequence[int]) -> npt.NDArray[np.float32]:
        """Exact BM25 of ``terms`` against each of ``rows`` (0 for dead or unknown rows)."""
        q = self._query_terms(terms)
        out = np.zeros(len(rows), dtype=np.float32)
        if not q or self._live == 0:
            return out
        avgdl = self._total_len / self._live
        k1, b = self.k1, self.b
        weights = {tid: self._idf(self._df[tid]) * qtf for tid, qtf in q.items()}
        for i, row in enumerate(rows):
            if row >= len(self._alive) or not self._alive[row]:
                continue
            start, n = self._fwd_start[row], self._fwd_len[row]
            norm = k1 * (1.0 - b + b * float(self._doc_len[row]) / avgdl)
            s = 0.0
            for k in range(start, start + n):
                w = weights.get(self._fwd_terms[k])
                if w is not None:
                    tf = float(self._fwd_tf[k])
                    s += w * tf * (k1 + 1.0) / (tf + norm)
            out[i] = s
        return out

    def row_features(
        self, terms: Sequence[str], rows: Sequence[int]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Vectorised ``score_rows`` and ``coverage`` for candidate rows: (bm25, query coverage,
        row coverage). Rows must be live."""
        n_rows = len(rows)
        zeros = np.zeros(n_rows, dtype=np.float64)
        q = self._query_terms(terms)
        if not q or self._live == 0 or n_rows == 0:
            return zeros, zeros.copy(), zeros.copy()
        r = np.asarray(rows, dtype=np.int64)
        starts = np.frombuffer(self._fwd_start, dtype=np.int64)[r]
        lens = np.frombuffer(self._fwd_len, dtype=np.int32)[r].astype(np.int64)
        total = int(lens.sum())
        seg = np.repeat(np.arange(n_rows), lens)
        idx = (
            np.arange(total, dtype=np.int64)
            - np.repeat(np.cumsum(lens) - lens, lens)
            + np.repeat(starts, lens)
        )
        tids = np.frombuffer(self._fwd_terms, dtype=np.int32)[idx]
        tfs = np.frombuffer(self._fwd_tf, dtype=np.uint16)[idx].astype(np.float64)
        df = np.maximum(np.frombuffer(self._df, dtype=np.int32)[tids], 1).astype(np.float64)
        n = float(max(self._live, 1))
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        q_ids = np.fromiter(q.keys(), dtype=np.int32, count=len(q))
        q_tf = np.fromiter(q.values(), dtype=np.float64, count=len(q))
        order = np.argsort(q_ids)
        q_ids, q_tf = q_ids[order], q_tf[order]
        pos = np.clip(np.searchsorted(q_ids, tids), 0, len(q_ids) - 1)
        hit = q_ids[pos] == tids
        avgdl = self._total_len / self._live
        norm = self.k1 * (1.0 - self.b + self.b * self._doc_len[r].astype(np.float64) / avgdl)
        contrib = np.where(hit, idf * q_tf[pos] * tfs * (self.k1 + 1.0) / (tfs + norm[seg]), 0.0)
        bm25 = np.bincount(seg, weights=contrib, minlength=n_rows)
        q_df = np.maximum(np.frombuffer(self._df, dtype=np.int32)[q_ids], 1).astype(np.float64)
        q_mass = float(np.log1p((n - q_df + 0.5) / (q_df + 0.5)).sum()) or 1.0
        q_cov = np.bincount(seg, weights=np.where(hit, idf, 0.0), minlength=n_rows) / q_mass
        mass = np.bincount(seg, weights=idf, minlength=n_rows)
        d_cov = np.divide(q_cov * q_mass, mass, out=np.zeros(n_rows), where=mass > 0)
        return (
            np.asarray(bm25, dtype=np.float64),
            np.asarray(q_cov, dtype=np.float64),
            np.asarray(d_cov, dtype=np.float64),
        )
