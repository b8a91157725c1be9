"""access_*: the one fetch that API and web views share, with its 404 and its write rule."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404

from articles.selectors import access_article
from claims.models import Claim, Finding, FindingKind
from claims.selectors.access import ClaimMerged, access_claim, access_finding
from tests import factories
from tests.conftest import api_client_for, client_for


@pytest.fixture
def merged(db: None) -> tuple[Claim, Claim]:
    kept = Claim.objects.create(text="The lighthouse reopens in June.")
    gone = Claim.objects.create(text="The lighthouse will reopen in June.", merged_into=kept)
    return kept, gone


@pytest.mark.django_db
def test_a_claim_is_read_by_any_signed_in_user_and_by_no_anonymous_one(
    reader: User, merged: tuple[Claim, Claim]
) -> None:
    kept, _ = merged
    assert access_claim(user=reader, claim_id=kept.pk) == kept
    with pytest.raises(Http404, match=rf"^No claim {kept.pk}\.$"):
        access_claim(user=AnonymousUser(), claim_id=kept.pk)
    with pytest.raises(Http404, match=r"^No claim 987654\.$"):
        access_claim(user=reader, claim_id=987654)


@pytest.mark.django_db
def test_a_merged_claim_is_read_but_not_written(editor: User, merged: tuple[Claim, Claim]) -> None:
    kept, gone = merged
    assert access_claim(user=editor, claim_id=gone.pk) == gone
    assert access_claim(user=editor, claim_id=kept.pk, for_write=True) == kept
    with pytest.raises(ClaimMerged) as refused:
        access_claim(user=editor, claim_id=gone.pk, for_write=True)
    assert refused.value.status_code == 409
    assert str(refused.value.detail) == (
        f"Claim {gone.pk} was merged into claim {kept.pk}: act on claim {kept.pk}."
    )


@pytest.mark.django_db
def test_findings_and_articles(reader: User, merged: tuple[Claim, Claim]) -> None:
    kept, gone = merged
    finding = Finding.objects.create(
        claim_low=kept, claim_high=gone, kind=FindingKind.DUPLICATE, score=0.9,
        explanation="Same", detector_version="test",
    )  # fmt: skip
    assert access_finding(user=reader, finding_id=finding.pk) == finding
    with pytest.raises(Http404, match=r"^No finding 5555: it may have gone"):
        access_finding(user=reader, finding_id=5555)
    article = factories.article(text="The lighthouse reopens in June, the harbour master said.")
    assert access_article(user=reader, article_id=article.pk) == article
    with pytest.raises(Http404, match=rf"^No article {article.pk}\.$"):
        access_article(user=AnonymousUser(), article_id=article.pk)


@pytest.mark.django_db
def test_the_api_and_the_review_page_answer_404_for_the_same_missing_finding(editor: User) -> None:
    api = api_client_for(editor).post(
        "/api/v1/findings/5555/decision/", {"decision": "reject"}, format="json"
    )
    client = client_for(editor)
    client.get("/review/")
    web = client.post(
        "/findings/5555/decision",
        {"decision": "reject", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert (api.status_code, api.json()) == (
        404,
        {"detail": "No finding 5555: it may have gone when its claims were re-checked."},
    )
    assert web.status_code == 404
