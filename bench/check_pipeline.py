"""Benchmark of the background check pipeline on PostgreSQL: one incremental check, and a bulk import.

Incremental check (10k, 100k and 1M stored claims):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corroborate_bench_checks \\
        .venv/bin/python bench/check_pipeline.py [--sizes 10000,100000,1000000] [--checks 200] [--reseed]

Each size has a database of its own, named after the URL's with the size appended
(``corroborate_bench_checks_10k``, ``_100k``, ``_1m``), created when missing, migrated, and seeded
once (``--reseed`` starts again): claims generated from this script's templates (news-like stories
with figures, places and measures, most reported several times in other words, some reports with a
conflicting figure, an opposite outcome or a negation), their ``ClaimVector`` rows (vector and
analysed features, written as ``claim_vectors_store`` writes them), a done check request each and
the findings between reports of a story, all written with COPY. Analysis and embedding run in
``--jobs`` processes.

Each size then runs in a process of its own, so that its RSS is that of one index. It builds the
in-process index from the database (build time and RSS reported separately), runs a few warm-up
checks, then for ``--checks`` new claims (most of them new reports of stored stories) creates the
claim with ``claim_create`` and times ``claims.services.pipeline.claim_checks_run`` on it, as the
Celery worker runs it: retrieve, judge, store findings (auto-merge included). It prints p50/p95 of
the wall time and of this process's CPU time (PostgreSQL's own work shows in the wall time only),
the time spent waiting for SQL, and candidate recall@50 against exact brute-force cosine over
every vector (the recall oracle): of the ANN side alone, and of the candidate pool the fused search
re-scores. Claims made by an earlier run are removed first, so runs are comparable.

Bulk import (100k claims through ``import_claims``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/corroborate_bench_checks \\
        .venv/bin/python bench/check_pipeline.py --bulk [--bulk-size 100000] [--workers 2]

writes a JSON Lines archive from the same templates (kept under ``var/bench/``), recreates the
database ``<name>_bulk`` and runs ``manage.py import_claims FILE`` in a child process. Without
``--workers`` the checks run in-process after each batch commits (embedded mode, as without a
broker); with ``--workers N`` they run in a Celery worker of N processes with its beat, fed through
Redis (``--redis-url``, on a queue of this run's own), as in production. It prints the wall time of
import + index + check until no check is open, the CPU time of the importing process and of the
workers, the findings made, and the peak RSS of the importing process and the workers together
(sampled from /proc every 0.5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/corroborate_bench_checks"
SEED = 20261204
WARMUP = 5
RECALL_K = 50
SEED_CHUNK = 10_000

# --------------------------------------------------------------------------------------------------
# A fictional news world. Every name and sentence pattern here is invented for this benchmark.

_SYLLABLES = [
    "al", "bar", "cor", "dun", "el", "fen", "gal", "har", "is", "jor", "kel", "lin", "mar", "nor",
    "os", "pel", "quen", "ros", "sal", "tor", "ul", "val", "wen", "yar", "zan", "bri", "dor", "mere",
]  # fmt: skip
_PLACE_SUFFIXES = ["", "", "", "", "ford", "by", "wick", "ton", "ia", "mouth", "stad", "holm"]
_NATIONS = [
    "Russian", "Ukrainian", "Polish", "Turkish", "Iranian", "Chinese", "French", "British",
    "German", "Indian", "North Korean", "American", "Egyptian", "Nigerian", "Brazilian",
]  # fmt: skip
_TROOP_WORDS = ["troops", "soldiers", "servicemen", "marines", "paratroopers"]
_SENT_WORDS = ["sent", "deployed", "dispatched", "stationed"]
_HEDGES = ["", "", "", "about ", "around ", "more than ", "at least ", "nearly ", "an estimated ", "over "]
_EVENTS = [
    ("earthquake", "hit"), ("flood", "swept through"), ("landslide", "buried part of"), ("fire", "tore through"),
    ("storm", "struck"), ("train crash", "happened near"), ("explosion", "rocked"), ("bus crash", "happened near"),
    ("building collapse", "happened in"), ("cyclone", "struck"), ("mudslide", "hit"), ("heatwave", "gripped"),
]  # fmt: skip
_WINDOWS = [
    "", "", "", " on Monday", " on Tuesday", " on Friday", " in the past week", " since March",
    " so far this year", " overnight", " last month", " in total",
]  # fmt: skip
_ORG_SUFFIXES = [
    "Energy", "Motors", "Airways", "Bank", "Foods", "Telecom", "Mining", "Pharma", "Holdings", "Steel",
    "Logistics", "Retail", "Shipping", "Insurance",
]  # fmt: skip
_BODIES = ["city council", "senate", "parliament", "regional assembly", "cabinet", "port authority"]
_TOPICS = [
    "fuel tax", "stadium plan", "pension reform", "mining licence", "budget", "wage rise", "rail link",
    "smoking ban", "bridge project", "housing bill", "water tariff", "school merger", "airport expansion",
]  # fmt: skip
_INDICATORS = [
    ("Unemployment", "the jobless rate"), ("Inflation", "consumer price growth"),
    ("Youth unemployment", "joblessness among the young"), ("Turnout", "voter participation"),
    ("The poverty rate", "the share of people living in poverty"),
]  # fmt: skip
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
]  # fmt: skip
_FIRST = ["Anna", "Tomas", "Ayo", "Mirela", "Kofi", "Sunniva", "Dario", "Hanne", "Lior", "Nadia", "Pavel"]
_GOODS = ["a new hospital", "flood defences", "the metro extension", "road repairs", "school meals"]
_ATTRIBUTIONS = [
    "officials said", "police said", "local media reported", "according to the state news agency",
    "a spokesperson said", "the ministry said", "witnesses said", "according to a local newspaper",
    "a report found", "the agency said on its website",
]  # fmt: skip
_SMALL = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _place(rng: random.Random) -> str:
    return _name(rng, rng.choice((2, 2, 3))) + rng.choice(_PLACE_SUFFIXES)


def _figure(n: int, rng: random.Random) -> str:
    if 2 <= n <= 12 and rng.random() < 0.4:
        return _SMALL[n - 2]
    if n >= 1_000_000 and n % 100_000 == 0 and rng.random() < 0.6:
        return f"{n / 1_000_000:g} million"
    return f"{n:,}"


def _count(rng: random.Random) -> int:
    shape = rng.random()
    if shape < 0.3:
        return rng.randrange(2, 60)
    if shape < 0.7:
        return rng.randrange(60, 5_000)
    return rng.randrange(1, 200) * 500


def _conflicting(n: int, rng: random.Random) -> int:
    """Another figure for the same count, far enough off that the two cannot both hold."""
    factor = rng.choice((3, 4, 5, 8, 10))
    return n * factor if rng.random() < 0.6 or n < factor * 2 else max(1, n // factor)


Params = dict[str, Any]
Render = Callable[[Params, random.Random], str]


def _people_params(rng: random.Random) -> Params:
    killed = _count(rng)
    return {
        "place": _place(rng),
        "event": rng.choice(_EVENTS),
        "killed": killed,
        "injured": killed * rng.randrange(2, 9) + rng.randrange(0, 9),
        "when": rng.choice(_WINDOWS),
    }


def _people_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "killed": _conflicting(p["killed"], rng)}


_PEOPLE: list[Render] = [
    lambda p, r: (
        f"{r.choice(_HEDGES).capitalize()}{_figure(p['killed'], r)} people were killed and "
        f"{_figure(p['injured'], r)} injured when the {p['event'][0]} {p['event'][1]} {p['place']}{p['when']}."
    ),
    lambda p, r: (
        f"The {p['event'][0]} in {p['place']} left {r.choice(_HEDGES)}{_figure(p['killed'], r)} dead and "
        f"{_figure(p['injured'], r)} wounded{p['when']}, officials said."
    ),
    lambda p, r: (
        f"The death toll from the {p['event'][0]} in {p['place']} has risen to "
        f"{_figure(p['killed'], r)}{p['when']}, with {_figure(p['injured'], r)} people hurt."
    ),
    lambda p, r: (
        f"{r.choice(_HEDGES).capitalize()}{_figure(p['killed'], r)} people died in the {p['event'][0]} "
        f"that {p['event'][1]} {p['place']}{p['when']}, rescuers said."
    ),
    lambda p, r: (
        f"At least {_figure(p['killed'] + p['injured'], r)} people were killed or injured in the "
        f"{p['event'][0]} in {p['place']}{p['when']}."
    ),
]


def _troops_params(rng: random.Random) -> Params:
    return {
        "nation": rng.choice(_NATIONS),
        "place": _place(rng),
        "n": rng.randrange(2, 400) * 50,
        "when": rng.choice(_WINDOWS),
    }


def _troops_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "n": _conflicting(p["n"], rng)}


_TROOPS: list[Render] = [
    lambda p, r: (
        f"{r.choice(_HEDGES).capitalize()}{_figure(p['n'], r)} {p['nation']} {r.choice(_TROOP_WORDS)} were "
        f"{r.choice(_SENT_WORDS)} to {p['place']}{p['when']}."
    ),
    lambda p, r: (
        f"{p['nation']} commanders have {r.choice(_SENT_WORDS)} {r.choice(_HEDGES)}{_figure(p['n'], r)} "
        f"{r.choice(_TROOP_WORDS)} to the region around {p['place']}{p['when']}, a defence official said."
    ),
    lambda p, r: (
        f"Satellite images suggest {r.choice(_HEDGES)}{_figure(p['n'], r)} {p['nation']} "
        f"{r.choice(_TROOP_WORDS)} are now stationed near {p['place']}."
    ),
]


def _arrests_params(rng: random.Random) -> Params:
    return {
        "place": _place(rng),
        "topic": rng.choice(_TOPICS),
        "n": rng.randrange(2, 400),
        "day": rng.choice(("Saturday", "Sunday", "Monday", "Thursday")),
    }


def _arrests_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "n": 0} if rng.random() < 0.4 else {**p, "n": _conflicting(p["n"], rng)}


def _arrests(p: Params, r: random.Random) -> str:
    if p["n"] == 0:
        return r.choice(
            (
                f"No one was arrested at the protest against the {p['topic']} in {p['place']} on {p['day']}.",
                f"Police in {p['place']} made no arrests during the {p['topic']} march on {p['day']}.",
            )
        )
    return r.choice(
        (
            f"Police in {p['place']} arrested {r.choice(_HEDGES)}{_figure(p['n'], r)} protesters during a "
            f"march against the {p['topic']} on {p['day']}.",
            f"{_figure(p['n'], r).capitalize()} people were detained at the protest against the {p['topic']} "
            f"in {p['place']} on {p['day']}.",
            f"{p['place']} police said {_figure(p['n'], r)} demonstrators were taken into custody at "
            f"{p['day']}'s {p['topic']} rally.",
        )
    )


def _vote_params(rng: random.Random) -> Params:
    yes = rng.randrange(40, 90)
    return {
        "place": _place(rng),
        "body": rng.choice(_BODIES),
        "topic": rng.choice(_TOPICS),
        "passed": rng.random() < 0.6,
        "yes": yes,
        "no": rng.randrange(5, 39),
    }


def _vote_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "passed": not p["passed"]}


def _vote(p: Params, r: random.Random) -> str:
    verb = r.choice(("approved", "passed", "backed")) if p["passed"] else r.choice(("rejected", "blocked"))
    tally = f" by {p['yes']} votes to {p['no']}" if r.random() < 0.5 else ""
    return r.choice(
        (
            f"The {p['body']} of {p['place']} {verb} the {p['topic']}{tally}.",
            f"{p['place']}'s {p['body']} {verb} the controversial {p['topic']}{tally} on Wednesday.",
            f"Members of the {p['place']} {p['body']} {verb} the {p['topic']}{tally}, ending months of debate.",
        )
    )


def _company_params(rng: random.Random) -> Params:
    return {
        "org": f"{_name(rng, 2)} {rng.choice(_ORG_SUFFIXES)}",
        "kind": rng.choice(("profit", "revenue", "loss")),
        "amount": rng.randrange(10, 9_000) / 10,
        "period": rng.choice(("first half", "full year", "second quarter", "third quarter")),
        "year": rng.randrange(2015, 2027),
    }


def _company_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "amount": round(p["amount"] * rng.choice((0.2, 0.3, 2.5, 4.0)), 1)}


def _company(p: Params, r: random.Random) -> str:
    money = f"${p['amount']:g} million"
    return r.choice(
        (
            f"{p['org']} reported a {p['kind']} of {money} for the {p['period']} of {p['year']}.",
            f"{p['org']} posted a {p['period']} {p['kind']} of {money} in {p['year']}.",
            f"In {p['year']}, {p['org']} made a {p['kind']} of {money} in the {p['period']}, the company said.",
        )
    )


def _indicator_params(rng: random.Random) -> Params:
    return {
        "place": _place(rng),
        "indicator": rng.choice(_INDICATORS),
        "up": rng.random() < 0.5,
        "pct": rng.randrange(10, 300) / 10,
        "month": rng.choice(_MONTHS),
    }


def _indicator_conflict(p: Params, rng: random.Random) -> Params:
    if rng.random() < 0.5:
        return {**p, "up": not p["up"]}
    return {**p, "pct": round(p["pct"] * rng.choice((2, 3)) + 1.5, 1)}


def _indicator(p: Params, r: random.Random) -> str:
    verb = (
        r.choice(("rose", "climbed", "increased")) if p["up"] else r.choice(("fell", "dropped", "declined"))
    )
    main, other = p["indicator"]
    return r.choice(
        (
            f"{main} in {p['place']} {verb} to {p['pct']:g}% in {p['month']}.",
            f"In {p['place']}, {other} {verb} to {p['pct']:g} per cent in {p['month']}, official data showed.",
        )
    )


def _displaced_params(rng: random.Random) -> Params:
    return {
        "place": _place(rng),
        "event": rng.choice(_EVENTS),
        "n": _count(rng) * 10,
        "when": rng.choice(_WINDOWS),
    }


def _displaced_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "n": _conflicting(p["n"], rng)}


_DISPLACED: list[Render] = [
    lambda p, r: (
        f"{r.choice(_HEDGES).capitalize()}{_figure(p['n'], r)} residents of {p['place']} were evacuated after "
        f"the {p['event'][0]}{p['when']}."
    ),
    lambda p, r: (
        f"Authorities moved {r.choice(_HEDGES)}{_figure(p['n'], r)} people out of {p['place']} because of "
        f"the {p['event'][0]}{p['when']}."
    ),
    lambda p, r: (
        f"The {p['event'][0]} forced {r.choice(_HEDGES)}{_figure(p['n'], r)} people in {p['place']} to flee "
        f"their homes{p['when']}."
    ),
]


def _homes_params(rng: random.Random) -> Params:
    return {
        "place": _place(rng),
        "event": rng.choice(_EVENTS),
        "n": _count(rng),
        "when": rng.choice(_WINDOWS),
    }


_HOMES: list[Render] = [
    lambda p, r: (
        f"{r.choice(_HEDGES).capitalize()}{_figure(p['n'], r)} homes were destroyed by the {p['event'][0]} "
        f"in {p['place']}{p['when']}."
    ),
    lambda p, r: (
        f"The {p['event'][0]} in {p['place']} destroyed {r.choice(_HEDGES)}{_figure(p['n'], r)} houses"
        f"{p['when']}, the mayor said."
    ),
]


def _spending_params(rng: random.Random) -> Params:
    return {
        "place": _place(rng),
        "amount": rng.randrange(2, 900),
        "goods": rng.choice(_GOODS),
        "year": rng.randrange(2016, 2028),
    }


def _spending_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "amount": _conflicting(p["amount"], rng)}


def _spending(p: Params, r: random.Random) -> str:
    return r.choice(
        (
            f"The government of {p['place']} will spend €{p['amount']} million on {p['goods']} in {p['year']}.",
            f"{p['place']} has set aside {p['amount']} million euros for {p['goods']} in its {p['year']} budget.",
            f"A budget of €{p['amount']} million for {p['goods']} in {p['place']} was announced for {p['year']}.",
        )
    )


def _mayor_params(rng: random.Random) -> Params:
    return {
        "who": f"{rng.choice(_FIRST)} {_name(rng, 3)}",
        "place": _place(rng),
        "did": rng.random() < 0.7,
        "what": rng.choice(
            (
                ("resigned", "stepped down", "did not resign"),
                ("won re-election", "was re-elected", "lost the election"),
                ("was arrested", "was taken into custody", "was not arrested"),
            )
        ),
    }


def _mayor_conflict(p: Params, rng: random.Random) -> Params:
    return {**p, "did": not p["did"]}


def _mayor(p: Params, r: random.Random) -> str:
    said, other, opposite = p["what"]
    verb = r.choice((said, other)) if p["did"] else opposite
    return r.choice(
        (
            f"{p['who']}, the mayor of {p['place']}, {verb} on Thursday.",
            f"The mayor of {p['place']}, {p['who']}, {verb}, local media reported.",
        )
    )


@dataclass(frozen=True)
class StoryKind:
    weight: int
    params: Callable[[random.Random], Params]
    conflict: Callable[[Params, random.Random], Params] | None
    renders: Sequence[Render]


def _one(render: Render) -> list[Render]:
    return [render]


STORY_KINDS = [
    StoryKind(20, _people_params, _people_conflict, _PEOPLE),
    StoryKind(10, _troops_params, _troops_conflict, _TROOPS),
    StoryKind(12, _arrests_params, _arrests_conflict, _one(_arrests)),
    StoryKind(10, _vote_params, _vote_conflict, _one(_vote)),
    StoryKind(12, _company_params, _company_conflict, _one(_company)),
    StoryKind(10, _indicator_params, _indicator_conflict, _one(_indicator)),
    StoryKind(10, _displaced_params, _displaced_conflict, _DISPLACED),
    StoryKind(6, _homes_params, None, _HOMES),
    StoryKind(6, _spending_params, _spending_conflict, _one(_spending)),
    StoryKind(6, _mayor_params, _mayor_conflict, _one(_mayor)),
]
_KIND_WEIGHTS = [kind.weight for kind in STORY_KINDS]
CONFLICT_RATE = 0.15


def story_reports(story: int) -> int:
    """How many stored claims report story ``story`` (most stories are told more than once)."""
    return random.Random(f"{SEED}:{story}:size").choices((1, 2, 3, 4, 6), weights=(40, 30, 15, 10, 5))[0]


def report(story: int, number: int) -> tuple[str, bool]:
    """The ``number``-th report of a story: (text, whether it conflicts with the story's facts)."""
    rng = random.Random(f"{SEED}:{story}")
    kind = rng.choices(STORY_KINDS, weights=_KIND_WEIGHTS)[0]
    params = kind.params(rng)
    wording = random.Random(f"{SEED}:{story}:{number}")
    conflict = number > 0 and kind.conflict is not None and wording.random() < CONFLICT_RATE
    if conflict and kind.conflict is not None:
        params = kind.conflict(params, wording)
    text = wording.choice(kind.renders)(params, wording)
    if wording.random() < 0.5 and text.endswith(".") and not any(w in text for w in (" said", "reported")):
        text = f"{text[:-1]}, {wording.choice(_ATTRIBUTIONS)}."
    return text, conflict


def plan(size: int) -> Iterator[tuple[int, int]]:
    """(story, report number) of each of ``size`` stored claims, whole stories in order."""
    made = story = 0
    while made < size:
        for number in range(min(story_reports(story), size - made)):
            yield story, number
            made += 1
        story += 1


def probe_texts(size: int, count: int) -> list[str]:
    """New claims to check: 70 % new reports of stored stories (duplicates and contradictions to
    find), 30 % stories nobody has reported yet."""
    stories = max(story for story, _ in plan(size)) + 1
    rng = random.Random(f"{SEED}:probes:{size}")
    texts = []
    for k in range(count):
        if rng.random() < 0.7:
            story = rng.randrange(stories)
            texts.append(report(story, story_reports(story) + k)[0])
        else:
            texts.append(report(10**9 + k, 0)[0])
    return texts


# --------------------------------------------------------------------------------------------------
# Process helpers


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))]


def size_label(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def database_url(base: str, suffix: str) -> str:
    return f"{base}_{suffix}"


def ensure_database(url: str, *, recreate: bool = False) -> None:
    """Create the database if it does not exist (connecting to the server's ``postgres``)."""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if recreate:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)


def django_setup(url: str, *, eager: bool, broker: bool = False) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # A production worker: no query log, no debug cursor.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 50)
    if not broker:
        os.environ.pop("CELERY_BROKER_URL", None)
    # Not eager: a send goes to Celery's in-memory transport, standing in for Redis, and the check
    # is run (and timed) by this script, as a worker would run it.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1" if eager else "0"
    import django

    django.setup()


# --------------------------------------------------------------------------------------------------
# Seeding


_worker_embedder: Any = None


def _analyse_chunk(items: list[tuple[int, int]]) -> list[tuple[int, int, str, bool, bytes, bytes]]:
    """Render, embed and analyse claims in a pool process (no database)."""
    global _worker_embedder
    from claims import detection
    from claims.embedding import get_embedder
    from claims.services.index import features_to_bytes, vector_to_bytes

    if _worker_embedder is None:
        from django.conf import settings

        _worker_embedder = get_embedder(settings.DETECTION_CACHE_DIR)
    rendered = [(story, number, *report(story, number)) for story, number in items]
    vectors = _worker_embedder.embed([text for _, _, text, _ in rendered])
    analysed = detection.analyse_many([text for _, _, text, _ in rendered])  # one batched parse
    return [
        (story, number, text, conflict, vector_to_bytes(vector), features_to_bytes(features))
        for (story, number, text, conflict), vector, features in zip(rendered, vectors, analysed, strict=True)
    ]


def _chunks(size: int) -> Iterator[list[tuple[int, int]]]:
    chunk: list[tuple[int, int]] = []
    for item in plan(size):
        chunk.append(item)
        # Whole stories per chunk, so that a story's findings are written with it.
        if len(chunk) >= SEED_CHUNK and item[1] == story_reports(item[0]) - 1:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed(size: int, jobs: int) -> None:
    """Write ``size`` stored, already checked claims with their vectors, requests and findings."""
    import multiprocessing

    from django.db import connection

    from claims import detection
    from claims.models import ClaimStatus
    from claims.services.index import embedder

    started = time.perf_counter()
    model_name = embedder().model_name
    base = datetime(2024, 1, 1, tzinfo=UTC)
    # Stored long before any check runs, so the index's catch-up query does not re-read them.
    vector_time = datetime.now(UTC) - timedelta(days=1)
    statuses = [ClaimStatus.UNREVIEWED] * 7 + [
        ClaimStatus.CORROBORATED,
        ClaimStatus.DISPUTED,
        ClaimStatus.UNRELIABLE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_claim, claims_claimvector, claims_checkrequest, claims_finding, "
            "claims_claimevent, claims_source, claims_review RESTART IDENTITY CASCADE"
        )
    claim_id = 0
    request_id = 0
    finding_id = 0
    counters: dict[int, list[int]] = {}
    context = multiprocessing.get_context("fork")
    connection.close()  # the pool forks: children must not share this connection
    with context.Pool(jobs) as pool:
        for chunk in pool.imap(_analyse_chunk, _chunks(size)):
            claim_rows, vector_rows, request_rows, finding_rows = [], [], [], []
            first_of_story: dict[int, int] = {}
            for story, number, text, conflict, vector, features in chunk:
                claim_id += 1
                rng = random.Random(claim_id)
                created = base + timedelta(seconds=claim_id * 60)
                status = rng.choice(statuses)
                claim_rows.append(
                    (
                        claim_id, text, f"Speaker {rng.randrange(5000)}" if rng.random() < 0.3 else "",
                        status, "done", 1, None, created, created,
                        created if status != ClaimStatus.UNREVIEWED else None, created, 0, 0, 0, None, None,
                    )
                )  # fmt: skip
                vector_rows.append(
                    (claim_id, model_name, 1, vector, vector_time, detection.DETECTOR_VERSION, features)
                )
                request_id += 1
                request_rows.append(
                    (request_id, 1, detection.DETECTOR_VERSION, "done", 1, "", created, created, claim_id)
                )
                if number == 0:
                    first_of_story[story] = claim_id
                elif story in first_of_story:
                    finding_id += 1
                    kind = "contradiction" if conflict else "duplicate"
                    low = first_of_story[story]
                    finding_rows.append(
                        (
                            finding_id, kind, 0.7 if conflict else 0.85,
                            "Figures conflict" if conflict else "Same claim, reworded",
                            "suggested", detection.DETECTOR_VERSION, None, created, created, claim_id, low, None,
                        )
                    )  # fmt: skip
                    for member in (low, claim_id):
                        counts = counters.setdefault(member, [0, 0])
                        counts[0 if conflict else 1] += 1
            _copy(
                "claims_claim",
                "id, text, speaker, status, check_status, version, external_id, created_at, updated_at, "
                "reviewed_at, checked_at, open_contradictions, open_duplicates, outlet_count, created_by_id, "
                "merged_into_id",
                claim_rows,
            )
            _copy(
                "claims_claimvector",
                "claim_id, model_name, claim_version, vector, updated_at, detector_version, features",
                vector_rows,
            )
            _copy(
                "claims_checkrequest",
                "id, claim_version, detector_version, state, attempts, error, created_at, updated_at, claim_id",
                request_rows,
            )
            _copy(
                "claims_finding",
                "id, kind, score, explanation, state, detector_version, decided_at, created_at, updated_at, "
                "claim_high_id, claim_low_id, decided_by_id",
                finding_rows,
            )
            print(f"  seeded {claim_id:,} claims ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_counters (id bigint, c int, d int)")
        with cursor.cursor.copy("COPY bench_counters (id, c, d) FROM STDIN") as copy:
            for member, (contradictions, duplicates) in counters.items():
                copy.write_row((member, contradictions, duplicates))
        cursor.execute(
            "UPDATE claims_claim SET open_contradictions = v.c, open_duplicates = v.d "
            "FROM bench_counters v WHERE claims_claim.id = v.id"
        )
        cursor.execute("DROP TABLE bench_counters")
        for table in ("claims_claim", "claims_checkrequest", "claims_finding"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        cursor.execute("VACUUM ANALYZE")
    print(
        f"seeded {claim_id:,} claims and {finding_id:,} findings in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def _copy(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection, transaction

    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def probes_remove() -> None:
    """Undo an earlier run: its claims go, and the stored claims they were merged into are reset."""
    from django.db.models import Q

    from claims.models import CheckRequest, Claim, ClaimEvent, Finding
    from claims.services.counters import claim_counters_refresh

    probes = list(Claim.objects.filter(external_id__startswith="probe:").values_list("pk", flat=True))
    if not probes:
        return
    paired = set(
        Finding.objects.filter(Q(claim_low_id__in=probes) | Q(claim_high_id__in=probes)).values_list(
            "claim_low_id", "claim_high_id"
        )
    )
    touched = {claim for pair in paired for claim in pair} - set(probes)
    touched |= set(Claim.objects.filter(version__gt=1, external_id__isnull=True).values_list("pk", flat=True))
    Claim.objects.filter(merged_into_id__in=probes).update(merged_into=None)
    Claim.objects.filter(pk__in=probes).delete()
    CheckRequest.objects.filter(claim_id__in=touched, claim_version__gt=1).delete()
    ClaimEvent.objects.filter(claim_id__in=touched).delete()
    Claim.objects.filter(pk__in=touched).update(version=1, check_status="done", merged_into=None)
    claim_counters_refresh(claim_ids=sorted(touched))
    print(f"removed {len(probes)} claims of an earlier run", flush=True)


# --------------------------------------------------------------------------------------------------
# Incremental check


class SqlTimer:
    """Adds up the time spent in SQL (Django's execute wrapper)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def run_size(size: int, checks: int, reseed: bool, jobs: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from claims.models import Claim, ClaimVector, Finding

    call_command("migrate", verbosity=0)
    stored = Claim.objects.filter(external_id__isnull=True).count()
    if reseed or stored != size or ClaimVector.objects.count() < size:
        seed(size, jobs)
    probes_remove()

    from claims.services import index as index_service
    from claims.services.claims import claim_create
    from claims.services.pipeline import claim_checks_run

    rss_start = rss_mib()
    started, started_cpu = time.perf_counter(), time.process_time()
    index_service.embedder()
    embedder_s = time.perf_counter() - started
    rss_embedder = rss_mib()
    started, started_cpu = time.perf_counter(), time.process_time()
    index = index_service.candidate_index()
    build_s, build_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rss_index = rss_mib()
    print(
        f"size {size:,}: index of {len(index):,} claims built in {build_s:.1f} s wall, {build_cpu:.1f} s CPU; "
        f"RSS {rss_start:.0f} MiB at start, {rss_embedder:.0f} MiB with the embedder "
        f"(loaded in {embedder_s:.1f} s), {rss_index:.0f} MiB with the index",
        flush=True,
    )
    texts = probe_texts(size, WARMUP + checks)
    timer = SqlTimer()
    wall, cpu, sql, queries = [], [], [], []
    probe_ids = []
    load_before = os.getloadavg()[0]
    with connection.execute_wrapper(timer):
        for k, text in enumerate(texts):
            claim = claim_create(user=None, text=text, external_id=f"probe:{k}")
            timer.seconds, timer.queries = 0.0, 0
            started, started_cpu = time.perf_counter(), time.process_time()
            outcome = claim_checks_run(claim_id=claim.pk)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            assert outcome == "done", outcome
            if k < WARMUP:
                continue
            probe_ids.append(claim.pk)
            wall.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
            sql.append(timer.seconds * 1000)
            queries.append(timer.queries)
    findings = Finding.objects.filter(claim_high_id__in=probe_ids)
    merged = Claim.objects.filter(pk__in=probe_ids, merged_into__isnull=False).count()
    print(
        f"  {checks} checks: wall p50 {percentile(wall, 0.5):6.1f} ms  p95 {percentile(wall, 0.95):6.1f} ms  "
        f"max {max(wall):6.1f} ms | CPU p50 {percentile(cpu, 0.5):6.1f} ms  p95 {percentile(cpu, 0.95):6.1f} ms "
        f"| SQL p50 {percentile(sql, 0.5):5.1f} ms in {statistics.median(queries):.0f} queries "
        f"| load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    print(
        f"  findings: {findings.filter(kind='duplicate').count()} duplicates "
        f"({findings.filter(kind='duplicate', state='confirmed').count()} confirmed, {merged} claims merged), "
        f"{findings.filter(kind='contradiction').count()} contradictions",
        flush=True,
    )
    recall(index_service, probe_ids)
    print(f"  RSS after the checks {rss_mib():.0f} MiB, peak {peak_rss_mib():.0f} MiB", flush=True)


def recall(index_service: Any, probe_ids: list[int]) -> None:
    """Candidate recall@50 against exact brute-force cosine over every indexed vector."""
    from claims.models import ClaimVector

    index = index_service.candidate_index()
    rows = ClaimVector.objects.filter(claim_id__in=probe_ids).values_list(
        "claim_id", "vector", "claim__text", "detector_version", "features"
    )
    ann, ann_tolerant, pool, judged, exact_ms = [], [], [], [], []
    for claim_id, raw_vector, text, detector_version, raw_features in rows:
        vector = index_service.vector_from_bytes(raw_vector)
        features = index_service.features_from_row(text, detector_version, raw_features)
        started = time.perf_counter()
        exact = index.exact_search(vector, limit=RECALL_K, exclude=claim_id)
        exact_ms.append((time.perf_counter() - started) * 1000)
        truth = {candidate.claim_id for candidate in exact}
        floor = exact[-1].semantic - 1e-4
        got = index.semantic_search(vector, limit=RECALL_K, exclude=claim_id)
        ann.append(len(truth & {candidate.claim_id for candidate in got}) / len(truth))
        ann_tolerant.append(min(1.0, sum(candidate.semantic >= floor for candidate in got) / len(truth)))
        fused = index.search(features, vector, limit=len(index), exclude=claim_id)
        pool.append(len(truth & {candidate.claim_id for candidate in fused}) / len(truth))
        judged.append(len(truth & {candidate.claim_id for candidate in fused[:RECALL_K]}) / len(truth))
    print(
        f"  recall@{RECALL_K} vs exact cosine over all vectors: ANN {statistics.mean(ann):.4f} "
        f"(tie-tolerant {statistics.mean(ann_tolerant):.4f}), candidate pool {statistics.mean(pool):.4f}; "
        f"share of the exact top {RECALL_K} among the {RECALL_K} judged: {statistics.mean(judged):.3f}; "
        f"brute force {statistics.median(exact_ms):.0f} ms per query",
        flush=True,
    )


# --------------------------------------------------------------------------------------------------
# Bulk import


def archive_write(size: int) -> Path:
    """A JSON Lines archive of ``size`` claims (written once, then reused)."""
    from claims.models import ClaimStatus

    path = ROOT / "var" / "bench" / f"archive_{size}.jsonl"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    statuses = [ClaimStatus.UNREVIEWED] * 4 + [
        ClaimStatus.CORROBORATED,
        ClaimStatus.DISPUTED,
        ClaimStatus.UNRELIABLE,
    ]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for story, number in plan(size):
            rng = random.Random(f"{SEED}:archive:{story}:{number}")
            line: dict[str, str] = {"text": report(story, number)[0], "external_id": f"bulk-{story}-{number}"}
            if rng.random() < 0.6:
                line["source_url"] = f"https://archive.example/{story}/{number}"
            if rng.random() < 0.3:
                line["speaker"] = f"Speaker {rng.randrange(5000)}"
            line["status"] = rng.choice(statuses)
            out.write(json.dumps(line) + "\n")
    tmp.rename(path)
    return path


class ProcessTree:
    """Memory and CPU of this process plus a worker's process group, read from /proc."""

    def __init__(self, group: int | None) -> None:
        self.group = group
        self.peak_rss = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _pids(self) -> list[int]:
        pids = [os.getpid()]
        if self.group is None:
            return pids
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.getpgid(int(entry)) == self.group:
                        pids.append(int(entry))
                except OSError:
                    continue
        return pids

    def sample(self) -> None:
        rss = 0
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in self._pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            rss += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            if pid != os.getpid():
                self.cpu[pid] = (int(stat[11]) + int(stat[12])) / ticks
        self.peak_rss = max(self.peak_rss, rss)

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def __enter__(self) -> ProcessTree:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sample()
        self._stop.set()
        self._thread.join()


def bulk_worker_start(workers: int, log_path: Path) -> subprocess.Popen[bytes]:
    """A Celery worker with ``workers`` processes on this run's queue (settings from os.environ)."""
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", os.environ["CELERY_TASK_DEFAULT_QUEUE"],
        f"--concurrency={workers}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "-n", f"{os.environ['CELERY_TASK_DEFAULT_QUEUE']}@%h",
        # With its beat, as in production: the periodic relay sends requests a relay after commit
        # skipped (locked by a concurrent batch) and the sweeper retries failed checks.
        "-B", "--schedule", str(log_path.with_suffix(".beat")),
    ]  # fmt: skip
    log = log_path.open("w")
    worker = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the Celery worker did not start: see {log_path}")
        time.sleep(0.2)
    return worker


def run_bulk(path: Path, workers: int) -> None:
    """In the child: ``import_claims``, then wait for every check. Without workers the checks run
    in-process (embedded mode); with them, in a Celery worker fed through Redis."""
    from django.core.management import call_command

    from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim, Finding
    from claims.services.dispatch import claim_checks_relay

    call_command("migrate", verbosity=0)
    worker = bulk_worker_start(workers, ROOT / "var" / "bench" / "bulk-worker.log") if workers else None

    def open_checks() -> int:
        return CheckRequest.objects.exclude(
            state__in=[CheckRequestState.DONE, CheckRequestState.SUPERSEDED]
        ).count()

    try:
        with ProcessTree(worker.pid if worker else None) as tree:
            started, started_cpu = time.perf_counter(), time.process_time()
            call_command("import_claims", str(path), "--no-progress")
            imported_s = time.perf_counter() - started
            if worker is None:
                while claim_checks_relay():
                    pass
            else:
                next_progress = time.monotonic() + 30
                while open_checks():
                    time.sleep(0.5)
                    if time.monotonic() >= next_progress:
                        next_progress += 30
                        print(f"  {open_checks():,} checks open after {time.perf_counter() - started:.0f} s")
            wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
    worker_cpu = sum(tree.cpu.values())
    where = f"in {workers} worker process(es) fed through Redis" if workers else "in-process (embedded)"
    print(
        f"bulk: {Claim.objects.count():,} claims imported, indexed and checked {where} in {wall:.0f} s "
        f"wall ({wall / 60:.1f} min; {wall / max(1, Claim.objects.count()) * 1000:.1f} ms per claim); "
        f"CPU: {cpu:.0f} s importing process, {worker_cpu:.0f} s workers; "
        f"import_claims returned after {imported_s:.0f} s",
        flush=True,
    )
    print(
        f"  findings: {Finding.objects.filter(kind='duplicate').count():,} duplicates, "
        f"{Finding.objects.filter(kind='contradiction').count():,} contradictions; "
        f"{Claim.objects.filter(merged_into__isnull=False).count():,} claims merged; "
        f"{Claim.objects.exclude(check_status=CheckStatus.DONE).count()} claims not done, "
        f"{open_checks()} requests open",
        flush=True,
    )
    print(
        f"  peak RSS: {tree.peak_rss / 1024:.0f} MiB for the importing process and the workers together "
        f"(sampled every 0.5 s; this process alone peaked at {peak_rss_mib():.0f} MiB)",
        flush=True,
    )


# --------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--reseed", action="store_true", help="seed the databases again")
    parser.add_argument("--jobs", type=int, default=2, help="processes that analyse and embed the seed")
    parser.add_argument("--bulk", action="store_true", help="measure the bulk import instead")
    parser.add_argument("--bulk-size", type=int, default=100_000)
    parser.add_argument("--bulk-run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--workers", type=int, default=0, help="bulk: check in a Celery worker with this many processes"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("this benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    if options.bulk_run:
        django_setup(url, eager=not options.workers, broker=bool(options.workers))
        run_bulk(options.bulk_run, options.workers)
        return
    if options.bulk:
        bulk_url = database_url(url, "bulk")
        ensure_database(bulk_url, recreate=True)
        django_setup(bulk_url, eager=True)
        path = archive_write(options.bulk_size)
        print(f"archive {path} ({options.bulk_size:,} claims); {os.cpu_count()} CPUs", flush=True)
        child = [sys.executable, __file__, "--bulk-run", str(path), "--workers", str(options.workers)]
        env = {**os.environ, "DATABASE_URL": bulk_url}
        if options.workers:
            queue = f"bench-bulk-{os.getpid()}"
            env.update(CELERY_BROKER_URL=options.redis_url, CELERY_TASK_DEFAULT_QUEUE=queue)
        subprocess.run(child, check=True, env=env)
        return
    sizes = [int(size) for size in options.sizes.split(",")]
    if len(sizes) == 1 and os.environ.get("BENCH_CHECK_CHILD"):
        django_setup(url, eager=False)
        run_size(sizes[0], options.checks, options.reseed, options.jobs)
        return
    for size in sizes:
        size_url = database_url(url, size_label(size))
        ensure_database(size_url)
        child = [sys.executable, __file__, "--sizes", str(size), "--checks", str(options.checks)]
        child += ["--jobs", str(options.jobs)] + (["--reseed"] if options.reseed else [])
        env = {**os.environ, "DATABASE_URL": size_url, "BENCH_CHECK_CHILD": "1"}
        subprocess.run(child, check=True, env=env)


if __name__ == "__main__":
    main()
