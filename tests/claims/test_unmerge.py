"""Undoing a merge: both claims back with their highlights, sources, findings, reviews and
counters; audited; refused with a clear message when there is nothing (or not yet) to undo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from accounts.models import AuditEvent
from claims.models import Claim, ClaimEvent, Finding, FindingKind, MergeRecord, Review, Source
from claims.services.claims import claim_sources_add, claim_update
from claims.services.findings import claims_merge
from claims.services.reviews import claim_review
from claims.services.unmerge import UnmergeRefused, claim_unmerge
from tests import factories
from tests.api.support import run_checks
from tests.conftest import api_client_for
from tests.newsroom import store_finding as finding_between


@dataclass
class Pair:
    kept: Claim
    merged: Claim
    third: Claim


def _state() -> dict[str, Any]:
    """Everything a merge changes and an unmerge must put back (versions and times excepted)."""
    return {
        "claims": list(
            Claim.objects.order_by("pk").values_list(
                "pk",
                "text",
                "status",
                "merged_into_id",
                "open_contradictions",
                "open_duplicates",
                "outlet_count",
            )
        ),
        "sources": list(Source.objects.order_by("pk").values_list("pk", "claim_id", "kind", "url")),
        "highlights": sorted(
            Source.objects.filter(annotation__isnull=False).values_list("annotation_id", "claim_id")
        ),
        "reviews": list(Review.objects.order_by("pk").values_list("pk", "claim_id", "verdict")),
        "findings": list(
            Finding.objects.exclude(kind=FindingKind.DUPLICATE)
            .order_by("pk")
            .values_list("pk", "claim_low_id", "claim_high_id", "kind", "state")
        ),
    }


@pytest.fixture
def pair(annotator: User, editor: User) -> Pair:
    """Two highlights in two outlets' articles, one with evidence, a review and a contradiction."""
    first = factories.article(
        text="The port authority said 40 ships were stuck outside Eskhaven harbour on Friday.",
        outlet="Harbour Gazette",
    )
    second = factories.article(
        text="Officials said 40 ships were stuck outside Eskhaven harbour on Friday morning.",
        outlet="Coastal Times",
    )
    kept = factories.highlight(
        article=first, exact="40 ships were stuck outside Eskhaven harbour", user=annotator
    )
    merged = factories.highlight(
        article=second, exact="40 ships were stuck outside Eskhaven harbour on Friday", user=annotator
    )
    claim_sources_add(
        claim=merged, user=annotator, sources=[{"url": "https://port.example/notice", "title": "Notice"}]
    )
    claim_review(claim_id=merged.pk, reviewer=editor, verdict="corroborated", rationale="Port notice.")
    third = factories.claim(text="No ships were stuck outside Eskhaven harbour on Friday.", user=annotator)
    finding_between(merged, third)
    finding_between(kept, merged, kind=FindingKind.DUPLICATE, score=0.7)
    return Pair(Claim.objects.get(pk=kept.pk), Claim.objects.get(pk=merged.pk), third)


@pytest.mark.django_db
def test_unmerge_restores_both_claims_exactly(pair: Pair, editor: User) -> None:
    # given: the state before the merge, then the merge
    before = _state()
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor, reason="Same ships.")
    merged_state = _state()
    assert merged_state["highlights"] != before["highlights"]  # the merge did move the highlight
    assert Claim.objects.get(pk=pair.merged.pk).merged_into_id == pair.kept.pk
    # when
    response = api_client_for(editor).post(
        f"/api/v1/claims/{pair.merged.pk}/unmerge/", {"reason": "Different days."}, format="json"
    )
    # then: everything as before the merge
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["kept"], body["merged"], body["automatic"], body["undone_by"]) == (
        pair.kept.pk,
        pair.merged.pk,
        False,
        editor.username,
    )
    assert len(body["moved_sources"]) == 2  # the appearance (with its highlight) and the evidence link
    assert _state() == before
    pair_finding = Finding.objects.get(kind=FindingKind.DUPLICATE)
    assert (pair_finding.state, pair_finding.decided_by) == ("suggested", None)
    assert ClaimEvent.objects.filter(claim=pair.kept, action="unmerged").count() == 1
    assert (
        ClaimEvent.objects.filter(claim=pair.merged, action="unmerged_from").get().reason == "Different days."
    )
    audit = AuditEvent.objects.get(action="claim.unmerged")
    assert (audit.actor, audit.object_id) == (editor, str(pair.merged.pk))
    assert MergeRecord.objects.get().undone_at is not None


@pytest.mark.django_db
def test_unmerge_twice_is_a_409_that_says_it_was_undone(pair: Pair, editor: User) -> None:
    # given
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor)
    client = api_client_for(editor)
    assert client.post(f"/api/v1/claims/{pair.merged.pk}/unmerge/", {}, format="json").status_code == 200
    # when
    again = client.post(f"/api/v1/claims/{pair.merged.pk}/unmerge/", {}, format="json")
    never = client.post(f"/api/v1/claims/{pair.third.pk}/unmerge/", {}, format="json")
    # then
    assert again.status_code == 409
    assert f"its merge into #{pair.kept.pk} was already undone by {editor.username}" in again.json()["detail"]
    assert never.status_code == 409
    assert never.json()["detail"] == (
        f"Claim #{pair.third.pk} is not merged into another claim: there is nothing to undo."
    )


@pytest.mark.django_db
def test_unmerge_after_the_kept_claim_changed_keeps_its_changes(
    pair: Pair, editor: User, annotator: User
) -> None:
    # given: the kept claim is edited, reviewed and gets evidence after the merge
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor)
    kept = Claim.objects.get(pk=pair.kept.pk)
    claim_update(claim_id=kept.pk, user=editor, expected_version=kept.version, text="40 ships waited.")
    claim_review(claim_id=kept.pk, reviewer=editor, verdict="disputed", rationale="Harbour master says 12.")
    (later,) = claim_sources_add(
        claim=kept, user=annotator, sources=[{"url": "https://harbour.example/log", "title": "Log"}]
    )
    # when
    claim_unmerge(claim_id=pair.merged.pk, user=editor)
    # then: the merged claim has its own back; the kept claim keeps what it got since
    kept.refresh_from_db()
    merged = Claim.objects.get(pk=pair.merged.pk)
    assert (kept.text, kept.status) == ("40 ships waited.", "disputed")
    assert Source.objects.get(pk=later.pk).claim_id == kept.pk
    assert merged.merged_into_id is None
    assert merged.status == "corroborated"
    assert sorted(Source.objects.filter(claim=merged).values_list("kind", flat=True)) == [
        "appearance",
        "evidence",
    ]


@pytest.mark.django_db
def test_a_merge_merged_on_is_undone_most_recent_first(pair: Pair, editor: User) -> None:
    # given: the kept claim was itself merged into a third claim
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor)
    claims_merge(keep_id=pair.third.pk, merge_id=pair.kept.pk, user=editor)
    # when / then
    with pytest.raises(UnmergeRefused, match=f"unmerge #{pair.kept.pk} first"):
        claim_unmerge(claim_id=pair.merged.pk, user=editor)
    claim_unmerge(claim_id=pair.kept.pk, user=editor)
    claim_unmerge(claim_id=pair.merged.pk, user=editor)
    assert not Claim.objects.filter(merged_into__isnull=False).exists()
    assert Source.objects.get(annotation__isnull=False, claim=pair.merged).claim_id == pair.merged.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("reader", 403), ("annotator", 403), ("editor", 200), ("admin", 200)],
    indirect=["persona"],
)
def test_who_may_unmerge(pair: Pair, editor: User, persona: User | None, status: int) -> None:
    # given
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor)
    # when
    response = api_client_for(persona).post(f"/api/v1/claims/{pair.merged.pk}/unmerge/", {}, format="json")
    # then
    assert response.status_code == status
    assert (Claim.objects.get(pk=pair.merged.pk).merged_into_id is None) == (status == 200)


@pytest.mark.django_db
def test_unmerge_of_a_missing_claim_or_with_a_bad_body_says_why(editor: User, pair: Pair) -> None:
    client = api_client_for(editor)
    missing = client.post("/api/v1/claims/999999/unmerge/", {}, format="json")
    assert (missing.status_code, missing.json()["detail"]) == (404, "No claim 999999.")
    bad = client.post(f"/api/v1/claims/{pair.merged.pk}/unmerge/", {"why": "x"}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_claim_page_unmerges_with_a_button(pair: Pair, editor: User, client: Any) -> None:
    # given
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor)
    client.force_login(editor)
    page = client.get(f"/claims/{pair.kept.pk}/").content.decode()
    assert f'action="/claims/{pair.merged.pk}/unmerge"' in page
    # when
    response = client.post(
        f"/claims/{pair.merged.pk}/unmerge", {"from": pair.kept.pk, "reason": "Not the same."}
    )
    # then
    assert response.status_code == 302
    assert Claim.objects.get(pk=pair.merged.pk).merged_into_id is None
    follow = client.get(response["Location"]).content.decode()
    assert f"Unmerged claim #{pair.merged.pk} from #{pair.kept.pk}" in follow


@pytest.mark.django_db
def test_the_claim_page_shows_no_unmerge_button_to_annotators(
    pair: Pair, editor: User, annotator: User, client: Any
) -> None:
    claims_merge(keep_id=pair.kept.pk, merge_id=pair.merged.pk, user=editor)
    client.force_login(annotator)
    assert "unmerge" not in client.get(f"/claims/{pair.merged.pk}/").content.decode()
    assert client.post(f"/claims/{pair.merged.pk}/unmerge", {}).status_code == 403


@pytest.mark.django_db
def test_an_automatic_merge_is_undone_and_the_detector_does_not_merge_the_pair_again(
    annotator: User, editor: User
) -> None:
    # given: the same sentence highlighted in two outlets' articles, merged by the detector
    sentence = "The port authority said 40 ships were stuck outside Eskhaven harbour on Friday."
    first = factories.highlight(
        article=factories.article(text=sentence, outlet="Harbour Gazette"), exact=sentence, user=annotator
    )
    run_checks(first)
    second = factories.highlight(
        article=factories.article(text=sentence, outlet="Coastal Times"), exact=sentence, user=annotator
    )
    run_checks(second)
    record = MergeRecord.objects.get()
    assert (record.automatic, record.kept_id, record.merged_id) == (True, first.pk, second.pk)
    # when
    claim_unmerge(claim_id=second.pk, user=editor, reason="Two notices.")
    run_checks(first, second)
    # then: both live, each with its own highlight, the pair a suggestion for an editor to decide
    assert not Claim.objects.filter(merged_into__isnull=False).exists()
    assert sorted(Source.objects.filter(annotation__isnull=False).values_list("claim_id", flat=True)) == [
        first.pk,
        second.pk,
    ]
    assert Finding.objects.get(kind=FindingKind.DUPLICATE).state == "suggested"
    assert Claim.objects.get(pk=first.pk).open_duplicates == 1
