"""The W3C Web Annotation export of highlights: documents, negotiation, pages and permissions.
Conformance with the W3C test suite is in tests/conformance."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from annotations.models import Annotation
from annotations.services import article_revise
from claims.api.w3c import xsd_datetime
from claims.models import Claim
from claims.services.claims import SelectorInput, claim_create
from claims.services.reviews import claim_review
from tests import factories
from tests.conftest import api_client_for, client_for

pytestmark = pytest.mark.django_db

LD_JSON = "application/ld+json"
PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
TEXT = (
    "The water board said on Thursday that reservoir levels stood at 41 percent 💧 of capacity.\n\n"
    "Farmers said the board had promised a drought plan by May and had not delivered one."
)


def create_claim(user: User, exact: str, **extra: Any) -> tuple[Claim, Annotation]:
    article = extra.pop("article")
    claim = claim_create(user=user, article=article, selector=SelectorInput(exact=exact), **extra)
    return claim, Annotation.objects.get(source__claim=claim)


def test_an_annotation_is_a_web_annotation_with_status_text_and_evidence_bodies(
    annotator: User, editor: User
) -> None:
    # given
    annotator.first_name, annotator.last_name = "Annie", "Example"
    annotator.save()
    article = factories.article(text=TEXT, url="https://waterboard.example/news/levels")
    claim, annotation = create_claim(
        annotator,
        "reservoir levels stood at 41 percent 💧 of capacity",
        article=article,
        text="Reservoir levels stood at 41 percent of capacity in March 2026.",
        sources=[{"url": "https://waterboard.example/data/levels.csv", "title": "Levels"}],
    )
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="disputed", rationale="Figures differ.")
    claim.refresh_from_db()
    revision = article.current_revision
    # when
    response = api_client_for(editor).get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT=LD_JSON)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE
    start = revision.text.index("reservoir levels")
    document = json.loads(response.content)
    # the annotator is an opaque id: no name, no username (issue 15, item 6)
    creator = document.pop("creator")
    assert creator["type"] == "Person"
    assert re.fullmatch(r"urn:corroborate:annotator:[0-9a-f]{20}", creator["id"])
    assert list(creator) == ["id", "type"]
    assert "annie" not in response.content.decode().lower()
    assert document == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"http://testserver/api/v1/annotations/{annotation.pk}/",
        "type": "Annotation",
        "motivation": "classifying",
        "created": xsd_datetime(annotation.created_at),
        "modified": xsd_datetime(claim.updated_at),
        "generator": {"id": "http://testserver/", "type": "Software", "name": "Corroborate"},
        "body": [
            {"type": "TextualBody", "purpose": "classifying", "value": "disputed", "format": "text/plain"},
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": "Reservoir levels stood at 41 percent of capacity in March 2026.",
                "format": "text/plain",
            },
            {
                "type": "SpecificResource",
                "source": "https://waterboard.example/data/levels.csv",
                "purpose": "linking",
            },
        ],
        "target": {
            "type": "SpecificResource",
            "source": "https://waterboard.example/news/levels",
            "state": {
                "type": "TimeState",
                "sourceDate": xsd_datetime(revision.created_at),
                "cached": f"http://testserver/articles/{article.pk}/revisions/1/text",
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "reservoir levels stood at 41 percent 💧 of capacity",
                    "prefix": "ter board said on Thursday that ",
                    "suffix": ".\n\nFarmers said the board had pr",
                },
                {"type": "TextPositionSelector", "start": start, "end": start + 50},
            ],
        },
    }
    assert xsd_datetime(annotation.created_at).endswith("Z")


def test_plain_json_gets_the_same_document_and_no_accept_gets_json_ld(annotator: User) -> None:
    article = factories.article(text=TEXT)
    _, annotation = create_claim(annotator, "41 percent", article=article)
    client = api_client_for(annotator)
    url = f"/api/v1/annotations/{annotation.pk}/"
    as_ld, as_profile, as_json, as_any = (
        client.get(url, HTTP_ACCEPT=LD_JSON),
        client.get(url, HTTP_ACCEPT=PROFILE),
        client.get(url, HTTP_ACCEPT="application/json"),
        client.get(url),
    )
    responses = (as_ld, as_profile, as_json, as_any)
    assert [r["Content-Type"] for r in responses] == [PROFILE, PROFILE, "application/json", PROFILE]
    assert len({r.content for r in responses}) == 1
    assert "Accept" in as_json["Vary"]


def test_an_article_without_the_original_url_targets_this_apps_reader(annotator: User) -> None:
    article = factories.article(text=TEXT, url="")
    _, annotation = create_claim(annotator, "41 percent", article=article)
    document = api_client_for(annotator).get(f"/api/v1/annotations/{annotation.pk}/").json()
    assert document["target"]["source"] == f"http://testserver/articles/{article.pk}/"


def test_an_orphan_targets_the_revision_it_was_last_found_in(
    annotator: User, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    # given: the sentence is removed in revision 2
    article = factories.article(text=TEXT)
    _, annotation = create_claim(annotator, "had promised a drought plan by May", article=article)
    with django_capture_on_commit_callbacks(execute=True):
        article_revise(
            article=article, text="The water board said on Thursday that levels were low.", user=editor
        )
    annotation.refresh_from_db()
    assert annotation.anchor_state == "orphan"
    client = client_for(annotator)
    # when
    document = client.get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT=LD_JSON)
    target = json.loads(document.content)["target"]
    # then: the cached text is revision 1, and the selectors address it exactly
    assert target["state"]["cached"] == f"http://testserver/articles/{article.pk}/revisions/1/text"
    cached = client.get(target["state"]["cached"].removeprefix("http://testserver")).content.decode()
    quote, position = target["selector"]
    assert (
        cached[position["start"] : position["end"]] == quote["exact"] == "had promised a drought plan by May"
    )
    assert cached[: position["start"]].endswith(quote["prefix"])


def test_a_page_of_an_articles_annotations_links_its_neighbours_and_collection(annotator: User) -> None:
    # given: three highlights, two per page
    article = factories.article(text=TEXT)
    ids = [
        create_claim(annotator, exact, article=article)[1].pk
        for exact in ("water board said on Thursday", "41 percent", "a drought plan by May")
    ]
    client = api_client_for(annotator)
    base = f"http://testserver/api/v1/annotations/?article={article.pk}&page_size=2"
    collection_id = f"http://testserver/api/v1/annotations/collection/?article={article.pk}&page_size=2"
    # when
    first = client.get(f"/api/v1/annotations/?article={article.pk}&page_size=2", HTTP_ACCEPT=LD_JSON)
    second = client.get(f"/api/v1/annotations/?article={article.pk}&page_size=2&page=2", HTTP_ACCEPT=LD_JSON)
    collection = client.get(f"/api/v1/annotations/collection/?article={article.pk}&page_size=2")
    # then
    assert first["Content-Type"] == PROFILE
    first_page, second_page = json.loads(first.content), json.loads(second.content)
    part_of = {
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Highlights of article {article.pk}",
        "total": 3,
        "first": f"{base}&page=1",
        "last": f"{base}&page=2",
    }
    assert {key: value for key, value in first_page.items() if key != "items"} == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"{base}&page=1",
        "type": "AnnotationPage",
        "partOf": part_of,
        "startIndex": 0,
        "next": f"{base}&page=2",
    }
    assert {key: value for key, value in second_page.items() if key != "items"} == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"{base}&page=2",
        "type": "AnnotationPage",
        "partOf": part_of,
        "startIndex": 2,
        "prev": f"{base}&page=1",
    }
    items = first_page["items"] + second_page["items"]
    assert [item["id"] for item in items] == [f"http://testserver/api/v1/annotations/{pk}/" for pk in ids]
    assert all("@context" not in item for item in items)
    assert collection.json() == {"@context": "http://www.w3.org/ns/anno.jsonld", **part_of}


def test_an_article_without_highlights_is_an_empty_page_without_first_or_last(reader: User) -> None:
    article = factories.article(text=TEXT)
    page = api_client_for(reader).get(f"/api/v1/annotations/?article={article.pk}").json()
    assert page["items"] == []
    assert page["partOf"] == {
        "id": f"http://testserver/api/v1/annotations/collection/?article={article.pk}",
        "type": "AnnotationCollection",
        "label": f"Highlights of article {article.pk}",
        "total": 0,
    }
    assert {"next", "prev"}.isdisjoint(page)


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("article=abc", 400, {"article": ["'abc' is not an article id."]}),
        ("article=", 400, {"article": ["Give an article id, or leave out the article parameter."]}),
        ("article=999999", 404, {"detail": "No such article."}),
        ("page=0", 400, {"page": ["page must be a whole number from 1, got '0'."]}),
        ("page=5", 404, {"detail": "There are 1 page(s)."}),
        ("page_size=100000", 400, {"page_size": ["page_size can be at most 200."]}),
    ],
)
def test_bad_page_requests_say_what_is_wrong(reader: User, query: str, status: int, body: Any) -> None:
    response = api_client_for(reader).get(f"/api/v1/annotations/?{query}")
    assert (response.status_code, response.json()) == (status, body)


def test_an_unknown_annotation_is_a_404(reader: User) -> None:
    assert api_client_for(reader).get("/api/v1/annotations/999999/").status_code == 404


@pytest.mark.parametrize(
    ("how", "status"),
    [("anonymous", 401), ("bad token", 401), ("token", 200), ("session", 200)],
)
@pytest.mark.parametrize(
    "path", ["/api/v1/annotations/{id}/", "/api/v1/annotations/", "/api/v1/annotations/collection/"]
)
def test_any_authenticated_user_may_export_and_nobody_else(
    reader: User, annotator: User, how: str, status: int, path: str
) -> None:
    article = factories.article(text=TEXT)
    _, annotation = create_claim(annotator, "41 percent", article=article)
    client: Any
    if how == "session":
        client = client_for(reader)
    elif how == "token":
        client = api_client_for(reader)
    else:
        client = APIClient()
        if how == "bad token":
            client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    response = client.get(path.format(id=annotation.pk), HTTP_ACCEPT=LD_JSON)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"] == "Token"
        assert "@context" not in response.json()
