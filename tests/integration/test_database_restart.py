"""PostgreSQL killed and restarted under load: the app answers 503 meanwhile and recovers by itself.

The app is gunicorn with production settings in a subprocess, on a PostgreSQL server of the test's own
(stopped with ``pg_ctl -m immediate``, a crash as far as clients can tell). Threads send API and page
requests, reads and writes, before, during and after the outage.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
import requests

from config.middleware import UNAVAILABLE_MESSAGE
from tests.integration.app_server import AppServer, Browser, gunicorn_start, manage, production_environment
from tests.integration.conftest import redis_url
from tests.integration.private_services import PrivatePostgres, free_port

pytestmark = pytest.mark.postgres_only

PASSWORD = "restart-editor-pass-4821"
LOAD_THREADS = 3


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    # Not under pytest's tmp_path: its root is private to this user and the server runs as postgres.
    directory = Path(tempfile.mkdtemp(prefix="corroborate-pg-"))
    server = PrivatePostgres(port=free_port(), directory=directory)
    server.init()
    server.start()
    server.create_database()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped by the test
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@dataclass
class App:
    server: AppServer
    token: str
    browser: Browser
    database_url: str


@pytest.fixture
def app(private_postgres: PrivatePostgres, tmp_path: Path) -> Iterator[App]:
    broker = redis_url()
    queue = f"test-{uuid.uuid4().hex[:10]}"  # nobody consumes it: the checks are not what is tested here
    env = production_environment(
        database_url=private_postgres.url(), broker_url=broker, queue=queue, var_dir=tmp_path / "var"
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "create_user", "eddie", "--role", "editor", "--password", PASSWORD)
    token = manage(env, "create_api_token", "eddie").strip().splitlines()[-1]
    server = gunicorn_start(env, tmp_path / "gunicorn.log")
    try:
        browser = Browser(server.url)
        browser.log_in("eddie", PASSWORD)
        yield App(server=server, token=token, browser=browser, database_url=private_postgres.url())
    finally:
        server.stop()
        redis.Redis.from_url(broker).delete(queue)


@dataclass
class Outcome:
    kind: str
    sent: float
    received: float
    status: int  # 0: no response (connection error or timeout)
    body: str
    retry_after: str | None
    created_id: int | None
    number: int


@dataclass
class Kind:
    name: str
    success: int
    send: Callable[[App, int], requests.Response]
    api: bool
    creates: bool = False


def api(app: App, method: str, path: str, **kwargs: object) -> requests.Response:
    return requests.request(
        method,
        app.server.url + path,
        headers={"Authorization": f"Token {app.token}"},
        timeout=20,
        **kwargs,  # type: ignore[arg-type]
    )


def kinds(article_id: int, claim_id: int) -> list[Kind]:
    return [
        Kind("api claims list", 200, lambda a, n: api(a, "GET", "/api/v1/claims/?page_size=5"), api=True),
        Kind(
            "api claim create",
            201,
            lambda a, n: api(
                a, "POST", "/api/v1/claims/", json={"text": f"Ferry line {n} carried {1000 + n} passengers."}
            ),
            api=True,
            creates=True,
        ),
        Kind("api article", 200, lambda a, n: api(a, "GET", f"/api/v1/articles/{article_id}/"), api=True),
        Kind(
            "api article create",
            201,
            lambda a, n: api(
                a, "POST", "/api/v1/articles/", json={"title": f"Harbour {n}", "text": f"Harbour report {n}."}
            ),
            api=True,
            creates=True,
        ),
        Kind("page articles", 200, lambda a, n: a.browser.request("GET", "/articles/"), api=False),
        Kind("page queue", 200, lambda a, n: a.browser.request("GET", "/review/"), api=False),
        Kind("page claim", 200, lambda a, n: a.browser.request("GET", f"/claims/{claim_id}/"), api=False),
        Kind("page dashboard", 200, lambda a, n: a.browser.request("GET", "/dashboard/"), api=False),
        Kind(
            "page add source",
            302,
            lambda a, n: a.browser.request(
                "POST",
                f"/claims/{claim_id}/sources",
                data={
                    "url": f"https://harbour.example/report/{n}",
                    "title": f"Report {n}",
                    "csrfmiddlewaretoken": a.browser.cookies["csrftoken"],
                },
            ),
            api=False,
        ),
        Kind("healthz", 200, lambda a, n: requests.get(a.server.url + "/healthz", timeout=20), api=True),
    ]


def send(app: App, kind: Kind, n: int) -> Outcome:
    sent = time.monotonic()
    try:
        response = kind.send(app, n)
    except requests.RequestException as error:
        return Outcome(kind.name, sent, time.monotonic(), 0, repr(error), None, None, n)
    created_id = None
    if kind.creates and response.status_code == kind.success:
        created_id = int(response.json()["id"])
    return Outcome(
        kind.name,
        sent,
        time.monotonic(),
        response.status_code,
        response.text,
        response.headers.get("Retry-After"),
        created_id,
        n,
    )


def test_requests_get_503_while_postgres_is_down_and_succeed_after_it_restarts(
    app: App, private_postgres: PrivatePostgres
) -> None:
    # given: an article and a claim, and an app that has served requests on persistent connections
    article_id = api(
        app, "POST", "/api/v1/articles/", json={"title": "Harbour", "text": "Harbour text."}
    ).json()["id"]
    claim_id = api(
        app, "POST", "/api/v1/claims/", json={"text": "The harbour handled 2 million crates."}
    ).json()["id"]
    request_kinds = kinds(article_id, claim_id)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop_load = threading.Event()
    counter = iter(range(1_000_000))

    def load(offset: int) -> None:
        position = offset
        while not stop_load.is_set():
            kind = request_kinds[position % len(request_kinds)]
            outcome = send(app, kind, next(counter))
            with lock:
                outcomes.append(outcome)
            position += 1

    threads = [threading.Thread(target=load, args=(i * 3,)) for i in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        # when: the database crashes, stays down for a while, and comes back
        private_postgres.stop()
        down_at = time.monotonic()
        time.sleep(4)
        restarting_at = time.monotonic()
        private_postgres.start()
        up_at = time.monotonic()
        time.sleep(6)
    finally:
        stop_load.set()
        for thread in threads:
            thread.join(timeout=60)
    # a last round of every kind, sequentially, once the load has stopped
    final = [send(app, kind, next(counter)) for kind in request_kinds]

    # then: never a 500 (or any 5xx but 503), never a hang, never a traceback
    log = app.server.log()
    bad = [
        (o.kind, o.status, o.body[:300])
        for o in outcomes + final
        if o.status == 0 or (o.status >= 500 and o.status != 503)
    ]
    assert bad == [], log
    assert [o.kind for o in outcomes + final if "Traceback" in o.body] == [], log
    # every request sent and answered while the database was down got a 503 with the message
    during = [o for o in outcomes if o.sent >= down_at and o.received <= restarting_at]
    assert {o.kind for o in during} == {k.name for k in request_kinds}
    unclean = [(o.kind, o.status, o.body[:300]) for o in during if o.status != 503]
    assert unclean == []
    for outcome in during:
        assert outcome.retry_after == "30"
        assert UNAVAILABLE_MESSAGE in outcome.body
        assert "Temporarily unavailable" in outcome.body if outcome.kind.startswith("page") else True
    # requests succeed again without restarting the app: within a few seconds of the restart every
    # kind succeeds, and from then on nothing fails
    success = {k.name: k.success for k in request_kinds}
    late = [o for o in outcomes if o.sent >= up_at + 3] + final
    assert {o.kind for o in late} == set(success)
    assert [(o.kind, o.status, o.body[:300]) for o in late if o.status != success[o.kind]] == []
    assert app.server.process.poll() is None
    assert app.server.booted_workers() == 2, log
    # and nothing acknowledged with a 2xx is lost
    acknowledged = {
        kind: sorted(o.created_id for o in outcomes + final if o.kind == kind and o.created_id is not None)
        for kind in ("api claim create", "api article create")
    }
    sources = sorted(
        f"https://harbour.example/report/{o.number}"
        for o in outcomes + final
        if o.kind == "page add source" and o.status == 302
    )
    assert all(acknowledged.values())
    assert sources
    with psycopg.connect(app.database_url) as connection:

        def stored(query: str, *params: object) -> list[object]:
            return sorted(row[0] for row in connection.execute(query, params))

        assert (
            stored("SELECT id FROM claims_claim WHERE id = ANY(%s)", acknowledged["api claim create"])
            == acknowledged["api claim create"]
        )
        assert (
            stored(
                "SELECT id FROM articles_article WHERE id = ANY(%s)",
                acknowledged["api article create"],
            )
            == acknowledged["api article create"]
        )
        assert (
            stored(
                "SELECT url FROM claims_source WHERE claim_id = %s AND url = ANY(%s)",
                claim_id,
                sources,
            )
            == sources
        )
