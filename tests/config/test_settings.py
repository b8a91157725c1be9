from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_development_secret_key_when_debug_is_off() -> None:
    # when
    result = run_check({"DJANGO_DEBUG": "0"})
    # then
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_starts_with_a_real_secret_key_when_debug_is_off() -> None:
    result = run_check(
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "news.example"}
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_key_file_is_made_once_and_reused(tmp_path: Path) -> None:
    # given: no key in the environment, a key file that does not exist yet (docker compose's first start)
    key_file = tmp_path / "var" / "secret_key"
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY_FILE": str(key_file),
        "DJANGO_ALLOWED_HOSTS": "news.example",
    }
    # when the app starts twice
    first = run_check(env)
    key = key_file.read_text()
    second = run_check(env)
    # then one random key was made, private to its owner, and kept
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert len(key) >= 50
    assert key_file.read_text() == key
    assert key_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be a boolean"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must start with postgres://"),
        ({"CELERY_BROKER_URL": "amqp://guest@localhost//"}, "CELERY_BROKER_URL must be a redis:// URL"),
        ({"SESSION_COOKIE_AGE": "a day"}, "SESSION_COOKIE_AGE must be an integer"),
        (
            {"CORROBORATE_API_RATE_USER": "lots"},
            "CORROBORATE_API_RATE_USER must be a rate such as 120/minute",
        ),
        ({"CORROBORATE_API_RATE_MATCH": "10/fortnight"}, "CORROBORATE_API_RATE_MATCH must be a rate"),
        ({"CORROBORATE_API_RATE_ANONYMOUS": "0/minute"}, "CORROBORATE_API_RATE_ANONYMOUS must be a rate"),
        ({"CORROBORATE_API_RATE_USER": "²/minute"}, "CORROBORATE_API_RATE_USER must be a rate"),
        ({"CORROBORATE_CACHE_URL": "memcached://x"}, "CORROBORATE_CACHE_URL must be a redis:// URL"),
        ({"CORROBORATE_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, "'proxy.local' is not an IP address"),
    ],
)
def test_bad_environment_fails_loudly(env: dict[str, str], message: str) -> None:
    result = run_check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_embedded_default_is_sqlite_with_eager_tasks() -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "d=s.DATABASES['default'];"
        "print(d['ENGINE'], str(d['NAME']).endswith('var/corroborate.sqlite3'),"
        " s.CELERY_TASK_ALWAYS_EAGER)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"], result.stderr


def test_database_url_and_broker_switch_to_postgres_and_workers() -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup();"
        "from django.conf import settings as s;"
        "d=s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_TASK_ACKS_LATE)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        DATABASE_URL="postgres://news@db.internal:5432/corroborate", CELERY_BROKER_URL="redis://redis:6379/0"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "corroborate",
        "db.internal",
        "False",
        "True",
    ], result.stderr
