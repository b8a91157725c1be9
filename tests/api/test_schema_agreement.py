"""Where the OpenAPI document and the API disagreed (issue 15, item 9), each side now keeps the other's
word: a merged claim's 409 is documented as it is, no ``format`` parameter is offered (the API negotiates by
Accept), the W3C export refuses unknown parameters and documents its errors, request objects say
``additionalProperties: false``, strings are strings and an empty date-time is not a date-time."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User

from tests.conftest import api_client_for
from tests.newsroom import Newsroom


@pytest.fixture
def document(db: Any, reader: User) -> dict[str, Any]:
    response = api_client_for(reader).get("/api/schema/")
    assert response.status_code == 200
    loaded: dict[str, Any] = yaml.safe_load(response.content)
    return loaded


def test_the_document_offers_no_format_parameter(document: dict[str, Any]) -> None:
    offered = [
        (path, method)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "format"
    ]
    assert offered == []


def test_every_request_object_forbids_unknown_fields(document: dict[str, Any]) -> None:
    requests = {
        name: schema
        for name, schema in document["components"]["schemas"].items()
        if name.endswith("Request") and schema.get("type") == "object"
    }
    assert requests
    assert {name: schema.get("additionalProperties") for name, schema in requests.items()} == dict.fromkeys(
        requests, False
    )


def test_the_w3c_export_documents_its_errors(document: dict[str, Any]) -> None:
    for path in (
        "/api/v1/annotations/",
        "/api/v1/annotations/collection/",
        "/api/v1/annotations/{annotation_id}/",
    ):
        assert {"400", "401", "403", "404"} <= set(document["paths"][path]["get"]["responses"]), path


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/annotations/", "/api/v1/annotations/collection/"])
@pytest.mark.parametrize("query", ["colour=red", "format=json"])
def test_the_w3c_export_refuses_unknown_query_parameters(
    editor: User, newsroom: Newsroom, path: str, query: str
) -> None:
    response = api_client_for(editor).get(f"{path}?{query}")
    name = query.split("=")[0]
    assert response.status_code == 400
    assert list(response.json()) == [name]
    assert "This endpoint accepts: article" in response.json()[name][0]


def test_a_claim_write_conflict_documents_the_claim_as_optional(document: dict[str, Any]) -> None:
    """A merged claim's 409 is ``{"detail"}`` alone (the message names the claim to act on); a lost
    race's 409 carries the claim too. The document must allow both."""
    conflict = document["paths"]["/api/v1/claims/{claim_id}/"]["patch"]["responses"]["409"]
    reference = conflict["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    component = document["components"]["schemas"][reference]
    assert component["required"] == ["detail"]
    assert "claim" in component["properties"]


@pytest.mark.django_db
def test_an_empty_updated_since_is_a_400(reader: User, newsroom: Newsroom) -> None:
    response = api_client_for(reader).get("/api/v1/claims/?updated_since=")
    assert response.status_code == 400
    assert "The date-time is empty" in response.json()["updated_since"][0]


def test_a_claim_edit_must_change_text_or_speaker(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v1/claims/{claim_id}/"]["patch"]
    assert operation["requestBody"]["required"] is True
    assert document["components"]["schemas"]["PatchedClaimUpdateRequest"]["anyOf"] == [
        {"required": ["text"]},
        {"required": ["speaker"]},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "message"), [("limit", "limit must be a number, not true or false.")])
def test_true_or_false_is_not_a_number(reader: User, newsroom: Newsroom, field: str, message: str) -> None:
    response = api_client_for(reader).post(
        "/api/v1/claims/match/", {"text": "bridge", field: False}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {field: [message]})
