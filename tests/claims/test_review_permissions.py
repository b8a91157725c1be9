"""Who may see and do what in the review area: every page and every POST for every persona.

Denied writes change nothing (no review, event, merge or source) and enqueue nothing (no check
request, no on-commit callback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from claims.models import Claim, ClaimEvent, Finding, Review, Source, SourceKind
from tests.conftest import client_for
from tests.newsroom import Newsroom, db_snapshot

PERSONAS = ["anonymous", "reader", "annotator", "editor", "admin"]


def csrf_post(client: Client, url: str, data: dict[str, Any], **extra: Any) -> Any:
    """POST as a browser does: first GET a page for the CSRF cookie, then send the token."""
    client.get("/review/")
    if "csrftoken" not in client.cookies:
        client.get("/accounts/login/")  # anonymous visitors get their token on the login page
    token = client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token}, **extra)


PAGES: list[tuple[str, Callable[[Newsroom], str]]] = [
    ("queue", lambda n: "/review/"),
    ("queue filtered", lambda n: f"/review/?status=any&outlet={n.gazette.outlet_id}"),
    ("claim page", lambda n: f"/claims/{n.bridge.pk}/"),
    ("claim live", lambda n: f"/claims/{n.bridge.pk}/live"),
    ("queue live", lambda n: f"/review/live?ids={n.bridge.pk},{n.budget_no.pk}"),
    ("dashboard", lambda n: "/dashboard/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize(("page", "url_of"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_needs_a_login_and_is_readable_by_every_role(
    persona: User | None, newsroom: Newsroom, page: str, url_of: Callable[[Newsroom], str]
) -> None:
    url = url_of(newsroom)
    # when
    response = client_for(persona).get(url)
    # then
    if persona is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 200


# What each persona sees on the pages: (verdict form, finding decisions, add-source form, queue selection)
VISIBLE = {
    "reader": (False, False, False, False),
    "annotator": (False, False, True, False),
    "editor": (True, True, True, True),
    "admin": (True, True, True, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["reader", "annotator", "editor", "admin"], indirect=True)
def test_write_controls_are_shown_only_to_roles_that_may_use_them(persona: User, newsroom: Newsroom) -> None:
    client = client_for(persona)
    role = {"rita-reader": "reader", "annie-annotator": "annotator", "eddie-editor": "editor"}.get(
        persona.username, "admin"
    )
    verdict, decide, source, select = VISIBLE[role]
    # when
    claim_page = client.get(f"/claims/{newsroom.bridge.pk}/").content.decode()
    queue_page = client.get("/review/").content.decode()
    # then
    assert ('id="verdict-form"' in claim_page) is verdict
    assert (f'action="/findings/{newsroom.duplicate.pk}/decision"' in claim_page) is decide
    assert ('id="source-form"' in claim_page) is source
    assert ('class="q-select"' in queue_page) is select
    assert ('id="bulk-bar"' in queue_page) is select
    assert ('id="verdict-dialog"' in queue_page) is select


def verdict_post(n: Newsroom) -> tuple[str, dict[str, Any]]:
    return f"/claims/{n.bridge.pk}/verdict", {
        "verdict": "disputed",
        "rationale": "The council's own figures differ.",
        "evidence": "https://council.example/minutes",
        "expected_version": n.bridge.version,
    }


def queue_post(n: Newsroom) -> tuple[str, dict[str, Any]]:
    return "/review/verdicts", {
        "verdict": "unreliable",
        "rationale": "Single anonymous source.",
        "claim": [f"{n.budget_yes.pk}:{n.budget_yes.version}", f"{n.budget_no.pk}:{n.budget_no.version}"],
    }


def accept_post(n: Newsroom) -> tuple[str, dict[str, Any]]:
    return f"/findings/{n.duplicate.pk}/decision", {
        "decision": "accept",
        "reason": "Same bridge, same day.",
        "from": n.bridge.pk,
        "keep": n.bridge.pk,
    }


def reject_post(n: Newsroom) -> tuple[str, dict[str, Any]]:
    return f"/findings/{n.contradiction.pk}/decision", {
        "decision": "reject",
        "reason": "Different councils.",
        "from": n.budget_yes.pk,
    }


def source_post(n: Newsroom) -> tuple[str, dict[str, Any]]:
    return f"/claims/{n.bridge.pk}/sources", {"url": "https://council.example/report", "title": "Report"}


POSTS: list[tuple[str, Callable[[Newsroom], tuple[str, dict[str, Any]]], set[str]]] = [
    ("verdict", verdict_post, {"editor", "admin"}),
    ("bulk verdict", queue_post, {"editor", "admin"}),
    ("accept duplicate", accept_post, {"editor", "admin"}),
    ("reject contradiction", reject_post, {"editor", "admin"}),
    ("add source", source_post, {"annotator", "editor", "admin"}),
]


def role_of(persona: User | None) -> str:
    if persona is None:
        return "anonymous"
    return {"rita-reader": "reader", "annie-annotator": "annotator", "eddie-editor": "editor"}.get(
        persona.username, "admin"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize(("action", "request_of", "allowed"), POSTS, ids=[name for name, _, _ in POSTS])
def test_writes_are_refused_to_roles_without_the_permission_and_change_nothing(
    persona: User | None,
    newsroom: Newsroom,
    action: str,
    request_of: Callable[[Newsroom], tuple[str, dict[str, Any]]],
    allowed: set[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    url, data = request_of(newsroom)
    client = client_for(persona)
    before = db_snapshot()
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = csrf_post(client, url, data)
    # then
    role = role_of(persona)
    if role in allowed:
        assert response.status_code == 302
        assert db_snapshot() != before
        return
    if persona is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 403
    assert db_snapshot() == before
    assert callbacks == []


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(editor: User, newsroom: Newsroom) -> None:
    url, data = verdict_post(newsroom)
    before = db_snapshot()
    # when
    response = client_for(editor).post(url, data)
    # then
    assert response.status_code == 403
    assert db_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"], indirect=True)
def test_allowed_writes_do_exactly_what_they_say(
    persona: User, newsroom: Newsroom, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(persona)
    # a verdict on the claim page
    url, data = verdict_post(newsroom)
    response = csrf_post(client, url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/claims/{newsroom.bridge.pk}/"
    review = Review.objects.get(claim=newsroom.bridge)
    assert (review.verdict, review.rationale, review.evidence, review.reviewer) == (
        "disputed",
        "The council's own figures differ.",
        ["https://council.example/minutes"],
        persona,
    )
    # a bulk verdict from the queue
    url, data = queue_post(newsroom)
    assert csrf_post(client, url, data).status_code == 302
    assert sorted(Review.objects.filter(verdict="unreliable").values_list("claim_id", flat=True)) == sorted(
        [newsroom.budget_yes.pk, newsroom.budget_no.pk]
    )
    # accepting the duplicate merges bridge_again into bridge and asks for a check of the kept claim
    url, data = accept_post(newsroom)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = csrf_post(client, url, data)
    assert response["Location"] == f"/claims/{newsroom.bridge.pk}/"
    assert Claim.objects.get(pk=newsroom.bridge_again.pk).merged_into_id == newsroom.bridge.pk
    assert len(callbacks) == 1
    # an evidence link
    url, data = source_post(newsroom)
    assert csrf_post(client, url, data).status_code == 302
    assert list(
        Source.objects.filter(claim=newsroom.bridge, kind=SourceKind.EVIDENCE).values_list("url", "title")
    ) == [("https://council.example/report", "Report")]
    assert (
        ClaimEvent.objects.filter(claim=newsroom.bridge, action="sources_added", actor=persona).count() == 1
    )
    assert Finding.objects.get(pk=newsroom.duplicate.pk).decided_by == persona
