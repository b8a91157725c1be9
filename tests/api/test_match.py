from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from claims.detection import SUGGEST_THRESHOLD
from claims.models import ClaimVector
from tests import factories
from tests.api.support import run_checks
from tests.conftest import api_client_for
from tests.newsroom import db_snapshot

STORED = [
    "The council approved the budget on Monday.",
    "The bridge reopened on Monday after repairs costing 9 million euros.",
    "The bridge reopened on Monday after repairs costing 4 million euros.",
]


@pytest.mark.django_db
def test_match_returns_the_duplicate_first_and_stores_nothing(reader: User, annotator: User) -> None:
    # given
    claims = [factories.claim(text=text, user=annotator) for text in STORED]
    run_checks(*claims)
    before = (db_snapshot(), ClaimVector.objects.count())
    # when
    response = api_client_for(reader).post(
        "/api/v1/claims/match/",
        {"text": "After repairs that cost 4 million euros, the bridge reopened on Monday.", "limit": 2},
        format="json",
    )
    # then
    results = response.json()["results"]
    assert response.status_code == 200
    assert [(r["claim"], r["text"], r["relation"]) for r in results] == [
        (claims[2].pk, STORED[2], "duplicate"),
        (claims[1].pk, STORED[1], "contradiction"),
    ]
    assert results[0]["score"] >= SUGGEST_THRESHOLD
    assert (db_snapshot(), ClaimVector.objects.count()) == before


@pytest.mark.django_db
def test_match_leaves_out_claims_that_share_no_subject_and_scores_related_ones_by_relatedness(
    reader: User, annotator: User
) -> None:
    # given: stored claims about a budget and a bridge, and a statement about neither
    claims = [factories.claim(text=text, user=annotator) for text in STORED]
    run_checks(*claims)
    client = api_client_for(reader)
    # when
    unrelated = client.post(
        "/api/v1/claims/match/",
        {"text": "A heatwave pushed temperatures in the capital past 41 degrees."},
        format="json",
    )
    statement = {"text": "The council approved the budget after a long debate."}
    related = client.post("/api/v1/claims/match/", statement, format="json")
    # then: nothing is offered as a match for the unrelated statement
    assert (unrelated.status_code, unrelated.json()) == (200, {"results": []})
    results = related.json()["results"]
    assert results, "the budget claim must be offered for a statement about the budget"
    assert results[0]["claim"] == claims[0].pk
    # a claim that is merely related is scored by how related it is, below a certain duplicate
    assert all(r["relation"] != "unrelated" for r in results)
    assert all(r["score"] < 0.94 for r in results if r["relation"] == "related")


@pytest.mark.django_db
def test_match_needs_a_statement(reader: User) -> None:
    response = api_client_for(reader).post("/api/v1/claims/match/", {"text": " ", "limit": 50}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"limit": ["Ensure this value is less than or equal to 20."]},
    )
    response = api_client_for(reader).post("/api/v1/claims/match/", {"text": " "}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"text": ["The claim text is empty: write the statement to check."]},
    )


@pytest.mark.django_db
def test_match_offers_a_claim_about_the_same_thing_even_when_the_judge_finds_no_shared_subject(
    reader: User, annotator: User
) -> None:
    # given: the judge calls this pair unrelated, but it is what a search for the statement should find
    wombats = factories.claim(
        text="Wombats are herding animals into their burrows to escape the fires.", user=annotator
    )
    budget = factories.claim(text=STORED[0], user=annotator)
    run_checks(wombats, budget)
    # when
    response = api_client_for(reader).post(
        "/api/v1/claims/match/",
        {"text": "Footage shows butterflies drinking water in a wombat hole after the fires."},
        format="json",
    )
    # then
    results = response.json()["results"]
    assert response.status_code == 200
    assert [(r["claim"], r["relation"]) for r in results] == [(wombats.pk, "related")]


@pytest.mark.django_db
def test_match_results_are_sorted_by_one_score_and_min_score_cuts_them(reader: User, annotator: User) -> None:
    # given
    claims = [factories.claim(text=text, user=annotator) for text in STORED]
    run_checks(*claims)
    client = api_client_for(reader)
    statement = "The bridge reopened on Monday after repairs costing 4 million euros."
    # when
    everything = client.post("/api/v1/claims/match/", {"text": statement, "min_score": 0}, format="json")
    strict = client.post("/api/v1/claims/match/", {"text": statement, "min_score": 0.99}, format="json")
    # then: one order, by score, whatever the relation; the budget claim only without a floor
    scores = [r["score"] for r in everything.json()["results"]]
    assert scores == sorted(scores, reverse=True)
    assert {r["claim"] for r in everything.json()["results"]} == {claim.pk for claim in claims}
    assert everything.json()["results"][0]["claim"] == claims[2].pk
    assert [(r["claim"], r["relation"]) for r in strict.json()["results"]] == [(claims[2].pk, "duplicate")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("min_score", "message"),
    [
        (1.5, "Ensure this value is less than or equal to 1."),
        (-0.1, "Ensure this value is greater than or equal to 0."),
        ("high", "A valid number is required."),
    ],
)
def test_match_min_score_must_be_between_0_and_1(reader: User, min_score: object, message: str) -> None:
    response = api_client_for(reader).post(
        "/api/v1/claims/match/", {"text": "The bridge reopened.", "min_score": min_score}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"min_score": [message]})
