"""Claims per second of the spaCy parse behind claim frames, in one process.

Usage:
    .venv/bin/python bench/parse_rate.py [--claims 5000] [--batch 1000]

Generates ``--claims`` distinct claim texts from ``bench/check_pipeline.py``'s templates (the ones
the bulk import bench imports), then times, in this process, with a cold cache each time:

- ``claims.detection.parsing.parse_many`` (the spaCy pipeline: tok2vec + tagger, lemmas);
- ``claims.detection.analyse_many`` (everything ``claim_vectors_store`` computes per claim:
  parse, quantities, facts, polarity, time cues and the frame),

fed ``--batch`` texts at a time as the importer feeds them. Prints claims/s of CPU time (this
process) and of wall time, and the load average: on a shared machine the wall figure moves with
the load, the CPU figure much less. Also prints the pipeline's components.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.check_pipeline import plan, report  # noqa: E402
from claims.detection import analyse_many, parsing  # noqa: E402


def _timed(label: str, texts: list[str], batch: int, run: object) -> None:
    parsing.reset_counters()
    cpu, wall = time.process_time(), time.perf_counter()
    for k in range(0, len(texts), batch):
        run(texts[k : k + batch])  # type: ignore[operator]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{label:<13} {len(texts):,} claims: {len(texts) / cpu:,.0f} claims/s CPU, "
        f"{len(texts) / wall:,.0f} claims/s wall; {parsing.parse_calls()[1]} pipeline runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    texts = list(dict.fromkeys(report(story, number)[0] for story, number in plan(args.claims)))
    started = time.perf_counter()
    nlp = parsing.pipeline()
    print(
        f"pipeline {nlp.pipe_names} loaded in {time.perf_counter() - started:.1f} s; load {os.getloadavg()[0]:.1f}"
    )
    parsing.parse_many(texts[:50])  # warm-up
    _timed("parse_many", texts, args.batch, parsing.parse_many)
    _timed("analyse_many", texts, args.batch, analyse_many)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
