"""Who may call what: every endpoint against every persona.

Anonymous callers get 401, roles without the permission 403 with a message naming the role needed;
on denial nothing in the database changed and nothing was queued for after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from tests.conftest import api_client_for
from tests.newsroom import Newsroom, db_snapshot

PERSONAS = ["anonymous", "reader", "annotator", "editor", "admin"]
EVERYONE = {"reader", "annotator", "editor", "admin"}
ANNOTATORS = {"annotator", "editor", "admin"}
EDITORS = {"editor", "admin"}


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: Callable[[Newsroom], str]
    allowed: set[str]
    success: int
    body: Callable[[Newsroom], dict[str, Any]] | None = None
    denied_action: str = ""


ENDPOINTS = [
    Endpoint("ping", "get", lambda n: "/api/v1/ping/", EVERYONE, 200),
    Endpoint("articles list", "get", lambda n: "/api/v1/articles/", EVERYONE, 200),
    Endpoint(
        "articles create",
        "post",
        lambda n: "/api/v1/articles/",
        EDITORS,
        201,
        lambda n: {"title": "Ferry timetable", "text": "The ferry runs hourly."},
        "add articles",
    ),
    Endpoint("article detail", "get", lambda n: f"/api/v1/articles/{n.article.pk}/", EVERYONE, 200),
    Endpoint(
        "article revision",
        "post",
        lambda n: f"/api/v1/articles/{n.article.pk}/revisions/",
        EDITORS,
        201,
        lambda n: {"text": n.article.current_revision.text + " It was closed for a year."},  # type: ignore[union-attr]
        "revise articles",
    ),
    Endpoint("claims list", "get", lambda n: "/api/v1/claims/", EVERYONE, 200),
    Endpoint(
        "claims create",
        "post",
        lambda n: "/api/v1/claims/",
        ANNOTATORS,
        201,
        lambda n: {"text": "Ferries carried 3 million passengers in 2023."},
        "create claims",
    ),
    Endpoint("claim detail", "get", lambda n: f"/api/v1/claims/{n.highlight.pk}/", EVERYONE, 200),
    Endpoint(
        "claim edit",
        "patch",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/",
        ANNOTATORS,
        200,
        lambda n: {"speaker": "The city council"},
        "edit claims",
    ),
    Endpoint(
        "claim sources",
        "post",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/sources/",
        ANNOTATORS,
        201,
        lambda n: {"sources": [{"url": "https://council.example/minutes/412"}]},
        "add sources",
    ),
    Endpoint("claim reviews", "get", lambda n: f"/api/v1/claims/{n.reviewed.pk}/reviews/", EVERYONE, 200),
    Endpoint(
        "claim review",
        "post",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/reviews/",
        EDITORS,
        201,
        lambda n: {"verdict": "corroborated", "rationale": "Council minutes."},
        "record a verdict",
    ),
    Endpoint(
        "bulk reviews",
        "post",
        lambda n: "/api/v1/claims/bulk-reviews/",
        EDITORS,
        200,
        lambda n: {
            "claims": [n.highlight.pk, n.standalone.pk],
            "verdict": "unreliable",
            "rationale": "Hearsay.",
        },
        "record a verdict",
    ),
    Endpoint("claim history", "get", lambda n: f"/api/v1/claims/{n.highlight.pk}/history/", EVERYONE, 200),
    Endpoint("claimreview", "get", lambda n: f"/api/v1/claims/{n.reviewed.pk}/claimreview/", EVERYONE, 200),
    Endpoint("claimreview feed", "get", lambda n: "/api/v1/claimreviews/", EVERYONE, 200),
    Endpoint(
        "claimreview snippet",
        "get",
        lambda n: f"/api/v1/claims/{n.reviewed.pk}/claimreview/snippet/",
        EVERYONE,
        200,
    ),
    Endpoint(
        "finding decision",
        "post",
        lambda n: f"/api/v1/findings/{n.finding.pk}/decision/",
        EDITORS,
        200,
        lambda n: {"decision": "reject", "reason": "Different councils."},
        "decide findings",
    ),
    Endpoint(
        # The newsroom's claims are not merged: editors get past the permission check to a 409.
        "unmerge",
        "post",
        lambda n: f"/api/v1/claims/{n.standalone.pk}/unmerge/",
        EDITORS,
        409,
        lambda n: {"reason": "Different towns."},
        "unmerge claims",
    ),
    Endpoint(
        "match",
        "post",
        lambda n: "/api/v1/claims/match/",
        EVERYONE,
        200,
        lambda n: {"text": "The bridge reopened."},
    ),
    Endpoint("speakers", "get", lambda n: "/api/v1/speakers/?q=city", EVERYONE, 200),
    Endpoint("article triage", "get", lambda n: f"/api/v1/articles/{n.article.pk}/triage/", EVERYONE, 200),
    # Past the role check, a span that is not a triaged sentence is a 400: the roles allowed get that far.
    *(
        Endpoint(
            f"triage {action}",
            "post",
            lambda n, action=action: f"/api/v1/articles/{n.article.pk}/triage/{action}/",
            ANNOTATORS,
            400,
            lambda n: {"start": 0, "end": 3, "claim": n.reviewed.pk},
            "accept or dismiss triage suggestions",
        )
        for action in ("accept", "dismiss", "restore")
    ),
    Endpoint("triage preferences", "get", lambda n: "/api/v1/triage/preferences/", EVERYONE, 200),
    Endpoint(
        "triage preferences update",
        "put",
        lambda n: "/api/v1/triage/preferences/",
        EVERYONE,
        200,
        lambda n: {"show_marks": False},
    ),
    Endpoint("appearances", "get", lambda n: "/api/v1/appearances/", EVERYONE, 200),
    Endpoint(
        "claim assignment",
        "post",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/assignment/",
        EDITORS,
        200,
        lambda n: {"assignee": "annie-annotator"},
        "assign claims",
    ),
    Endpoint(
        "bulk assignment",
        "post",
        lambda n: "/api/v1/claims/bulk-assignment/",
        EDITORS,
        200,
        lambda n: {"claims": [n.highlight.pk, n.standalone.pk], "assignee": "annie-annotator"},
        "assign claims",
    ),
    Endpoint(
        "claim comments",
        "get",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/comments/",
        ANNOTATORS,
        200,
        denied_action="read the desk's discussion",
    ),
    Endpoint(
        "claim comment",
        "post",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/comments/",
        ANNOTATORS,
        201,
        lambda n: {"body": "@eddie-editor the minutes say otherwise."},
        "comment on claims",
    ),
    Endpoint(
        "claim follow",
        "put",
        lambda n: f"/api/v1/claims/{n.highlight.pk}/follow/",
        ANNOTATORS,
        200,
        denied_action="follow claims and get notifications",
    ),
    Endpoint(
        "notifications",
        "get",
        lambda n: "/api/v1/notifications/",
        ANNOTATORS,
        200,
        denied_action="follow claims and get notifications",
    ),
    Endpoint(
        "notifications read",
        "post",
        lambda n: "/api/v1/notifications/read/",
        ANNOTATORS,
        200,
        lambda n: {},
        "follow claims and get notifications",
    ),
]

ROLE_NEEDED = {frozenset(EDITORS): "editor or admin", frozenset(ANNOTATORS): "annotator or editor or admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_permission_matrix(
    endpoint: Endpoint,
    persona: User | None,
    newsroom: Newsroom,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    role = persona.groups.get().name if persona is not None else "anonymous"
    client = api_client_for(persona)
    before = db_snapshot()
    body = endpoint.body(newsroom) if endpoint.body else None
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = getattr(client, endpoint.method)(endpoint.path(newsroom), body, format="json")
    # then
    if role in endpoint.allowed:
        assert response.status_code == endpoint.success, response.content
        return
    assert callbacks == []
    assert db_snapshot() == before
    if persona is None:
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == 403
        assert response.json() == {
            "detail": f"To {endpoint.denied_action} you need the {ROLE_NEEDED[frozenset(endpoint.allowed)]} "
            f"role; {persona.username} has the {role} role. Ask an admin if you need more access."
        }


@pytest.mark.django_db
def test_a_browser_session_needs_the_csrf_token_to_write(editor: User, newsroom: Newsroom) -> None:
    # given: an editor signed in to the web app
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    before = db_snapshot()
    body = {"verdict": "corroborated", "rationale": "Council minutes."}
    path = f"/api/v1/claims/{newsroom.highlight.pk}/reviews/"
    # when: a write without the token, then with it
    refused = browser.post(path, body, content_type="application/json")
    unchanged = db_snapshot()
    # the cookie and header pair a page of the web app would hand to its scripts
    page_request = RequestFactory().get("/")
    token = get_token(page_request)
    browser.cookies["csrftoken"] = page_request.META["CSRF_COOKIE"]
    accepted = browser.post(path, body, content_type="application/json", headers={"X-CSRFToken": token})
    # then
    assert refused.status_code == 403
    assert refused.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert unchanged == before
    assert accepted.status_code == 201
    assert browser.get(f"/api/v1/claims/{newsroom.highlight.pk}/").json()["status"] == "corroborated"
