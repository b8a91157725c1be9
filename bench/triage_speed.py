"""Triage worker time: a 5,000-word article against N stored claims, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corroborate_bench_triage \\
        .venv/bin/python bench/triage_speed.py [--size 100000] [--runs 20] [--words 5000] [--reseed]

The database ``<name>_<size>`` is created, migrated and seeded once with ``bench/check_pipeline.py``'s
seeder (news-like claims with vectors and analysed features, written with COPY; a tenth of them
reviewed). Each run writes a new revision of a 5,000-word article (sentences built from the same
story templates, so many repeat stored claims, and filler around them) with ``article_revision_create``
and times ``claims.services.triage.triage_run`` on its run, as the Celery worker calls it: split,
score, match every sentence with ``claims_match_many``, store. The index build (the first run in a
fresh worker process) is reported apart. It prints p50/p95 of wall and CPU time and each step's
p50, against the target of p95 <= 3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.check_pipeline import (  # noqa: E402
    database_url,
    django_setup,
    ensure_database,
    percentile,
    report,
    seed,
    size_label,
)

TARGET_S = 3.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/corroborate_bench_triage"
FILLER = [
    "The meeting ran late into the evening.",
    "Residents lined the road as the convoy passed.",
    "Reporters waited outside the building for most of the afternoon.",
    "The weather cleared by the weekend.",
    "Several shops stayed closed on the main street.",
    "Local radio carried the announcement live.",
]


def article_text(rng: random.Random, words: int, stories: int) -> str:
    """About ``words`` words: reports of stored stories (new wordings of them) among filler."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            if rng.random() < 0.5:
                sentence, _ = report(rng.randrange(stories), rng.randint(0, 5))
            else:
                sentence = rng.choice(FILLER)
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def run(size: int, runs: int, words: int, reseed: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from articles.services import article_create, article_revision_create
    from claims.models import Claim, TriageRun
    from claims.services.triage import triage_run

    call_command("migrate", verbosity=0)
    if reseed or Claim.objects.count() < size:
        print(f"seeding {size:,} claims…", flush=True)
        seed(size, jobs=2)
    stories = max(1, Claim.objects.count() // 2)
    rng = random.Random(17)
    article = article_create(title="Triage bench", text=article_text(rng, words, stories))
    timings: list[dict[str, int]] = []
    walls: list[float] = []
    cpus: list[float] = []
    for number in range(runs + 1):
        text = article_text(rng, words, stories)
        revision = article_revision_create(article=article, text=text)
        assert revision is not None
        run_id = TriageRun.objects.get(revision=revision).pk
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = triage_run(run_id=run_id)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert outcome == "done", outcome
        row = TriageRun.objects.get(pk=run_id)
        sentences = row.sentences.count()
        repeats = sum(1 for s in row.sentences.all() if s.repeats)
        if number == 0:
            print(
                f"first run (builds the index of {size:,} claims): {wall:.2f} s wall; "
                f"{len(text.split()):,} words, {sentences} sentences, {repeats} with repeats",
                flush=True,
            )
            continue
        walls.append(wall)
        cpus.append(cpu)
        timings.append(row.timings)
    connection.close()
    steps = {step: statistics.median(t[step] for t in timings) for step in timings[0]}
    p95 = percentile(walls, 0.95)
    print(
        f"{size_label(size)} claims, {runs} runs of a {words:,}-word article: "
        f"wall p50 {statistics.median(walls):.2f} s, p95 {p95:.2f} s; "
        f"CPU p50 {statistics.median(cpus):.2f} s, p95 {percentile(cpus, 0.95):.2f} s; "
        f"step p50 (ms) {steps}; target p95 <= {TARGET_S:.0f} s: {'met' if p95 <= TARGET_S else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--reseed", action="store_true")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    size_url = database_url(url, size_label(options.size))
    ensure_database(size_url)
    # Not eager: triage runs are sent to Celery's in-memory transport and run (and timed) here.
    django_setup(size_url, eager=False)
    run(options.size, options.runs, options.words, options.reseed)


if __name__ == "__main__":
    main()
