"""The review queue: filters, priority order, facet counts, verdicts one by one and in bulk, the live
endpoint, and a query count that does not grow with the page."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.models import CheckStatus, Claim, ClaimEvent, Review
from claims.selectors.queue import FacetOption, QueueFilters, queue_facets
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import client_for
from tests.newsroom import Newsroom, at, db_snapshot, store_finding


def row_ids(html: str) -> list[int]:
    return [int(match) for match in re.findall(r'<li class="q-row[^"]*" id="row-(\d+)"', html)]


def queue_ids(client: Client, query: str = "") -> list[int]:
    response = client.get(f"/review/{query}")
    assert response.status_code == 200
    return row_ids(response.content.decode())


def token_of(client: Client) -> str:
    client.get("/review/")
    return str(client.cookies["csrftoken"].value)


@pytest.mark.django_db
def test_the_queue_lists_claims_awaiting_a_verdict_by_priority(editor: User, newsroom: Newsroom) -> None:
    n = newsroom
    # when
    ids = queue_ids(client_for(editor))
    # then: open contradictions first, then the most outlets, then the newest
    assert ids == [n.budget_no.pk, n.budget_yes.pk, n.bridge_again.pk, n.bridge.pk, n.standalone.pk]


@pytest.mark.django_db
def test_priority_puts_more_outlets_before_newer_claims(editor: User, annotator: User) -> None:
    # given: an older claim reported by two outlets, a newer one by one, the newest by none
    first = factories.article(text="Police said 40 people were arrested at the march.", outlet="Gazette")
    second = factories.article(text="Officers said 40 people were arrested at the march.", outlet="Ledger")
    older = factories.highlight(article=first, exact="40 people were arrested at the march", user=annotator)
    again = factories.highlight(article=second, exact="40 people were arrested at the march", user=annotator)
    from claims.services.merges import claims_merge

    claims_merge(keep_id=older.pk, merge_id=again.pk, user=editor)
    newer_article = factories.article(
        text="The mayor said the fountain will reopen in May.", outlet="Gazette"
    )
    newer = factories.highlight(
        article=newer_article, exact="the fountain will reopen in May", user=annotator
    )
    newest = factories.claim(text="The ferry timetable changes on Sunday.", user=annotator)
    Claim.objects.filter(pk=older.pk).update(created_at=at(1))
    Claim.objects.filter(pk=newer.pk).update(created_at=at(2))
    Claim.objects.filter(pk=newest.pk).update(created_at=at(3))
    # when
    ids = queue_ids(client_for(editor))
    # then: the merged claim is gone; two outlets beat one, one beats none
    assert ids == [older.pk, newer.pk, newest.pk]


FILTERS = [
    ("status=corroborated", ["reviewed"]),
    ("status=any", ["budget_no", "budget_yes", "bridge_again", "bridge", "reviewed", "standalone"]),
    ("contradictions=1", ["budget_no", "budget_yes"]),
    ("duplicates=1", ["bridge_again", "bridge"]),
    ("contradictions=1&duplicates=1", []),
    ("speaker=mayor", ["bridge_again"]),
    ("from=2026-03-15&to=2026-03-16", ["budget_yes", "bridge_again"]),
    ("to=2026-03-14", ["bridge"]),
    ("q=council", ["budget_no", "budget_yes"]),
    ("q=council+press", ["budget_yes"]),
    ("q=MAYOR", ["bridge_again"]),
    ("check=pending", ["budget_no", "budget_yes", "bridge_again", "bridge", "standalone"]),
    ("check=done", []),
    (
        "status=nonsense&check=nonsense&outlet=x&from=yesterday",
        ["budget_no", "budget_yes", "bridge_again", "bridge", "standalone"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[query for query, _ in FILTERS])
def test_each_filter_narrows_the_queue_exactly(
    editor: User, newsroom: Newsroom, query: str, expected: list[str]
) -> None:
    # when
    ids = queue_ids(client_for(editor), f"?{query}")
    # then
    assert ids == [getattr(newsroom, name).pk for name in expected]


@pytest.mark.django_db
def test_outlet_and_article_filters(editor: User, newsroom: Newsroom) -> None:
    client = client_for(editor)
    assert queue_ids(client, f"?outlet={newsroom.gazette.outlet_id}") == [newsroom.bridge.pk]
    assert queue_ids(client, f"?outlet={newsroom.kpb.outlet_id}") == [newsroom.bridge_again.pk]
    page = client.get(f"/review/?article={newsroom.kpb.pk}").content.decode()
    assert row_ids(page) == [newsroom.bridge_again.pk]
    assert '<span class="chip-title">Cheers on the bridge</span>' in page


@pytest.mark.django_db
def test_facet_counts_leave_out_their_own_facet_and_total_counts_everything(
    editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    # when
    everything = queue_facets(user=editor, filters=QueueFilters())
    in_gazette = queue_facets(user=editor, filters=QueueFilters(outlet=n.gazette.outlet_id))
    # then
    assert everything.total == 5
    assert everything.status == [
        FacetOption("unreviewed", "Unreviewed", 5),
        FacetOption("corroborated", "Corroborated", 1),
        FacetOption("disputed", "Disputed", 0),
        FacetOption("unreliable", "Unreliable", 0),
    ]
    assert everything.check == [
        FacetOption("pending", "Pending", 5),
        FacetOption("running", "Running", 0),
        FacetOption("done", "Done", 0),
        FacetOption("failed", "Failed", 0),
    ]
    assert (everything.contradictions, everything.duplicates) == (2, 2)
    assert everything.outlets == [
        FacetOption(str(n.gazette.outlet_id), "Harbour Gazette", 1),
        FacetOption(str(n.kpb.outlet_id), "KPB News", 1),
    ]
    assert [(option.label, option.count) for option in everything.speakers] == [
        ("City officials", 1),
        ("Council press office", 1),
        ("Mayor", 1),
        ("Opposition leader", 1),
    ]
    assert in_gazette.total == 1
    assert [option.count for option in in_gazette.status] == [1, 0, 0, 0]
    assert (in_gazette.contradictions, in_gazette.duplicates) == (0, 1)
    # the outlet facet ignores the outlet filter, so the other outlet can still be chosen
    assert [option.label for option in in_gazette.outlets] == ["Harbour Gazette", "KPB News"]
    assert queue_facets(user=AnonymousUser(), filters=QueueFilters()).total == 0


@pytest.mark.django_db
def test_the_page_shows_the_counts(editor: User, newsroom: Newsroom) -> None:
    page = client_for(editor).get("/review/?duplicates=1").content.decode()
    assert '<span id="queue-total">2</span>' in page
    assert '<span class="facet-count" data-facet="status-unreviewed">2</span>' in page
    assert '<span class="facet-count" data-facet="contradictions">0</span>' in page
    assert '<span class="facet-count" data-facet="duplicates">2</span>' in page


def seed_queue(count: int, editor: User, annotator: User) -> None:
    """``count`` claims with everything a row shows: appearances and outlets, findings, verdicts."""
    previous: Claim | None = None
    for number in range(count):
        if number % 3 == 0:
            article = factories.article(
                text=f"Officials said {number + 10} homes were flooded in district {number}.",
                outlet=f"Outlet {number % 4}",
            )
            claim = factories.highlight(
                article=article,
                exact=f"{number + 10} homes were flooded",
                user=annotator,
                speaker=f"Speaker {number}",
            )
        else:
            claim = factories.claim(text=f"Claim {number}: the ferry carried {number} cars.", user=annotator)
        if number % 5 == 4:
            claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="No record of it.")
        if previous is not None and number % 2 == 1:
            store_finding(claim, previous)
        previous = claim


@pytest.mark.django_db
def test_a_queue_page_costs_the_same_number_of_queries_for_5_and_for_50_claims(
    editor: User, annotator: User
) -> None:
    client = client_for(editor)
    client.get("/review/")  # session and permission caches warm, as for any request after the first

    def queries_for_page() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = client.get("/review/?status=any&size=50")
        return len(row_ids(response.content.decode())), len(context.captured_queries)

    seed_queue(5, editor, annotator)
    rows_small, queries_small = queries_for_page()
    seed_queue(45, editor, annotator)
    rows_large, queries_large = queries_for_page()
    # then
    assert (rows_small, rows_large) == (5, 50)
    assert queries_small == queries_large


@pytest.mark.django_db
def test_a_bulk_verdict_gives_each_claim_its_own_review(editor: User, newsroom: Newsroom) -> None:
    n = newsroom
    client = client_for(editor)
    # when
    response = client.post(
        "/review/verdicts",
        {
            "verdict": "unreliable",
            "rationale": "Both rest on one anonymous post.",
            "claim": [f"{n.budget_yes.pk}:{n.budget_yes.version}", f"{n.budget_no.pk}:{n.budget_no.version}"],
            "csrfmiddlewaretoken": token_of(client),
        },
        HTTP_ACCEPT="application/json",
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["verdict"], body["recorded"], body["refused"]) == (
        "unreliable",
        sorted([n.budget_yes.pk, n.budget_no.pk]),
        [],
    )
    assert sorted(body["rows"]) == sorted([str(n.budget_yes.pk), str(n.budget_no.pk)])
    assert 'class="badge st-unreliable">Unreliable</span>' in body["rows"][str(n.budget_no.pk)]
    reviews = list(
        Review.objects.filter(verdict="unreliable")
        .order_by("claim_id")
        .values_list("claim_id", "rationale", "claim_version", "reviewer__username")
    )
    assert reviews == [
        (n.budget_yes.pk, "Both rest on one anonymous post.", 1, "eddie-editor"),
        (n.budget_no.pk, "Both rest on one anonymous post.", 1, "eddie-editor"),
    ]
    assert (
        ClaimEvent.objects.filter(action="reviewed", claim_id__in=[n.budget_yes.pk, n.budget_no.pk]).count()
        == 2
    )
    assert list(
        Claim.objects.filter(pk__in=[n.budget_yes.pk, n.budget_no.pk]).values_list("status", flat=True)
    ) == [
        "unreliable",
        "unreliable",
    ]


@pytest.mark.django_db
def test_a_bulk_verdict_refuses_a_claim_someone_reviewed_meanwhile(
    editor: User, second_editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    seen_yes, seen_no = n.budget_yes.version, n.budget_no.version
    claim_review(
        claim_id=n.budget_no.pk,
        reviewer=second_editor,
        verdict="corroborated",
        rationale="Minutes confirm it.",
    )
    client = client_for(editor)
    # when
    response = client.post(
        "/review/verdicts",
        {
            "verdict": "disputed",
            "rationale": "The minutes say otherwise.",
            "claim": [f"{n.budget_yes.pk}:{seen_yes}", f"{n.budget_no.pk}:{seen_no}"],
            "csrfmiddlewaretoken": token_of(client),
        },
        HTTP_ACCEPT="application/json",
    )
    # then
    body = response.json()
    assert body["recorded"] == [n.budget_yes.pk]
    [refused] = body["refused"]
    assert (refused["claim"], refused["verdict"], refused["reviewer"], refused["rationale"]) == (
        n.budget_no.pk,
        "corroborated",
        "erin-editor",
        "Minutes confirm it.",
    )
    assert refused["message"].startswith("erin-editor recorded 'corroborated' at ")
    assert list(Review.objects.filter(claim=n.budget_no).values_list("verdict", "reviewer__username")) == [
        ("corroborated", "erin-editor")
    ]


@pytest.mark.django_db
def test_a_bulk_verdict_without_a_required_rationale_changes_nothing(
    editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    client = client_for(editor)
    before = db_snapshot()
    # when
    response = client.post(
        "/review/verdicts",
        {
            "verdict": "disputed",
            "rationale": "  ",
            "claim": [f"{n.bridge.pk}:{n.bridge.version}"],
            "csrfmiddlewaretoken": token_of(client),
        },
        HTTP_ACCEPT="application/json",
    )
    # then
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"rationale": ["Say why the claim is disputed: a rationale is required."]}
    }
    assert db_snapshot() == before


@pytest.mark.django_db
def test_the_form_post_without_javascript_redirects_back_with_a_message(
    editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    client = client_for(editor)
    # when
    response = client.post(
        "/review/verdicts",
        {
            "verdict": "corroborated",
            "rationale": "",
            "claim": [f"{n.bridge.pk}:{n.bridge.version}"],
            "next": "/review/?duplicates=1",
            "csrfmiddlewaretoken": token_of(client),
        },
        follow=True,
    )
    # then
    assert response.redirect_chain == [("/review/?duplicates=1", 302)]
    assert "Recorded corroborated on 1 claim." in response.content.decode()
    assert row_ids(response.content.decode()) == [n.bridge_again.pk]


@pytest.mark.django_db
def test_an_offsite_next_is_not_followed(editor: User, newsroom: Newsroom) -> None:
    client = client_for(editor)
    response = client.post(
        "/review/verdicts",
        {
            "verdict": "corroborated",
            "claim": [f"{newsroom.bridge.pk}:1"],
            "next": "https://evil.example/",
            "csrfmiddlewaretoken": token_of(client),
        },
    )
    assert response["Location"] == "/review/"


@pytest.mark.django_db
def test_the_live_endpoint_answers_304_until_a_watched_claim_changes(
    editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    client = client_for(editor)
    url = f"/review/live?ids={n.bridge.pk},{n.bridge_again.pk}"
    # when: the first poll
    first = client.get(url)
    body = first.json()
    # then
    assert first["ETag"] == f'"{body["token"]}"'
    assert body["pending"] is True
    assert body["claims"][str(n.bridge.pk)] == {
        "version": 1,
        "status": "unreviewed",
        "check_status": "pending",
        "open_contradictions": 0,
        "open_duplicates": 1,
        "merged_into": None,
    }
    assert sorted(body["rows"]) == sorted([str(n.bridge.pk), str(n.bridge_again.pk)])
    # when: nothing changed
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # when: the checks finish
    Claim.objects.filter(pk__in=[n.bridge.pk, n.bridge_again.pk]).update(check_status=CheckStatus.DONE)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    # then
    assert changed.status_code == 200
    assert changed.json()["pending"] is False
    assert changed["ETag"] != first["ETag"]
    # the reader's variant carries no HTML
    assert "rows" not in client.get(f"{url}&html=0").json()


@pytest.mark.django_db
def test_the_page_starts_polling_only_when_a_check_is_pending(editor: User, newsroom: Newsroom) -> None:
    client = client_for(editor)
    assert 'data-live-pending="1"' in client.get("/review/").content.decode()
    Claim.objects.update(check_status=CheckStatus.DONE)
    assert 'data-live-pending="0"' in client.get("/review/").content.decode()


@pytest.mark.django_db
def test_rows_escape_user_text(editor: User, annotator: User) -> None:
    factories.claim(
        text='<script>alert("x")</script> said <b>the mayor</b>', user=annotator, speaker="<i>Mayor</i>"
    )
    page = client_for(editor).get("/review/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; said &lt;b&gt;the mayor&lt;/b&gt;" in page
    assert "&lt;i&gt;Mayor&lt;/i&gt;" in page
    assert json.loads(
        re.search(r'<script id="rationale-required" type="application/json">(.*?)</script>', page)[1]
    ) == [
        "disputed",
        "unreliable",
    ]
