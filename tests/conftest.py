"""Shared fixtures: personas for every role, clients logged in as them, and a clean index per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_create, user_create_or_update
from tests.newsroom import Newsroom, build_newsroom

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing with the production work factor would take most of each test's set-up time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    """Each test starts with an empty in-process retrieval index (the database is rolled back)."""
    from claims.services.index import index_reset

    index_reset()
    yield
    index_reset()


@pytest.fixture(autouse=True)
def _generous_api_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests make requests far faster than people do (schemathesis: hundreds per test); the tests of
    the throttles set the rates they check (tests/security/test_throttling.py)."""
    from rest_framework.throttling import SimpleRateThrottle

    for scope in ("user", "match", "anon"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000000/minute")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with empty API throttle counters (they live in the cache; user ids repeat
    from test to test as the database is rolled back)."""
    from django.core.cache import cache

    cache.clear()


def make_user(username: str, role: Role) -> User:
    user, _ = user_create_or_update(username=username, role=role, password=PASSWORD)
    return user


@pytest.fixture
def reader(db: Any) -> User:
    return make_user("rita-reader", Role.READER)


@pytest.fixture
def annotator(db: Any) -> User:
    return make_user("annie-annotator", Role.ANNOTATOR)


@pytest.fixture
def editor(db: Any) -> User:
    return make_user("eddie-editor", Role.EDITOR)


@pytest.fixture
def second_editor(db: Any) -> User:
    return make_user("erin-editor", Role.EDITOR)


@pytest.fixture
def admin_user(db: Any) -> User:
    return make_user("ada-admin", Role.ADMIN)


@pytest.fixture
def persona(request: pytest.FixtureRequest, db: Any) -> User | None:
    """Parametrise with indirect=True and one of: anonymous, reader, annotator, editor, admin."""
    name = request.param
    if name == "anonymous":
        return None
    user: User = request.getfixturevalue({"admin": "admin_user"}.get(name, name))
    return user


def client_for(user: User | None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def api_client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        _, key = api_token_create(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(editor: User) -> APIClient:
    return api_client_for(editor)


@pytest.fixture
def newsroom(editor: User, annotator: User) -> Newsroom:
    """Two outlets' bridge stories, a suggested duplicate and contradiction, a verdict (tests/newsroom.py)."""
    return build_newsroom(editor=editor, annotator=annotator)
