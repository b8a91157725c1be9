"""Creating claims: anchored by either selector or both, standalone, and every input error."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from annotations.models import Annotation
from articles.models import Article
from claims.models import CheckRequest, Claim
from tests import factories
from tests.api.support import iso
from tests.conftest import api_client_for
from tests.newsroom import db_snapshot

# Offsets are code points: the emoji before the quote is one character here, two in UTF-16.
TEXT = "Harbour news \U0001f6a2: the ferry carried 3 million passengers in 2023, the port said."
QUOTE = "the ferry carried 3 million passengers in 2023"
START = TEXT.index(QUOTE)
END = START + len(QUOTE)
QUOTE_SELECTOR = {"type": "TextQuoteSelector", "exact": QUOTE, "prefix": "\U0001f6a2: ", "suffix": ", the"}
POSITION_SELECTOR = {"type": "TextPositionSelector", "start": START, "end": END}


@pytest.fixture
def ferry_article(editor: User) -> Article:
    return factories.article(
        text=TEXT, title="Ferry record", url="https://harbourgazette.example/ferry", user=editor
    )


def expected_claim(
    claim: Claim, article: Article, annotation: Annotation, **overrides: Any
) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "text": QUOTE,
        "title": "",
        "speaker": "",
        "status": "unreviewed",
        "check_status": "pending",
        "version": 1,
        "merged_into": None,
        "findings_count": 0,
        "open_contradictions": 0,
        "open_duplicates": 0,
        "outlet_count": 1,
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "reviewed_at": None,
        "sources": [],
        "appearances": [
            {
                "article": article.pk,
                "title": "Ferry record",
                "url": "https://harbourgazette.example/ferry",
                "outlet": "Harbour Gazette",
                "published_at": None,
                "annotation": annotation.pk,
                "exact": QUOTE,
                "anchor_state": "exact",
                "author": None,
                "seen_at": None,
            }
        ],
        "findings": [],
        "review": None,
        "assignee": None,
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "selector",
    [[QUOTE_SELECTOR], [POSITION_SELECTOR], [QUOTE_SELECTOR, POSITION_SELECTOR]],
    ids=["quote alone", "position alone", "both"],
)
def test_an_annotator_creates_a_highlight_with_either_selector_or_both(
    annotator: User,
    ferry_article: Article,
    selector: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_client_for(annotator).post(
            "/api/v1/claims/", {"article": ferry_article.pk, "selector": selector}, format="json"
        )
    # then
    claim = Claim.objects.get()
    annotation = Annotation.objects.get()
    assert response.status_code == 201
    assert response.json() == expected_claim(claim, ferry_article, annotation)
    assert response["Location"] == f"/api/v1/claims/{claim.pk}/"
    assert (annotation.start, annotation.end, annotation.exact) == (START, END, QUOTE)
    assert list(CheckRequest.objects.values_list("claim_id", "claim_version", "state")) == [
        (claim.pk, 1, "pending")
    ]
    assert len(callbacks) == 1  # the check is relayed after commit


@pytest.mark.django_db
def test_a_highlight_keeps_its_own_wording_speaker_and_sources(
    annotator: User, ferry_article: Article
) -> None:
    body = {
        "article": ferry_article.pk,
        "selector": [POSITION_SELECTOR],
        "text": "The ferry carried 3 million passengers in 2023.",
        "speaker": "  Port   authority ",
        "sources": [{"url": "https://port.example/stats", "title": "Port statistics"}],
    }
    response = api_client_for(annotator).post("/api/v1/claims/", body, format="json")
    claim = Claim.objects.get()
    assert response.status_code == 201
    assert response.json() == expected_claim(
        claim,
        ferry_article,
        Annotation.objects.get(),
        text="The ferry carried 3 million passengers in 2023.",
        speaker="Port authority",
        sources=[{"url": "https://port.example/stats", "title": "Port statistics", "kind": "evidence"}],
    )


@pytest.mark.django_db
def test_an_annotator_creates_a_standalone_claim(annotator: User) -> None:
    response = api_client_for(annotator).post(
        "/api/v1/claims/",
        {
            "text": "Unemployment fell to 4.1% last year.",
            "title": "  Did unemployment   fall to 4.1%? ",
            "speaker": "Minister",
        },
        format="json",
    )
    claim = Claim.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": claim.pk,
        "text": "Unemployment fell to 4.1% last year.",
        "title": "Did unemployment fall to 4.1%?",
        "speaker": "Minister",
        "status": "unreviewed",
        "check_status": "pending",
        "version": 1,
        "merged_into": None,
        "findings_count": 0,
        "open_contradictions": 0,
        "open_duplicates": 0,
        "outlet_count": 0,
        "created_at": iso(claim.created_at),
        "updated_at": iso(claim.updated_at),
        "reviewed_at": None,
        "sources": [],
        "appearances": [],
        "findings": [],
        "review": None,
        "assignee": None,
    }


AMBIGUOUS_TEXT = "Officials said the fund grew. Critics said the fund grew too fast."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"selector": [{"type": "TextQuoteSelector", "exact": "the ferry sank"}]},
            {"selector": ["the quote “the ferry sank” occurs nowhere in the text (it must match the article "
                          "text character for character)"]},
        ),
        (
            {"selector": [{"type": "TextPositionSelector", "start": 10, "end": 500}]},
            {"selector": [f"position 10-500 is out of range: the text has {len(TEXT)} characters (valid "
                          f"offsets are 0 to {len(TEXT)})"]},
        ),
        (
            {"selector": [{"type": "TextPositionSelector", "start": 20, "end": 20}]},
            {"selector": ["the selection 20-20 is empty: select at least one character"]},
        ),
        (
            {"selector": [{**QUOTE_SELECTOR, "exact": "the ferry"}, POSITION_SELECTOR]},
            {"selector": [f"position {START}-{END} does not match the quote: the text there is "
                          f"“{QUOTE}” but the quote is “the ferry”"]},
        ),
        (
            {"selector": [{"type": "CssSelector", "value": "p"}]},
            {"selector": ["Each selector needs a type: TextQuoteSelector or TextPositionSelector."]},
        ),
        (
            {"selector": [POSITION_SELECTOR, POSITION_SELECTOR]},
            {"selector": ["Give at most one selector of each type."]},
        ),
        (
            {"selector": []},
            {"selector": ["selector must be a list of one or two selector objects, each with a type."]},
        ),
        (
            {"selector": [{"type": "TextPositionSelector", "start": -1, "end": 4}]},
            {"selector": [{"start": ["Ensure this value is greater than or equal to 0."]}]},
        ),
        (
            {"selector": [{**QUOTE_SELECTOR, "colour": "red"}]},
            {"selector": [{"colour": [
                "Unknown field. This endpoint accepts: type, exact, prefix, suffix."]}]},
        ),
    ],
    ids=["quote not found", "out of range", "empty span", "disagreeing selectors", "unknown type",
         "two of a type", "no selector", "negative start", "unknown selector field"],
)  # fmt: skip
def test_a_bad_selector_is_a_400_with_the_anchoring_message(
    annotator: User, ferry_article: Article, body: dict[str, Any], errors: Any
) -> None:
    before = db_snapshot()
    response = api_client_for(annotator).post(
        "/api/v1/claims/", {"article": ferry_article.pk, **body}, format="json"
    )
    assert (response.status_code, response.json()) == (400, errors)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_an_ambiguous_quote_asks_for_context(annotator: User, editor: User) -> None:
    article = factories.article(text=AMBIGUOUS_TEXT, user=editor)
    response = api_client_for(annotator).post(
        "/api/v1/claims/",
        {"article": article.pk, "selector": [{"type": "TextQuoteSelector", "exact": "the fund grew"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "selector": [
            "the quote “the fund grew” is ambiguous: it occurs twice; give a prefix or suffix, or the "
            "position (start and end)"
        ]
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"text": "   "}, {"text": ["The claim text is empty: write the statement to check."]}),
        ({}, {"text": ["The claim text is required."]}),
        ({"text": "x" * 1001}, {"text": ["The claim has 1,001 characters; the limit is 1,000."]}),
        ({"text": "Ferries are late.", "speaker": "s" * 301},
         {"speaker": ["The speaker name is longer than 300 characters."]}),
        ({"text": "Ferries are late.", "title": "t" * 301},
         {"title": ["The title has 301 characters: shorten it to 300 or fewer."]}),
        ({"text": "Ferries are late.", "title": 7},
         {"title": ["Must be text (a JSON string in quotes), not a number."]}),
        ({"text": "Ferries are late.", "sources": [{"url": "port stats"}]},
         {"sources": ["'port stats' is not a web address: use a full http:// or https:// URL."]}),
        ({"text": "Ferries are late.", "sources": "https://port.example"},
         {"sources": ['Expected a list of items but got type "str".']}),
        ({"text": "Ferries are late.", "selector": [POSITION_SELECTOR]},
         {"article": ["A selector needs the article it points into."]}),
        ({"article": 987654, "selector": [POSITION_SELECTOR]},
         {"article": ["No article 987654: create it first."]}),
        ({"article": "twelve"}, {"article": ["A valid integer is required."]}),
        ({"text": "Ferries are late.", "status": "corroborated"},
         {"status": [
             "Unknown field. This endpoint accepts: article, selector, text, title, speaker, sources."
         ]}),
    ],
    ids=["blank text", "no text", "too long", "long speaker", "long title", "title not text",
         "bad source url", "sources not a list",
         "selector without article", "unknown article", "article not an id", "unknown field"],
)  # fmt: skip
def test_bad_claim_input_is_a_400_naming_the_field(
    annotator: User, body: dict[str, Any], errors: Any
) -> None:
    before = db_snapshot()
    response = api_client_for(annotator).post("/api/v1/claims/", body, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_a_400(annotator: User) -> None:
    response = api_client_for(annotator).post("/api/v1/claims/", ["text"], format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]},
    )
