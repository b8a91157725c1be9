"""Benchmark of the review queue page on PostgreSQL: 10,000 claims, 2,000 findings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corroborate_queue_bench \\
        .venv/bin/python bench/queue_page.py [--requests 30] [--reseed]

It creates the database when missing, migrates it and seeds it once with ``bulk_create`` (``--reseed``
starts again): 40 outlets, 4,000 articles, 10,000 claims with 1 to 3 appearances each, a third of them
with a verdict, and 2,000 findings (60 % contradictions, 40 % duplicate suggestions) with the claims'
counters set as the services keep them; on top, the desk's workflow: a third of the claims assigned
(to the editor or one of five annotators), 3,000 comments, 500 follows and 500 notifications for the
editor (the bell counts the unread ones on every page). Then it requests pages through Django's test client, logged in
as an editor, and prints the median and 95th percentile of the time per page (server side: queries,
Python, template) and the number of queries per page for page sizes 25, 50 and 100. Beside the wall
time it prints the Django process's CPU time and the time spent waiting for SQL, which say more than the
wall time on a busy machine (the load average is printed too).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/corroborate_queue_bench"
CLAIMS = 10_000
FINDINGS = 2_000
SEED = 20261122

TOPICS = [
    ("the Corran Dam flood", "people died"),
    ("the pension protest in Velsund", "people were arrested"),
    ("the harbour budget", "million euros were spent"),
    ("the ferry strike", "sailings were cancelled"),
    ("the wildfire near Aldmoor", "hectares burned"),
    ("the rail tender", "bids were received"),
    ("the hospital waiting list", "patients were waiting"),
    ("the school closures", "schools were closed"),
]


def ensure_database(url: str) -> None:
    """Create the benchmark database if it does not exist (connecting to the server's ``postgres``)."""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def seed(rng: random.Random) -> None:
    from django.contrib.auth.models import User
    from django.db import transaction

    from accounts.roles import Role
    from accounts.services import user_create_or_update
    from articles.models import Article, Outlet
    from claims.models import (
        Claim,
        ClaimComment,
        ClaimFollow,
        ClaimStatus,
        Finding,
        FindingKind,
        Notification,
        Review,
        Source,
        SourceKind,
    )

    started = time.perf_counter()
    editor, _ = user_create_or_update(username="bench-editor", role=Role.EDITOR, password=None)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create([Outlet(name=f"Bench Outlet {n:02}") for n in range(40)])
        articles = Article.objects.bulk_create(
            [
                Article(
                    title=f"Bench article {n}",
                    url=f"https://bench.example/{n}",
                    outlet=outlets[n % len(outlets)],
                    published_at=base + timedelta(hours=n),
                )
                for n in range(4_000)
            ],
            batch_size=2_000,
        )
        speakers = [f"Speaker {n}" for n in range(300)]
        statuses = [ClaimStatus.UNREVIEWED] * 6 + [
            ClaimStatus.CORROBORATED,
            ClaimStatus.DISPUTED,
            ClaimStatus.UNRELIABLE,
        ]
        claims = []
        for n in range(CLAIMS):
            topic, measure = TOPICS[n % len(TOPICS)]
            created = base + timedelta(minutes=7 * n)
            status = rng.choice(statuses)
            claims.append(
                Claim(
                    text=f"{rng.randint(2, 5000):,} {measure} in {topic}, according to source {n}.",
                    speaker=rng.choice(speakers),
                    status=status,
                    check_status="done" if n % 50 else "pending",
                    created_at=created,
                    updated_at=created,
                    reviewed_at=created if status != ClaimStatus.UNREVIEWED else None,
                )
            )
        claims = Claim.objects.bulk_create(claims, batch_size=2_000)
        sources = []
        outlet_counts: dict[int, int] = {}
        for claim in claims:
            picked = rng.sample(articles, rng.choice((1, 1, 2, 3)))
            outlet_counts[claim.pk] = len({article.outlet_id for article in picked})
            sources.extend(
                Source(
                    claim=claim,
                    kind=SourceKind.APPEARANCE,
                    url=article.url or "",
                    title=article.title,
                    outlet_id=article.outlet_id,
                    article=article,
                )
                for article in picked
            )
        Source.objects.bulk_create(sources, batch_size=5_000)
        Review.objects.bulk_create(
            [
                Review(
                    claim=claim,
                    verdict=claim.status,
                    rationale="Checked against the record.",
                    reviewer=editor,
                    claim_version=1,
                    created_at=claim.created_at,
                )
                for claim in claims
                if claim.status != ClaimStatus.UNREVIEWED
            ],
            batch_size=5_000,
        )
        pairs: set[tuple[int, int, str]] = set()
        while len(pairs) < FINDINGS:
            first, second = rng.sample(claims, 2)
            kind = FindingKind.CONTRADICTION if rng.random() < 0.6 else FindingKind.DUPLICATE
            low, high = sorted((first.pk, second.pk))
            pairs.add((low, high, kind))
        Finding.objects.bulk_create(
            [
                Finding(
                    claim_low_id=low,
                    claim_high_id=high,
                    kind=kind,
                    score=round(rng.uniform(0.55, 0.99), 3),
                    explanation=f'Figures conflict: "{low}" vs "{high}"'
                    if kind == "contradiction"
                    else "Same claim",
                    detector_version="bench",
                )
                for low, high, kind in sorted(pairs)
            ],
            batch_size=2_000,
        )
        contradictions: Counter[int] = Counter()
        duplicates: Counter[int] = Counter()
        for low, high, kind in pairs:
            (contradictions if kind == "contradiction" else duplicates).update((low, high))
        for claim in claims:
            claim.outlet_count = outlet_counts[claim.pk]
            claim.open_contradictions = contradictions[claim.pk]
            claim.open_duplicates = duplicates[claim.pk]
        desk = [editor] + [
            user_create_or_update(username=f"bench-annotator-{n}", role=Role.ANNOTATOR, password=None)[0]
            for n in range(5)
        ]
        for claim in claims:
            claim.assignee = rng.choice(desk) if rng.random() < 1 / 3 else None
        Claim.objects.bulk_update(
            claims, ["outlet_count", "open_contradictions", "open_duplicates", "assignee"], batch_size=2_000
        )
        commented = rng.sample(claims, 1_500)
        ClaimComment.objects.bulk_create(
            [
                ClaimComment(claim=claim, author=rng.choice(desk), body=f"@bench-editor look at source {n}.")
                for n, claim in enumerate(commented + commented)
            ],
            batch_size=2_000,
        )
        ClaimFollow.objects.bulk_create(
            [ClaimFollow(claim=claim, user=editor) for claim in commented[:500]], batch_size=2_000
        )
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=editor,
                    claim=claim,
                    event="comment",
                    summary=f"New comment on claim #{claim.pk}",
                    read_at=base if n % 2 else None,
                )
                for n, claim in enumerate(commented[:500])
            ],
            batch_size=2_000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {len(claims):,} claims, {len(sources):,} appearances, {len(pairs):,} findings "
        f"in {time.perf_counter() - started:.1f} s"
    )
    assert User.objects.filter(username="bench-editor").exists()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--reseed", action="store_true", help="drop the seeded data and seed again")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from claims.models import Claim, ClaimComment

    call_command("migrate", verbosity=0)
    if options.reseed:
        call_command("flush", interactive=False, verbosity=0)
    if Claim.objects.count() != CLAIMS or not ClaimComment.objects.exists():
        if Claim.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        seed(random.Random(SEED))
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-editor"))
    pages: list[tuple[str, str]] = [
        ("queue, default (awaiting verdict, 50 per page)", "/review/"),
        ("queue, any status, 100 per page", "/review/?status=any&size=100"),
        ("queue, open contradictions + outlet", "/review/?contradictions=1&outlet=" + str(_an_outlet_id())),
        ("queue, text search", "/review/?q=harbour+budget"),
        ("queue, page 20", "/review/?page=20"),
        ("queue, assigned to me", "/review/?assigned=me"),
        ("queue, unassigned", "/review/?assigned=none"),
    ]
    print(
        f"PostgreSQL {connection.pg_version // 10000}, {Claim.objects.count():,} claims; "
        f"{options.requests} requests per page; {os.cpu_count()} CPUs, load average {_load()}"
    )
    for label, path in pages:
        for _ in range(3):  # warm caches and the connection
            assert client.get(path).status_code == 200
        timings: list[float] = []
        cpu: list[float] = []
        sql: list[float] = []
        for _ in range(options.requests):
            with CaptureQueriesContext(connection) as context:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            sql.append(sum(float(query["time"]) for query in context.captured_queries) * 1000)
            assert response.status_code == 200
        median, p95 = statistics.median(timings), percentile(timings, 0.95)
        print(
            f"  {label:48} median {median:6.1f} ms   p95 {p95:6.1f} ms"
            f"   (median Python CPU {statistics.median(cpu):5.1f} ms, SQL {statistics.median(sql):5.1f} ms)"
        )
    counts: dict[int, int] = {}
    for size in (25, 50, 100):
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"/review/?status=any&size={size}")
        rows = response.content.decode().count('<li class="q-row')
        counts[size] = len(context.captured_queries)
        print(f"  queries per page, {size:3} rows shown ({rows:3}): {counts[size]}")
    print("  query count constant across page sizes:", "yes" if len(set(counts.values())) == 1 else "NO")
    print(f"  load average at the end: {_load()}")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _an_outlet_id() -> Any:
    from articles.models import Outlet

    return Outlet.objects.order_by("name").values_list("pk", flat=True).first()


if __name__ == "__main__":
    main()
