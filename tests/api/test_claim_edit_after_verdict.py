"""A verdict applies to words: once a claim has one, only editors change its wording or speaker, a
new wording sends it back to review, and nothing publishes a verdict for words it was not given on."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from claims.models import CheckRequest, Claim, ClaimEvent, Review
from claims.services.reviews import claim_review
from tests.conftest import api_client_for
from tests.newsroom import Newsroom, db_snapshot

REVIEWED_TEXT = "The harbour handled 2 million containers in 2023."
NEW_TEXT = "The harbour handled 3 million containers in 2023."


def claimreview_urls(client: Any) -> list[str]:
    return [document["url"] for document in client.get("/api/v1/claimreviews/").json()["results"]]


def corroborated_ids(client: Any) -> list[int]:
    return [row["id"] for row in client.get("/api/v1/claims/?status=corroborated").json()["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [{"text": NEW_TEXT}, {"speaker": "Port authority"}, {"text": NEW_TEXT, "speaker": "Port authority"}],
    ids=["wording", "speaker", "both"],
)
def test_an_annotator_cannot_change_a_claim_with_a_verdict(
    annotator: User, newsroom: Newsroom, body: dict[str, str], django_capture_on_commit_callbacks: Any
) -> None:
    # given
    path = f"/api/v1/claims/{newsroom.reviewed.pk}/"
    before = db_snapshot()
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_client_for(annotator).patch(path, body, format="json")
    # then
    assert response.status_code == 403
    changed = " or ".join(sorted(body))
    assert response.json() == {
        "detail": f"This claim is marked corroborated: to change the {changed} of a claim with a verdict "
        "you need the editor or admin role; annie-annotator has the annotator role. Ask an editor to "
        "make the change."
    }
    assert db_snapshot() == before
    assert callbacks == []


@pytest.mark.django_db
def test_an_editor_changing_the_wording_sends_the_claim_back_to_review(
    editor: User, reader: User, newsroom: Newsroom
) -> None:
    # given: the claim is corroborated, published and served by the sync list
    client = api_client_for(reader)
    claim_id = newsroom.reviewed.pk
    assert corroborated_ids(client) == [claim_id]
    assert claimreview_urls(client) == [f"http://testserver/claims/{claim_id}/"]
    reviews_before = list(Review.objects.filter(claim_id=claim_id).values_list("pk", "verdict", "claim_text"))
    # when
    response = api_client_for(editor).patch(
        f"/api/v1/claims/{claim_id}/",
        {"text": NEW_TEXT, "reason": "Port figures were revised."},
        format="json",
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["text"], body["status"], body["version"]) == (NEW_TEXT, "unreviewed", 3)
    events = list(
        ClaimEvent.objects.filter(claim_id=claim_id).order_by("id").values_list("action", "summary")
    )
    assert events[-2:] == [
        ("edited", "Edited text"),
        ("returned_to_review", "Back to review: the wording changed after the verdict 'corroborated'"),
    ]
    reopened = ClaimEvent.objects.get(claim_id=claim_id, action="returned_to_review")
    assert (reopened.actor, reopened.reason, reopened.data) == (
        editor,
        f"The verdict was given on other words: \u201c{REVIEWED_TEXT}\u201d.",
        {"previous": "corroborated", "reviewed_text": REVIEWED_TEXT, "version": 3},
    )
    # the verdict history is kept
    assert list(Review.objects.filter(claim_id=claim_id).values_list("pk", "verdict", "claim_text")) == (
        reviews_before
    )
    assert reviews_before == [(reviews_before[0][0], "corroborated", REVIEWED_TEXT)]
    # and nothing publishes the old verdict for the new words
    assert corroborated_ids(client) == []
    assert claimreview_urls(client) == []
    one = client.get(f"/api/v1/claims/{claim_id}/claimreview/")
    assert (one.status_code, one.json()) == (
        404,
        {
            "detail": f"Claim {claim_id} went back to review when its wording changed after its verdict: "
            "a ClaimReview is published once an editor records a verdict on the current wording."
        },
    )
    # the new wording is checked again
    assert CheckRequest.objects.filter(claim_id=claim_id, claim_version=3).exists()


@pytest.mark.django_db
def test_an_editor_changing_only_the_speaker_keeps_the_verdict(
    editor: User, reader: User, newsroom: Newsroom
) -> None:
    claim_id = newsroom.reviewed.pk
    response = api_client_for(editor).patch(
        f"/api/v1/claims/{claim_id}/", {"speaker": "Port authority"}, format="json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "corroborated")
    document = api_client_for(reader).get(f"/api/v1/claims/{claim_id}/claimreview/").json()
    assert document["itemReviewed"]["author"] == {"@type": "Organization", "name": "Port authority"}
    assert not ClaimEvent.objects.filter(claim_id=claim_id, action="returned_to_review").exists()


@pytest.mark.django_db
def test_a_new_verdict_on_the_new_wording_is_published_with_its_own_date(
    editor: User, reader: User, newsroom: Newsroom
) -> None:
    # given: the wording changed after the verdict, then an editor ruled on the new words
    claim_id = newsroom.reviewed.pk
    api_client_for(editor).patch(f"/api/v1/claims/{claim_id}/", {"text": NEW_TEXT}, format="json")
    review = claim_review(claim_id=claim_id, reviewer=editor, verdict="disputed", rationale="Port said 2m.")
    # when
    document = api_client_for(reader).get(f"/api/v1/claims/{claim_id}/claimreview/").json()
    # then
    assert review.claim_text == NEW_TEXT
    assert (document["claimReviewed"], document["reviewRating"]["alternateName"]) == (NEW_TEXT, "Disputed")
    assert document["datePublished"] == review.created_at.isoformat().replace("+00:00", "Z")
    assert Review.objects.filter(claim_id=claim_id).count() == 2


@pytest.mark.django_db
def test_a_verdict_for_other_words_left_by_old_data_is_not_published(
    reader: User, newsroom: Newsroom
) -> None:
    # given: the wording was changed under the verdict by code before this rule (status kept)
    claim_id = newsroom.reviewed.pk
    Claim.objects.filter(pk=claim_id).update(text=NEW_TEXT)
    client = api_client_for(reader)
    # then
    assert claimreview_urls(client) == []
    assert client.get(f"/api/v1/claims/{claim_id}/claimreview/").status_code == 404


@pytest.mark.django_db
def test_the_migration_rebuilds_reviewed_words_and_sends_changed_claims_back_to_review(
    annotator: User, newsroom: Newsroom
) -> None:
    # given: as the old code left it: a review without its words, then an annotator's edit
    claim_id = newsroom.reviewed.pk
    Review.objects.filter(claim_id=claim_id).update(claim_text="")
    Claim.objects.filter(pk=claim_id).update(text=NEW_TEXT, version=3)
    ClaimEvent.objects.create(
        claim_id=claim_id,
        actor=annotator,
        action="edited",
        summary="Edited text",
        data={"before": {"text": REVIEWED_TEXT}, "after": {"text": NEW_TEXT}},
    )
    untouched = newsroom.highlight.pk
    claim_review(claim_id=untouched, reviewer=newsroom.editor, verdict="corroborated")
    Review.objects.filter(claim_id=untouched).update(claim_text="")
    migration = importlib.import_module("claims.migrations.0007_review_claim_text")
    # when
    migration.reviews_backfill_and_reopen(apps, None)
    # then
    assert Review.objects.get(claim_id=claim_id).claim_text == REVIEWED_TEXT
    assert Review.objects.get(claim_id=untouched).claim_text == newsroom.highlight.text
    claim = Claim.objects.get(pk=claim_id)
    assert (claim.status, claim.version) == ("unreviewed", 4)
    assert Claim.objects.get(pk=untouched).status == "corroborated"
    assert list(
        ClaimEvent.objects.filter(action="returned_to_review").values_list("claim_id", flat=True)
    ) == [claim_id]
