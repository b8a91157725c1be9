"""The claims list: keyset pages for sync, filters, their errors, and a constant query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.api.serializers import ClaimListItemSerializer, claim_list_items
from claims.models import Claim
from claims.selectors import SYNC_COLUMNS, claim_list, claim_sync_page
from claims.selectors.filters import ClaimFilters
from claims.services.reviews import claim_review
from tests import factories
from tests.api.support import iso
from tests.conftest import api_client_for
from tests.newsroom import Newsroom, store_finding


def make_claims(count: int, *, user: User | None = None) -> list[Claim]:
    return [
        factories.claim(text=f"Harbour statement number {n} about ferries.", user=user) for n in range(count)
    ]


def follow(client: APIClient, url: str | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


@pytest.mark.django_db
def test_pages_follow_updated_at_then_id_and_changed_rows_come_again_at_the_end(
    reader: User, editor: User
) -> None:
    # given: seven claims, two of them with the same updated_at (the id breaks the tie)
    claims = make_claims(7)
    Claim.objects.filter(pk__in=[claims[3].pk, claims[4].pk]).update(updated_at=claims[3].updated_at)
    client = api_client_for(reader)
    # when: page 1 is read, then claims 2 (already served) and 5 (not yet) change, then the rest
    first = client.get("/api/v1/claims/?page_size=3").json()
    for changed in (claims[1], claims[5]):
        claim_review(claim_id=changed.pk, reviewer=editor, verdict="corroborated")
    rest = follow(client, first["next"])
    # then: nothing skipped, nothing unchanged served twice, each changed row again in its new state
    served = [(row["id"], row["version"]) for row in first["results"] + rest]
    ids = [claim.pk for claim in claims]
    assert served == [
        (ids[0], 1), (ids[1], 1), (ids[2], 1),
        (ids[3], 1), (ids[4], 1), (ids[6], 1),
        (ids[1], 2), (ids[5], 2),
    ]  # fmt: skip
    assert first["next"].startswith("http://testserver/api/v1/claims/?cursor=")
    assert first["next"].endswith("&page_size=3")


@pytest.mark.django_db
def test_updated_since_gives_what_changed_from_the_last_sync_inclusively(reader: User, editor: User) -> None:
    # given: a client synced everything and kept the last updated_at it saw
    claims = make_claims(4)
    client = api_client_for(reader)
    last_seen = follow(client, "/api/v1/claims/")[-1]["updated_at"]
    claim_review(claim_id=claims[1].pk, reviewer=editor, verdict="disputed", rationale="The port denies it.")
    # when
    changes = follow(client, "/api/v1/claims/?updated_since=" + quote(last_seen))
    # then
    assert [(row["id"], row["status"]) for row in changes] == [
        (claims[3].pk, "unreviewed"),
        (claims[1].pk, "disputed"),
    ]


@pytest.mark.django_db
def test_filters_combine_and_each_narrows_the_list(reader: User, newsroom: Newsroom, editor: User) -> None:
    # given
    other = factories.article(text="Officials said the ferry was late.", outlet="Coast Herald", user=editor)
    on_other = factories.highlight(
        article=other, exact="the ferry was late", user=editor, speaker="Port office"
    )
    client = api_client_for(reader)

    def ids(query: str) -> list[int]:
        return [row["id"] for row in follow(client, "/api/v1/claims/?" + query)]

    # then
    assert ids("status=corroborated") == [newsroom.reviewed.pk]
    assert ids(f"article={newsroom.article.pk}") == [newsroom.highlight.pk]
    assert ids("outlet=coast%20herald") == [on_other.pk]
    assert ids("speaker=port%20OFFICE") == [on_other.pk]
    assert ids("q=FERRY") == [on_other.pk]
    assert ids("check_status=pending&outlet=Harbour%20Gazette") == [newsroom.highlight.pk]
    assert ids("status=disputed") == []


@pytest.mark.django_db
def test_list_items_are_light_with_counters(reader: User, newsroom: Newsroom) -> None:
    left, right = newsroom.finding.claim_low, newsroom.finding.claim_high
    rows = {row["id"]: row for row in follow(api_client_for(reader), "/api/v1/claims/")}
    left.refresh_from_db()
    assert rows[left.pk] == {
        "id": left.pk,
        "text": "The council approved the budget on Monday.",
        "title": "",
        "speaker": "Council press office",
        "status": "unreviewed",
        "check_status": "pending",
        "version": 1,
        "merged_into": None,
        "findings_count": 1,
        "open_contradictions": 1,
        "open_duplicates": 0,
        "outlet_count": 0,
        "created_at": iso(left.created_at),
        "updated_at": iso(left.updated_at),
        "reviewed_at": None,
    }
    assert rows[right.pk]["findings_count"] == 1
    assert rows[newsroom.standalone.pk]["findings_count"] == 0


DATETIME_HINT = "an ISO 8601 date-time such as 2024-05-01T12:00:00Z (a time zone offset is recommended)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("status=verified", {"status": [
            "Unknown status verified: use one of unreviewed, corroborated, disputed, unreliable."]}),
        ("check_status=queued", {"check_status": [
            "Unknown check_status queued: use one of pending, running, done, failed."]}),
        ("updated_since=yesterday", {"updated_since": [f"updated_since must be {DATETIME_HINT}."]}),
        ("updated_since=0001-01-01T00:00:00%2B05:00", {"updated_since": [
            f"0001-01-01T00:00:00+05:00 is out of range: send {DATETIME_HINT}."]}),
        ("article=twelve", {"article": ["article must be an article id (a whole number)."]}),
        ("page_size=0", {"page_size": ["page_size must be a whole number from 1 to 200, got '0'."]}),
        ("page_size=201", {"page_size": [
            "page_size is at most 200 (API_MAX_PAGE_SIZE), got 201; follow the `next` link for more."]}),
        ("cursor=not-a-cursor", {"cursor": [
            "The cursor is not valid: use the `next` link of a previous page as it is."]}),
        ("stauts=corroborated", {"stauts": [
            "Unknown query parameter. This endpoint accepts: article, check_status, cursor, outlet, "
            "page_size, q, speaker, status, updated_since."]}),
    ],
    ids=["status", "check_status", "date", "date out of range", "article", "page_size 0", "page_size max",
         "cursor", "unknown parameter"],
)  # fmt: skip
def test_bad_list_parameters_are_a_400_saying_what_is_accepted(reader: User, query: str, errors: Any) -> None:
    response = api_client_for(reader).get("/api/v1/claims/?" + query)
    assert (response.status_code, response.json()) == (400, errors)


@pytest.mark.django_db
def test_page_size_is_capped_by_the_setting(reader: User, settings: Any) -> None:
    settings.API_MAX_PAGE_SIZE = 2
    make_claims(3)
    client = api_client_for(reader)
    assert len(client.get("/api/v1/claims/?page_size=2").json()["results"]) == 2
    assert client.get("/api/v1/claims/?page_size=3").status_code == 400


@pytest.mark.django_db
def test_merged_claims_stay_listed_with_merged_into(reader: User, editor: User) -> None:
    from claims.services.merges import claims_merge

    keep, merge = make_claims(2)
    claims_merge(keep_id=keep.pk, merge_id=merge.pk, user=editor)
    rows = {row["id"]: row["merged_into"] for row in follow(api_client_for(reader), "/api/v1/claims/")}
    assert rows == {keep.pk: None, merge.pk: keep.pk}


def count_queries(client: APIClient, url: str) -> tuple[int, int]:
    client.get(url)  # warm up: the token's last-use stamp is written at most once a minute
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(response.json()["results"]), len(queries.captured_queries)


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_for_1_and_100_claims(reader: User, editor: User) -> None:
    # given
    client = api_client_for(reader)
    first = make_claims(1)
    one = count_queries(client, "/api/v1/claims/?page_size=100")
    # when: 99 more, some reviewed, some with findings
    more = make_claims(99)
    for claim in more[:10]:
        claim_review(claim_id=claim.pk, reviewer=editor, verdict="corroborated")
    for left, right in zip(more[10:30:2], more[11:30:2], strict=True):
        store_finding(left, right)
    store_finding(first[0], more[50])
    hundred = count_queries(client, "/api/v1/claims/?page_size=100")
    # then
    assert one[0] == 1
    assert hundred[0] == 100
    assert one[1] == hundred[1]


@pytest.mark.django_db
def test_updated_since_accepts_a_naive_time_as_utc(reader: User) -> None:
    (claim,) = make_claims(1)
    naive = (claim.updated_at - timedelta(seconds=1)).replace(tzinfo=None).isoformat()
    assert [
        row["id"] for row in follow(api_client_for(reader), f"/api/v1/claims/?updated_since={naive}")
    ] == [claim.pk]


FILTERS: list[dict[str, Any]] = [
    {},
    {"status": "corroborated"},
    {"check_status": "pending"},
    {"speaker": "PORT office"},
    {"outlet": "coast herald"},
    {"q": "50%"},
    {"q": "under_score"},
    {"q": "back\\slash"},
    {"q": "FERRY"},
    {"status": "unreviewed", "q": "ferry", "outlet": "Coast Herald"},
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda filters: "&".join(f"{k}={v}" for k, v in filters.items())
)
def test_the_sync_page_query_agrees_with_claim_list(
    reader: User, editor: User, newsroom: Newsroom, filters: dict[str, Any]
) -> None:
    # given: claims whose texts hold LIKE wildcards, in two outlets, with speakers and verdicts
    other = factories.article(
        text="Officials said the ferry was late by 50% again.", outlet="Coast Herald", user=editor
    )
    factories.highlight(
        article=other, exact="the ferry was late by 50% again", user=editor, speaker="Port office"
    )
    for text in ("An under_score in a ferry claim.", "A back\\slash claim.", "A claim about 50 percent."):
        factories.claim(text=text, user=editor, speaker="port office")
    store_finding(newsroom.highlight, newsroom.standalone)
    article_filter = {"article_id": other.pk} if filters.get("outlet") else {}
    expected = list(
        claim_list(user=reader, filters=ClaimFilters(**filters, **article_filter))
        .order_by("updated_at", "pk")
        .values(*SYNC_COLUMNS)
    )
    # when
    rows = claim_sync_page(
        user=reader, after=None, limit=1000, filters=ClaimFilters(**filters, **article_filter)
    )
    middle = expected[len(expected) // 2] if expected else None
    after = (middle["updated_at"], middle["id"]) if middle else None
    rest = claim_sync_page(
        user=reader, after=after, limit=1000, filters=ClaimFilters(**filters, **article_filter)
    )
    # then
    assert rows == expected
    assert rest == expected[len(expected) // 2 + 1 :]
    assert len(expected) >= (1 if filters else 8)


@pytest.mark.django_db
def test_the_fast_list_rendering_matches_the_serializer(reader: User, newsroom: Newsroom) -> None:
    Claim.objects.filter(pk=newsroom.standalone.pk).update(updated_at=datetime(2024, 1, 1, 12, 0, tzinfo=UTC))
    rows = claim_sync_page(user=reader, after=None, limit=100)
    by_id = {claim.pk: claim for claim in claim_list(user=reader)}
    assert claim_list_items(rows) == [ClaimListItemSerializer(by_id[row["id"]]).data for row in rows]
