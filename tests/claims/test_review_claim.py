"""The claim page: appearances in context, findings beside the other claim, accepting and rejecting
them (a duplicate merges), verdicts that never overwrite a newer one, the history, and live updates."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from claims.models import CheckStatus, Claim, ClaimEvent, Finding, FindingState, Review
from claims.selectors.queue import paragraph_context
from claims.services.findings import finding_decide
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import client_for
from tests.newsroom import Newsroom, db_snapshot, store_finding


def token_of(client: Client, claim_id: int) -> str:
    client.get(f"/claims/{claim_id}/")
    return str(client.cookies["csrftoken"].value)


def from_tag(html: str, marker: str, end: str | None = None) -> str:
    """The HTML from the start of the tag that contains ``marker`` (up to ``end``'s tag)."""
    start = html.rindex("<", 0, html.index(marker))
    stop = html.rindex("<", 0, html.index(end)) if end else len(html)
    return html[start:stop]


def text_of(html: str) -> str:
    """The page's visible text, whitespace collapsed, for asserting on sentences."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(without_tags.replace("&#x27;", "'").replace("&quot;", '"').split())


# --- Verdicts and the lost update ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_of_two_editors_is_refused_and_told_who_recorded_what(
    editor: User, second_editor: User, newsroom: Newsroom
) -> None:
    claim = newsroom.bridge
    eddie, erin = client_for(editor), client_for(second_editor)
    # given: both open the claim at version 1
    eddie_token, erin_token = token_of(eddie, claim.pk), token_of(erin, claim.pk)
    assert 'name="expected_version" value="1"' in eddie.get(f"/claims/{claim.pk}/").content.decode()
    # when: erin records first, then eddie submits on the version he read
    first = erin.post(
        f"/claims/{claim.pk}/verdict",
        {
            "verdict": "corroborated",
            "rationale": "The city's press release confirms it.",
            "expected_version": 1,
            "csrfmiddlewaretoken": erin_token,
        },
    )
    second = eddie.post(
        f"/claims/{claim.pk}/verdict",
        {
            "verdict": "disputed",
            "rationale": "The repair bill was 6 million.",
            "evidence": "",
            "expected_version": 1,
            "csrfmiddlewaretoken": eddie_token,
        },
    )
    # then
    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    conflict = text_of(from_tag(page, 'id="verdict-conflict"', 'id="verdict-form"'))
    erin_review = Review.objects.get(claim=claim)
    assert conflict.startswith(
        "Your verdict was not saved. erin-editor recorded 'corroborated' at "
        f"{erin_review.created_at:%H:%M:%S} (version 2) while you were reviewing."
    )
    assert "Newer verdict: Corroborated by erin-editor : The city's press release confirms it." in conflict
    # nothing was overwritten: one review, erin's
    assert list(Review.objects.filter(claim=claim).values_list("verdict", "reviewer__username")) == [
        ("corroborated", "erin-editor")
    ]
    assert Claim.objects.get(pk=claim.pk).status == "corroborated"
    # the draft stays, now on the current version: sending it again is a deliberate act
    assert "The repair bill was 6 million.</textarea>" in page
    assert 'name="expected_version" value="2"' in page
    assert re.search(r'value="disputed" required checked', page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"verdict": "disputed", "rationale": " "},
            "rationale",
            "Say why the claim is disputed: a rationale is required.",
        ),
        (
            {"verdict": "unreliable", "rationale": ""},
            "rationale",
            "Say why the claim is unreliable: a rationale is required.",
        ),
        (
            {"verdict": "maybe", "rationale": "x"},
            "verdict",
            "Select a valid choice. maybe is not one of the available choices.",
        ),
        ({"verdict": "corroborated", "evidence": "not a link"}, "evidence", None),
    ],
    ids=["disputed", "unreliable", "unknown verdict", "bad evidence"],
)
def test_an_invalid_verdict_is_refused_with_the_reason_and_changes_nothing(
    editor: User, newsroom: Newsroom, data: dict[str, str], field: str, message: str | None
) -> None:
    client = client_for(editor)
    token = token_of(client, newsroom.bridge.pk)
    before = db_snapshot()
    # when
    response = client.post(
        f"/claims/{newsroom.bridge.pk}/verdict", {**data, "expected_version": 1, "csrfmiddlewaretoken": token}
    )
    # then
    assert response.status_code == 400
    assert db_snapshot() == before
    errors = response.context["verdict_form"].errors
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]


@pytest.mark.django_db
def test_a_verdict_is_recorded_with_its_evidence_and_shown_in_the_history(
    editor: User, newsroom: Newsroom
) -> None:
    client = client_for(editor)
    # when
    response = client.post(
        f"/claims/{newsroom.bridge.pk}/verdict",
        {
            "verdict": "disputed",
            "rationale": "The invoice says 6 million.",
            "expected_version": 1,
            "evidence": "https://city.example/invoice\n\nhttps://city.example/minutes\n",
            "csrfmiddlewaretoken": token_of(client, newsroom.bridge.pk),
        },
        follow=True,
    )
    # then
    review = Review.objects.get(claim=newsroom.bridge)
    assert review.evidence == ["https://city.example/invoice", "https://city.example/minutes"]
    page = response.content.decode()
    assert "Recorded disputed (version 2)." in page
    history = text_of(from_tag(page, 'id="history"'))
    assert "eddie-editor Marked disputed (was unreviewed) The invoice says 6 million." in history
    assert page.count('href="https://city.example/invoice"') == 2  # the current verdict and the history


# --- Appearances and findings in context --------------------------------------------------------


def test_paragraph_context_is_the_highlights_paragraph_trimmed_at_words() -> None:
    text = "First paragraph.\n\nAlpha beta gamma delta.\n\nLast."
    start = text.index("gamma")
    assert paragraph_context(text, start, start + 5) == ("Alpha beta ", "gamma", " delta.")
    long_before = "word " * 100
    before, exact, after = paragraph_context(
        long_before + "X end", len(long_before), len(long_before) + 1, limit=30
    )
    assert (before, exact, after) == ("…word word word word word ", "X", " end")
    assert paragraph_context("a\nb c", 2, 3) == ("a ", "b", " c")


@pytest.mark.django_db
def test_the_page_shows_each_appearance_in_its_paragraph_linked_to_the_reader(
    reader: User, newsroom: Newsroom
) -> None:
    page = client_for(reader).get(f"/claims/{newsroom.bridge.pk}/").content.decode()
    claim_id, article_id = newsroom.bridge.pk, newsroom.gazette.pk
    assert (
        f'<a class="article-title" href="/articles/{article_id}/?claim={claim_id}#claim-{claim_id}">'
        "Bridge reopens</a>"
    ) in (page)
    assert (
        '<blockquote class="context"><span class="ctx-before">Officials said </span>'
        '<mark class="hl st-unreviewed">'
        "the bridge reopened on Monday after repairs costing 4 million euros</mark>"
        '<span class="ctx-after">. Traffic was light.</span></blockquote>'
    ) in page


@pytest.mark.django_db
def test_each_finding_shows_the_other_claim_in_its_own_article(reader: User, newsroom: Newsroom) -> None:
    page = client_for(reader).get(f"/claims/{newsroom.bridge.pk}/").content.decode()
    finding = page[page.index(f'id="finding-{newsroom.duplicate.pk}"') :]
    other = newsroom.bridge_again
    assert f'<h3><a href="/claims/{other.pk}/">Claim #{other.pk}</a>' in finding
    assert '<p class="explanation">Same figure, same event</p>' in finding
    assert '<span class="score" title="Detector score from 0 to 1">score 0.83</span>' in finding
    assert (
        '<span class="ctx-before">Drivers cheered as </span><mark class="hl st-unreviewed">'
        "the bridge reopened on Monday following repairs of 4 million euros</mark>"
    ) in finding
    assert f'href="/articles/{newsroom.kpb.pk}/?claim={other.pk}#claim-{other.pk}"' in finding


# --- Accepting and rejecting findings -------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_a_duplicate_merges_the_claims_keeping_both_histories(
    editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    client = client_for(editor)
    # when
    response = client.post(
        f"/findings/{n.duplicate.pk}/decision",
        {
            "decision": "accept",
            "reason": "Same bridge, same day.",
            "from": n.bridge.pk,
            "keep": n.bridge.pk,
            "csrfmiddlewaretoken": token_of(client, n.bridge.pk),
        },
        follow=True,
    )
    # then: the kept claim has both appearances and both histories
    assert response.redirect_chain == [(f"/claims/{n.bridge.pk}/", 302)]
    kept = response.content.decode()
    assert f"Merged claim #{n.bridge_again.pk} into this claim, with its appearances and history." in kept
    appearances = kept[kept.index('id="appearances-heading"') : kept.index('id="findings"')]
    assert re.findall(r'<span class="outlet">([^<]+)</span>', appearances) == ["Harbour Gazette", "KPB News"]
    history = text_of(from_tag(kept, 'id="history"'))
    assert (
        f"Merged claim #{n.bridge_again.pk} into #{n.bridge.pk} (1 source(s) moved) Same bridge, same day."
        in history
    )
    assert f"on #{n.bridge_again.pk} Claim created from a highlight in 'Cheers on the bridge'" in history
    assert f"Accepted duplicate with claim #{n.bridge_again.pk}" in history
    # and the merged claim's page points there, without a verdict form
    merged = client.get(f"/claims/{n.bridge_again.pk}/").content.decode()
    assert text_of(from_tag(merged, 'id="merged-banner"')).startswith(
        f"This claim was merged into claim #{n.bridge.pk} ."
    )
    assert f'<a href="/claims/{n.bridge.pk}/">claim #{n.bridge.pk}</a>' in merged
    assert 'id="verdict-form"' not in merged
    assert Claim.objects.get(pk=n.bridge_again.pk).merged_into_id == n.bridge.pk
    assert Finding.objects.get(pk=n.duplicate.pk).state == FindingState.CONFIRMED


@pytest.mark.django_db
def test_accepting_a_duplicate_can_keep_the_other_claim(editor: User, newsroom: Newsroom) -> None:
    n = newsroom
    client = client_for(editor)
    response = client.post(
        f"/findings/{n.duplicate.pk}/decision",
        {
            "decision": "accept",
            "from": n.bridge.pk,
            "keep": n.bridge_again.pk,
            "csrfmiddlewaretoken": token_of(client, n.bridge.pk),
        },
    )
    assert response["Location"] == f"/claims/{n.bridge_again.pk}/"
    assert Claim.objects.get(pk=n.bridge.pk).merged_into_id == n.bridge_again.pk


@pytest.mark.django_db
def test_rejecting_a_contradiction_closes_it_on_both_claims(editor: User, newsroom: Newsroom) -> None:
    n = newsroom
    client = client_for(editor)
    # when
    response = client.post(
        f"/findings/{n.contradiction.pk}/decision",
        {
            "decision": "reject",
            "reason": "Different councils.",
            "from": n.budget_no.pk,
            "csrfmiddlewaretoken": token_of(client, n.budget_no.pk),
        },
    )
    # then
    assert response["Location"] == f"/claims/{n.budget_no.pk}/"
    assert Finding.objects.get(pk=n.contradiction.pk).state == FindingState.REJECTED
    assert list(
        Claim.objects.filter(pk__in=[n.budget_yes.pk, n.budget_no.pk]).values_list(
            "open_contradictions", flat=True
        )
    ) == [0, 0]
    assert sorted(ClaimEvent.objects.filter(action="finding_rejected").values_list("claim_id", "reason")) == [
        (n.budget_yes.pk, "Different councils."),
        (n.budget_no.pk, "Different councils."),
    ]
    page = client.get(f"/claims/{n.budget_no.pk}/").content.decode()
    assert "Rejected by eddie-editor" in page
    assert f'action="/findings/{n.contradiction.pk}/decision"' not in page


@pytest.mark.django_db
def test_a_finding_decided_meanwhile_is_not_decided_again(
    editor: User, second_editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    client = client_for(editor)
    token = token_of(client, n.budget_no.pk)
    finding_decide(
        finding_id=n.contradiction.pk, user=second_editor, accept=True, reason="Checked the minutes."
    )
    before = db_snapshot()
    # when
    response = client.post(
        f"/findings/{n.contradiction.pk}/decision",
        {"decision": "reject", "from": n.budget_no.pk, "csrfmiddlewaretoken": token},
        follow=True,
    )
    # then
    assert db_snapshot() == before
    assert "This finding was already confirmed by erin-editor." in response.content.decode()


# --- Live updates and odds and ends -------------------------------------------------------------


@pytest.mark.django_db
def test_the_claim_live_endpoint_sends_new_findings_once_the_check_is_done(
    editor: User, newsroom: Newsroom
) -> None:
    n = newsroom
    client = client_for(editor)
    page = client.get(f"/claims/{n.budget_no.pk}/").content.decode()
    token = re.search(r'data-live-token="([0-9a-f]+)"', page)[1]
    assert 'data-live-pending="1"' in page
    assert '<span class="check check-pending" data-check="pending">' in page
    url = f"/claims/{n.budget_no.pk}/live"
    # when: nothing happened yet
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{token}"').status_code == 304
    # when: the check finishes with a new finding
    other = factories.claim(text="The council postponed the budget vote.", user=editor)
    store_finding(n.budget_no, other, explanation="Postponed vs rejected", score=0.7)
    Claim.objects.filter(pk=n.budget_no.pk).update(check_status=CheckStatus.DONE)
    response = client.get(url, HTTP_IF_NONE_MATCH=f'"{token}"')
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["pending"] is False
    assert body["claim"]["check_status"] == "done"
    assert '<span class="check check-done" data-check="done"' in body["html"]["check"]
    assert '<p class="explanation">Postponed vs rejected</p>' in body["html"]["findings"]
    assert f'action="/findings/{n.contradiction.pk}/decision"' in body["html"]["findings"]


@pytest.mark.django_db
def test_unknown_claims_are_not_found(editor: User) -> None:
    client = client_for(editor)
    assert client.get("/claims/999999/").status_code == 404
    assert client.get("/claims/999999/live").status_code == 404


@pytest.mark.django_db
def test_the_claim_page_escapes_user_text(editor: User, annotator: User) -> None:
    claim = factories.claim(text='<img src=x onerror="alert(1)"> rose', user=annotator, speaker="<b>Bob</b>")
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="<script>x()</script>")
    page = client_for(editor).get(f"/claims/{claim.pk}/").content.decode()
    assert "<img src=x" not in page
    assert "<script>x()" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; rose" in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
