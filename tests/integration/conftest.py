"""Real services: a Celery worker process consuming from Redis and writing to the PostgreSQL test DB."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection

from claims.services import dispatch
from config.celery_app import app

ROOT = Path(__file__).resolve().parents[2]


def redis_url() -> str:
    url = os.environ.get("CORROBORATE_TEST_REDIS_URL")
    if not url:
        pytest.fail("CORROBORATE_TEST_REDIS_URL is not set: run these tests through 'make test'.")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {url} does not answer ({error}); start it with scripts/ensure_services.sh")
    return url


def worker_database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail("worker tests need PostgreSQL: they run in the PostgreSQL pass of 'make test'")
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@dataclass
class WorkerProcess:
    process: subprocess.Popen[str]
    log_path: Path
    env: dict[str, str]
    queue: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def start_worker(
    env: dict[str, str], queue: str, log_path: Path, concurrency: int = 1, extra: tuple[str, ...] = ()
) -> WorkerProcess:
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
        f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h", *extra,
    ]  # fmt: skip
    log = log_path.open("a")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    return WorkerProcess(process=process, log_path=log_path, env=env, queue=queue)


def _reset_connections() -> None:
    app.amqp.__dict__.pop("queues", None)
    app.amqp._producer_pool = None
    app.close()
    dispatch._broker_down_until = 0.0


@contextmanager
def celery_pointed_at(url: str, queue: str) -> Iterator[None]:
    """Make this process's Celery app publish to ``url``/``queue`` instead of running eagerly."""
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    _reset_connections()
    try:
        yield
    finally:
        app.conf.update(**previous)
        _reset_connections()


def worker_environment(database_url: str, broker_url: str, queue: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env.update(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        CORROBORATE_VAR_DIR=str(var_dir),
        CORROBORATE_MODEL_CACHE=str(ROOT / "var" / "models"),
    )
    return env


def wait_for_ready(worker: WorkerProcess, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while "ready." not in worker.log_path.read_text(errors="replace"):
        if worker.process.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"the Celery worker did not start:\n{worker.log()}")
        time.sleep(0.2)


@pytest.fixture
def worker_env(transactional_db: Any, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Point this process and worker processes at one Redis queue of their own."""
    url = redis_url()
    queue = f"test-{uuid.uuid4().hex[:10]}"
    with celery_pointed_at(url, queue):
        try:
            yield worker_environment(worker_database_url(), url, queue, tmp_path / "var")
        finally:
            redis.Redis.from_url(url).delete(queue)


def stop_worker(worker: WorkerProcess) -> None:
    worker.process.terminate()
    try:
        worker.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture
def celery_worker(worker_env: dict[str, str], tmp_path: Path) -> Iterator[WorkerProcess]:
    worker = start_worker(worker_env, worker_env["CELERY_TASK_DEFAULT_QUEUE"], tmp_path / "worker.log")
    wait_for_ready(worker)
    try:
        yield worker
    finally:
        stop_worker(worker)


def wait_until(predicate: Any, *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
