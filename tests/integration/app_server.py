"""The app as it runs in production: gunicorn in a subprocess, with production settings, against the
database and broker a test names; plus a small HTTP client that keeps its own cookies.

Production settings mark cookies ``Secure``; an HTTP client over plain loopback HTTP would then never
send them back, so ``Browser`` keeps the cookies itself and sends them explicitly.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.integration.private_services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def production_environment(
    *, database_url: str, broker_url: str, queue: str, var_dir: Path
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        # Plain HTTP on loopback: no redirect to https (a proxy terminates TLS in production).
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CORROBORATE_VAR_DIR=str(var_dir),
        CORROBORATE_MODEL_CACHE=str(ROOT / "var" / "models"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class AppServer:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-8000:]

    def booted_workers(self) -> int:
        return len(re.findall(r"Booting worker with pid", self.log_path.read_text(errors="replace")))

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def gunicorn_start(env: dict[str, str], log_path: Path, *, workers: int = 2, threads: int = 1) -> AppServer:
    """Start gunicorn on a free loopback port and wait until /healthz answers."""
    port = free_port()
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
         "--graceful-timeout", "5", "--log-level", "info", "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    server = AppServer(process=process, port=port, log_path=log_path)
    try:
        wait_for_port(port, up=True, timeout=60)
        deadline = time.monotonic() + 60
        while requests.get(f"{server.url}/healthz", timeout=10).status_code != 200:
            if time.monotonic() > deadline:
                raise TimeoutError("/healthz did not answer 200")
            time.sleep(0.2)
    except Exception as error:
        server.stop()
        raise AssertionError(f"gunicorn did not start ({error}):\n{server.log()}") from error
    return server


@dataclass
class Browser:
    """A logged-in web client that keeps its cookies itself (see the module docstring)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 20

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if method.upper() != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        response = requests.request(
            method,
            self.base_url + path,
            cookies=dict(self.cookies),
            headers=headers,
            allow_redirects=False,
            timeout=self.timeout,
            **kwargs,
        )
        self.cookies.update({cookie.name: cookie.value or "" for cookie in response.cookies})
        return response

    def log_in(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        response = self.request(
            "POST",
            "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            },
        )
        if response.status_code != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"log-in failed: {response.status_code} {response.text[:500]}")
