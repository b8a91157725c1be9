"""ANN recall@50 against brute force at a given corpus size, without a database.

    .venv/bin/python bench/ann_recall.py [--size 1000000] [--queries 200] [--beams 320,960]

The corpus is the one ``bench/check_pipeline.py`` seeds (same templates, same seed), embedded
with the app's wordllama embedder; the vectors are cached under ``var/bench/`` (1 GB at 1M).
They go into a usearch HNSW graph built with ``CandidateIndex``'s own settings (connectivity,
expansion on add, f16 storage), and the probe claims ``check_pipeline`` checks are added too.
For each search beam it prints the recall@50 of the ANN side against exact cosine over every
vector (as ``CandidateIndex.exact_search`` computes it, from the f16 copy), the share of the
exact top 50 among the first 100 ANN hits (what the fused search re-scores), and the time per
query. Without ``--beams`` it measures the beam ``CandidateIndex`` uses at that size.

It isolates what the 1M incremental run of ``check_pipeline`` measures among everything else
(seeding 1M claims with their features takes over 20 minutes on 2 cores; this takes about 5).
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RECALL_K = 50
POOL_K = 100


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--beams", default="", help="search beams (expansion_search) to measure")
    options = parser.parse_args()

    import check_pipeline
    from usearch.index import Index

    from claims.chunking import chunked
    from claims.detection import CandidateIndex
    from claims.embedding import get_embedder

    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(CandidateIndex.__init__).parameters.items()
        if parameter.default is not inspect.Parameter.empty
    }
    embedder = get_embedder(ROOT / "var" / "detection-cache")
    cache = ROOT / "var" / "bench" / f"vectors_{options.size}.npy"
    started = time.perf_counter()
    if cache.exists():
        vectors = np.load(cache)
    else:
        texts = [
            check_pipeline.report(story, number)[0] for story, number in check_pipeline.plan(options.size)
        ]
        vectors = np.vstack([embedder.embed(chunk) for chunk in chunked(texts, 20_000)])
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
    probes = embedder.embed(check_pipeline.probe_texts(options.size, options.queries))
    print(
        f"{len(vectors):,} vectors and {len(probes)} probes in {time.perf_counter() - started:.0f} s",
        flush=True,
    )

    started = time.perf_counter()
    index = Index(
        ndim=vectors.shape[1],
        metric="ip",
        dtype=defaults["dtype"],
        connectivity=defaults["connectivity"],
        expansion_add=defaults["expansion_add"],
        expansion_search=defaults["expansion_search"],
    )
    index.add(np.arange(len(vectors), dtype=np.uint64), vectors, threads=2)
    first_probe = len(vectors)
    index.add(np.arange(first_probe, first_probe + len(probes), dtype=np.uint64), probes, threads=1)
    print(
        f"graph built in {time.perf_counter() - started:.0f} s (connectivity {defaults['connectivity']}, "
        f"expansion_add {defaults['expansion_add']}, {defaults['dtype']})",
        flush=True,
    )

    stored = np.vstack([vectors, probes]).astype(np.float16).astype(np.float32)
    truths = []
    for k, probe in enumerate(probes):
        sims = stored @ probe
        sims[first_probe + k] = -np.inf  # the probe itself is excluded, as a check excludes its claim
        truths.append(set(np.argpartition(-sims, RECALL_K - 1)[:RECALL_K].tolist()))

    size = len(vectors) + len(probes)
    app_beam = (
        defaults["expansion_search_large"] if size >= defaults["large_from"] else defaults["expansion_search"]
    )
    beams = [int(beam) for beam in options.beams.split(",")] if options.beams else [app_beam]
    breadth = defaults["ann_breadth"]
    for beam in beams:
        index.expansion_search = beam  # type: ignore[misc]  # usearch has the setter; mypy misses it
        recall, pooled, started = [], [], time.perf_counter()
        for k, probe in enumerate(probes):
            matches = index.search(probe, breadth + 1, threads=1)
            keys = [int(key) for key in matches.keys if int(key) != first_probe + k]
            recall.append(len(truths[k] & set(keys[:RECALL_K])) / RECALL_K)
            pooled.append(len(truths[k] & set(keys[:POOL_K])) / RECALL_K)
        per_query = (time.perf_counter() - started) / len(probes) * 1000
        used = " (the app's beam at this size)" if beam == app_beam else ""
        print(
            f"beam {beam}{used}: recall@{RECALL_K} {np.mean(recall):.4f}, exact top {RECALL_K} within the "
            f"first {POOL_K} hits {np.mean(pooled):.4f}, {per_query:.2f} ms per query",
            flush=True,
        )


if __name__ == "__main__":
    main()
