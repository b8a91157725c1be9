from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimEvent, ClaimStatus, Review
from claims.services.claims import ClaimConflict
from claims.services.reviews import claim_review, reviews_bulk
from tests import factories


@pytest.mark.django_db
def test_a_verdict_is_a_review_row_an_event_and_a_new_version(editor: User) -> None:
    claim = factories.claim(text="The Senate rejected the pension bill by 42 votes to 39.", user=editor)
    # when
    review = claim_review(
        claim_id=claim.pk,
        reviewer=editor,
        verdict="corroborated",
        rationale="Matches the Senate's published roll call.",
        evidence=["https://senate.example/votes/2026-03-19"],
        expected_version=1,
    )
    # then
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ClaimStatus.CORROBORATED, 2)
    assert (review.verdict, review.claim_version, review.evidence) == (
        "corroborated",
        1,
        ["https://senate.example/votes/2026-03-19"],
    )
    event = ClaimEvent.objects.filter(claim=claim, action="reviewed").get()
    assert (event.actor, event.summary, event.reason) == (
        editor,
        "Marked corroborated (was unreviewed)",
        "Matches the Senate's published roll call.",
    )


@pytest.mark.django_db
def test_the_second_editor_on_the_same_version_is_refused_and_told_who_won(
    editor: User, second_editor: User
) -> None:
    claim = factories.claim(text="Police arrested 35 people at the march.", user=editor)
    claim_review(
        claim_id=claim.pk,
        reviewer=editor,
        verdict="disputed",
        rationale="Police said 12.",
        expected_version=1,
    )
    # when the second editor submits on the version they read
    with pytest.raises(ClaimConflict) as conflict:
        claim_review(
            claim_id=claim.pk,
            reviewer=second_editor,
            verdict="corroborated",
            rationale="",
            expected_version=1,
        )
    # then nothing of theirs was stored
    assert "eddie-editor recorded 'disputed'" in str(conflict.value)
    assert conflict.value.claim.version == 2
    assert list(Review.objects.values_list("reviewer__username", "verdict")) == [("eddie-editor", "disputed")]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DISPUTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("verdict", "rationale", "evidence", "message"),
    [
        ("true", "", None, "Choose a verdict: corroborated, disputed, unreliable (got 'true')."),
        ("disputed", "  ", None, "Say why the claim is disputed: a rationale is required."),
        ("unreliable", "", None, "Say why the claim is unreliable: a rationale is required."),
        ("corroborated", "", ["javascript:alert(1)"], "'javascript:alert(1)' is not a web address"),
        ("corroborated", "", "https://a.example", "evidence must be a list of URLs."),
    ],
)
def test_invalid_verdicts_are_refused_with_a_message(
    editor: User, verdict: str, rationale: str, evidence: object, message: str
) -> None:
    claim = factories.claim(text="The bridge reopened on Monday.", user=editor)
    with pytest.raises(ValidationError) as error:
        claim_review(
            claim_id=claim.pk, reviewer=editor, verdict=verdict, rationale=rationale, evidence=evidence
        )
    assert message in " ".join(error.value.messages)
    assert Review.objects.count() == 0
    assert Claim.objects.get(pk=claim.pk).version == 1


@pytest.mark.django_db
def test_bulk_verdict_gives_each_claim_its_own_review_and_reports_conflicts(
    editor: User, second_editor: User
) -> None:
    claims = [factories.claim(text=f"Claim number {n} about the bridge.", user=editor) for n in range(3)]
    claim_review(claim_id=claims[1].pk, reviewer=second_editor, verdict="corroborated", expected_version=1)
    # a merged claim cannot be reviewed
    Claim.objects.filter(pk=claims[2].pk).update(merged_into=claims[0])
    # when
    done, failed = reviews_bulk(
        claim_ids=[claims[0].pk, claims[1].pk, claims[2].pk],
        reviewer=editor,
        verdict="unreliable",
        rationale="Single anonymous source.",
    )
    # then
    assert [review.claim_id for review in done] == [claims[0].pk, claims[1].pk]
    assert [claim_id for claim_id, _ in failed] == [claims[2].pk]
    assert Review.objects.filter(verdict="unreliable").count() == 2
