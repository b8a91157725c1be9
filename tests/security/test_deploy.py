"""Production settings: ``check --deploy`` is clean, cookies are secure, sessions expire, and every
response carries HSTS, a CSP without inline scripts and clickjacking protection.

Settings are read once at start-up, so each test runs Django in a subprocess with the production
environment (DJANGO_DEBUG=0, a real secret key, a host name) and a SQLite database of its own.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "news.example"


def production_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        CORROBORATE_VAR_DIR=str(var_dir),
        CORROBORATE_MODEL_CACHE=str(ROOT / "var" / "models"),
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


# Runs inside the production-configured process: logs in through the form over HTTPS (as the proxy
# reports it) and prints what a browser would receive.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.contrib.sessions.models import Session
from django.utils import timezone
from accounts.roles import Role
from accounts.services import user_create_or_update

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
user_create_or_update(username="eddie", role=Role.EDITOR, password="deploy-check-pass-93")
client = Client(HTTP_HOST="news.example", HTTP_X_FORWARDED_PROTO="https")
login_page = client.get("/accounts/login/")
logged_in = client.post(
    "/accounts/login/",
    {"username": "eddie", "password": "deploy-check-pass-93",
     "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    headers={"Referer": "https://news.example/accounts/login/"},
)
pages = {path: client.get(path) for path in
         ["/articles/", "/review/", "/dashboard/", "/api/v1/ping/", "/api/docs/", "/admin/login/"]}
plain_http = Client(HTTP_HOST="news.example").get("/articles/")
other_host = Client(HTTP_HOST="evil.example", HTTP_X_FORWARDED_PROTO="https").get("/accounts/login/")
session = Session.objects.get()

def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"], "max-age": morsel["max-age"]}

def headers(response):
    return {name: response.get(name) for name in
            ["Strict-Transport-Security", "Content-Security-Policy", "X-Frame-Options",
             "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"]}

print(json.dumps({
    "login_page": [login_page.status_code, headers(login_page), cookie(login_page, "csrftoken")],
    "logged_in": [logged_in.status_code, logged_in.get("Location"), cookie(logged_in, "sessionid")],
    "pages": {path: [r.status_code, headers(r)] for path, r in pages.items()},
    "plain_http": [plain_http.status_code, plain_http.get("Location")],
    "other_host": other_host.status_code,
    "session_expires_in": round((session.expire_date - timezone.now()).total_seconds() / 60),
    "session_settings": [settings.SESSION_COOKIE_AGE, settings.SESSION_EXPIRE_AT_BROWSER_CLOSE],
}))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **production_env(tmp_path_factory.mktemp("deploy")),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return outcome


def test_cookies_are_secure_and_sessions_expire(probe: dict[str, Any]) -> None:
    status, _, csrf_cookie = probe["login_page"]
    logged_in_status, location, session_cookie = probe["logged_in"]
    assert status == 200
    assert (logged_in_status, location) == (302, "/")
    # the reader's scripts read the CSRF token from its cookie, so that one is not HttpOnly
    assert csrf_cookie == {"secure": True, "httponly": False, "samesite": "Lax", "max-age": 31449600}
    # a browser-session cookie (gone when the browser closes) ...
    assert session_cookie == {"secure": True, "httponly": True, "samesite": "Lax", "max-age": ""}
    # ... and a session that the server expires after twelve hours in any case
    assert probe["session_settings"] == [12 * 60 * 60, True]
    assert probe["session_expires_in"] == 12 * 60


def csp_directives(header: str) -> dict[str, str]:
    names_and_values = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: value for name, _, value in names_and_values}


def test_every_response_has_hsts_a_strict_csp_and_clickjacking_protection(probe: dict[str, Any]) -> None:
    responses = {"login": probe["login_page"][:2], **probe["pages"]}
    assert {path: status for path, (status, _) in responses.items()} == {
        "login": 200,
        "/articles/": 200,
        "/review/": 200,
        "/dashboard/": 200,
        "/api/v1/ping/": 200,
        "/api/docs/": 200,
        "/admin/login/": 200,
    }
    for path, (_, headers) in responses.items():
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        directives = csp_directives(headers["Content-Security-Policy"])
        assert directives["script-src"] == "'self'", path
        assert directives["default-src"] == "'self'", path
        assert directives["object-src"] == "'none'", path
        assert directives["frame-ancestors"] == "'none'", path
        assert "unsafe-inline" not in directives["script-src"] + directives["default-src"], path
        assert "unsafe-eval" not in headers["Content-Security-Policy"], path


def test_plain_http_is_redirected_and_unknown_hosts_are_refused(probe: dict[str, Any]) -> None:
    assert probe["plain_http"] == [301, "https://news.example/articles/"]
    assert probe["other_host"] == 400


TEMPLATES = ROOT / "templates"


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    # the CSP would refuse them in production; this finds them before a browser does
    offences = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0) and 'type="application/json"' not in match.group(0):
                offences.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=|javascript:", text, flags=re.IGNORECASE):
            offences.append(f"{template.relative_to(ROOT)}: {match.group(0).strip()}")
    assert offences == []
