"""Reader time to interactive: a 50,000-character article with 300 highlights, in Chromium.

    .venv/bin/python bench/reader_tti.py [--loads 10] [--chars 50000] [--highlights 300] [--seed 7]

It builds a scratch SQLite database (CORROBORATE_VAR_DIR, a temporary directory unless set), writes a
synthetic article from its own templates (with emoji, accents and CJK so the UTF-16 tables are built)
and 300 claims highlighting sentences and phrases of it (some nested, some overlapping, some needing
review), serves it with ``runserver`` and opens the reader in Debian's Chromium.

Time to interactive is ``performance.mark("reader:interactive")``, which the reader sets once the
highlights are in the DOM and the selection handlers are bound, measured from navigation start.
Three kinds of load: an empty HTTP cache in an open tab (a first visit), a reload, and a new browser
context each time. The target, a median and p95 of at most 1,000 ms, is judged on the first two: a
new context also waits for Chromium to start a renderer process, which is shown but no page can
change.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 1000.0

PLACES = ["Velmora", "Ostrand", "Kessel Bay", "Tarnholm", "Brisk Valley", "Lenhaven", "Sørvik", "Ćelmar"]
PEOPLE = ["Ilse Marén", "Tomas Okoro", "Zoë Lindqvist", "Émile Varga", "Ayo Brennan", "北川 Haru"]
BODIES = ["the port authority", "the regional council", "the water board", "the rail operator", "the union"]
THINGS = ["ferry fares", "bus routes", "reservoir levels", "school places", "tram depots", "bridge tolls"]
EMOJI = ["🚢", "🌧️", "👩🏽‍🔧", "🏗️", "📈", "🇳🇴"]
TEMPLATES = [
    "{person} of {body} said on {day} that {thing} in {place} had risen by {n} percent since {year}.",
    "According to {body}, {n} households in {place} were affected, up from {m} a year earlier.",
    "{person} told reporters that {thing} would not change before {year}, despite pressure from {body}.",
    "Critics in {place} said the figure of {n} was misleading because it left out {thing}.",
    "The plan, which {body} approved in {year}, is expected to cost {n} million crowns {emoji}.",
    "“We have never seen numbers like this,” said {person}, pointing to {m} complaints about {thing}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
STATUSES = ["unreviewed", "unreviewed", "corroborated", "disputed", "unreliable"]


def synthetic_text(rng: random.Random, chars: int) -> str:
    paragraphs: list[str] = []
    length = 0
    while length < chars:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            sentences.append(
                rng.choice(TEMPLATES).format(
                    person=rng.choice(PEOPLE),
                    body=rng.choice(BODIES),
                    thing=rng.choice(THINGS),
                    place=rng.choice(PLACES),
                    day=rng.choice(DAYS),
                    n=rng.randint(3, 900),
                    m=rng.randint(3, 900),
                    year=rng.randint(2015, 2026),
                    emoji=rng.choice(EMOJI),
                )
            )
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars].rstrip()


def highlight_spans(rng: random.Random, text: str, count: int) -> list[tuple[int, int]]:
    """Sentences and phrases; about a fifth nested in or overlapping another highlight."""
    sentence_spans = []
    start = 0
    for index, char in enumerate(text):
        if char in ".!?" and (index + 1 == len(text) or text[index + 1] in " \n"):
            sentence_spans.append((start, index + 1))
            start = index + 2 if index + 2 < len(text) and text[index + 1] == " " else index + 3
    sentence_spans = [(s, e) for s, e in sentence_spans if e - s > 20]
    chosen = rng.sample(sentence_spans, min(count * 4 // 5, len(sentence_spans)))
    spans = list(chosen)
    while len(spans) < count:
        s, e = rng.choice(chosen)
        a = rng.randint(s, s + (e - s) // 2)
        b = rng.randint(a + 5, e + 30)
        spans.append((a, min(b, len(text))))
    return [_whole_words(text, s, e) for s, e in spans]


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def build_database(args: argparse.Namespace) -> tuple[int, str]:
    """Create the article and its claims; returns the article id and a session cookie value."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from accounts.roles import Role
    from accounts.services import user_create_or_update
    from annotations.anchoring import selectors_for
    from annotations.models import Annotation
    from articles.services import article_create
    from claims.models import CheckStatus, Claim, Source, SourceKind

    call_command("migrate", verbosity=0)
    user, _ = user_create_or_update(
        username="bench-annotator", role=Role.ANNOTATOR, password=secrets.token_urlsafe(18)
    )
    rng = random.Random(args.seed)
    article = article_create(
        title="Synthetic article for the reader benchmark",
        text=synthetic_text(rng, args.chars),
        outlet_name="Benchmark Gazette",
        created_by=user,
    )
    revision = article.current_revision
    assert revision is not None
    text = revision.text
    # Claims are written in bulk: their background checks would dominate the set-up and do not change
    # what the reader renders.
    now = timezone.now()
    spans = highlight_spans(rng, text, args.highlights)
    claims = Claim.objects.bulk_create(
        Claim(
            text=f"Claim {number}: {text[s:e][:200]}",
            status=rng.choice(STATUSES),
            check_status=CheckStatus.DONE,
            created_by=user,
            created_at=now,
            updated_at=now,
        )
        for number, (s, e) in enumerate(spans)
    )
    annotations = []
    for s, e in spans:
        anchor = selectors_for(text, s, e)
        review = rng.random() < 0.05
        annotations.append(
            Annotation(
                article=article,
                revision=revision,
                checked_revision=revision,
                start=anchor.start,
                end=anchor.end,
                exact=anchor.exact,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                anchor_state="needs_review" if review else "exact",
                anchor_score=0.7 if review else 1.0,
                creator=user,
            )
        )
    annotations = Annotation.objects.bulk_create(annotations)
    Source.objects.bulk_create(
        Source(
            claim=claim,
            kind=SourceKind.APPEARANCE,
            article=article,
            annotation=annotation,
            title=article.title,
        )
        for claim, annotation in zip(claims, annotations, strict=True)
    )
    # Triage marks as the reader shows them: worth-checking marks, and repeats of reviewed claims
    # (claims stored elsewhere with the words of some of the article's sentences), triaged again
    # once those claims are indexed.
    from claims.detection.sentences import split_sentences
    from claims.models import TriageRun
    from claims.services.index import claim_vectors_current
    from claims.services.triage import triage_sweep

    repeated = Claim.objects.bulk_create(
        Claim(
            text=sentence.text,
            status="disputed",
            check_status=CheckStatus.DONE,
            created_at=now,
            updated_at=now,
        )
        for sentence in rng.sample(split_sentences(text), args.repeats)
    )
    claim_vectors_current(claims=repeated)
    TriageRun.objects.filter(article=article).delete()
    triage_sweep()  # embedded mode: runs the triage here
    client = Client()
    client.force_login(user)
    print(
        f"article {article.pk}: {len(text):,} characters, "
        f"{len(text.encode('utf-16-le')) // 2:,} UTF-16 units, "
        f"{text.count(chr(10) * 2) + 1} paragraphs, {len(annotations)} highlights"
    )
    return article.pk, client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(base: str, article_id: int, cookie: str, loads: int) -> dict[str, list[float]]:
    from scripts.chromium import chromium

    url = f"{base}/articles/{article_id}/"
    figures: dict[str, list[float]] = {"new": [], "cold": [], "warm": [], "script": [], "popover": []}
    read_marks = """() => {
        const tti = performance.getEntriesByName("reader:interactive")[0].startTime;
        const start = performance.getEntriesByName("reader:start")[0].startTime;
        return [tti, tti - start, document.querySelectorAll("#article-text mark.hl").length,
                document.querySelectorAll("#article-text .triage-flag").length];
    }"""
    with chromium() as browser:
        cookies: list[Any] = [{"name": "sessionid", "value": cookie, "url": base}]
        warmup = browser.new_context()
        warmup.add_cookies(cookies)
        warmup.new_page().goto(url)  # the server's first request pays for imports
        warmup.close()
        marks = flags = 0
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies(cookies)
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("body[data-reader-ready]")
            tti, script, marks, flags = page.evaluate(read_marks)
            figures["new"].append(tti)
            figures["script"].append(script)
            context.close()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(cookies)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        for _ in range(loads):
            # A first visit in a running browser: empty HTTP cache, but the tab's process already there.
            page.goto(f"{base}/healthz")
            cdp.send("Network.clearBrowserCache")
            page.goto(url)
            page.wait_for_selector("body[data-reader-ready]")
            figures["cold"].append(page.evaluate(read_marks)[0])
        for _ in range(loads):
            page.reload()
            page.wait_for_selector("body[data-reader-ready]")
            figures["warm"].append(page.evaluate(read_marks)[0])
            # The page handles a selection: time from selecting a sentence to the popover showing.
            started = page.evaluate(
                """() => {
                    const p = document.querySelectorAll("#article-text p")[3];
                    const t0 = performance.now();
                    window.getSelection().selectAllChildren(p);
                    return t0;
                }"""
            )
            page.wait_for_selector("#claim-popover:not([hidden])")
            figures["popover"].append(page.evaluate("(t0) => performance.now() - t0", started))
    print(f"{marks} highlight segments and {flags} triage flags (repeats, worth checking) rendered")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--highlights", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=40, help="article sentences stored as reviewed claims")
    args = parser.parse_args()
    scratch = (
        tempfile.TemporaryDirectory(prefix="corroborate-tti-")
        if "CORROBORATE_VAR_DIR" not in os.environ
        else None
    )
    if scratch is not None:
        os.environ["CORROBORATE_VAR_DIR"] = scratch.name
    os.environ.pop("DATABASE_URL", None)  # always the scratch SQLite database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    article_id, cookie = build_database(args)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz")
        figures = measure(base, article_id, cookie, args.loads)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if scratch is not None:
            scratch.cleanup()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"reader time to interactive over {args.loads} loads (ms from navigation start);")
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (other processes slow every figure)")
    for label, key in [
        ("new browser context (+ process start)", "new"),
        ("empty cache, same tab", "cold"),
        ("reload (cache revalidated)", "warm"),
        ("reader script (data, render, bind)", "script"),
        ("selection -> popover", "popover"),
    ]:
        values = figures[key]
        print(
            f"  {label:<38} median {statistics.median(values):7.1f}   p95 {percentile(values, 0.95):7.1f}"
            f"   max {max(values):7.1f}"
        )
    # The target is the page's: loads in an open tab. A new context also waits for Chromium to start
    # a renderer process after navigation start, which no page can change; it is shown, not judged.
    worst = max(percentile(figures[key], 0.95) for key in ("cold", "warm"))
    verdict = "OK" if worst <= TARGET_MS else "TOO SLOW"
    print(f"target: median and p95 <= {TARGET_MS:.0f} ms for empty-cache loads and reloads -> {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
