from __future__ import annotations

import re

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


def _merge_world(editor: User) -> dict[str, int]:
    """Four claims with appearances in three outlets, one link shared by two of them."""
    from articles.models import Outlet

    outlets = [Outlet.objects.create(name=name) for name in ("Harbour Gazette", "KPB News", "Tern Post")]
    ids = {}
    for name, text, links in (
        ("older", "About 3,000 residents of Saltmere were evacuated.", [(0, "a"), (1, "b")]),
        ("newer", "Roughly 3,000 Saltmere residents were evacuated.", [(1, "b"), (2, "c")]),
        ("oldest", "Some 3,000 people left Saltmere.", [(2, "d")]),
        ("other", "Saltmere evacuated about 3,000 people.", []),
    ):
        claim = factories.claim(text=text, user=editor)
        for outlet, path in links:
            Source.objects.create(
                claim=claim,
                kind=SourceKind.APPEARANCE,
                url=f"https://news.example/{path}",
                outlet=outlets[outlet],
            )
        ids[name] = claim.pk
    return ids


def _merge_outcome(ids: dict[str, int]) -> dict[str, object]:
    name = {pk: key for key, pk in ids.items()}
    merge_events = ClaimEvent.objects.filter(action__startswith="merged")
    claims = {claim.pk: claim for claim in Claim.objects.filter(pk__in=list(name))}
    return {
        "claims": {
            name[pk]: (name.get(claim.merged_into_id), claim.version, claim.outlet_count)
            for pk, claim in claims.items()
        },
        "sources": sorted(
            (name[claim_id], url) for claim_id, url in Source.objects.values_list("claim_id", "url")
        ),
        # with claims named in the summaries too
        "events": sorted(
            (name[claim_id], action, re.sub(r"#(\d+)", lambda match: name[int(match[1])], summary))
            for claim_id, action, summary in merge_events.values_list("claim_id", "action", "summary")
        ),
    }


@pytest.mark.django_db
def test_merges_carried_out_together_end_as_one_after_the_other(editor: User) -> None:
    from claims.services.merges import _claims_merge_many

    # given merges where a kept claim is merged on later and one merge names a merged claim
    def plans(ids: dict[str, int]) -> list[tuple[int, int, str]]:
        return [
            (ids["older"], ids["newer"], "same claim"),
            (ids["oldest"], ids["older"], "same claim"),
            (ids["other"], ids["newer"], "same claim"),
        ]

    ids = _merge_world(editor)
    refused = []
    for plan in plans(ids):
        outcome = _claims_merge_many([plan], user=editor)
        refused += outcome.refused
    one_by_one = _merge_outcome(ids)
    # when the same merges are carried out together in a world made afresh
    Claim.objects.all().delete()
    Source.objects.all().delete()
    ClaimEvent.objects.all().delete()
    from articles.models import Outlet

    Outlet.objects.all().delete()
    ids = _merge_world(editor)
    together = _claims_merge_many(plans(ids), user=editor)
    # then the outcome is the same, and the merge into a merged claim is refused with a reason
    assert _merge_outcome(ids) == one_by_one
    assert together.refused == refused == ["One of the claims was already merged into another claim."]
    assert together.kept == {ids["oldest"]: Claim.objects.get(pk=ids["oldest"]).version}
    # and the links ended where one merge after the other put them: a link the kept claim
    # already had stays with the merged claim, the others follow every merge
    assert one_by_one["sources"] == [
        ("newer", "https://news.example/b"),
        ("oldest", "https://news.example/a"),
        ("oldest", "https://news.example/b"),
        ("oldest", "https://news.example/c"),
        ("oldest", "https://news.example/d"),
    ]
    assert one_by_one["claims"] == {
        "older": ("oldest", 3, 3),
        "newer": ("older", 2, 0),
        "oldest": (None, 2, 3),
        "other": (None, 1, 0),
    }
