"""A publisher pastes the ClaimReview snippet into a page: a claim that holds </script><script>... does
not run in that page (issue 15, item 5). The control embeds the same document unescaped and runs."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser

from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import api_client_for

ATTACK = "</script><script>window.pwned=1</script>"


def _publisher_page(snippet: str) -> str:
    head = f"<head><title>Fact-check</title>{snippet}</head>"
    return f"<!doctype html><html>{head}<body><p>Ours.</p></body></html>"


def _run(browser: Browser, html: str) -> tuple[object, str | None]:
    page = browser.new_page()
    try:
        page.set_content(html)
        pwned = page.evaluate("() => window.pwned === undefined ? null : window.pwned")
        script_text = page.evaluate(
            "() => document.querySelector('script[type=\"application/ld+json\"]')?.textContent ?? null"
        )
        return pwned, script_text
    finally:
        page.close()


@pytest.mark.django_db
def test_a_hostile_claim_embedded_through_the_snippet_does_not_run(browser: Browser, editor: User) -> None:
    # given a verdict on a claim whose text and speaker carry a script
    claim = factories.claim(text=f"Fares rose {ATTACK} by 4%.", user=editor, speaker=f"Mayor {ATTACK}")
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="Timetable data.")
    client = api_client_for(editor)
    document = client.get(f"/api/v1/claims/{claim.pk}/claimreview/").json()
    snippet = client.get(f"/api/v1/claims/{claim.pk}/claimreview/snippet/").content.decode()
    # when a publisher pastes it into a page
    pwned, script_text = _run(browser, _publisher_page(snippet))
    # then nothing runs, and the page's structured data is the ClaimReview, attack text included
    assert pwned is None
    assert script_text is not None
    assert json.loads(script_text) == document
    assert json.loads(script_text)["itemReviewed"]["author"]["name"] == f"Mayor {ATTACK}"

    # control: the same document pasted unescaped does run (so this test can fail)
    raw = f'<script type="application/ld+json">{json.dumps(document)}</script>'
    pwned_raw, _ = _run(browser, _publisher_page(raw))
    assert pwned_raw == 1
