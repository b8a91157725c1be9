"""Standalone claims record where they appeared (a page, a post, a broadcast), and ClaimReview
publishes those appearances, the earliest first, and who made the claim."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from claims.models import Claim, ClaimEvent, Source
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import api_client_for
from tests.newsroom import Newsroom, db_snapshot

POST = {
    "kind": "appearance",
    "url": "https://social.example/@portwatch/1123",
    "outlet": "Social Example",
    "author": "Port Watch",
    "published_at": "2024-05-03",
}
BROADCAST = {
    "kind": "appearance",
    "outlet": "Channel 4 Coast",
    "author": "Mayor Jane Doe",
    "seen_at": "2024-05-02",
}
EVIDENCE = {"url": "https://ferries.example/fares-2024", "title": "Published fares 2024"}


def appearance(**fields: Any) -> dict[str, Any]:
    return {
        "article": None, "title": "", "url": None, "outlet": None, "published_at": None, "annotation": None,
        "exact": None, "anchor_state": None, "author": None, "seen_at": None, **fields,
    }  # fmt: skip


@pytest.mark.django_db
def test_a_standalone_claim_is_created_with_where_it_appeared(annotator: User) -> None:
    # when
    response = api_client_for(annotator).post(
        "/api/v1/claims/",
        {"text": "The ferry fare rose by 40 percent this year.", "sources": [POST, BROADCAST, EVIDENCE]},
        format="json",
    )
    # then: earliest first (the broadcast was seen before the post was published)
    assert response.status_code == 201
    body = response.json()
    assert body["appearances"] == [
        appearance(outlet="Channel 4 Coast", author="Mayor Jane Doe", seen_at="2024-05-02T00:00:00Z"),
        appearance(
            url="https://social.example/@portwatch/1123",
            outlet="Social Example",
            author="Port Watch",
            published_at="2024-05-03T00:00:00Z",
        ),
    ]
    assert body["sources"] == [
        {"url": "https://ferries.example/fares-2024", "title": "Published fares 2024", "kind": "evidence"}
    ]
    assert body["outlet_count"] == 2


@pytest.mark.django_db
def test_appearances_are_added_once(annotator: User, newsroom: Newsroom) -> None:
    client = api_client_for(annotator)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/sources/"
    # when
    first = client.post(path, {"sources": [POST, BROADCAST, BROADCAST]}, format="json")
    again = client.post(path, {"sources": [POST, BROADCAST]}, format="json")
    # then
    assert (first.status_code, again.status_code) == (201, 200)
    assert Source.objects.filter(claim=newsroom.standalone, kind="appearance").count() == 2
    assert [a["outlet"] for a in again.json()["appearances"]] == ["Channel 4 Coast", "Social Example"]
    assert ClaimEvent.objects.get(claim=newsroom.standalone, action="sources_added").summary == (
        "Added 2 appearance(s)"
    )
    assert Claim.objects.get(pk=newsroom.standalone.pk).outlet_count == 2


TOMORROW_AND_MORE = (timezone.now() + timedelta(days=1, hours=2)).isoformat()
BAD = [
    ("ftp url", {**POST, "url": "ftp://files.example/claim"}, {"sources": [
        "'ftp://files.example/claim' is not a web address: use a full http:// or https:// URL."]}),
    ("script url", {**POST, "url": "javascript:alert(1)"}, {"sources": [
        "'javascript:alert(1)' is not a web address: use a full http:// or https:// URL."]}),
    ("far future", {**POST, "published_at": TOMORROW_AND_MORE}, {"sources": [
        f"published_at of source 1 is in the future ({TOMORROW_AND_MORE[:10]}): give the date the claim "
        "appeared."]}),
    ("before 1900", {**POST, "published_at": "1850-01-01"}, {"sources": [
        "published_at of source 1 is before 1900 (1850-01-01): check the year."]}),
    ("seen before published", {**POST, "seen_at": "2024-05-01"}, {"sources": [
        "Appearance 1 was seen before it was published: check seen_at and published_at."]}),
    ("nowhere", {"kind": "appearance", "author": "Port Watch"}, {"sources": [
        "Appearance 1 needs a url, an outlet (a channel, a paper, a site) or both."]}),
    ("evidence with an outlet", {**EVIDENCE, "outlet": "Ferries"}, {"sources": [
        'Source 1: outlet describe an appearance: add "kind": "appearance".']}),
    ("unknown kind", {**POST, "kind": "rumour"}, {"sources": [
        "Source 1: kind 'rumour' is not one of evidence, appearance."]}),
    ("author a number", {**POST, "author": 7}, {"sources": {"0": {"author": [
        "Must be text (a JSON string in quotes), not a number."]}}}),
    ("not a date", {**POST, "published_at": "last week"}, {"sources": {"0": {"published_at": [
        "Datetime has wrong format. Use one of these formats instead: "
        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z], YYYY-MM-DD."]}}}),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "expected"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_appearance_is_a_400_that_says_what_to_fix(
    annotator: User, newsroom: Newsroom, source: dict[str, Any], expected: dict[str, Any]
) -> None:
    before = db_snapshot()
    client = api_client_for(annotator)
    added = client.post(
        f"/api/v1/claims/{newsroom.standalone.pk}/sources/", {"sources": [source]}, format="json"
    )
    created = client.post("/api/v1/claims/", {"text": "Fares rose.", "sources": [source]}, format="json")
    assert (added.status_code, added.json()) == (400, expected)
    assert (created.status_code, created.json()) == (400, expected)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_date_up_to_a_day_ahead_is_accepted(annotator: User, newsroom: Newsroom) -> None:
    # a post dated in the poster's time zone, ahead of the server's clock
    soon = (timezone.now() + timedelta(hours=20)).isoformat()
    response = api_client_for(annotator).post(
        f"/api/v1/claims/{newsroom.standalone.pk}/sources/",
        {"sources": [{**POST, "published_at": soon}]},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_claimreview_publishes_the_appearances_the_earliest_first_and_who_made_the_claim(
    annotator: User, editor: User, reader: User
) -> None:
    # given: a standalone claim without a speaker, seen on TV before it was posted
    claim = factories.claim(
        text="The ferry fare rose by 40 percent this year.", user=annotator, sources=[POST, BROADCAST]
    )
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="Fares rose 4 percent.")
    # when
    document = api_client_for(reader).get(f"/api/v1/claims/{claim.pk}/claimreview/").json()
    # then
    broadcast = {
        "@type": "CreativeWork",
        "publisher": {"@type": "Organization", "name": "Channel 4 Coast"},
        "author": {"@type": "Person", "name": "Mayor Jane Doe"},
    }
    post = {
        "@type": "CreativeWork",
        "url": "https://social.example/@portwatch/1123",
        "publisher": {"@type": "Organization", "name": "Social Example"},
        "author": {"@type": "Person", "name": "Port Watch"},
        "datePublished": "2024-05-03T00:00:00Z",
    }
    assert document["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Mayor Jane Doe"},
        "appearance": [broadcast, post],
        "firstAppearance": broadcast,
        "datePublished": "2024-05-02T00:00:00Z",
    }


@pytest.mark.django_db
def test_the_claims_speaker_is_its_author_over_an_appearance(editor: User, reader: User) -> None:
    claim = factories.claim(
        text="Fares rose by 40 percent.", user=editor, speaker="Ferry Union", sources=[POST]
    )
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="unreliable", rationale="No such figure.")
    document = api_client_for(reader).get("/api/v1/claimreviews/").json()["results"][0]
    assert document["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ferry Union"}
    assert document["itemReviewed"]["firstAppearance"]["url"] == POST["url"]
