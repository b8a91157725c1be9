"""The desk's API: assignment, comments, following and notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import ClaimEvent, Notification
from claims.services.assignments import MAX_BULK_ASSIGN
from tests.conftest import api_client_for
from tests.newsroom import Newsroom

pytestmark = pytest.mark.django_db


def test_assigning_shows_in_the_claim_and_its_history(
    newsroom: Newsroom, editor: User, annotator: User
) -> None:
    client = api_client_for(editor)
    path = f"/api/v1/claims/{newsroom.highlight.pk}/"
    assert client.get(path).json()["assignee"] is None
    # when
    response = client.post(path + "assignment/", {"assignee": annotator.username}, format="json")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "assignee": {"id": annotator.pk, "username": annotator.username},
        "changed": [newsroom.highlight.pk],
        "missing": [],
    }
    assert client.get(path).json()["assignee"] == {"id": annotator.pk, "username": annotator.username}
    history = client.get(path + "history/").json()["results"]
    assert history[-1]["action"] == "assigned"
    assert history[-1]["summary"] == f"Assigned to {annotator.username}"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"assignee": "rita-reader"}, "assignee", "readers cannot"),
        ({"assignee": "nobody"}, "assignee", "is not an active annotator"),
        ({}, "assignee", "This field is required."),
        ({"assignee": None, "extra": 1}, "extra", "Unknown field"),
    ],
)
def test_bad_assignments_are_400s_that_say_why(
    newsroom: Newsroom, editor: User, reader: User, body: dict[str, Any], field: str, message: str
) -> None:
    events = ClaimEvent.objects.count()
    response = api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.highlight.pk}/assignment/", body, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()[field][0]
    assert ClaimEvent.objects.count() == events


def test_bulk_assignment_reports_missing_claims(newsroom: Newsroom, editor: User, annotator: User) -> None:
    response = api_client_for(editor).post(
        "/api/v1/claims/bulk-assignment/",
        {"claims": [newsroom.standalone.pk, newsroom.highlight.pk, 999999], "assignee": annotator.username},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["changed"] == sorted([newsroom.standalone.pk, newsroom.highlight.pk])
    assert response.json()["missing"] == [999999]


def test_bulk_assignment_is_limited(newsroom: Newsroom, editor: User) -> None:
    response = api_client_for(editor).post(
        "/api/v1/claims/bulk-assignment/",
        {"claims": list(range(1, MAX_BULK_ASSIGN + 2)), "assignee": None},
        format="json",
    )
    assert response.status_code == 400
    assert "claims" in response.json()


def test_a_comment_with_a_mention_notifies_the_mentioned(
    newsroom: Newsroom, editor: User, annotator: User
) -> None:
    path = f"/api/v1/claims/{newsroom.highlight.pk}/comments/"
    # when the annotator comments, mentioning the editor, with markup in the text
    created = api_client_for(annotator).post(
        path, {"body": "@eddie-editor <script>alert(1)</script> check it"}, format="json"
    )
    # then the text is stored as written (escaping is the renderer's job) and the editor is told
    assert created.status_code == 201
    assert created.json()["body"] == "@eddie-editor <script>alert(1)</script> check it"
    assert created.json()["mentions"] == ["eddie-editor"]
    listed = api_client_for(editor).get(path).json()["results"]
    assert [comment["author"] for comment in listed] == ["annie-annotator"]
    notifications = api_client_for(editor).get("/api/v1/notifications/?unread=1").json()["results"]
    assert [(item["event"], item["actor"], item["claim"]) for item in notifications] == [
        ("mention", "annie-annotator", newsroom.highlight.pk)
    ]


def test_an_empty_comment_is_a_400(newsroom: Newsroom, annotator: User) -> None:
    response = api_client_for(annotator).post(
        f"/api/v1/claims/{newsroom.highlight.pk}/comments/", {"body": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "body" in response.json()


def test_comments_on_a_missing_claim_are_a_404(annotator: User) -> None:
    assert api_client_for(annotator).get("/api/v1/claims/999999/comments/").status_code == 404


def test_marking_read_moves_the_unread_count(newsroom: Newsroom, editor: User, annotator: User) -> None:
    api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.highlight.pk}/assignment/", {"assignee": annotator.username}, format="json"
    )
    client = api_client_for(annotator)
    notification = Notification.objects.get(recipient=annotator)
    response = client.post("/api/v1/notifications/read/", {"ids": [notification.pk]}, format="json")
    assert response.json() == {"marked": 1, "unread": 0}
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []


def test_follow_and_unfollow(newsroom: Newsroom, annotator: User) -> None:
    client = api_client_for(annotator)
    path = f"/api/v1/claims/{newsroom.highlight.pk}/follow/"
    assert client.put(path).json() == {"claim": newsroom.highlight.pk, "following": True}
    assert client.delete(path).json() == {"claim": newsroom.highlight.pk, "following": False}


def test_comments_are_not_in_the_public_exports(newsroom: Newsroom, editor: User) -> None:
    api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.reviewed.pk}/comments/",
        {"body": "Internal: source is shaky"},
        format="json",
    )
    client = api_client_for(editor)
    for path in (
        f"/api/v1/claims/{newsroom.reviewed.pk}/claimreview/",
        "/api/v1/claimreviews/",
        f"/api/v1/claims/{newsroom.reviewed.pk}/",
        f"/api/v1/claims/{newsroom.reviewed.pk}/history/",
    ):
        assert "source is shaky" not in client.get(path).content.decode(), path
