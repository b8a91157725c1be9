"""A signed-in user without a role sees nothing (issue 15, item 6): every page answers a 403 that says
which role to ask for, the API a JSON 403 naming the role; a reader, for contrast, sees them all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from claims.models import Claim, SourceKind
from tests import factories
from tests.conftest import api_client_for

Paths = dict[str, str]


@pytest.fixture
def nobody(db: Any) -> User:
    return User.objects.create_user("nora-norole", password="irrelevant-pass-93")


@pytest.fixture
def paths(editor: User, annotator: User) -> Paths:
    article = factories.article(text="The mayor said fares rose by 4% this year.", user=editor)
    claim: Claim = factories.highlight(article=article, exact="fares rose by 4% this year", user=annotator)
    annotation_id = claim.sources.get(kind=SourceKind.APPEARANCE).annotation_id
    return {
        "articles": "/articles/",
        "reader": f"/articles/{article.pk}/",
        "reader data": f"/articles/{article.pk}/reader.json",
        "revision": f"/articles/{article.pk}/revisions/1/",
        "queue": "/review/",
        "live": f"/review/live?ids={claim.pk}",
        "claim page": f"/claims/{claim.pk}/",
        "dashboard": "/dashboard/",
        "home": "/",
        "w3c page": f"/api/v1/annotations/?article={article.pk}",
        "w3c one": f"/api/v1/annotations/{annotation_id}/",
        "w3c collection": "/api/v1/annotations/collection/",
        "claims api": "/api/v1/claims/",
    }


def _web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


Get = Callable[[str], Any]


def _getter(user: User, path: str) -> Get:
    if path.startswith("/api/"):
        return api_client_for(user).get
    return _web(user).get


NAMES = [
    "articles", "reader", "reader data", "revision", "queue", "live", "claim page", "dashboard", "home",
    "w3c page", "w3c one", "w3c collection", "claims api",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_no_role_means_no_access(nobody: User, reader: User, paths: Paths, name: str) -> None:
    path = paths[name]
    # when
    denied = _getter(nobody, path)(path)
    allowed = _getter(reader, path)(path)
    # then
    assert denied.status_code == 403
    assert allowed.status_code in (200, 302)
    if path.startswith("/api/"):
        assert denied["Content-Type"] in ("application/json", "application/ld+json")
        detail = denied.json()["detail"]
        assert "nora-norole has no role" in detail
        assert "reader" in detail
    else:
        body = denied.content.decode()
        assert "You have no role yet" in body
        assert "<strong>reader</strong>" in body
        assert "Ask an admin" in body


@pytest.mark.django_db
def test_a_user_without_a_role_can_still_log_out_and_reach_the_login_page(nobody: User) -> None:
    client = _web(nobody)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/login/").status_code == 200
