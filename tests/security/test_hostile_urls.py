"""Links that would run script (javascript:, data:, vbscript:, in any spelling) are refused wherever a
URL is accepted, API and pages alike, with a 400 that says what to send instead; nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Article
from claims.models import Claim, Source, SourceKind
from config.template_filters import web_url
from tests import factories
from tests.conftest import api_client_for
from tests.newsroom import db_snapshot

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "  javascript:alert(1)",
    "javascript://harbour.example/%0Aalert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


def refusal(url: str) -> str:
    return f"{url.strip()[:100]!r} is not a web address: use a full http:// or https:// URL."


@pytest.fixture
def claim(editor: User) -> Claim:
    return factories.claim(text="The ferry carried 3 million passengers in 2023.", user=editor)


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_api_refuses_script_links_as_sources_and_evidence(editor: User, claim: Claim, url: str) -> None:
    api = api_client_for(editor)
    before = db_snapshot()
    # when
    created = api.post(
        "/api/v1/claims/", {"text": "Fares rose by 4%.", "sources": [{"url": url}]}, format="json"
    )
    added = api.post(f"/api/v1/claims/{claim.pk}/sources/", {"sources": [{"url": url}]}, format="json")
    verdict = api.post(
        f"/api/v1/claims/{claim.pk}/reviews/",
        {"verdict": "corroborated", "rationale": "Port data.", "evidence": [url]},
        format="json",
    )
    # then
    assert (created.status_code, created.json()) == (400, {"sources": [refusal(url)]})
    assert (added.status_code, added.json()) == (400, {"sources": [refusal(url)]})
    assert (verdict.status_code, verdict.json()) == (400, {"evidence": [refusal(url)]})
    assert db_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_api_refuses_script_links_as_article_addresses(editor: User, url: str) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        "/api/v1/articles/", {"title": "Ferries", "text": "The ferry runs hourly.", "url": url}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["url"]
    assert "http" in response.json()["url"][0]
    assert db_snapshot() == before


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_pages_refuse_script_links_with_a_message(editor: User, claim: Claim, url: str) -> None:
    client = page_client(editor)
    before = db_snapshot()
    # when
    source = client.post(f"/claims/{claim.pk}/sources", {"url": url, "title": "Minutes"})
    verdict = client.post(
        f"/claims/{claim.pk}/verdict",
        {
            "verdict": "corroborated",
            "rationale": "Port data.",
            "evidence": url,
            "expected_version": claim.version,
        },
    )
    article: Any = client.post(
        "/articles/new/", {"title": "Ferries", "text": "The ferry runs hourly.", "url": url}
    )
    # then: each form comes back with the reason, and the link is not on the page as a link
    for response in (source, verdict, article):
        body = response.content.decode()
        assert response.status_code == 400
        assert 'href="javascript:' not in body.lower()
        assert "error" in body
    assert "is not a web address" in source.content.decode()
    assert "is not a web address" in verdict.content.decode()
    assert "Enter a valid URL." in article.content.decode()
    assert db_snapshot() == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://council.example/minutes", "https://council.example/minutes"),
        ("  http://council.example/  ", "http://council.example/"),
        ("HTTPS://COUNCIL.EXAMPLE/", "HTTPS://COUNCIL.EXAMPLE/"),
        *[(url, "") for url in HOSTILE_URLS],
        (" JaVaScRiPt:alert(1)", ""),
        ("java\nscript:alert(1)", ""),
        ("javascript\x00:alert(1)", ""),
        ("/articles/1/", ""),
        ("//evil.example/x", ""),
        ("http://[::1", ""),
        (None, ""),
    ],
)
def test_web_url_lets_only_http_addresses_become_links(value: object, expected: str) -> None:
    assert web_url(value) == expected


@pytest.mark.django_db
def test_a_stored_script_link_is_shown_as_text_not_as_a_link(editor: User, claim: Claim) -> None:
    # given: rows that bypassed the services (a crafted file loaded with import_data, say)
    Source.objects.create(claim=claim, kind=SourceKind.EVIDENCE, url="javascript:alert(1)", title="Minutes")
    article = factories.article(text="The ferry runs hourly.", url="https://ferries.example/1", user=editor)
    Article.objects.filter(pk=article.pk).update(url="javascript:alert(2)")
    client = page_client(editor)
    # when
    claim_page = client.get(f"/claims/{claim.pk}/").content.decode()
    reader = client.get(f"/articles/{article.pk}/").content.decode()
    # then
    assert "javascript:" not in claim_page.replace(
        '<span class="not-a-link">Minutes (javascript:alert(1))', ""
    )
    assert '<span class="not-a-link">Minutes (javascript:alert(1))</span>' in claim_page
    assert "javascript:" not in reader
