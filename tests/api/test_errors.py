"""Errors are JSON a person can act on: oversized bodies, wrong media types, bad JSON, unknown URLs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.api.support import db_snapshot
from tests.conftest import api_client_for

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
