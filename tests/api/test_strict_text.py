"""Strings must be strings: a number, boolean, list or object where the API takes text is a 400
under the field's name, and a rationale must say something."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from apicore.fields import TextField
from tests.conftest import api_client_for
from tests.newsroom import Newsroom, db_snapshot

NUMBER = "Must be text (a JSON string in quotes), not a number."
BOOLEAN = "Must be text (a JSON string in quotes), not true or false."


@pytest.mark.parametrize(
    ("value", "kind"),
    [(0, "a number"), (12345, "a number"), (0.5, "a number"), (True, "true or false"),
     ({"a": 1}, "an object"), (["a"], "a list")],
)  # fmt: skip
def test_the_text_field_takes_only_strings(value: Any, kind: str) -> None:
    field = TextField()
    field.bind("text", None)  # type: ignore[arg-type]
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(value)
    assert refused.value.detail == [f"Must be text (a JSON string in quotes), not {kind}."]


def test_the_text_field_still_takes_strings() -> None:
    assert TextField().run_validation(" 0 ") == "0"


CASES: list[tuple[str, Callable[[Newsroom], str], Callable[[Newsroom], dict[str, Any]], dict[str, Any]]] = [
    (
        "revision text",
        lambda n: f"/api/v1/articles/{n.article.pk}/revisions/",
        lambda n: {"text": 0},
        {"text": [NUMBER]},
    ),
    (
        "claim text and speaker",
        lambda n: "/api/v1/claims/",
        lambda n: {"text": 12345, "speaker": 0.5},
        {"text": [NUMBER], "speaker": [NUMBER]},
    ),
    (
        "selector quote",
        lambda n: "/api/v1/claims/",
        lambda n: {"article": n.article.pk, "selector": [{"type": "TextQuoteSelector", "exact": 4}]},
        {"selector": [{"exact": [NUMBER]}]},
    ),
    (
        "source url",
        lambda n: f"/api/v1/claims/{n.standalone.pk}/sources/",
        lambda n: {"sources": [{"url": 5}]},
        {"sources": {"0": {"url": [NUMBER]}}},
    ),
    (
        "rationale",
        lambda n: f"/api/v1/claims/{n.standalone.pk}/reviews/",
        lambda n: {"verdict": "disputed", "rationale": 0},
        {"rationale": [NUMBER]},
    ),
    (
        "evidence link",
        lambda n: f"/api/v1/claims/{n.standalone.pk}/reviews/",
        lambda n: {"verdict": "corroborated", "evidence": [7]},
        {"evidence": {"0": [NUMBER]}},
    ),
    (
        "bulk rationale",
        lambda n: "/api/v1/claims/bulk-reviews/",
        lambda n: {"claims": [n.standalone.pk], "verdict": "unreliable", "rationale": False},
        {"rationale": [BOOLEAN]},
    ),
    (
        "finding reason",
        lambda n: f"/api/v1/findings/{n.finding.pk}/decision/",
        lambda n: {"decision": "reject", "reason": 1},
        {"reason": [NUMBER]},
    ),
    (
        "article title",
        lambda n: "/api/v1/articles/",
        lambda n: {"title": 2024, "text": "The ferry runs hourly."},
        {"title": [NUMBER]},
    ),
    ("match text", lambda n: "/api/v1/claims/match/", lambda n: {"text": 42}, {"text": [NUMBER]}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path", "body", "expected"), CASES, ids=[case[0] for case in CASES])
def test_a_number_where_text_belongs_is_a_400_naming_the_field(
    editor: User,
    newsroom: Newsroom,
    name: str,
    path: Callable[[Newsroom], str],
    body: Callable[[Newsroom], dict[str, Any]],
    expected: dict[str, Any],
) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(path(newsroom), body(newsroom), format="json")
    assert (response.status_code, response.json()) == (400, expected)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_number_as_the_new_wording_is_a_400(editor: User, newsroom: Newsroom) -> None:
    before = db_snapshot()
    response = api_client_for(editor).patch(
        f"/api/v1/claims/{newsroom.standalone.pk}/", {"text": True}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"text": [BOOLEAN]})
    assert db_snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("rationale", ["0", " - ", "..."])
def test_a_rationale_without_words_does_not_satisfy_the_required_rationale(
    editor: User, newsroom: Newsroom, rationale: str
) -> None:
    before = db_snapshot()
    response = api_client_for(editor).post(
        f"/api/v1/claims/{newsroom.standalone.pk}/reviews/",
        {"verdict": "disputed", "rationale": rationale},
        format="json",
    )
    assert (response.status_code, response.json()) == (
        400,
        {"rationale": [f"Say in words why the claim is disputed: {rationale.strip()!r} gives no reason."]},
    )
    assert db_snapshot() == before


def test_the_schema_describes_force_and_the_refusal() -> None:
    document = SchemaGenerator().get_schema(request=None, public=True)
    operation = document["paths"]["/api/v1/articles/{article_id}/revisions/"]["post"]
    body = document["components"]["schemas"]["RevisionCreateRequest"]["properties"]
    assert (body["force"]["type"], body["force"]["default"]) == ("boolean", False)
    refused = operation["responses"]["409"]["content"]["application/json"]["schema"]
    assert refused == {"$ref": "#/components/schemas/RevisionRefused"}
    assert set(document["components"]["schemas"]["RevisionRefused"]["properties"]) == {
        "detail",
        "anchored",
        "orphaned",
    }
