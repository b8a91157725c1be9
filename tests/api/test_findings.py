"""Deciding findings: accepting a duplicate merges, rejecting settles, and the errors say why not."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import Claim, Finding
from tests import factories
from tests.api.support import iso, run_checks
from tests.conftest import api_client_for
from tests.newsroom import NEAR_DUPLICATE, Newsroom, db_snapshot


@pytest.fixture
def suggested_duplicate(annotator: User) -> Finding:
    first = factories.claim(text=NEAR_DUPLICATE[0], user=annotator)
    run_checks(first)
    second = factories.claim(text=NEAR_DUPLICATE[1], user=annotator)
    run_checks(second)
    return Finding.objects.get(state="suggested", kind="duplicate")


@pytest.mark.django_db
def test_accepting_a_duplicate_merges_into_the_claim_to_keep(
    editor: User, suggested_duplicate: Finding
) -> None:
    # given
    low, high = suggested_duplicate.claim_low_id, suggested_duplicate.claim_high_id
    # when
    response = api_client_for(editor).post(
        f"/api/v1/findings/{suggested_duplicate.pk}/decision/",
        {"decision": "accept", "reason": "Same statement.", "keep": high},
        format="json",
    )
    # then
    suggested_duplicate.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {
        "id": suggested_duplicate.pk,
        "kind": "duplicate",
        "claims": [low, high],
        "score": suggested_duplicate.score,
        "explanation": suggested_duplicate.explanation,
        "state": "confirmed",
        "decided_by": "eddie-editor",
        "decided_at": iso(suggested_duplicate.decided_at),
        "kept": high,
    }
    assert Claim.objects.get(pk=low).merged_into_id == high
    assert Claim.objects.get(pk=high).merged_into_id is None


@pytest.mark.django_db
def test_rejecting_a_finding_settles_it_without_merging(editor: User, newsroom: Newsroom) -> None:
    finding = newsroom.finding
    response = api_client_for(editor).post(
        f"/api/v1/findings/{finding.pk}/decision/",
        {"decision": "reject", "reason": "Different councils."},
        format="json",
    )
    finding.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["kept"]) == ("rejected", None)
    assert finding.state == "rejected"
    assert list(Claim.objects.filter(pk__in=[finding.claim_low_id, finding.claim_high_id]).values_list(
        "merged_into_id", "open_contradictions"
    )) == [(None, 0), (None, 0)]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"decision": "maybe"}, {"decision": ['"maybe" is not a decision: use accept or reject.']}),
        ({"decision": "reject", "keep": 1}, {"keep": ["keep only applies when accepting a duplicate."]}),
        ({"decision": "accept", "keep": 1}, {"keep": ["keep only applies when accepting a duplicate."]}),
    ],
    ids=["unknown decision", "keep on reject", "keep on a contradiction"],
)
def test_bad_decisions_are_a_400(
    editor: User, newsroom: Newsroom, body: dict[str, Any], message: Any
) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/findings/{newsroom.finding.pk}/decision/", body, format="json"
    )
    assert (response.status_code, response.json()) == (400, message)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_keep_must_be_one_of_the_pair(editor: User, suggested_duplicate: Finding) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/findings/{suggested_duplicate.pk}/decision/",
        {"decision": "accept", "keep": 424242},
        format="json",
    )
    low, high = suggested_duplicate.claim_low_id, suggested_duplicate.claim_high_id
    assert (response.status_code, response.json()) == (
        400,
        {"keep": [f"keep must be one of the finding's claims: {low} or {high}."]},
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_decided_finding_cannot_be_decided_again(
    editor: User, second_editor: User, newsroom: Newsroom
) -> None:
    path = f"/api/v1/findings/{newsroom.finding.pk}/decision/"
    api_client_for(second_editor).post(path, {"decision": "reject"}, format="json")
    before = db_snapshot()
    response = api_client_for(editor).post(path, {"decision": "accept"}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "This finding was already rejected by erin-editor."},
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_missing_finding_is_a_404(editor: User) -> None:
    response = api_client_for(editor).post(
        "/api/v1/findings/5555/decision/", {"decision": "reject"}, format="json"
    )
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No finding 5555: it may have gone when its claims were re-checked."},
    )
