"""The desk's pages: assigning from the claim page and the queue, the discussion, the bell and the
notifications page, and who may use them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from claims.models import Claim, ClaimComment, Notification
from claims.services.assignments import claims_assign
from claims.services.comments import claim_comment_create
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _claim(editor: User) -> Claim:
    return factories.claim(text="The ferry carried 400 passengers.", user=editor)


def test_an_editor_assigns_from_the_claim_page(editor: User, annotator: User) -> None:
    claim = _claim(editor)
    response = _client(editor).post(
        f"/claims/{claim.pk}/assignment", {"assignee": annotator.username}, follow=True
    )
    assert response.status_code == 200
    assert "Assigned to annie-annotator." in response.content.decode()
    claim.refresh_from_db()
    assert claim.assignee_id == annotator.pk


@pytest.mark.parametrize("persona", ["reader", "annotator"], indirect=True)
def test_only_editors_assign(persona: User, editor: User, annotator: User) -> None:
    claim = _claim(editor)
    response = _client(persona).post(f"/claims/{claim.pk}/assignment", {"assignee": annotator.username})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.assignee_id is None


def test_bulk_assignment_from_the_queue_and_the_assigned_filters(editor: User, annotator: User) -> None:
    first, second, third = (
        factories.claim(text=f"Claim {word} about the ferry timetable.", user=editor)
        for word in ("one", "two", "three")
    )
    client = _client(editor)
    selection = [f"{first.pk}:{first.version}", f"{second.pk}:{second.version}"]
    response = client.post(
        "/review/assignment", {"claim": selection, "assignee": annotator.username}, follow=True
    )
    assert "Assigned 2 claims to annie-annotator." in response.content.decode()
    mine = _client(annotator).get("/review/?assigned=me").context["rows"]
    unassigned = client.get("/review/?assigned=none").context["rows"]
    assert sorted(row.claim.pk for row in mine) == [first.pk, second.pk]
    assert [row.claim.pk for row in unassigned] == [third.pk]


def test_the_discussion_escapes_text_and_marks_mentions(editor: User, annotator: User) -> None:
    claim = _claim(editor)
    client = _client(annotator)
    client.post(f"/claims/{claim.pk}/comments", {"body": "@eddie-editor <img src=x onerror=alert(1)> @ghost"})
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert '<strong class="mention">@eddie-editor</strong> &lt;img src=x onerror=alert(1)&gt; @ghost' in page
    assert "<img src=x" not in page


def test_readers_see_no_discussion_and_cannot_comment(editor: User, reader: User) -> None:
    claim = _claim(editor)
    claim_comment_create(claim_id=claim.pk, author=editor, body="Internal note about sources")
    client = _client(reader)
    assert "Internal note" not in client.get(f"/claims/{claim.pk}/").content.decode()
    assert client.post(f"/claims/{claim.pk}/comments", {"body": "hello"}).status_code == 403
    assert ClaimComment.objects.count() == 1
    assert client.get("/notifications/").status_code == 403


def test_the_bell_counts_unread_and_the_page_marks_them_read(editor: User, annotator: User) -> None:
    claim = _claim(editor)
    claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    client = _client(annotator)
    assert client.get("/notifications/").context["bell_unread"] == 1
    client.post("/notifications/read", {})
    assert client.get("/notifications/").context["bell_unread"] == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_preferences_are_saved(annotator: User) -> None:
    client = _client(annotator)
    client.post(
        "/notifications/preferences",
        {"in_app_events": ["mention"], "email_events": ["verdict"], "email_delivery": "daily"},
    )
    preference = annotator.notification_preference
    assert (preference.in_app_events, preference.email_events, preference.email_delivery) == (
        ["mention"],
        ["verdict"],
        "daily",
    )


def test_desk_forms_need_the_csrf_token(editor: User, annotator: User) -> None:
    claim = _claim(editor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    assert client.post(f"/claims/{claim.pk}/comments", {"body": "hi"}).status_code == 403
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    response = client.post(f"/claims/{claim.pk}/comments", {"body": "hi", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
