"""CandidateIndex and BM25: add, replace, remove, search, exact search, determinism."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from claims import detection
from claims.detection import CandidateIndex, analyse
from claims.detection.lexical import BM25Index

CLAIMS = {
    1: "About 3,000 North Korean troops were sent to Russia.",
    2: "Police arrested 35 protesters outside parliament in Valdora.",
    3: "The city council approved the stadium plan in Dunmore.",
    4: "Unemployment in Carrow fell to 5.2% in March.",
    5: "A rare white rhino calf was born at Kelby zoo.",
}
DIM = 16


def vec(seed: int) -> npt.NDArray[np.float32]:
    """Deterministic unit vector per claim (the tests do not need real embeddings)."""
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def build(ids: list[int] | None = None) -> CandidateIndex:
    ids = ids or sorted(CLAIMS)
    index = CandidateIndex(DIM)
    index.add_many(ids, [analyse(CLAIMS[i]) for i in ids], np.stack([vec(i) for i in ids]))
    return index


def test_lexical_match_ranks_first_and_exclude_works() -> None:
    index = build()
    query = analyse("Valdora police arrested protesters")
    hits = index.search(query, vec(99), limit=3)
    assert hits[0].claim_id == 2
    assert "lexical" in hits[0].sources
    assert 2 not in [c.claim_id for c in index.search(query, vec(99), limit=5, exclude=2)]


def test_semantic_side_finds_the_nearest_vector() -> None:
    index = build()
    near = vec(4) + 0.01 * vec(7)
    near /= np.linalg.norm(near)
    hits = index.search(analyse("zzz"), near, limit=2)
    assert hits[0].claim_id == 4
    assert hits[0].sources == ("semantic",)
    assert index.semantic_search(near, limit=1)[0].claim_id == 4
    assert index.exact_search(near, limit=1)[0].claim_id == 4


def test_numeric_fact_side_finds_differently_worded_claims() -> None:
    index = build()
    query = analyse("Pyongyang has deployed over 11,000 soldiers to Kursk, North Korea said.")
    hits = index.search(query, vec(50), limit=5)
    first = next(c for c in hits if c.claim_id == 1)
    assert "fact" in first.sources


def test_readding_replaces_and_remove_forgets() -> None:
    index = build()
    assert len(index) == 5
    index.add_many(
        [2], [analyse("Ferry runs aground near Kelby Island with 312 passengers.")], vec(2)[None, :]
    )
    assert len(index) == 5
    old = analyse("Valdora police arrested protesters")
    assert 2 not in [c.claim_id for c in index.search(old, vec(99), limit=5) if "lexical" in c.sources]
    new = index.search(analyse("ferry aground Kelby"), vec(99), limit=1)
    assert new[0].claim_id == 2
    index.remove(2)
    index.remove(2)  # idempotent
    assert len(index) == 4
    assert 2 not in index
    assert 2 not in [c.claim_id for c in index.search(analyse("ferry aground Kelby"), vec(2), limit=5)]
    assert 2 not in [c.claim_id for c in index.exact_search(vec(2), limit=5)]


def test_exact_search_is_sorted_by_cosine() -> None:
    index = build()
    hits = index.exact_search(vec(3), limit=5)
    sims = [c.semantic for c in hits]
    assert hits[0].claim_id == 3
    assert sims == sorted(sims, reverse=True)
    assert sims[0] == pytest.approx(1.0, abs=1e-3)


def test_search_is_deterministic() -> None:
    a, b = build(), build()
    query = analyse("North Korean troops sent to Russia")
    assert a.search(query, vec(1), limit=5) == b.search(query, vec(1), limit=5)


def test_bad_input_is_rejected() -> None:
    index = CandidateIndex(DIM)
    with pytest.raises(ValueError, match="shape"):
        index.add_many([1], [analyse("x")], np.zeros((1, DIM + 1), dtype=np.float32))
    with pytest.raises(ValueError, match="unique"):
        index.add_many([1, 1], [analyse("x"), analyse("y")], np.stack([vec(1), vec(2)]))
    assert index.search(analyse("x"), vec(1)) == []
    assert len(index) == 0


def test_bm25_ranks_rarer_terms_higher_and_forgets_removed_rows() -> None:
    bm = BM25Index()
    docs = ["troops sent to kursk", "troops sent home", "rhino calf born", "troops troops"]
    for row, text in enumerate(docs):
        bm.add(row, analyse(text).terms)
    rows, scores = bm.search(analyse("kursk troops").terms, 10)
    assert rows.tolist()[0] == 0
    assert list(scores) == sorted(scores, reverse=True)
    assert 2 not in rows.tolist()
    bm.remove(0)
    rows, _ = bm.search(analyse("kursk").terms, 10)
    assert rows.tolist() == []
    assert len(bm) == 3


def test_bm25_reads_only_recent_postings_of_very_common_terms() -> None:
    bm = BM25Index(max_postings=3)
    for row in range(6):
        bm.add(row, ["common", f"rare{row}"])
    rows, _ = bm.search(["common"], 10)
    assert sorted(rows.tolist()) == [3, 4, 5]
    rows, _ = bm.search(["rare1"], 10)
    assert rows.tolist() == [1]


def test_the_search_beam_widens_once_the_index_is_large() -> None:
    # given an index whose "large" starts at five claims
    index = CandidateIndex(DIM, expansion_search=40, expansion_search_large=400, large_from=5)
    index.add_many(
        [1, 2, 3, 4], [analyse(CLAIMS[i]) for i in (1, 2, 3, 4)], np.stack([vec(i) for i in (1, 2, 3, 4)])
    )
    # when it is searched below and then at that size
    index.semantic_search(vec(99), limit=2)
    small = index._ann.expansion_search
    index.add_many([5], [analyse(CLAIMS[5])], np.stack([vec(5)]))
    hits = index.semantic_search(vec(99), limit=2)
    # then the beam is the small one, then the large one, and the search still answers
    assert (small, index._ann.expansion_search) == (40, 400)
    assert len(hits) == 2


def test_batched_search_returns_exactly_what_one_search_per_claim_returns() -> None:
    # given: a graph big enough for its search to be approximate (a narrow beam over 2,000
    # vectors), claims sharing words and figures, and queries near and far from stored claims
    towns = ("Ardley", "Bexcombe", "Corran", "Dunmore", "Elsby", "Farrow", "Glenmoor", "Harlow")
    verbs = ("rose", "burst its banks", "flooded")
    texts = [
        f"{100 * (k + 2)} people in {town} were evacuated after the river {verb} on Monday."
        for k, (town, verb) in enumerate((town, verb) for town in towns for verb in verbs)
    ] + [f"The {town} council approved a budget of {k + 3} million euros." for k, town in enumerate(towns)]
    analysed = detection.analyse_many(texts)
    index = CandidateIndex(
        DIM, connectivity=4, expansion_search=8, ann_breadth=12, semantic_k=20, lexical_k=20
    )
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((2000, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index.add_many(list(range(1, 2001)), [analysed[k % len(analysed)] for k in range(2000)], vectors)
    index.remove(7)
    nearby = vectors[:20] + 0.05 * rng.standard_normal((20, DIM)).astype(np.float32)
    queries = np.vstack([nearby, vectors[20:40]])
    features = [analysed[(3 * k) % len(analysed)] for k in range(len(queries))]
    # with and without a claim to leave out: the two ask the graph for different numbers of neighbours
    excludes = [k + 21 if k >= 20 else None for k in range(len(queries))]
    # when
    batched = index.search_many(features, queries, limit=15, excludes=excludes)
    one_by_one = [
        index.search(claim, query, limit=15, exclude=exclude)
        for claim, query, exclude in zip(features, queries, excludes, strict=True)
    ]
    # then: the same candidates, scores and sources, in the same order
    assert batched == one_by_one
    assert all(len(hits) == 15 for hits in batched)
    for hits, exclude in zip(batched, excludes, strict=True):
        assert exclude not in [candidate.claim_id for candidate in hits]
    assert index.search_many([], np.zeros((0, DIM), dtype=np.float32)) == []


def test_bm25_batched_search_returns_exactly_what_one_search_per_query_returns() -> None:
    bm = BM25Index(max_postings=4)
    docs = ["troops sent to kursk", "troops sent home", "rhino calf born", "troops troops", "calf sent home"]
    for row, text in enumerate(docs * 3):
        bm.add(row, analyse(text).terms)
    bm.remove(4)
    queries = [
        analyse(text).terms for text in ("kursk troops", "troops troops home", "calf", "", "troops sent")
    ]
    batched = bm.search_many(queries, 6)
    one_by_one = [bm.search(terms, 6) for terms in queries]
    assert [(rows.tolist(), scores.tolist()) for rows, scores in batched] == [
        (rows.tolist(), scores.tolist()) for rows, scores in one_by_one
    ]
