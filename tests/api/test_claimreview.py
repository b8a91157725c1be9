"""schema.org ClaimReview: the exact document, the 404s, the feed and its query count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.claimreview import claim_reviewed_text, speaker_type
from claims.models import Claim, Review
from claims.services.claims import claim_update
from claims.services.merges import claims_merge
from claims.services.reviews import claim_review
from tests import factories
from tests.api.support import iso
from tests.conftest import api_client_for
from tests.newsroom import BRIDGE, Newsroom


@pytest.mark.django_db
def test_the_claimreview_of_a_reviewed_claim(reader: User, editor: User, newsroom: Newsroom) -> None:
    # given: the claim also appeared, earlier, in another outlet (merged in), and was reviewed twice
    earlier = factories.article(
        text="Yesterday officials said " + BRIDGE + ".",
        title="Bridge to reopen",
        outlet="Coast Herald",
        url="https://coastherald.example/bridge",
        user=editor,
        published_at=datetime(2024, 5, 5, 18, 0, tzinfo=UTC),
    )
    other = factories.highlight(article=earlier, exact=BRIDGE, user=editor)
    claims_merge(keep_id=newsroom.highlight.pk, merge_id=other.pk, user=editor)
    claim_review(claim_id=newsroom.highlight.pk, reviewer=editor, verdict="disputed", rationale="No invoice.")
    claim_review(claim_id=newsroom.highlight.pk, reviewer=editor, verdict="unreliable", rationale="Forged.")
    claim = Claim.objects.get(pk=newsroom.highlight.pk)
    first_verdict = Review.objects.filter(claim=claim).order_by("created_at").first()
    assert first_verdict is not None
    # when
    response = api_client_for(reader).get(f"/api/v1/claims/{claim.pk}/claimreview/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    coast = {
        "@type": "CreativeWork",
        "url": "https://coastherald.example/bridge",
        "headline": "Bridge to reopen",
        "publisher": {"@type": "Organization", "name": "Coast Herald"},
    }
    assert response.json() == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"http://testserver/claims/{claim.pk}/",
        "claimReviewed": BRIDGE,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": "Unreliable",
        },
        "author": {
            "@type": "Organization",
            "name": "Corroborate Newsroom",
            "url": "https://corroborate.example",
        },
        "datePublished": iso(first_verdict.created_at),
        "dateModified": iso(claim.updated_at),
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "City officials"},
            "appearance": [
                coast,
                {
                    "@type": "CreativeWork",
                    "url": "https://harbourgazette.example/2024/05/bridge",
                    "headline": "Bridge reopens",
                    "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
                },
            ],
            "firstAppearance": coast,
            "datePublished": "2024-05-05T18:00:00Z",
        },
    }


@pytest.mark.django_db
def test_a_standalone_claim_without_speaker_has_no_author_or_appearance(
    reader: User, newsroom: Newsroom
) -> None:
    document = api_client_for(reader).get(f"/api/v1/claims/{newsroom.reviewed.pk}/claimreview/").json()
    # with no dated appearance, the claim was made at the latest when it was recorded here
    assert document["itemReviewed"] == {
        "@type": "Claim",
        "datePublished": iso(newsroom.reviewed.created_at),
    }
    assert document["reviewRating"]["ratingValue"] == 3
    assert document["reviewRating"]["alternateName"] == "Corroborated"
    assert "headline" not in document


@pytest.mark.django_db
def test_a_claims_title_is_the_headline_of_its_claimreview(
    reader: User, editor: User, newsroom: Newsroom
) -> None:
    # given
    claim_update(
        claim_id=newsroom.reviewed.pk,
        user=editor,
        expected_version=None,
        title="Did the Harrow ferry carry a record number of passengers?",
    )
    # when
    document = api_client_for(reader).get(f"/api/v1/claims/{newsroom.reviewed.pk}/claimreview/").json()
    # then
    assert document["headline"] == "Did the Harrow ferry carry a record number of passengers?"
    assert document["reviewRating"]["alternateName"] == "Corroborated"


@pytest.mark.django_db
def test_claimreview_is_plain_json_when_asked_and_answers_304(reader: User, newsroom: Newsroom) -> None:
    client = api_client_for(reader)
    path = f"/api/v1/claims/{newsroom.reviewed.pk}/claimreview/"
    as_json = client.get(path, headers={"Accept": "application/json"})
    cached = client.get(path, headers={"If-None-Match": as_json["ETag"]})
    assert as_json["Content-Type"] == "application/json"
    assert (cached.status_code, cached.content) == (304, b"")


@pytest.mark.django_db
def test_an_unreviewed_claim_has_no_claimreview(reader: User, newsroom: Newsroom) -> None:
    response = api_client_for(reader).get(f"/api/v1/claims/{newsroom.standalone.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"Claim {newsroom.standalone.pk} has no verdict yet: a ClaimReview is published once an "
        "editor records one."
    }


@pytest.mark.django_db
def test_a_merged_claim_points_to_the_claimreview_of_the_claim_it_joined(
    reader: User, editor: User, newsroom: Newsroom
) -> None:
    claims_merge(keep_id=newsroom.standalone.pk, merge_id=newsroom.reviewed.pk, user=editor)
    response = api_client_for(reader).get(f"/api/v1/claims/{newsroom.reviewed.pk}/claimreview/")
    assert (response.status_code, response.json()) == (
        404,
        {
            "detail": f"Claim {newsroom.reviewed.pk} was merged into claim {newsroom.standalone.pk}: its "
            f"ClaimReview is at /api/v1/claims/{newsroom.standalone.pk}/claimreview/."
        },
    )


@pytest.mark.django_db
def test_the_feed_lists_reviewed_claims_in_sync_order(reader: User, editor: User, newsroom: Newsroom) -> None:
    claim_review(claim_id=newsroom.standalone.pk, reviewer=editor, verdict="disputed", rationale="Old data.")
    response = api_client_for(reader).get("/api/v1/claimreviews/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    page = response.json()
    assert page["next"] is None
    assert [(doc["url"], doc["reviewRating"]["alternateName"]) for doc in page["results"]] == [
        (f"http://testserver/claims/{newsroom.reviewed.pk}/", "Corroborated"),
        (f"http://testserver/claims/{newsroom.standalone.pk}/", "Disputed"),
    ]
    assert all(doc["@context"] == "https://schema.org" for doc in page["results"])


def feed_cost(client: object, url: str) -> tuple[int, int]:
    client.get(url)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    return len(response.json()["results"]), len(queries.captured_queries)


@pytest.mark.django_db
def test_a_feed_page_costs_the_same_queries_for_1_and_100_claimreviews(reader: User, editor: User) -> None:
    # given
    client = api_client_for(reader)
    article = factories.article(text="Officials said the ferry was late.", user=editor)
    first = factories.highlight(article=article, exact="Officials said the ferry was late.", user=editor)
    claim_review(claim_id=first.pk, reviewer=editor, verdict="corroborated")
    one = feed_cost(client, "/api/v1/claimreviews/?page_size=100")
    # when: 99 more, a third with appearances and speakers
    for n in range(99):
        if n % 3 == 0:
            claim = factories.highlight(
                article=factories.article(text=f"The port said {n} ships docked.", user=editor),
                exact=f"{n} ships docked",
                user=editor,
                speaker="Port office",
            )
        else:
            claim = factories.claim(text=f"Statement {n} about the harbour.", user=editor)
        claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="Other figures.")
    hundred = feed_cost(client, "/api/v1/claimreviews/?page_size=100")
    # then
    assert (one[0], hundred[0]) == (1, 100)
    assert one[1] == hundred[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short claim.", "Short claim."),
        ("x" * 75, "x" * 75),
        (
            "The regional government said unemployment fell to 4.1 percent last year, the lowest since 1990.",
            "The regional government said unemployment fell to 4.1 percent last year\u2026",
        ),
        (
            "The minister said, repeatedly and in several interviews, that the port would close, again.",
            "The minister said, repeatedly and in several interviews, that the port\u2026",
        ),
        ("y" * 80, "y" * 74 + "\u2026"),
        ("Spaces   and\nnewlines collapse", "Spaces and newlines collapse"),
    ],
    ids=["short", "exactly 75", "word boundary", "trailing comma", "one long word", "whitespace"],
)
def test_claim_reviewed_is_cut_at_a_word_boundary_within_75_characters(text: str, expected: str) -> None:
    cut = claim_reviewed_text(text)
    assert (cut, len(cut) <= 75) == (expected, True)


@pytest.mark.parametrize(
    ("speaker", "kind"),
    [("Jane Doe", "Person"), ("Ministry of Health", "Organization"), ("City officials", "Organization"),
     ("Acme Ltd.", "Organization"), ("Mayor Officer Smith", "Person")],
)  # fmt: skip
def test_a_speaker_is_a_person_unless_its_name_says_organisation(speaker: str, kind: str) -> None:
    assert speaker_type(speaker) == kind
