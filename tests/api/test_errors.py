"""Errors are JSON a person can act on: oversized bodies, wrong media types, bad JSON, unknown URLs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.conftest import api_client_for
from tests.newsroom import db_snapshot

TOO_LARGE = (
    "The request body is {size} bytes; the limit is 1,024 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE). Send less "
    "per request, e.g. split a bulk request or an article into parts."
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/v1/articles/", "text"), ("/api/v1/claims/", "text"), ("/api/v1/claims/match/", "text")],
)
def test_a_body_over_the_limit_is_a_413_with_the_limit(
    editor: User, settings: Any, path: str, field: str
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"title": "Long", field: "word " * 400})
    before = db_snapshot()
    response = api_client_for(editor).post(path, body, content_type="application/json")
    assert (response.status_code, response.json()) == (
        413,
        {"detail": TOO_LARGE.format(size=f"{len(body):,}")},
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_a_415(editor: User) -> None:
    response = api_client_for(editor).post("/api/v1/claims/", "text=Ferries", content_type="text/plain")
    assert (response.status_code, response.json()) == (
        415,
        {"detail": 'Unsupported media type "text/plain" in request.'},
    )


@pytest.mark.django_db
def test_a_form_body_is_a_415_too(editor: User) -> None:
    response = api_client_for(editor).post("/api/v1/claims/", {"text": "Ferries"}, format="multipart")
    assert response.status_code == 415


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"text": ', "The body is not valid JSON: Expecting value: line 1 column 10 (char 9)."),
        ('{"text": NaN}', "The body is not valid JSON: NaN is not a JSON number."),
        ('{"text": "\\ud800 ferry"}',
         "The body contains a lone UTF-16 surrogate (\\ud800-\\udfff): send valid Unicode."),
    ],
    ids=["truncated", "nan", "lone surrogate"],
)  # fmt: skip
def test_malformed_json_is_a_400_with_the_parser_message(editor: User, raw: str, message: str) -> None:
    response = api_client_for(editor).post("/api/v1/claims/", raw, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": message})


@pytest.mark.django_db
def test_nul_characters_are_refused(editor: User) -> None:
    response = api_client_for(editor).post("/api/v1/claims/", {"text": "Ferries\x00late"}, format="json")
    assert (response.status_code, response.json()) == (400, {"text": ["Null characters are not allowed."]})


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(reader: User) -> None:
    client = api_client_for(reader)
    missing = client.get("/api/v1/verdicts/")
    no_slash = client.get("/api/v1/claims")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "There is no API endpoint at /api/v1/verdicts/: see /api/docs/ for the list."},
    )
    assert (no_slash.status_code, no_slash.json()) == (
        404,
        {
            "detail": "There is no API endpoint at /api/v1/claims: "
            "did you mean /api/v1/claims/ (with a slash)?"
        },
    )


@pytest.mark.django_db
def test_an_unsupported_method_is_a_json_405(editor: User) -> None:
    response = api_client_for(editor).delete("/api/v1/claims/")
    assert (response.status_code, response.json()) == (405, {"detail": 'Method "DELETE" not allowed.'})


@pytest.mark.django_db
def test_an_id_beyond_64_bits_is_a_404_not_a_500(reader: User) -> None:
    response = api_client_for(reader).get("/api/v1/claims/99999999999999999999999/")
    assert response.status_code == 404


# --- Limits: each refusal names the limit and what to do ---------------------------------------------

ARTICLE_TEXT = "The ferry to Velmora runs every hour. It carried 3 million passengers in 2023."


@pytest.mark.django_db
def test_an_article_over_the_size_limit_is_a_400_naming_the_setting(editor: User, settings: Any) -> None:
    settings.ARTICLE_MAX_CHARS = 50
    before = db_snapshot()
    response = api_client_for(editor).post(
        "/api/v1/articles/", {"title": "Ferries", "text": ARTICLE_TEXT}, format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "text": [
                f"The article text has {len(ARTICLE_TEXT)} characters; the limit is 50. Split it into parts "
                "or ask an admin to raise CORROBORATE_ARTICLE_MAX_CHARS."
            ]
        },
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_highlight_over_the_span_limit_is_a_400_with_the_limit(editor: User, settings: Any) -> None:
    settings.ANNOTATION_MAX_CHARS = 20
    article = factories.article(text=ARTICLE_TEXT, user=editor)
    before = db_snapshot()
    exact = "It carried 3 million passengers in 2023."
    response = api_client_for(editor).post(
        "/api/v1/claims/",
        {"article": article.pk, "selector": [{"type": "TextQuoteSelector", "exact": exact}]},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"selector": [f"the selection is {len(exact)} characters long; the maximum is 20"]},
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_claim_text_over_the_limit_is_a_400_with_the_limit(editor: User, settings: Any) -> None:
    settings.CLAIM_MAX_CHARS = 20
    before = db_snapshot()
    response = api_client_for(editor).post("/api/v1/claims/", {"text": ARTICLE_TEXT}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"text": [f"The claim has {len(ARTICLE_TEXT)} characters; the limit is 20."]},
    )
    assert db_snapshot() == before


@pytest.mark.django_db
def test_too_many_sources_or_a_long_speaker_is_a_400(editor: User) -> None:
    client = api_client_for(editor)
    before = db_snapshot()
    sources = client.post(
        "/api/v1/claims/",
        {"text": "Fares rose.", "sources": [{"url": f"https://fares.example/{n}"} for n in range(21)]},
        format="json",
    )
    speaker = client.post("/api/v1/claims/", {"text": "Fares rose.", "speaker": "x" * 301}, format="json")
    assert (sources.status_code, sources.json()) == (400, {"sources": ["At most 20 sources per request."]})
    assert (speaker.status_code, speaker.json()) == (
        400,
        {"speaker": ["The speaker name is longer than 300 characters."]},
    )
    assert db_snapshot() == before


SYNC_PAGE_SIZE = "page_size is at most 200 (API_MAX_PAGE_SIZE), got 201; follow the `next` link for more."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/articles/", SYNC_PAGE_SIZE),
        ("/api/v1/claims/", SYNC_PAGE_SIZE),
        ("/api/v1/claimreviews/", SYNC_PAGE_SIZE),
        ("/api/v1/annotations/collection/", "page_size can be at most 200."),
    ],
)
def test_a_page_size_over_the_limit_is_a_400_with_the_limit(reader: User, path: str, message: str) -> None:
    response = api_client_for(reader).get(f"{path}?page_size=201")
    assert (response.status_code, response.json()) == (400, {"page_size": [message]})


@pytest.mark.django_db
def test_a_bulk_verdict_on_more_claims_than_a_page_is_a_400(editor: User) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        "/api/v1/claims/bulk-reviews/",
        {"claims": list(range(1, 202)), "verdict": "unreliable", "rationale": "Hearsay."},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["claims"]
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_page_form_over_the_request_limit_is_a_413_with_the_limit(editor: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = Client()
    client.force_login(editor)
    before = db_snapshot()
    # when: an article pasted into the "Add article" form, over the request limit
    response = client.post("/articles/new/", {"title": "Long", "text": "word " * 400})
    # then
    body = response.content.decode()
    size = int(response.wsgi_request.META["CONTENT_LENGTH"])
    assert response.status_code == 413
    assert (
        f"The request body is {size:,} bytes; the limit is 1,024 bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)." in body
    )
    assert "Nothing was saved." in body
    assert db_snapshot() == before


@pytest.mark.django_db
def test_an_article_form_over_the_size_limit_says_so(editor: User, settings: Any) -> None:
    settings.ARTICLE_MAX_CHARS = 50
    client = Client()
    client.force_login(editor)
    before = db_snapshot()
    response = client.post("/articles/new/", {"title": "Ferries", "text": ARTICLE_TEXT})
    assert response.status_code == 400
    assert f"The text has {len(ARTICLE_TEXT)} characters; the limit is 50." in response.content.decode()
    assert db_snapshot() == before
