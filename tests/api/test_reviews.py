"""Verdicts: recording one, If-Match and 412, the history, bulk verdicts, and no way to rewrite them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import Claim, Review
from claims.services.merges import claims_merge
from claims.services.reviews import claim_review
from tests.api.support import iso
from tests.conftest import api_client_for
from tests.newsroom import Newsroom, db_snapshot, store_finding

RATIONALE = "The council minutes confirm the date and the cost."


@pytest.mark.django_db
def test_an_editor_records_a_verdict(editor: User, newsroom: Newsroom) -> None:
    # given
    client = api_client_for(editor)
    claim = newsroom.standalone
    path = f"/api/v1/claims/{claim.pk}/"
    # when
    response = client.post(
        path + "reviews/",
        {"verdict": "corroborated", "rationale": RATIONALE, "evidence": ["https://council.example/m/412"]},
        format="json",
    )
    # then
    review = Review.objects.get(claim=claim)
    current = client.get(path)
    assert response.status_code == 201
    assert response.json() == {
        "review": {
            "id": review.pk,
            "claim": claim.pk,
            "verdict": "corroborated",
            "rationale": RATIONALE,
            "evidence": ["https://council.example/m/412"],
            "reviewer": "eddie-editor",
            "claim_version": 1,
            "created_at": iso(review.created_at),
        },
        "claim": current.json(),
    }
    assert (current.json()["status"], current.json()["version"]) == ("corroborated", 2)
    assert response["ETag"] == current["ETag"]


@pytest.mark.django_db
@pytest.mark.parametrize("header", ['"1"', "1", 'W/"1"', "etag", "*"])
def test_if_match_takes_the_version_or_the_etag(editor: User, newsroom: Newsroom, header: str) -> None:
    client = api_client_for(editor)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/"
    if_match = client.get(path)["ETag"] if header == "etag" else header
    response = client.post(
        path + "reviews/", {"verdict": "corroborated"}, format="json", headers={"If-Match": if_match}
    )
    assert response.status_code == 201
    assert Claim.objects.get(pk=newsroom.standalone.pk).status == "corroborated"


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["version", "etag"])
def test_a_stale_if_match_is_a_412_naming_the_newer_verdict_and_changes_nothing(
    editor: User, second_editor: User, newsroom: Newsroom, form: str
) -> None:
    # given: the editor read version 1; a second editor disputed the claim meanwhile
    client = api_client_for(editor)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/"
    read = client.get(path)
    stale = '"1"' if form == "version" else read["ETag"]
    claim_review(
        claim_id=newsroom.standalone.pk,
        reviewer=second_editor,
        verdict="disputed",
        rationale="The agency denies it.",
    )
    newer = Review.objects.get(claim=newsroom.standalone)
    before = db_snapshot()
    # when
    body = {"verdict": "corroborated", "rationale": RATIONALE}
    response = client.post(path + "reviews/", body, format="json", headers={"If-Match": stale})
    # then
    assert response.status_code == 412
    assert response.json() == {
        "detail": (
            f"erin-editor recorded 'disputed' at {newer.created_at:%H:%M:%S} (version 2) while you were "
            "reviewing. Nothing was saved: read their rationale and submit again if you still disagree."
        ),
        "claim": client.get(path).json(),
    }
    assert response["ETag"] == client.get(path)["ETag"]
    assert db_snapshot() == before


@pytest.mark.django_db
def test_an_etag_of_the_same_version_is_stale_once_a_finding_appeared(
    editor: User, newsroom: Newsroom
) -> None:
    # given: the editor read the claim; then the detector found a contradiction (no version change)
    client = api_client_for(editor)
    path = f"/api/v1/claims/{newsroom.standalone.pk}/"
    etag = client.get(path)["ETag"]
    store_finding(newsroom.standalone, newsroom.highlight)
    before = db_snapshot()
    # when
    response = client.post(
        path + "reviews/", {"verdict": "corroborated"}, format="json", headers={"If-Match": etag}
    )
    # then
    assert response.status_code == 412
    assert response.json()["detail"] == (
        "The claim's findings or check status changed since you read it (it is still at version 1). "
        "Nothing was saved: read the claim below and submit again."
    )
    assert response.json()["claim"]["findings_count"] == 1
    assert db_snapshot() == before


@pytest.mark.django_db
def test_an_if_match_ahead_of_the_claim_is_a_412_that_says_so(editor: User, newsroom: Newsroom) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.standalone.pk}/reviews/",
        {"verdict": "corroborated"},
        format="json",
        headers={"If-Match": '"99"'},
    )
    assert response.status_code == 412
    assert response.json()["detail"] == (
        "You sent version 99, but the claim is at version 1. Nothing was saved: reload the claim and "
        "send the version or ETag you read."
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_an_if_match_that_is_neither_version_nor_etag_is_a_412(editor: User, newsroom: Newsroom) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.standalone.pk}/reviews/",
        {"verdict": "corroborated"},
        format="json",
        headers={"If-Match": '"yesterday"'},
    )
    assert response.status_code == 412
    assert response.json()["detail"] == (
        "If-Match '\"yesterday\"' is neither a version number nor an ETag of this claim. Nothing was saved: "
        'send the version (If-Match: "1") or the ETag of your last GET.'
    )
    assert db_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"verdict": "disputed"}, {"rationale": ["Say why the claim is disputed: a rationale is required."]}),
        ({"verdict": "unreliable", "rationale": "  "},
         {"rationale": ["Say why the claim is unreliable: a rationale is required."]}),
        ({"verdict": "true"},
         {"verdict": ['"true" is not a verdict: use corroborated, disputed or unreliable.']}),
        ({"verdict": "unreviewed"},
         {"verdict": ['"unreviewed" is not a verdict: use corroborated, disputed or unreliable.']}),
        ({"verdict": "corroborated", "evidence": ["minutes"]},
         {"evidence": ["'minutes' is not a web address: use a full http:// or https:// URL."]}),
        ({"verdict": "corroborated", "rationale": "x" * 5001},
         {"rationale": ["Ensure this field has no more than 5000 characters."]}),
    ],
    ids=["disputed without rationale", "blank rationale", "unknown verdict", "unreviewed", "bad evidence",
         "long rationale"],
)  # fmt: skip
def test_bad_verdicts_are_a_400_even_with_a_stale_if_match(
    editor: User, newsroom: Newsroom, body: dict[str, Any], errors: Any
) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.standalone.pk}/reviews/", body, format="json", headers={"If-Match": '"7"'}
    )
    assert (response.status_code, response.json()) == (400, errors)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_merged_claim_cannot_be_reviewed(editor: User, newsroom: Newsroom) -> None:
    claims_merge(keep_id=newsroom.highlight.pk, merge_id=newsroom.standalone.pk, user=editor)
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.standalone.pk}/reviews/", {"verdict": "corroborated"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": f"Claim {newsroom.standalone.pk} was merged into claim {newsroom.highlight.pk}: "
            f"act on claim {newsroom.highlight.pk}."
        },
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_the_verdict_history_is_listed_oldest_first_and_cannot_be_rewritten(
    reader: User, editor: User, second_editor: User, newsroom: Newsroom
) -> None:
    # given
    claim_id = newsroom.reviewed.pk
    claim_review(claim_id=claim_id, reviewer=second_editor, verdict="disputed", rationale="A newer count.")
    first, second = Review.objects.filter(claim_id=claim_id).order_by("id")
    client = api_client_for(reader)
    editor_client = api_client_for(editor)
    path = f"/api/v1/claims/{claim_id}/reviews/"
    # when
    response = client.get(path)
    rewrites = [
        getattr(editor_client, method)(path, {"verdict": "unreliable"}, format="json")
        for method in ("put", "patch", "delete")
    ]
    # then
    assert response.json() == {
        "results": [
            {
                "id": first.pk,
                "claim": claim_id,
                "verdict": "corroborated",
                "rationale": "Port statistics.",
                "evidence": [],
                "reviewer": "eddie-editor",
                "claim_version": 1,
                "created_at": iso(first.created_at),
            },
            {
                "id": second.pk,
                "claim": claim_id,
                "verdict": "disputed",
                "rationale": "A newer count.",
                "evidence": [],
                "reviewer": "erin-editor",
                "claim_version": 2,
                "created_at": iso(second.created_at),
            },
        ],
        "next": None,
    }
    assert [r.status_code for r in rewrites] == [405, 405, 405]
    assert Review.objects.filter(claim_id=claim_id).count() == 2


@pytest.mark.django_db
def test_the_history_says_who_did_what_when_and_why(reader: User, newsroom: Newsroom) -> None:
    events = api_client_for(reader).get(f"/api/v1/claims/{newsroom.reviewed.pk}/history/").json()["results"]
    assert [(e["action"], e["actor"], e["summary"], e["reason"]) for e in events] == [
        ("created", "annie-annotator", "Claim created", ""),
        ("reviewed", "eddie-editor", "Marked corroborated (was unreviewed)", "Port statistics."),
    ]


@pytest.mark.django_db
def test_a_bulk_verdict_reviews_each_claim_and_reports_the_rest(editor: User, newsroom: Newsroom) -> None:
    # given: one claim merged away, one id that never existed
    claims_merge(keep_id=newsroom.reviewed.pk, merge_id=newsroom.standalone.pk, user=editor)
    ids = [newsroom.highlight.pk, newsroom.standalone.pk, 99999]
    # when
    response = api_client_for(editor).post(
        "/api/v1/claims/bulk-reviews/",
        {"claims": ids, "verdict": "unreliable", "rationale": "The only source is a parody site."},
        format="json",
    )
    # then
    review = Review.objects.get(claim=newsroom.highlight)
    assert response.status_code == 200
    assert response.json() == {
        "reviewed": [{"claim": newsroom.highlight.pk, "review": review.pk}],
        "conflicts": [
            {
                "claim": newsroom.standalone.pk,
                "detail": f"No claim {newsroom.standalone.pk} (it may have been merged).",
            },
            {"claim": 99999, "detail": "No claim 99999 (it may have been merged)."},
        ],
    }
    assert (review.verdict, review.rationale) == ("unreliable", "The only source is a parody site.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"claims": [], "verdict": "corroborated"}, {"claims": ["This list may not be empty."]}),
        ({"claims": [1], "verdict": "disputed"},
         {"rationale": ["Say why the claim is disputed: a rationale is required."]}),
        ({"claims": list(range(1, 202)), "verdict": "corroborated"},
         {"claims": ["Ensure this field has no more than 200 elements."]}),
    ],
    ids=["no claims", "no rationale", "too many"],
)  # fmt: skip
def test_bad_bulk_verdicts_are_a_400(
    editor: User, newsroom: Newsroom, body: dict[str, Any], errors: Any
) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post("/api/v1/claims/bulk-reviews/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_corroborating_a_contradicted_claim_needs_a_rationale(editor: User, newsroom: Newsroom) -> None:
    # given: budget_yes has an open contradiction with budget_no (the newsroom's suggested finding)
    claim = newsroom.budget_yes
    client = api_client_for(editor)
    path = f"/api/v1/claims/{claim.pk}/reviews/"
    # when
    refused = client.post(path, {"verdict": "corroborated", "rationale": "  "}, format="json")
    # then: nothing is stored, and the message says what to do
    claim.refresh_from_db()
    assert refused.status_code == 400
    assert refused.json()["rationale"] == [
        f"Claim #{claim.pk} has 1 open contradiction: say why it is corroborated anyway, "
        "or settle the contradictions first."
    ]
    assert (claim.status, Review.objects.filter(claim=claim).count()) == ("unreviewed", 0)
    # when: with a reason
    accepted = client.post(
        path, {"verdict": "corroborated", "rationale": "The budget law was signed on 3 May."}, format="json"
    )
    # then
    assert accepted.status_code == 201
    assert Review.objects.get(claim=claim).verdict == "corroborated"


@pytest.mark.django_db
def test_a_bulk_corroboration_without_rationale_skips_contradicted_claims(
    editor: User, newsroom: Newsroom
) -> None:
    # given: one claim with an open contradiction, one without
    ids = [newsroom.budget_yes.pk, newsroom.standalone.pk]
    # when
    response = api_client_for(editor).post(
        "/api/v1/claims/bulk-reviews/", {"claims": ids, "verdict": "corroborated"}, format="json"
    )
    # then: the free claim is reviewed, the contradicted one is reported with the reason
    assert response.status_code == 200
    body = response.json()
    assert [row["claim"] for row in body["reviewed"]] == [newsroom.standalone.pk]
    assert body["conflicts"] == [
        {
            "claim": newsroom.budget_yes.pk,
            "detail": f"Claim #{newsroom.budget_yes.pk} has 1 open contradiction: say why it is "
            "corroborated anyway, or settle the contradictions first.",
        }
    ]
    assert not Review.objects.filter(claim=newsroom.budget_yes).exists()
