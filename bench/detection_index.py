"""Benchmark CandidateIndex on synthetic news claims at several corpus sizes.

Usage: python bench/detection_index.py [--sizes 10000,100000,1000000] [--queries 300]

Claims are generated from templates with varied figures, places, organisations and verbs
(deterministic seed), analysed with ``claims.detection.analyse`` and embedded with the wordllama
embedder, then indexed in batches. For each size it prints: add time (index only, and claims/s),
fused ``search`` latency p50/p95, ANN-only latency, recall@50 of the ANN side against brute force
(strict set overlap, and tie-tolerant: an ANN hit counts when its cosine is at least the 50th exact
cosine), and the process RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claims.chunking import chunked
from claims.detection import CandidateIndex, analyse
from claims.embedding import get_embedder

_SYL = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vos",
    "bri",
    "dal",
    "mor",
    "sen",
    "tal",
    "ur",
    "ost",
    "vel",
    "ran",
    "kel",
    "bor",
    "is",
    "an",
    "der",
    "wick",
    "ham",
    "ford",
    "lin",
    "gar",
]
_NATIONS = [
    "North Korean",
    "Russian",
    "Ukrainian",
    "Polish",
    "Turkish",
    "Syrian",
    "Iranian",
    "Chinese",
    "French",
    "British",
]
_TROOPS = ["troops", "soldiers", "servicemen", "fighters", "forces"]
_SENT = ["sent", "deployed", "dispatched", "stationed", "moved"]
_HEDGES = ["", "about ", "around ", "more than ", "at least ", "nearly ", "an estimated ", "up to ", "over "]
_EVENTS = [
    "an earthquake",
    "floods",
    "a bombing",
    "a landslide",
    "a fire",
    "a train crash",
    "shelling",
    "a storm",
]
_TIMES = [
    "",
    " in the past week",
    " since October",
    " so far",
    " on Monday",
    " in total",
    " last month",
    " daily",
]
_ORG_SUFFIX = [
    "Energy",
    "Motors",
    "Airways",
    "Bank",
    "Foods",
    "Telecom",
    "Mining",
    "Pharma",
    "Holdings",
    "Steel",
]
_BODIES = [
    "city council",
    "senate",
    "parliament",
    "regional assembly",
    "supreme court",
    "cabinet",
    "regulator",
]
_OUTCOME = ["approved", "rejected", "passed", "blocked", "backed", "vetoed"]
_TOPICS = [
    "fuel tax",
    "stadium plan",
    "pension reform",
    "mining licence",
    "budget",
    "wage rise",
    "rail link",
    "ban",
]
_TRENDS = ["rose", "fell", "climbed", "dropped", "jumped", "slipped"]
_MEASURES = ["Unemployment", "Inflation", "Turnout", "Youth unemployment", "The jobless rate", "Growth"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(_SYL) for _ in range(parts)).capitalize()


def make_claim(rng: random.Random) -> str:
    """One synthetic news claim."""
    t = rng.randrange(8)
    place = _name(rng, rng.choice((2, 3)))
    n = rng.choice((rng.randrange(2, 60), rng.randrange(100, 5000), rng.randrange(1, 90) * 500))
    fig = f"{n:,}"
    hedge = rng.choice(_HEDGES)
    when = rng.choice(_TIMES)
    event = rng.choice(_EVENTS)
    topic = rng.choice(_TOPICS)
    if t == 0:
        who = f"{rng.choice(_NATIONS)} {rng.choice(_TROOPS)}"
        return f"{hedge.capitalize()}{fig} {who} were {rng.choice(_SENT)} to {place}{when}."
    if t == 1:
        hurt = f"{n * rng.randrange(2, 9):,}"
        return f"{hedge.capitalize()}{fig} people were killed and {hurt} injured in {event} in {place}{when}."
    if t == 2:
        return f"Police in {place} arrested {hedge}{fig} protesters during a march against the {topic}{when}."
    if t == 3:
        org = f"{_name(rng)} {rng.choice(_ORG_SUFFIX)}"
        kind = rng.choice(["profit", "loss", "revenue"])
        money = f"${rng.randrange(1, 900)}.{rng.randrange(10)} million"
        period = rng.choice(["first half", "full year", "second quarter"])
        return f"{org} reported a {kind} of {money} for the {period}."
    if t == 4:
        votes = f"{rng.randrange(40, 90)} votes to {rng.randrange(5, 39)}"
        return f"The {rng.choice(_BODIES)} of {place} {rng.choice(_OUTCOME)} the {topic} by {votes}."
    if t == 5:
        pct = f"{rng.randrange(1, 30)}.{rng.randrange(10)}%"
        return f"{rng.choice(_MEASURES)} in {place} {rng.choice(_TRENDS)} to {pct} in {rng.choice(_MONTHS)}."
    if t == 6:
        return f"{hedge.capitalize()}{fig} homes were destroyed by {event} in {place}{when}, officials said."
    what = rng.choice(
        ["resigned", "denied taking bribes", "was arrested", "won re-election", "lost the vote"]
    )
    return f"{_name(rng)} {_name(rng, 3)}, the mayor of {place}, {what}{when}."


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def run(size: int, queries: int, embedder_dir: Path, batch: int) -> None:
    emb = get_embedder(embedder_dir)
    rng = random.Random(1234)
    index = CandidateIndex(emb.dim)
    add_time = 0.0
    add_cpu = 0.0
    prep_time = 0.0
    base_rss = rss_mib()
    for ids in chunked(range(size), batch):
        start, n = ids[0], len(ids)
        t0 = time.perf_counter()
        texts = [make_claim(rng) for _ in range(n)]
        feats = [analyse(t) for t in texts]
        vecs = emb.embed(texts)
        t1 = time.perf_counter()
        c1 = time.process_time()
        index.add_many(list(range(start, start + n)), feats, vecs)
        add_cpu += time.process_time() - c1
        t2 = time.perf_counter()
        prep_time += t1 - t0
        add_time += t2 - t1
    qrng = random.Random(99)
    qtexts = [make_claim(qrng) for _ in range(queries)]
    qfeats = [analyse(t) for t in qtexts]
    qvecs = emb.embed(qtexts)
    fused: list[float] = []
    fused_cpu: list[float] = []
    ann: list[float] = []
    strict: list[float] = []
    tolerant: list[float] = []
    for f, v in zip(qfeats, qvecs, strict=False):
        t0 = time.perf_counter()
        c0 = time.process_time()
        index.search(f, v, limit=50)
        fused_cpu.append((time.process_time() - c0) * 1000)
        t1 = time.perf_counter()
        got = index.semantic_search(v, limit=50)
        t2 = time.perf_counter()
        fused.append((t1 - t0) * 1000)
        ann.append((t2 - t1) * 1000)
        exact = index.exact_search(v, limit=50)
        exact_ids = {c.claim_id for c in exact}
        floor = exact[-1].semantic - 1e-4
        strict.append(len(exact_ids & {c.claim_id for c in got}) / len(exact))
        tolerant.append(min(1.0, sum(1 for c in got if c.semantic >= floor) / len(exact)))
    print(
        f"size={size:>9,}  add={add_time:7.1f}s wall, {add_cpu:7.1f}s cpu ({size / add_time:8,.0f}/s)  "
        f"analyse+embed={prep_time:7.1f}s  "
        f"search p50={np.percentile(fused, 50):6.2f}ms p95={np.percentile(fused, 95):6.2f}ms "
        f"(cpu p50={np.percentile(fused_cpu, 50):5.2f}ms p95={np.percentile(fused_cpu, 95):5.2f}ms)  "
        f"ann p50={np.percentile(ann, 50):5.2f}ms p95={np.percentile(ann, 95):5.2f}ms  "
        f"recall@50 strict={np.mean(strict):.4f} tie-tolerant={np.mean(tolerant):.4f}  "
        f"rss={rss_mib():7.0f}MiB (index ~{rss_mib() - base_rss:6.0f}MiB)",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--batch", type=int, default=20000)
    ap.add_argument("--cache-dir", default=None, help="embedder cache dir (default: a temp dir)")
    args = ap.parse_args()
    cache = Path(args.cache_dir) if args.cache_dir else Path(tempfile.mkdtemp(prefix="wordllama-"))
    sizes = [int(s) for s in args.sizes.split(",")]
    if len(sizes) == 1:
        run(sizes[0], args.queries, cache, args.batch)
        return
    # one process per size, so that RSS is that of one index only
    for size in sizes:
        cmd = [sys.executable, __file__, "--sizes", str(size), "--queries", str(args.queries)]
        cmd += ["--batch", str(args.batch), "--cache-dir", str(cache)]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
