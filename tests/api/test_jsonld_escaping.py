"""JSON-LD is safe to paste into <script type="application/ld+json">: <, > and & are escaped in every
JSON-LD output (ClaimReview one and feed, W3C annotations) and in the embeddable snippet."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.api.jsonld import html_safe_json, jsonld_script
from claims.models import Claim
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import api_client_for

PAYLOAD = "</script><script>window.pwned=1</script> & <!--"


def test_html_safe_json_escapes_the_three_characters_and_keeps_the_value() -> None:
    document = {"claimReviewed": PAYLOAD, "n": 1}
    encoded = json.dumps(document).encode()
    escaped = html_safe_json(encoded)
    assert b"<" not in escaped
    assert b">" not in escaped
    assert b"&" not in escaped
    assert b"\\u003c/script\\u003e" in escaped
    assert b"\\u0026" in escaped
    assert json.loads(escaped) == document


def test_the_snippet_is_one_script_element_whose_text_is_the_document() -> None:
    document = {"@context": "https://schema.org", "claimReviewed": PAYLOAD}
    snippet = jsonld_script(document)
    assert snippet.startswith('<script type="application/ld+json">\n')
    assert snippet.endswith("\n</script>\n")
    assert snippet.count("</script") == 1
    inner = snippet.removeprefix('<script type="application/ld+json">\n').removesuffix("\n</script>\n")
    assert json.loads(inner) == document


@pytest.fixture
def hostile_claim(editor: User) -> Claim:
    claim = factories.claim(text=f"Fares {PAYLOAD} rose.", user=editor, speaker=f"Mayor {PAYLOAD}")
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="Timetable data.")
    return claim


def _raw_is_escaped(content: bytes) -> None:
    assert b"</script" not in content
    assert b"<" not in content
    assert b"&" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["application/ld+json", "application/json"])
def test_claimreview_one_and_feed_escape(editor: User, hostile_claim: Claim, accept: str) -> None:
    client = api_client_for(editor)
    one = client.get(f"/api/v1/claims/{hostile_claim.pk}/claimreview/", HTTP_ACCEPT=accept)
    feed = client.get("/api/v1/claimreviews/", HTTP_ACCEPT=accept)
    assert (one.status_code, feed.status_code) == (200, 200)
    _raw_is_escaped(one.content)
    _raw_is_escaped(feed.content)
    assert json.loads(one.content)["itemReviewed"]["author"]["name"] == f"Mayor {PAYLOAD}"
    assert json.loads(feed.content)["results"][0]["itemReviewed"]["author"]["name"] == f"Mayor {PAYLOAD}"


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["application/ld+json", "application/json"])
def test_w3c_annotations_escape(editor: User, annotator: User, accept: str) -> None:
    article = factories.article(text=f"The mayor said {PAYLOAD} fares rose by 4%.", user=editor)
    highlight = factories.highlight(article=article, exact=f"{PAYLOAD} fares rose by 4%", user=annotator)
    client = api_client_for(editor)
    annotation_id = highlight.sources.get(kind="appearance").annotation_id
    one = client.get(f"/api/v1/annotations/{annotation_id}/", HTTP_ACCEPT=accept)
    page = client.get(f"/api/v1/annotations/?article={article.pk}", HTTP_ACCEPT=accept)
    assert (one.status_code, page.status_code) == (200, 200)
    _raw_is_escaped(one.content)
    _raw_is_escaped(page.content)
    exact = json.loads(one.content)["target"]["selector"][0]["exact"]
    assert exact == f"{PAYLOAD} fares rose by 4%"


@pytest.mark.django_db
def test_the_snippet_endpoint_serves_the_claimreview_as_html(editor: User, hostile_claim: Claim) -> None:
    client = api_client_for(editor)
    document = client.get(f"/api/v1/claims/{hostile_claim.pk}/claimreview/").json()
    response = client.get(f"/api/v1/claims/{hostile_claim.pk}/claimreview/snippet/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.decode() == jsonld_script(document)


@pytest.mark.django_db
def test_the_snippet_of_a_claim_without_verdict_is_a_json_404(editor: User) -> None:
    claim = factories.claim(text="Fares rose by 4%.", user=editor)
    response = api_client_for(editor).get(f"/api/v1/claims/{claim.pk}/claimreview/snippet/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": f"Claim {claim.pk} has no verdict yet: "
        "a ClaimReview is published once an editor records one."
    }


@pytest.mark.django_db
def test_the_claim_page_offers_the_snippet_once_there_is_a_verdict(editor: User, settings: Any) -> None:
    from django.test import Client

    claim = factories.claim(text="Fares rose by 4%.", user=editor)
    client = Client()
    client.force_login(editor)
    before = client.get(f"/claims/{claim.pk}/").content.decode()
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="corroborated", rationale="Timetable data.")
    after = client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="claimreview-copy"' not in before
    assert f'data-snippet-url="/api/v1/claims/{claim.pk}/claimreview/snippet/"' in after
