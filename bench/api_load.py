"""Load benchmark of the claims list API on PostgreSQL with a million claims.

    .venv/bin/python bench/api_load.py [--claims 1000000] [--rounds 3] [--duration 10] [--connections 4]

It creates (once) and migrates the database named by --database-url, seeds --claims claims in a few
set-based INSERTs (a fifth reviewed, with review rows; one in fifty with a contradiction; one in
seven appearing in an article), creates a reader and an API token, starts gunicorn on loopback and
drives it with wrk (Debian: ``apt-get install -y wrk``):

- the claims list, page_size=50, cycling through pages reached by following ``next`` from the start
  and from the middle of the sync order (``updated_since``), so deep keyset pages are measured too;
- ``/api/v1/ping/``, the API's fixed cost (token authentication, middleware, JSON) with no work.

It prints requests/s and p50/p99 latency for both and the ratio, checks the targets (list >= half
the ping's throughput, >= 200 requests/s, p99 <= 50 ms) and exits non-zero if one is missed.
Seeding is skipped when the table already holds --claims claims (--reseed starts again).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/corroborate_bench"
ARTICLES = 200
PAGES = 5


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    server_cpu_ms: float  # gunicorn workers + PostgreSQL backends, per request
    database_cpu_ms: float  # the PostgreSQL backends' part of it

    @property
    def capacity(self) -> float:
        """Requests/s the server side could sustain on this machine's cores with nothing else running."""
        return (os.cpu_count() or 1) * 1000 / self.server_cpu_ms if self.server_cpu_ms else 0.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_create(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    # The query string carries Django OPTIONS (e.g. server_side_binding), not libpq parameters.
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def server_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        # The bench measures throughput from one token: the production rates would cut it at 50 req/s.
        "CORROBORATE_API_RATE_USER": os.environ.get("CORROBORATE_API_RATE_USER", "10000000/minute"),
    }


def seed(*, claims: int, reseed: bool) -> None:
    """Set-based seeding: one INSERT ... SELECT per table, so a million rows take about a minute."""
    from django.db import connection, transaction

    from accounts.roles import Role
    from accounts.services import user_create_or_update
    from articles.services import article_create
    from claims.models import Claim

    present = Claim.objects.count()
    if present >= claims and not reseed:
        log(f"{present:,} claims already seeded")
        return
    started = time.monotonic()
    reviewer, _ = user_create_or_update(username="bench-editor", role=Role.EDITOR)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_claim, claims_review, claims_finding, claims_source, claims_claimevent, "
            "claims_checkrequest, claims_claimvector, annotations_annotation, articles_article, "
            "articles_articlerevision, articles_outlet RESTART IDENTITY CASCADE"
        )
    outlets = ["Harbour Gazette", "Coast Herald", "Valley Times", "Evening Post"]
    article_ids = [
        article_create(
            title=f"Bench article {n}",
            text=f"Bench article {n}. Officials said the harbour handled {n} thousand containers.",
            url=f"https://bench.example/{n}",
            outlet_name=outlets[n % len(outlets)],
        ).pk
        for n in range(ARTICLES)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        log(f"inserting {claims:,} claims")
        cursor.execute(
            """
            INSERT INTO claims_claim (text, speaker, status, check_status, version, created_at, updated_at,
                reviewed_at, checked_at, open_contradictions, open_duplicates, outlet_count)
            SELECT
                'Claim ' || g || ': ' ||
                    (ARRAY['the harbour handled', 'the council spent', 'the ferry carried',
                           'unemployment reached', 'the bridge repairs cost'])[1 + g %% 5]
                    || ' ' || (g %% 997) || ' ' ||
                    (ARRAY['million euros', 'thousand passengers', 'percent', 'tonnes',
                           'jobs'])[1 + (g / 5) %% 5]
                    || ' in ' || (1990 + g %% 35) || '.',
                (ARRAY['', 'Mayor Jane Doe', 'Port authority', 'Ministry of Transport', 'Regional minister',
                       'City officials'])[1 + g %% 6],
                CASE WHEN g %% 10 = 0 THEN 'corroborated' WHEN g %% 10 = 1 THEN 'disputed'
                     WHEN g %% 20 = 2 THEN 'unreliable' ELSE 'unreviewed' END,
                'done',
                CASE WHEN g %% 10 < 2 OR g %% 20 = 2 THEN 2 ELSE 1 END,
                t, t, CASE WHEN g %% 10 < 2 OR g %% 20 = 2 THEN t END, t, 0, 0, 0
            FROM generate_series(1, %s) AS g,
                 LATERAL (SELECT now() - interval '30 days' + g * interval '2 seconds'
                                 + (g %% 1000) * interval '1 microsecond' AS t) AS moments
            """,
            [claims],
        )
        log("inserting reviews, findings and appearances")
        cursor.execute(
            """
            INSERT INTO claims_review (claim_id, verdict, rationale, evidence, reviewer_id, claim_version,
                created_at)
            SELECT id, status, 'Seeded verdict for the benchmark.', '[]'::jsonb, %s, 1, reviewed_at
            FROM claims_claim WHERE status <> 'unreviewed'
            """,
            [reviewer.pk],
        )
        cursor.execute(
            """
            INSERT INTO claims_finding (claim_low_id, claim_high_id, kind, score, explanation, state,
                detector_version, created_at, updated_at)
            SELECT id, id + 1, 'contradiction', 0.8, 'Seeded contradiction.', 'suggested', 'bench',
                now(), now()
            FROM claims_claim WHERE id %% 50 = 0 AND id < %s
            """,
            [claims],
        )
        cursor.execute(
            "UPDATE claims_claim SET open_contradictions = 1 WHERE id % 50 = 0 OR (id % 50 = 1 AND id > 1)"
        )
        cursor.execute(
            """
            INSERT INTO claims_source (claim_id, kind, url, title, outlet_id, article_id, created_at)
            SELECT c.id, 'appearance', a.url, a.title, a.outlet_id, a.id, c.created_at
            FROM claims_claim c JOIN articles_article a ON a.id = (%s::bigint[])[1 + c.id %% %s]
            WHERE c.id %% 7 = 0
            """,
            [article_ids, len(article_ids)],
        )
        cursor.execute("UPDATE claims_claim SET outlet_count = 1 WHERE id % 7 = 0")
    with connection.cursor() as cursor:
        # Fresh statistics, and visibility maps so that index-only scans (findings per claim) skip
        # the heap, as autovacuum would have arranged on a database that has been running a while.
        cursor.execute("VACUUM ANALYZE")
    log(f"seeded {claims:,} claims in {time.monotonic() - started:.0f} s")


def reader_token() -> str:
    from accounts.roles import Role
    from accounts.services import api_token_create, user_create_or_update

    reader, _ = user_create_or_update(username="bench-reader", role=Role.READER)
    _, key = api_token_create(user=reader, name="bench")
    return key


def get_json(url: str, key: str) -> dict[str, object]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())  # type: ignore[no-any-return]


def list_paths(base: str, key: str) -> list[str]:
    """Paths of the first pages from the start and from the middle of the sync order."""
    middle = get_json(f"{base}/api/v1/claims/?page_size=1&updated_since=" + _middle_moment(), key)
    starts = ["/api/v1/claims/?page_size=50"]
    results = middle["results"]
    assert isinstance(results, list)
    assert results, "the middle of the table is empty"
    since = urllib.parse.quote(results[0]["updated_at"])
    starts.append(f"/api/v1/claims/?page_size=50&updated_since={since}")
    paths: list[str] = []
    for start in starts:
        url: str | None = base + start
        for _ in range(PAGES):
            assert url is not None
            paths.append(url.removeprefix(base))
            page = get_json(url, key)
            assert len(page["results"]) == 50  # type: ignore[arg-type]
            url = page["next"]  # type: ignore[assignment]
    return paths


def _middle_moment() -> str:
    from django.db.models import Max, Min

    from claims.models import Claim

    bounds = Claim.objects.aggregate(first=Min("updated_at"), last=Max("updated_at"))
    middle = bounds["first"] + (bounds["last"] - bounds["first"]) / 2
    return urllib.parse.quote(middle.isoformat())


def wrk_script(paths: list[str], key: str, path: Path) -> Path:
    script = path
    listed = ",\n".join(json.dumps(path) for path in paths)
    script.write_text(
        f"local paths = {{\n{listed}\n}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        f'  return wrk.format("GET", paths[i], {{["Authorization"] = "Token {key}"}})\n'
        "end\n"
    )
    return script


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes (Linux /proc), in seconds."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def server_pids(master: int) -> tuple[list[int], list[int]]:
    """gunicorn's master and workers; the PostgreSQL backends serving the bench database."""
    from django.db import connection

    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    return pids, backends


def run_wrk(
    name: str, base: str, script: Path, *, connections: int, duration: int, threads: int, master: int
) -> LoadResult:
    web, database = server_pids(master)
    web_before, database_before = _cpu_seconds(web), _cpu_seconds(database)
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), base,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    database_cpu = _cpu_seconds(database) - database_before
    cpu = _cpu_seconds(web) - web_before + database_cpu
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        log(f"{name}: socket errors: {socket_errors.group(1)}")
    per_request = 1000 / max(requests, 1)
    return LoadResult(
        name,
        rate,
        p50,
        p99,
        int(errors.group(1)) if errors else 0,
        requests,
        cpu * per_request,
        database_cpu * per_request,
    )


def median_result(results: list[LoadResult]) -> LoadResult:
    """The round with the median throughput (its own latencies and CPU, not a mix of rounds)."""
    ordered = sorted(results, key=lambda result: result.requests_per_second)
    return ordered[len(ordered) // 2]


def gunicorn_start(*, url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is already in use: pass --port")
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
        "--keep-alive", "30", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(url), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    gunicorn_stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def gunicorn_stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2 cores here)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process")
    parser.add_argument("--connections", type=int, default=4, help="concurrent wrk connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="list/ping measurement pairs (median kept)")
    parser.add_argument("--wrk-threads", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    database_create(args.database_url)
    env = server_env(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    seed(claims=args.claims, reseed=args.reseed)
    key = reader_token()

    base = f"http://127.0.0.1:{args.port}"
    server = gunicorn_start(url=args.database_url, port=args.port, workers=args.workers, threads=args.threads)
    try:
        with tempfile.TemporaryDirectory() as directory:
            lists = wrk_script(list_paths(base, key), key, Path(directory) / "list.lua")
            ping = wrk_script(["/api/v1/ping/"], key, Path(directory) / "ping.lua")
            load = {"connections": args.connections, "threads": args.wrk_threads, "master": server.pid}
            log("warming up")
            run_wrk("warm-up", base, lists, duration=3, **load)
            run_wrk("warm-up", base, ping, duration=3, **load)
            log(f"measuring {args.rounds} rounds of {args.duration} s each, {args.connections} connections")
            rounds = []
            for _ in range(args.rounds):
                # Interleaved, so that a change in the machine's load affects both alike.
                rounds.append(
                    (
                        run_wrk("claims list (50/page)", base, lists, duration=args.duration, **load),
                        run_wrk("ping", base, ping, duration=args.duration, **load),
                    )
                )
            listed = median_result([pair[0] for pair in rounds])
            pinged = median_result([pair[1] for pair in rounds])
    finally:
        gunicorn_stop(server)

    ratio = listed.requests_per_second / pinged.requests_per_second
    print()
    print(
        f"claims stored: {args.claims:,}; gunicorn {args.workers}x{args.threads} gthread; wrk "
        f"{args.connections} connections; median of {args.rounds} rounds of {args.duration} s"
    )
    for result in (listed, pinged):
        print(
            f"{result.name:<24} {result.requests_per_second:8.1f} req/s   p50 {result.p50_ms:6.2f} ms   "
            f"p99 {result.p99_ms:6.2f} ms   non-2xx {result.errors}   server CPU {result.server_cpu_ms:5.2f} "
            f"ms/request ({result.database_cpu_ms:4.2f} in PostgreSQL; capacity {result.capacity:4.0f} req/s)"
        )
    cpu_ratio = pinged.server_cpu_ms / listed.server_cpu_ms
    print(f"ratio list/ping          {ratio:8.2f}   by server CPU per request {cpu_ratio:5.2f}")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(
            f"note: load average {load:.1f} on {os.cpu_count()} cores: other processes competed for the CPU, "
            "so the measured throughput and latency understate this server; the CPU figures do not."
        )
    checks = {
        "list >= 0.5 x ping throughput": ratio >= 0.5,
        "list >= 200 req/s": listed.requests_per_second >= 200,
        "list p99 <= 50 ms": listed.p99_ms <= 50,
        "no errors": listed.errors == 0 and pinged.errors == 0,
    }
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
