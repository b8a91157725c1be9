from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimEvent, Finding, FindingKind, FindingState, Source, SourceKind
from claims.services.findings import finding_decide
from tests import factories


def make_duplicate_pair(editor: User) -> tuple[Claim, Claim, Finding]:
    first_article = factories.article(
        text="Officials said about 3,000 people were evacuated from Saltmere on Tuesday.",
        outlet="Harbour Gazette",
    )
    second_article = factories.article(
        text="Roughly 3,000 residents of Saltmere left their homes on Tuesday, officials said.",
        outlet="KPB News",
    )
    first = factories.highlight(article=first_article, exact="about 3,000 people were evacuated", user=editor)
    second = factories.highlight(
        article=second_article, exact="Roughly 3,000 residents of Saltmere left their homes", user=editor
    )
    low, high = sorted((first.pk, second.pk))
    finding, _ = Finding.objects.update_or_create(
        claim_low_id=low,
        claim_high_id=high,
        kind=FindingKind.DUPLICATE,
        defaults={"score": 0.8, "explanation": "Same claim", "detector_version": "test"},
    )
    return first, second, finding


@pytest.mark.django_db
def test_accepting_a_duplicate_merges_the_claims_with_all_appearances_and_both_histories(
    editor: User,
) -> None:
    first, second, finding = make_duplicate_pair(editor)
    # when
    finding_decide(finding_id=finding.pk, user=editor, accept=True, reason="Same figure, same day.")
    # then
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert sorted(
        Source.objects.filter(claim=first, kind=SourceKind.APPEARANCE).values_list("outlet__name", flat=True)
    ) == [
        "Harbour Gazette",
        "KPB News",
    ]
    assert first.outlet_count == 2
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CONFIRMED
    assert list(ClaimEvent.objects.filter(claim=second).values_list("action", flat=True)[:2]) == [
        "merged_into",
        "finding_accepted",
    ]
    assert "created" in set(ClaimEvent.objects.filter(claim=second).values_list("action", flat=True))


@pytest.mark.django_db
def test_rejecting_keeps_both_claims_and_a_second_decision_is_refused(
    editor: User, second_editor: User
) -> None:
    _, _, finding = make_duplicate_pair(editor)
    finding_decide(finding_id=finding.pk, user=editor, accept=False, reason="Different towns.")
    with pytest.raises(ValidationError, match="already rejected by eddie-editor"):
        finding_decide(finding_id=finding.pk, user=second_editor, accept=True)
    assert Claim.objects.filter(merged_into__isnull=False).count() == 0
    assert Finding.objects.get(pk=finding.pk).decided_by == editor
