"""One claim filter specification: the API's list (ORM), its sync page (raw SQL) and the review
queue select the same claims for the same ``ClaimFilters``."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from articles.models import Outlet
from claims.models import CheckStatus, Claim, ClaimStatus
from claims.selectors import claim_list, claim_sync_page
from claims.selectors.filters import ClaimFilters
from claims.selectors.queue import QueueFilters, queue_claims, queue_facets
from tests import factories


@pytest.fixture
def archive(editor: User) -> dict[str, Claim]:
    """Claims that differ in every filtered column, over two outlets and three days."""
    herald = factories.article(
        text="The ferry to Saltmere was late by 50% on Monday. The harbour reopened.", outlet="Coast Herald"
    )
    gazette = factories.article(text="The tunnel under_score works start in May.", outlet="Harbour Gazette")
    claims = {
        "ferry": factories.highlight(
            article=herald,
            exact="The ferry to Saltmere was late by 50% on Monday",
            user=editor,
            speaker="Port office",
        ),
        "harbour": factories.highlight(article=herald, exact="The harbour reopened", user=editor),
        "tunnel": factories.highlight(
            article=gazette,
            exact="The tunnel under_score works start in May",
            user=editor,
            speaker="port OFFICE",
        ),
        "standalone": factories.claim(text="A back\\slash claim about the ferry fares.", user=editor),
        "merged": factories.claim(
            text="The ferry was late on Monday, again.", user=editor, speaker="Port office"
        ),
    }
    days = {"ferry": 3, "harbour": 4, "tunnel": 5, "standalone": 5, "merged": 3}
    for name, claim in claims.items():
        Claim.objects.filter(pk=claim.pk).update(created_at=datetime(2024, 5, days[name], 23, 30, tzinfo=UTC))
    Claim.objects.filter(pk=claims["ferry"].pk).update(
        status=ClaimStatus.DISPUTED, open_contradictions=1, check_status=CheckStatus.DONE
    )
    Claim.objects.filter(pk=claims["tunnel"].pk).update(open_duplicates=2, check_status=CheckStatus.FAILED)
    Claim.objects.filter(pk=claims["merged"].pk).update(merged_into=claims["ferry"])
    return claims


def spec_cases(claims: dict[str, Claim]) -> list[tuple[ClaimFilters, set[str]]]:
    herald = Outlet.objects.get(name="Coast Herald")
    article_id = claims["tunnel"].sources.get().article_id
    return [
        (ClaimFilters(), set(claims)),
        (ClaimFilters(include_merged=False), set(claims) - {"merged"}),
        (ClaimFilters(status=ClaimStatus.UNREVIEWED), {"harbour", "tunnel", "standalone", "merged"}),
        (ClaimFilters(check_status=CheckStatus.FAILED), {"tunnel"}),
        (ClaimFilters(speaker="PORT office"), {"ferry", "tunnel", "merged"}),
        (ClaimFilters(outlet="coast herald"), {"ferry", "harbour"}),
        (ClaimFilters(outlet_id=herald.pk, include_merged=False), {"ferry", "harbour"}),
        (ClaimFilters(article_id=article_id), {"tunnel"}),
        (ClaimFilters(q="50%"), {"ferry"}),
        (ClaimFilters(q="under_score"), {"tunnel"}),
        (ClaimFilters(q="back\\slash"), {"standalone"}),
        (ClaimFilters(words=("FERRY", "monday")), {"ferry", "merged"}),
        (ClaimFilters(words=("office", "tunnel")), {"tunnel"}),
        (ClaimFilters(added_from=date(2024, 5, 4)), {"harbour", "tunnel", "standalone"}),
        (ClaimFilters(added_to=date(2024, 5, 4)), {"ferry", "harbour", "merged"}),
        (ClaimFilters(added_from=date(2024, 5, 4), added_to=date(2024, 5, 4)), {"harbour"}),
        (ClaimFilters(contradictions=True), {"ferry"}),
        (ClaimFilters(duplicates=True, speaker="port office"), {"tunnel"}),
    ]


@pytest.mark.django_db
def test_the_orm_and_the_sql_select_the_claims_each_filter_describes(
    reader: User, archive: dict[str, Claim]
) -> None:
    names = {claim.pk: name for name, claim in archive.items()}
    for filters, expected in spec_cases(archive):
        by_orm = {names[pk] for pk in claim_list(user=reader, filters=filters).values_list("pk", flat=True)}
        by_sql = {
            names[row["id"]] for row in claim_sync_page(user=reader, after=None, limit=100, filters=filters)
        }
        assert (by_orm, by_sql) == (expected, expected), filters


@pytest.mark.django_db
def test_the_queue_selects_what_its_specification_selects_on_every_path(
    editor: User, archive: dict[str, Claim]
) -> None:
    herald = Outlet.objects.get(name="Coast Herald")
    names = {claim.pk: name for name, claim in archive.items()}
    cases = [
        (QueueFilters(), {"harbour", "tunnel", "standalone"}),
        (QueueFilters(status=""), {"ferry", "harbour", "tunnel", "standalone"}),
        (QueueFilters(status="", outlet=herald.pk), {"ferry", "harbour"}),
        (QueueFilters(status="", q="ferry monday"), {"ferry"}),
        (QueueFilters(status="", contradictions=True), {"ferry"}),
        (QueueFilters(duplicates=True, check=CheckStatus.FAILED), {"tunnel"}),
        (QueueFilters(added_from=date(2024, 5, 5)), {"tunnel", "standalone"}),
    ]
    for queue_filters, expected in cases:
        spec = queue_filters.spec()
        in_queue = {names[claim.pk] for claim in queue_claims(user=editor, filters=queue_filters)}
        by_orm = {names[pk] for pk in claim_list(user=editor, filters=spec).values_list("pk", flat=True)}
        by_sql = {
            names[row["id"]] for row in claim_sync_page(user=editor, after=None, limit=100, filters=spec)
        }
        assert (in_queue, by_orm, by_sql) == (expected, expected, expected), queue_filters
        assert queue_facets(user=editor, filters=queue_filters).total == len(expected), queue_filters


def test_without_leaves_out_the_named_filters_only() -> None:
    filters = ClaimFilters(status=ClaimStatus.DISPUTED, speaker="Port office", include_merged=False)
    assert filters.without("status", "include_merged") == ClaimFilters(speaker="Port office")


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"status": "maybe"},
            {"status": [f"Unknown status maybe: use one of {', '.join(ClaimStatus.values)}."]},
        ),
        (
            {"check_status": "soon"},
            {"check_status": [f"Unknown check_status soon: use one of {', '.join(CheckStatus.values)}."]},
        ),
        (
            {"article_id": 0, "outlet_id": -3},
            {name: [f"{name} must be a positive id."] for name in ("article_id", "outlet_id")},
        ),
        ({"speaker": "x" * 301}, {"speaker": ["speaker is longer than 300 characters."]}),
        ({"words": tuple("abcdefghi")}, {"words": ["At most 8 words of at most 200 characters."]}),
    ],
    ids=["status", "check_status", "ids", "speaker", "words"],
)
def test_a_filter_that_cannot_match_anything_sensible_is_refused(
    values: dict[str, object], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as refused:
        ClaimFilters(**values)  # type: ignore[arg-type]
    assert refused.value.message_dict == errors
