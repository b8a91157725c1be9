"""The claim detail: its full representation, ETags and 304s, merged claims, and edits."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from claims.models import Claim, Finding, Review, Source
from claims.services.claims import claim_sources_add
from claims.services.merges import claims_merge
from claims.services.outbox import claim_checks_reopen
from claims.services.reviews import claim_review
from tests import factories
from tests.api.support import iso, run_checks
from tests.conftest import api_client_for
from tests.newsroom import BRIDGE, BRIDGE_AGAIN, NEAR_DUPLICATE, Newsroom, db_snapshot, store_finding


@pytest.mark.django_db
def test_the_detail_has_sources_appearances_findings_and_the_latest_verdict(
    reader: User, editor: User, newsroom: Newsroom
) -> None:
    # given
    claim = newsroom.highlight
    claim_sources_add(
        claim=claim, user=editor, sources=[{"url": "https://council.example/m/412", "title": "Minutes"}]
    )
    finding = store_finding(claim, newsroom.standalone, kind="duplicate", score=0.7)
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="No invoice.", evidence=[])
    claim_review(
        claim_id=claim.pk,
        reviewer=editor,
        verdict="corroborated",
        rationale="The invoice arrived.",
        evidence=["https://council.example/invoice"],
    )
    claim.refresh_from_db()
    latest = Review.objects.filter(claim=claim).order_by("-id").first()
    assert latest is not None
    annotation = Source.objects.get(claim=claim, kind="appearance").annotation
    assert annotation is not None
    # when
    response = api_client_for(reader).get(f"/api/v1/claims/{claim.pk}/")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "id": claim.pk,
        "text": BRIDGE,
        "title": "",
        "speaker": "City officials",
        "status": "corroborated",
        "check_status": "pending",
        "version": 3,
        "merged_into": None,
        "findings_count": 2,
        "open_contradictions": 0,
        "open_duplicates": 2,
        "outlet_count": 1,
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "reviewed_at": iso(claim.reviewed_at),
        "sources": [{"url": "https://council.example/m/412", "title": "Minutes", "kind": "evidence"}],
        "appearances": [
            {
                "article": newsroom.article.pk,
                "title": "Bridge reopens",
                "url": "https://harbourgazette.example/2024/05/bridge",
                "outlet": "Harbour Gazette",
                "published_at": "2026-03-10T09:00:00Z",
                "annotation": annotation.pk,
                "exact": BRIDGE,
                "anchor_state": "exact",
                "author": None,
                "seen_at": None,
            }
        ],
        "findings": [
            {
                "id": newsroom.duplicate.pk,
                "kind": "duplicate",
                "claim": newsroom.bridge_again.pk,
                "other_text": BRIDGE_AGAIN,
                "score": 0.83,
                "explanation": "Same figure, same event",
                "state": "suggested",
                "decided_at": None,
            },
            {
                "id": finding.pk,
                "kind": "duplicate",
                "claim": newsroom.standalone.pk,
                "other_text": "Unemployment in the region fell to 4.1% last year.",
                "score": 0.7,
                "explanation": "Opposite outcomes for the same event.",
                "state": "suggested",
                "decided_at": None,
            },
        ],
        "assignee": None,
        "review": {
            "id": latest.pk,
            "claim": claim.pk,
            "verdict": "corroborated",
            "rationale": "The invoice arrived.",
            "evidence": ["https://council.example/invoice"],
            "reviewer": "eddie-editor",
            "claim_version": 2,
            "created_at": iso(latest.created_at),
        },
    }


@pytest.mark.django_db
def test_findings_are_symmetric(reader: User, newsroom: Newsroom) -> None:
    client = api_client_for(reader)
    low = client.get(f"/api/v1/claims/{newsroom.finding.claim_low_id}/").json()["findings"]
    high = client.get(f"/api/v1/claims/{newsroom.finding.claim_high_id}/").json()["findings"]
    assert [(f["id"], f["claim"], f["other_text"]) for f in low] == [
        (newsroom.finding.pk, newsroom.finding.claim_high_id, "The council rejected the budget on Monday.")
    ]
    assert [(f["id"], f["claim"], f["other_text"]) for f in high] == [
        (newsroom.finding.pk, newsroom.finding.claim_low_id, "The council approved the budget on Monday.")
    ]


@pytest.mark.django_db
def test_if_none_match_gives_304_until_a_finding_appears_or_the_check_status_changes(
    reader: User, annotator: User
) -> None:
    # given: a checked claim, and a client holding its ETag
    client = api_client_for(reader)
    claim = factories.claim(text=NEAR_DUPLICATE[0], user=annotator)
    run_checks(claim)
    path = f"/api/v1/claims/{claim.pk}/"
    first = client.get(path)
    unchanged = client.get(path, headers={"If-None-Match": first["ETag"]})
    # when: a near duplicate is checked (a suggested finding on both; no version change)
    near = factories.claim(text=NEAR_DUPLICATE[1], user=annotator)
    run_checks(near)
    after_finding = client.get(path, headers={"If-None-Match": first["ETag"]})
    # and when: the claim is queued for a new check (check_status done -> pending)
    claim_checks_reopen(claim_ids=[claim.pk])
    after_check = client.get(path, headers={"If-None-Match": after_finding["ETag"]})
    # then
    assert (unchanged.status_code, unchanged.content, unchanged["ETag"]) == (304, b"", first["ETag"])
    assert after_finding.status_code == 200
    assert after_finding["ETag"] != first["ETag"]
    assert after_finding.json()["version"] == first.json()["version"]
    assert [(f["claim"], f["kind"], f["state"]) for f in after_finding.json()["findings"]] == [
        (near.pk, "duplicate", "suggested")
    ]
    assert after_check.status_code == 200
    assert after_check.json()["check_status"] == "pending"
    assert after_check["ETag"] not in (first["ETag"], after_finding["ETag"])
    assert client.get(path, headers={"If-None-Match": after_check["ETag"]}).status_code == 304
    assert Finding.objects.count() == 1


@pytest.mark.django_db
def test_a_merged_claim_is_returned_with_merged_into(reader: User, editor: User, newsroom: Newsroom) -> None:
    claims_merge(keep_id=newsroom.highlight.pk, merge_id=newsroom.standalone.pk, user=editor)
    body = api_client_for(reader).get(f"/api/v1/claims/{newsroom.standalone.pk}/").json()
    assert (body["id"], body["merged_into"], body["text"]) == (
        newsroom.standalone.pk,
        newsroom.highlight.pk,
        "Unemployment in the region fell to 4.1% last year.",
    )


@pytest.mark.django_db
def test_a_missing_claim_is_a_404_with_a_message(reader: User) -> None:
    response = api_client_for(reader).get("/api/v1/claims/31337/")
    assert (response.status_code, response.json()) == (404, {"detail": "No claim 31337."})


@pytest.mark.django_db
def test_an_edit_with_the_current_version_applies(annotator: User, newsroom: Newsroom) -> None:
    client = api_client_for(annotator)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/"
    etag = client.get(path)["ETag"]
    body = {"text": "Unemployment fell to 4.1% in 2023.", "reason": "Exact year."}
    response = client.patch(path, body, format="json", headers={"If-Match": etag})
    assert response.status_code == 200
    assert (response.json()["text"], response.json()["version"]) == ("Unemployment fell to 4.1% in 2023.", 2)
    assert response["ETag"] == client.get(path)["ETag"]


@pytest.mark.django_db
def test_a_stale_edit_is_a_412_and_changes_nothing(annotator: User, editor: User, newsroom: Newsroom) -> None:
    # given: the annotator read version 1, then an editor gave a verdict (version 2)
    client = api_client_for(annotator)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/"
    etag = client.get(path)["ETag"]
    claim_review(claim_id=newsroom.standalone.pk, reviewer=editor, verdict="corroborated")
    before = db_snapshot()
    # when
    response = client.patch(path, {"speaker": "Minister"}, format="json", headers={"If-Match": etag})
    # then
    assert response.status_code == 412
    assert response.json()["detail"] == ("The claim was changed by someone else (now version 2).")
    assert response.json()["claim"]["version"] == 2
    assert db_snapshot() == before


@pytest.mark.django_db
def test_an_edit_must_change_something(annotator: User, newsroom: Newsroom) -> None:
    response = api_client_for(annotator).patch(
        f"/api/v1/claims/{newsroom.standalone.pk}/", {"reason": "none"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": ["Send text, title or speaker: there is nothing to change."]},
    )


@pytest.mark.django_db
def test_sources_already_there_are_skipped(annotator: User, newsroom: Newsroom) -> None:
    client = api_client_for(annotator)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/sources/"
    body = {"sources": [{"url": "https://stats.example/jobs", "title": "Jobs report"}]}
    first, second = client.post(path, body, format="json"), client.post(path, body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["sources"] == [
        {"url": "https://stats.example/jobs", "title": "Jobs report", "kind": "evidence"}
    ]
    assert Claim.objects.get(pk=newsroom.standalone.pk).sources.count() == 1
