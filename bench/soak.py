"""Bounded soak: editors create articles, claims and verdicts while Celery workers check, on loopback.

    .venv/bin/python bench/soak.py [--minutes 5] [--editors 8] [--kill-workers N] [--hostile-share F]
        [--database-url postgres://postgres@127.0.0.1:5432/corroborate_soak]
        [--redis-url redis://127.0.0.1:6379/0]

It recreates the database named by --database-url (a database of its own: everything in it is
dropped), migrates it, creates --editors editors with an API token each, and starts gunicorn
(production settings, loopback only) and a Celery worker with its beat, on a Redis queue of its own.
Each editor is a thread that, for --minutes, adds an article now and then, highlights sentences of
it or writes standalone claims (news-like reports with figures, so the checks find duplicates and
contradictions), records verdicts with If-Match on claims it has read, and reads the claims list,
a claim, the review queue and a claim page.

With ``--kill-workers N`` the Celery pool process that holds the most running checks (the lease's
owner names it) is killed with SIGKILL N times, 15 s apart from 15 s into the load, and every check
must then be done within 60 s of the end of the load: a killed worker's checks are taken over.

With ``--hostile-share F`` (0.2: one request in five) each editor also sends, among its valid
requests, the inputs issue 15's hardening made 4xx, each with the status it must get: ``page_size=²``
(400), ids beyond 64 bits (404 / 400), ``If-Match: "²"`` on a claim not merged (412; the 409
"merged" when a check merged it between the read and the PATCH), 10,000 nested ``[`` (400), NUL in a
query string, API and pages (400), ``{"text": 12345, "speaker": 0.5}`` (400), an unknown field (400),
a 3 MiB body (413), a token that does not exist (401, or 429 once the anonymous throttle counts the
address; the soak sets that rate high), a revision of an article with highlights to "0" without
``force`` (409), unmerge of a claim that is not merged (409), and a claim quoting ``</script>`` (201,
a verdict, then its ClaimReview JSON-LD and snippet must carry no raw ``</script>`` of their own).
Every other answer is counted and fails the run, as does a case never sent, and the database must
hold none of what the refused writes would have stored.

When the time is up it stops the load, waits until every check is done, and verifies: every claim
and review acknowledged with a 2xx exists, no response was a 5xx (or no response at all), every
check request is done (or superseded by a newer one) and every claim's check is done. It prints
throughput (requests/s, claims/s, checks/s), latency, the outcome of each kind of request, and
exits non-zero when a verification fails.

Issue 15's soak (2026-12-07, 2 cores shared with a CI run and other jobs, load average about 6):

    .venv/bin/python bench/soak.py --minutes 10 --editors 6 --hostile-share 0.2 --check-workers 2 \
        --database-url postgres://postgres@127.0.0.1:5432/corroborate_soak_h10 \
        --redis-url redis://127.0.0.1:6379/12

601 s, 3 gunicorn workers, 2 check processes: 20,730 requests (34.5/s, p50 152 ms, p99 521 ms), of
which 3,688 hostile (18%, all 12 cases sent, each 200 to 292 times) and every one answered with its
expected status; 4,305 claims, 2,741 reviews and 816 articles acknowledged and all in the database;
0 5xx and 0 unanswered; 5,262 checks done (8.8/s), the last 0 s after the load stopped; none of the
refused writes stored. The one other 4xx was a valid-mix highlight whose quote occurred twice in its
random article (400 "ambiguous", as it should).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/corroborate_soak"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "soak-editor-pass-7315"  # noqa: S105 (throw-away accounts in a throw-away database)

TOWNS = [
    f"{a}{b}{c}"
    for a in ("Vel", "Kar", "Ost", "Mir", "Tal", "Bren", "Cor", "Dun")
    for b in ("", "an", "es", "ol", "ur", "ith")
    for c in ("mora", "wick", "ford")
]
MEASURES = [
    ("residents of {town} were evacuated after the river burst its banks", "evacuated"),
    ("people died when the dam above {town} failed", "killed"),
    ("protesters were arrested in {town} on Saturday", "arrested"),
    ("homes in {town} lost power during the storm", "without power"),
]
SPEAKERS = ["the mayor", "police", "the fire service", "a council spokesperson", "officials", ""]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def report(rng: random.Random) -> str:
    """A claim as newsrooms write them: a figure, a place, a measure; the same event recurs."""
    pattern, _ = rng.choice(MEASURES)
    town = rng.choice(TOWNS)
    figure = rng.choice([120, 450, 800, 1200, 3000, 11000]) + rng.choice([0, 0, 0, 50])
    lead = rng.choice(["", "About ", "More than ", "At least ", "Nearly "])
    return f"{lead}{figure:,} {pattern.format(town=town)}.".strip().capitalize()


def article_text(rng: random.Random) -> tuple[str, list[str]]:
    sentences = [report(rng) for _ in range(4)]
    filler = ["Rescue crews worked through the night.", "Roads into the town stayed closed on Monday."]
    return " ".join(sentences[:2] + filler[:1] + sentences[2:] + filler[1:]), sentences


# --- Set-up -------------------------------------------------------------------------------------------


def database_recreate(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def app_environment(database_url: str, redis_url: str, queue: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; a proxy terminates TLS in production
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=redis_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CHECK_RELAY_SECONDS="5",
        CORROBORATE_VAR_DIR=str(var_dir),
        CORROBORATE_MODEL_CACHE=str(ROOT / "var" / "models"),
        LOG_LEVEL="WARNING",
    )
    # The soak drives many editors from one address and measures capacity, not the API rates.
    env.setdefault("CORROBORATE_API_RATE_USER", "10000000/minute")
    env.setdefault("CORROBORATE_API_RATE_MATCH", "10000000/minute")
    # The hostile mix's bad tokens all come from 127.0.0.1; 429 would be right for them too.
    env.setdefault("CORROBORATE_API_RATE_ANONYMOUS", "10000000/minute")
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


ACCOUNTS_SCRIPT = """
import json
from accounts.roles import Role
from accounts.services import api_token_create, user_create_or_update
for n in range({editors}):
    user, _ = user_create_or_update(username=f"editor{{n}}", role=Role.EDITOR, password="{password}")
    _, key = api_token_create(user=user, name="soak")
    print(json.dumps({{"username": user.username, "token": key}}))
"""


def start(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_for_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout}s")


def wait_for_log(path: Path, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text(errors="replace"):
        if time.monotonic() > deadline:
            raise SystemExit(f"{path.name} never said {text!r}:\n{path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


# --- Load ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What every editor saw, merged under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: collections.Counter[tuple[str, int]] = field(default_factory=collections.Counter)
    latencies: list[float] = field(default_factory=list)
    claims: set[int] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    reviews: set[int] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    refusals: dict[tuple[str, int], str] = field(default_factory=dict)  # one example of each 4xx
    hostile: collections.Counter[tuple[str, int]] = field(default_factory=collections.Counter)
    unexpected: list[str] = field(default_factory=list)  # hostile requests answered otherwise
    unexpected_count: int = 0

    def hostile_record(self, case: str, status: int, expected: bool, detail: str) -> None:
        with self.lock:
            self.hostile[(case, status)] += 1
            if not expected:
                self.unexpected_count += 1
                if len(self.unexpected) < 20:
                    self.unexpected.append(f"{case} -> {status}: {detail[:300]}")

    def record(self, kind: str, status: int, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.outcomes[(kind, status)] += 1
            self.latencies.append(seconds)
            if (status >= 500 or status == 0) and len(self.failures) < 20:
                self.failures.append(f"{kind} -> {status}: {detail[:300]}")
            if 400 <= status < 500:
                self.refusals.setdefault((kind, status), detail[:200])


class Editor(threading.Thread):
    def __init__(
        self, number: int, base_url: str, token: str, tally: Tally, until: float, hostile_share: float = 0.0
    ) -> None:
        super().__init__(name=f"editor{number}", daemon=True)
        self.rng = random.Random(number)
        self.hostile_rng = random.Random(10_000 + number)  # the valid mix stays what it was without it
        self.hostile_share = hostile_share
        self.highlighted: set[int] = set()  # this editor's articles with a highlight on them
        self.base_url = base_url
        self.tally = tally
        self.until = until
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Token {token}"
        self.username = f"editor{number}"
        self.cookies: dict[str, str] = {}
        self.articles: list[tuple[int, list[str]]] = []
        self.claims: list[int] = []

    def call(self, kind: str, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        started = time.monotonic()
        try:
            response = self.http.request(method, self.base_url + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            self.tally.record(kind, 0, time.monotonic() - started, repr(error))
            return None
        self.tally.record(kind, response.status_code, time.monotonic() - started, response.text)
        return response

    def page(self, kind: str, path: str) -> None:
        # Production cookies are Secure; over loopback HTTP they are sent by hand.
        started = time.monotonic()
        try:
            response = requests.get(
                self.base_url + path, cookies=self.cookies, timeout=60, allow_redirects=False
            )
        except requests.RequestException as error:
            self.tally.record(kind, 0, time.monotonic() - started, repr(error))
            return
        self.tally.record(kind, response.status_code, time.monotonic() - started, response.text)

    def log_in(self) -> None:
        login = requests.get(self.base_url + "/accounts/login/", timeout=60)
        self.cookies = {"csrftoken": login.cookies["csrftoken"]}
        response = requests.post(
            self.base_url + "/accounts/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
            cookies=self.cookies,
            allow_redirects=False,
            timeout=60,
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in: {response.status_code}")
        self.cookies["sessionid"] = response.cookies["sessionid"]

    def run(self) -> None:
        self.log_in()
        while time.monotonic() < self.until:
            if self.hostile_share and self.hostile_rng.random() < self.hostile_share:
                self.hostile()
                continue
            roll = self.rng.random()
            if not self.articles or roll < 0.06:
                self.article_create()
            elif roll < 0.36:
                self.claim_create()
            elif roll < 0.60 and self.claims:
                self.verdict()
            elif roll < 0.75:
                self.call("claims list", "GET", "/api/v1/claims/?page_size=20")
            elif roll < 0.85 and self.claims:
                self.call("claim read", "GET", f"/api/v1/claims/{self.rng.choice(self.claims)}/")
            elif roll < 0.93:
                self.page("queue page", "/review/")
            elif self.claims:
                self.page("claim page", f"/claims/{self.rng.choice(self.claims)}/")

    def article_create(self) -> None:
        text, sentences = article_text(self.rng)
        title = f"{sentences[0][:60]} ({uuid.uuid4().hex[:6]})"
        response = self.call(
            "article create", "POST", "/api/v1/articles/", json={"title": title, "text": text}
        )
        if response is not None and response.status_code == 201:
            article_id = int(response.json()["id"])
            self.articles.append((article_id, sentences))
            with self.tally.lock:
                self.tally.articles.add(article_id)

    def claim_create(self) -> None:
        speaker = self.rng.choice(SPEAKERS)
        if self.rng.random() < 0.6:
            article_id, sentences = self.rng.choice(self.articles[-5:])
            exact = self.rng.choice(sentences).rstrip(".")
            body: dict[str, Any] = {
                "article": article_id,
                "selector": [{"type": "TextQuoteSelector", "exact": exact}],
                "speaker": speaker,
            }
            kind = "highlight create"
        else:
            body = {"text": report(self.rng), "speaker": speaker}
            kind = "claim create"
        response = self.call(kind, "POST", "/api/v1/claims/", json=body)
        if response is not None and response.status_code == 201:
            claim_id = int(response.json()["id"])
            self.claims.append(claim_id)
            if "article" in body:
                self.highlighted.add(int(body["article"]))
            with self.tally.lock:
                self.tally.claims.add(claim_id)

    def verdict(self) -> None:
        # Editors judge claims they or the others made: some land on a version someone just changed.
        with self.tally.lock:
            pool = list(self.tally.claims)
        claim_id = self.rng.choice(pool if self.rng.random() < 0.5 else self.claims)
        read = self.call("claim read", "GET", f"/api/v1/claims/{claim_id}/")
        if read is None or read.status_code != 200:
            return
        verdict = self.rng.choice(["corroborated", "disputed", "unreliable"])
        response = self.call(
            "verdict",
            "POST",
            f"/api/v1/claims/{claim_id}/reviews/",
            json={"verdict": verdict, "rationale": f"Checked against the {verdict} sources."},
            headers={"If-Match": f'"{read.json()["version"]}"'},
        )
        if response is not None and response.status_code == 201:
            with self.tally.lock:
                self.tally.reviews.add(int(response.json()["review"]["id"]))

    # --- Hostile requests (issue 15): each must get its 4xx, never a 5xx, and write nothing. ---

    def hostile(self) -> None:
        name = self.hostile_rng.choice(sorted(HOSTILE_CASES))
        getattr(self, HOSTILE_CASES[name])(name)

    def expect(
        self,
        case: str,
        expected: set[int],
        method: str,
        path: str,
        *,
        web: bool = False,
        raced: tuple[int, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response | None:
        """Send one hostile request and count whether it got one of the ``expected`` statuses.
        ``web`` sends it as the browser does (session cookie, no token). ``raced`` is a status and a
        text in its body that are expected too: the answer when the load changed the object between
        the client's read and this request (a claim merged as a duplicate in between)."""
        kind = f"hostile {case}"
        if web:
            started = time.monotonic()
            try:
                response = requests.request(
                    method,
                    self.base_url + path,
                    cookies=self.cookies,
                    timeout=60,
                    allow_redirects=False,
                    **kwargs,
                )
            except requests.RequestException as error:
                self.tally.record(kind, 0, time.monotonic() - started, repr(error))
                self.tally.hostile_record(case, 0, False, repr(error))
                return None
            self.tally.record(kind, response.status_code, time.monotonic() - started, response.text)
        else:
            response = self.call(kind, method, path, **kwargs)
            if response is None:
                self.tally.hostile_record(case, 0, False, "no response")
                return None
        as_expected = response.status_code in expected or (
            raced is not None and response.status_code == raced[0] and raced[1] in response.text
        )
        self.tally.hostile_record(case, response.status_code, as_expected, response.text)
        return response

    def own_claim(self) -> int | None:
        return self.hostile_rng.choice(self.claims) if self.claims else None

    def h_page_size(self, case: str) -> None:
        path = self.hostile_rng.choice(["/api/v1/claims/", "/api/v1/articles/", "/api/v1/claimreviews/"])
        self.expect(case, {400}, "GET", f"{path}?page_size=%C2%B2")

    def h_huge_id(self, case: str) -> None:
        if self.hostile_rng.random() < 0.5:
            self.expect(case, {404}, "GET", f"/api/v1/claims/{HUGE}/")
        else:
            self.expect(case, {400}, "GET", f"/api/v1/annotations/?article={HUGE}")

    def unmerged_own_claim(self) -> int | None:
        """One of this editor's claims that is not merged as a duplicate (a merged claim answers 409
        "merged" to every change, before it reads the request's version)."""
        claim_id = self.own_claim()
        if claim_id is None:
            return None
        read = self.call("claim read", "GET", f"/api/v1/claims/{claim_id}/")
        if read is None or read.status_code != 200 or read.json().get("merged_into") is not None:
            return None
        return claim_id

    def h_if_match(self, case: str) -> None:
        if (claim_id := self.unmerged_own_claim()) is not None:
            self.expect(
                case, {412}, "PATCH", f"/api/v1/claims/{claim_id}/", json={"speaker": "the harbour master"},
                headers={"If-Match": '"\u00b2"'}, raced=(409, "was merged into"),
            )  # fmt: skip

    def h_nested(self, case: str) -> None:
        self.expect(
            case,
            {400},
            "POST",
            "/api/v1/claims/",
            data="[" * 10_000,
            headers={"Content-Type": "application/json"},
        )

    def h_nul(self, case: str) -> None:
        if self.hostile_rng.random() < 0.5:
            self.expect(case, {400}, "GET", "/api/v1/claims/?q=a%00b")
        else:
            self.expect(
                case,
                {400},
                "GET",
                self.hostile_rng.choice(["/articles/?q=a%00b", "/review/?speaker=a%00b"]),
                web=True,
            )

    def h_numbers(self, case: str) -> None:
        self.expect(case, {400}, "POST", "/api/v1/claims/", json={"text": 12345, "speaker": 0.5})

    def h_unknown_field(self, case: str) -> None:
        self.expect(
            case,
            {400},
            "POST",
            "/api/v1/claims/",
            json={"text": report(self.hostile_rng), "verdict": "corroborated"},
        )

    def h_oversized(self, case: str) -> None:
        body = json.dumps({"text": "x" * OVERSIZED_BYTES}).encode()
        self.expect(
            case, {413}, "POST", "/api/v1/claims/", data=body, headers={"Content-Type": "application/json"}
        )

    def h_bad_token(self, case: str) -> None:
        # 429 once the address has failed too often: the anonymous throttle doing its job.
        self.expect(
            case,
            {401, 429},
            "GET",
            "/api/v1/ping/",
            headers={"Authorization": f"Token {secrets.token_hex(20)}"},
        )

    def h_orphaning_revision(self, case: str) -> None:
        if self.highlighted:
            article_id = self.hostile_rng.choice(sorted(self.highlighted))
            self.expect(case, {409}, "POST", f"/api/v1/articles/{article_id}/revisions/", json={"text": "0"})

    def h_unmerge(self, case: str) -> None:
        if (claim_id := self.unmerged_own_claim()) is not None:
            self.expect(case, {409}, "POST", f"/api/v1/claims/{claim_id}/unmerge/", json={})

    def h_script(self, case: str) -> None:
        """A claim quoting ``</script>`` is valid (201); its ClaimReview must not carry it raw."""
        town = self.hostile_rng.choice(TOWNS)
        text = f"A post about {town} read </script><script>alert({self.hostile_rng.randrange(10**6)})</script> today."
        created = self.expect(
            case, {201}, "POST", "/api/v1/claims/", json={"text": text, "speaker": "a blog"}
        )
        if created is None or created.status_code != 201:
            return
        claim_id = int(created.json()["id"])
        with self.tally.lock:
            self.tally.claims.add(claim_id)
        review = self.call(
            "verdict", "POST", f"/api/v1/claims/{claim_id}/reviews/",
            json={"verdict": "unreliable", "rationale": "A pasted script, not a claim."},
            headers={"If-Match": f'"{created.json()["version"]}"'},
        )  # fmt: skip
        if review is None or review.status_code != 201:
            return
        with self.tally.lock:
            self.tally.reviews.add(int(review.json()["review"]["id"]))
        jsonld = self.expect(f"{case}: ClaimReview", {200}, "GET", f"/api/v1/claims/{claim_id}/claimreview/")
        if jsonld is not None and jsonld.status_code == 200 and "</script" in jsonld.text.lower():
            self.tally.hostile_record(f"{case}: ClaimReview", -1, False, "raw </script> in " + jsonld.text)
        snippet = self.expect(
            f"{case}: snippet", {200}, "GET", f"/api/v1/claims/{claim_id}/claimreview/snippet/"
        )
        if snippet is not None and snippet.status_code == 200 and snippet.text.lower().count("</script") != 1:
            self.tally.hostile_record(
                f"{case}: snippet", -1, False, "more than its own </script> in " + snippet.text
            )


HUGE = "99999999999999999999999"
OVERSIZED_BYTES = 3 * 1024 * 1024  # over the default CORROBORATE_MAX_REQUEST_BYTES (2 MiB)
# Each hostile case and the Editor method that sends it (and knows its expected status).
HOSTILE_CASES = {
    "page_size=²": "h_page_size",
    "id beyond 64 bits": "h_huge_id",
    'If-Match "²"': "h_if_match",
    "10,000 nested [": "h_nested",
    "NUL in a query": "h_nul",
    "numbers as text": "h_numbers",
    "unknown field": "h_unknown_field",
    "oversized body": "h_oversized",
    "bad token": "h_bad_token",
    "orphaning revision": "h_orphaning_revision",
    "unmerge never merged": "h_unmerge",
    "</script> claim": "h_script",
}


# --- Verification -------------------------------------------------------------------------------------


def stored_ids(connection: psycopg.Connection[Any], table: str, ids: set[int]) -> set[int]:
    rows = connection.execute(f"SELECT id FROM {table} WHERE id = ANY(%s)", [sorted(ids)])  # noqa: S608
    return {row[0] for row in rows}


def open_checks(connection: psycopg.Connection[Any]) -> tuple[int, int]:
    requests_open = connection.execute(
        "SELECT count(*) FROM claims_checkrequest WHERE state NOT IN ('done', 'superseded')"
    ).fetchone()
    claims_open = connection.execute(
        "SELECT count(*) FROM claims_claim WHERE check_status <> 'done'"
    ).fetchone()
    assert requests_open is not None
    assert claims_open is not None
    return int(requests_open[0]), int(claims_open[0])


KILL_EVERY_SECONDS = 15.0
TAKEOVER_SECONDS = 60.0


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def busiest_check_process(connection: psycopg.Connection[Any]) -> int | None:
    """The pid of the live process holding the most running checks (from the leases' owners; a
    killed process's leases stay until they run out)."""
    rows = connection.execute(
        "SELECT lease_owner, count(*) FROM claims_checkrequest WHERE state = 'running' "
        "AND lease_owner <> '' AND lease_until > now() GROUP BY lease_owner ORDER BY 2 DESC"
    ).fetchall()
    pids = [int(owner.split(":")[1]) for owner, _ in rows]
    return next((pid for pid in pids if process_alive(pid)), None)


class WorkerKiller(threading.Thread):
    """Kills the busiest check process ``times`` times, KILL_EVERY_SECONDS apart."""

    def __init__(self, database_url: str, worker_pid: int, times: int, started: float) -> None:
        super().__init__(daemon=True)
        self.database_url, self.worker_pid, self.times, self.started = (
            database_url,
            worker_pid,
            times,
            started,
        )
        self.killed: list[tuple[float, int]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            for number in range(1, self.times + 1):
                if self.stopped.wait(max(0.0, self.started + number * KILL_EVERY_SECONDS - time.monotonic())):
                    return
                # Wait (up to one interval) for a check to be running, so the kill lands mid-check.
                deadline = time.monotonic() + KILL_EVERY_SECONDS
                while (pid := busiest_check_process(connection)) is None and time.monotonic() < deadline:
                    if self.stopped.wait(0.1):
                        return
                if pid is None or pid == self.worker_pid:
                    log(f"kill {number}: no check running, none killed")
                    continue
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    log(f"kill {number}: process {pid} had already gone")
                    continue
                self.killed.append((time.monotonic() - self.started, pid))
                log(f"kill {number}: SIGKILL to check process {pid}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--editors", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--check-workers", type=int, default=2)
    parser.add_argument("--drain-minutes", type=float, default=10.0, help="how long to wait for checks")
    parser.add_argument(
        "--kill-workers",
        type=int,
        default=0,
        metavar="N",
        help="SIGKILL the busiest check process N times, 15 s apart; checks must be done 60 s after the load",
    )
    parser.add_argument(
        "--hostile-share",
        type=float,
        default=0.0,
        metavar="F",
        help="share of each editor's requests that are hostile (0.2: one in five); each has its expected 4xx",
    )
    parser.add_argument("--database-url", default=os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("SOAK_REDIS_URL", DEFAULT_REDIS_URL))
    args = parser.parse_args()
    if not 0 <= args.hostile_share < 1:
        parser.error("--hostile-share is a fraction from 0 to below 1, such as 0.2")
    if args.kill_workers and (args.kill_workers + 1) * KILL_EVERY_SECONDS > args.minutes * 60:
        parser.error(
            f"{args.kill_workers} kills 15 s apart need --minutes {(args.kill_workers + 1) / 4:g} or more"
        )
    for url in (args.database_url, args.redis_url):
        if urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"the soak runs on loopback only, not against {url}")

    work = Path(tempfile.mkdtemp(prefix="corroborate-soak-"))
    queue = f"soak-{uuid.uuid4().hex[:8]}"
    env = app_environment(args.database_url, args.redis_url, queue, work / "var")
    log(f"recreating {args.database_url} and migrating (logs in {work})")
    database_recreate(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    created = manage(env, "shell", "-c", ACCOUNTS_SCRIPT.format(editors=args.editors, password=PASSWORD))
    accounts = [json.loads(line) for line in created.splitlines() if line.startswith("{")]
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    web = start(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.web_workers), "--timeout", "120", "--error-logfile", "-"],
        env, work / "gunicorn.log",
    )  # fmt: skip
    worker = start(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--schedule", str(work / "beat"),
         "-Q", queue, f"--concurrency={args.check_workers}", "--loglevel=INFO", "--without-gossip",
         "--without-mingle", "-n", f"{queue}@%h"],
        env, work / "worker.log",
    )  # fmt: skip
    tally = Tally()
    try:
        wait_for_http(base_url + "/healthz")
        wait_for_log(work / "worker.log", "ready.")
        log(f"{args.editors} editors for {args.minutes:g} minutes against {base_url}")
        started = time.monotonic()
        editors = [
            Editor(n, base_url, account["token"], tally, started + args.minutes * 60, args.hostile_share)
            for n, account in enumerate(accounts)
        ]
        for editor in editors:
            editor.start()
        killer = WorkerKiller(args.database_url, worker.pid, args.kill_workers, started)
        if args.kill_workers:
            killer.start()
        next_progress = started + 15
        while any(editor.is_alive() for editor in editors):
            time.sleep(0.5)
            if time.monotonic() >= next_progress:
                next_progress += 15
                with tally.lock:
                    done = sum(tally.outcomes.values())
                log(f"{done} requests, {len(tally.claims)} claims, {len(tally.reviews)} reviews so far")
        load_seconds = time.monotonic() - started
        killer.stopped.set()

        log("load stopped; waiting for every check to finish")
        with psycopg.connect(args.database_url, autocommit=True) as connection:
            deadline = time.monotonic() + args.drain_minutes * 60
            while (pending := open_checks(connection)) != (0, 0) and time.monotonic() < deadline:
                time.sleep(1 if args.kill_workers else 2)
            drained_seconds = time.monotonic() - started
            checks_done = connection.execute(
                "SELECT count(*), min(created_at), max(updated_at) FROM claims_checkrequest "
                "WHERE state = 'done'"
            ).fetchone()
            assert checks_done is not None
            lost_claims = tally.claims - stored_ids(connection, "claims_claim", tally.claims)
            lost_reviews = tally.reviews - stored_ids(connection, "claims_review", tally.reviews)
            lost_articles = tally.articles - stored_ids(connection, "articles_article", tally.articles)
            findings = connection.execute(
                "SELECT kind, count(*) FROM claims_finding GROUP BY kind"
            ).fetchall()
            merged = connection.execute(
                "SELECT count(*) FROM claims_claim WHERE merged_into_id IS NOT NULL"
            ).fetchone()
            # What the refused hostile writes would have stored, had one gone through.
            hostile_stored = connection.execute(
                "SELECT (SELECT count(*) FROM claims_claim WHERE text = '12345' OR speaker = '0.5'), "
                "(SELECT count(*) FROM articles_articlerevision WHERE text = '0'), "
                "(SELECT count(*) FROM claims_mergerecord WHERE undone_at IS NOT NULL)"
            ).fetchone()
    finally:
        stop(web)
        stop(worker)
        redis.Redis.from_url(args.redis_url).delete(queue)

    requests_total = sum(tally.outcomes.values())
    hostile_total = sum(n for (_, status), n in tally.hostile.items() if status >= 0)
    server_errors = sum(n for (_, status), n in tally.outcomes.items() if status >= 500 or status == 0)
    check_count = int(checks_done[0])
    check_span = (checks_done[2] - checks_done[1]).total_seconds() if check_count else 0.0
    print()
    print("outcomes (kind, status: count)")
    for (kind, status), count in sorted(tally.outcomes.items()):
        print(f"  {kind:<17} {status:>3}: {count}")
    for (kind, status), example in sorted(tally.refusals.items()):
        print(f"  e.g. {kind} {status}: {example}")
    print(f"findings: {dict(findings)}; claims merged as duplicates: {merged[0] if merged else 0}")
    if args.hostile_share:
        print()
        print("hostile requests (case, status: count)")
        for (case, status), count in sorted(tally.hostile.items()):
            print(f"  {case:<30} {status:>3}: {count}")
    print()
    p50, p99 = percentile(tally.latencies, 0.5), percentile(tally.latencies, 0.99)
    claims_rate, reviews_rate = len(tally.claims) / load_seconds, len(tally.reviews) / load_seconds
    checks_rate = check_count / check_span if check_span else 0.0
    print(
        f"load: {load_seconds:.0f} s, {args.editors} editors, {args.web_workers} web workers, "
        f"{args.check_workers} check processes"
    )
    print(
        f"requests: {requests_total} ({requests_total / load_seconds:.1f}/s), "
        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )
    print(
        f"claims created: {len(tally.claims)} ({claims_rate:.2f}/s); reviews: {len(tally.reviews)} "
        f"({reviews_rate:.2f}/s); articles: {len(tally.articles)}"
    )
    print(
        f"checks done: {check_count} ({checks_rate:.2f}/s over {check_span:.0f} s from the first check "
        f"request to the last check; all done {drained_seconds - load_seconds:.0f} s after the load stopped)"
    )
    problems = []
    if server_errors:
        problems.append(f"{server_errors} responses were 5xx or missing: {tally.failures}")
    if lost_claims or lost_reviews or lost_articles:
        lost = (
            f"claims {sorted(lost_claims)}, reviews {sorted(lost_reviews)}, articles {sorted(lost_articles)}"
        )
        problems.append(f"lost: {lost}")
    if args.hostile_share:
        print(
            f"hostile: {hostile_total} requests ({hostile_total / max(requests_total, 1):.0%} of all), "
            f"{tally.unexpected_count} answered otherwise than expected"
        )
        if tally.unexpected_count:
            problems.append(
                f"{tally.unexpected_count} hostile requests got an unexpected answer: {tally.unexpected}"
            )
        never = sorted(set(HOSTILE_CASES) - {case for case, _ in tally.hostile})
        if never:
            problems.append(f"hostile cases never sent: {never}")
        if hostile_stored is None or any(hostile_stored):
            problems.append(
                f"refused hostile writes were stored (claims 12345/0.5, revisions '0', unmerges): {hostile_stored}"
            )
    if args.kill_workers:
        kills = ", ".join(f"{pid} at {at:.0f} s" for at, pid in killer.killed)
        print(f"check processes killed: {len(killer.killed)} of {args.kill_workers} ({kills})")
        if len(killer.killed) < args.kill_workers:
            problems.append(
                f"only {len(killer.killed)} of {args.kill_workers} kills landed on a running check"
            )
        if pending == (0, 0) and drained_seconds - load_seconds > TAKEOVER_SECONDS:
            problems.append(
                f"checks done {drained_seconds - load_seconds:.0f} s after the load stopped, "
                f"not within {TAKEOVER_SECONDS:.0f} s"
            )
    if pending != (0, 0):
        problems.append(
            f"checks not done after {args.drain_minutes:g} min: {pending[0]} requests, {pending[1]} claims"
        )
    print()
    if problems:
        for problem in problems:
            print(f"FAIL: {problem}")
        print(f"logs: {work}")
        return 1
    hostile_ok = f"; {hostile_total} hostile requests all answered as expected" if args.hostile_share else ""
    print(f"OK: zero lost claims, reviews or articles; zero 5xx; every check done{hostile_ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
