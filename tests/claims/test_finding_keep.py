"""Which claim stays when a duplicate is accepted: one rule (``finding_keep_validate``) behind the
service, the API and the review page."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from claims.models import Claim, Finding, FindingKind, FindingState
from claims.services.findings import finding_decide, finding_keep_validate
from tests.conftest import api_client_for, client_for

OUTSIDE = 424242


@pytest.fixture
def duplicate(db: None) -> Finding:
    first = Claim.objects.create(text="The ferry to Saltmere resumes on Friday.")
    second = Claim.objects.create(text="Ferry service to Saltmere restarts Friday.")
    return Finding.objects.create(
        claim_low=first, claim_high=second, kind=FindingKind.DUPLICATE, score=0.9,
        explanation="Same statement", detector_version="test",
    )  # fmt: skip


def decide_on_the_page(
    editor: User, finding: Finding, *, on: int, follow: bool = False, **form: object
) -> Any:
    """Post the review page's decision form, as the page of claim ``on`` sends it."""
    client = client_for(editor)
    client.get(f"/claims/{on}/")
    token = client.cookies["csrftoken"].value
    return client.post(
        f"/findings/{finding.pk}/decision", {**form, "from": on, "csrfmiddlewaretoken": token}, follow=follow
    )


def outside_message(finding: Finding) -> str:
    return f"keep must be one of the finding's claims: {finding.claim_low_id} or {finding.claim_high_id}."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "accept", "keep", "kept"),
    [
        (FindingKind.DUPLICATE, True, None, "low"),
        (FindingKind.DUPLICATE, True, "low", "low"),
        (FindingKind.DUPLICATE, True, "high", "high"),
        (FindingKind.DUPLICATE, False, None, None),
        (FindingKind.CONTRADICTION, True, None, None),
    ],
    ids=["default: the lower id", "low", "high", "reject merges nothing", "contradiction merges nothing"],
)
def test_the_kept_claim(
    duplicate: Finding, kind: str, accept: bool, keep: str | None, kept: str | None
) -> None:
    duplicate.kind = kind
    ids = {"low": duplicate.claim_low_id, "high": duplicate.claim_high_id, None: None}
    assert finding_keep_validate(finding=duplicate, accept=accept, keep_claim_id=ids[keep]) == ids[kept]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "accept", "keep", "message"),
    [
        (FindingKind.DUPLICATE, True, OUTSIDE, None),
        (FindingKind.DUPLICATE, False, "low", "keep only applies when accepting a duplicate."),
        (FindingKind.CONTRADICTION, True, "low", "keep only applies when accepting a duplicate."),
    ],
    ids=["not one of the pair", "on a reject", "on a contradiction"],
)
def test_a_keep_that_cannot_apply_is_refused(
    duplicate: Finding, kind: str, accept: bool, keep: int | str, message: str | None
) -> None:
    duplicate.kind = kind
    keep_id = duplicate.claim_low_id if keep == "low" else keep
    with pytest.raises(ValidationError) as raised:
        finding_keep_validate(finding=duplicate, accept=accept, keep_claim_id=int(keep_id))
    assert raised.value.message_dict == {"keep": [message or outside_message(duplicate)]}


@pytest.mark.django_db
def test_the_service_returns_the_kept_claim_and_defaults_to_the_lower_id(
    editor: User, duplicate: Finding
) -> None:
    decision = finding_decide(finding_id=duplicate.pk, user=editor, accept=True)
    assert decision.kept is not None
    assert decision.kept.pk == duplicate.claim_low_id
    assert Claim.objects.get(pk=duplicate.claim_high_id).merged_into_id == duplicate.claim_low_id


@pytest.mark.django_db
def test_the_api_and_the_review_page_refuse_a_keep_outside_the_pair_with_the_same_message(
    editor: User, duplicate: Finding
) -> None:
    # when: the API
    response = api_client_for(editor).post(
        f"/api/v1/findings/{duplicate.pk}/decision/", {"decision": "accept", "keep": OUTSIDE}, format="json"
    )
    # then
    assert (response.status_code, response.json()) == (400, {"keep": [outside_message(duplicate)]})
    # when: the review page
    page = decide_on_the_page(
        editor, duplicate, on=duplicate.claim_low_id, follow=True, decision="accept", keep=OUTSIDE
    )
    # then: the page says the same, and neither path merged or decided anything
    assert page.redirect_chain == [(f"/claims/{duplicate.claim_low_id}/", 302)]
    assert outside_message(duplicate) in html.unescape(page.content.decode())
    assert Finding.objects.get(pk=duplicate.pk).state == FindingState.SUGGESTED
    assert set(Claim.objects.values_list("merged_into_id", flat=True)) == {None}


@pytest.mark.django_db
def test_rejecting_on_the_review_page_ignores_the_keep_choice_it_always_sends(
    editor: User, duplicate: Finding
) -> None:
    high = duplicate.claim_high_id
    response = decide_on_the_page(editor, duplicate, on=high, decision="reject", keep=high)
    assert response["Location"] == f"/claims/{duplicate.claim_high_id}/"
    assert Finding.objects.get(pk=duplicate.pk).state == FindingState.REJECTED
