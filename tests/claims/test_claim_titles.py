"""A claim's title (a fact-check's headline) is searched by the match endpoint beside the text,
while the judge compares texts only; imports, edits and the API carry it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from claims.models import CheckRequest, Claim, ClaimVector
from claims.services.archive import ArchiveLine
from claims.services.claims import claim_update
from claims.services.index import (
    claim_vectors_current,
    claims_match,
    embedder,
    index_reset,
    vector_from_bytes,
)
from tests import factories
from tests.api.support import run_checks
from tests.conftest import api_client_for

# Two stored claims that share nothing with the statement below but the title of the first.
FERRY = "The Harrowgate ferry carried 41,000 passengers between June and August."
FERRY_TITLE = "Did summer crossings to Kelm Island triple after the toll was scrapped?"
MARKET = "The Dunmore market hall reopened after repairs costing 2 million euros."
STATEMENT = "Crossings to Kelm Island tripled once the toll was scrapped"


def _stored(annotator: User, *, titled: bool) -> list[Claim]:
    claims = [
        factories.claim(text=FERRY, title=FERRY_TITLE if titled else "", user=annotator),
        factories.claim(text=MARKET, user=annotator),
    ]
    run_checks(*claims)
    return claims


@pytest.mark.django_db
@pytest.mark.parametrize("titled", [True, False], ids=["with its title", "without"])
def test_a_claim_is_found_by_the_words_of_its_title(annotator: User, *, titled: bool) -> None:
    # given
    ferry, _ = _stored(annotator, titled=titled)
    # when
    found = [match.claim_id for match in claims_match(text=STATEMENT, limit=3)]
    # then
    assert (found[:1] == [ferry.pk]) is titled


@pytest.mark.django_db
def test_the_judge_compares_texts_only_while_retrieval_embeds_the_title(annotator: User) -> None:
    # given
    ferry, _ = _stored(annotator, titled=True)
    row = ClaimVector.objects.get(claim=ferry)
    # when
    stored = claim_vectors_current(claims=[Claim.objects.get(pk=ferry.pk)])[0]
    # then
    text_vector = embedder().embed([FERRY])[0]
    assert row.lookup_vector is not None
    assert np.allclose(vector_from_bytes(row.vector), text_vector, atol=1e-5)
    assert not np.allclose(vector_from_bytes(row.lookup_vector), text_vector, atol=1e-3)
    assert np.allclose(stored.vector, text_vector, atol=1e-5)
    assert stored.index_vector is stored.lookup_vector
    assert stored.features.text == FERRY


@pytest.mark.django_db
def test_editing_the_title_reindexes_the_claim_and_keeps_its_verdict(annotator: User, editor: User) -> None:
    # given
    ferry, _ = _stored(annotator, titled=False)
    Claim.objects.filter(pk=ferry.pk).update(status="corroborated")
    requests_before = CheckRequest.objects.filter(claim=ferry).count()
    # when
    claim_update(claim_id=ferry.pk, user=editor, expected_version=ferry.version, title=FERRY_TITLE)
    ferry.refresh_from_db()
    run_checks(ferry)
    # then
    assert ferry.title == FERRY_TITLE
    assert ferry.status == "corroborated"
    assert CheckRequest.objects.filter(claim=ferry).count() == requests_before + 1
    assert ClaimVector.objects.get(claim=ferry).lookup_vector is not None
    assert [match.claim_id for match in claims_match(text=STATEMENT, limit=1)] == [ferry.pk]
    # and removing it again takes the title's words out of the index
    claim_update(claim_id=ferry.pk, user=editor, expected_version=ferry.version, title="")
    run_checks(Claim.objects.get(pk=ferry.pk))
    assert ClaimVector.objects.get(claim=ferry).lookup_vector is None
    assert ferry.pk not in [match.claim_id for match in claims_match(text=STATEMENT, limit=1)]


@pytest.mark.django_db
def test_a_new_process_rebuilds_its_index_with_the_stored_titles(annotator: User) -> None:
    # given
    ferry, _ = _stored(annotator, titled=True)
    # when: another process starts from the stored rows only
    index_reset()
    found = [match.claim_id for match in claims_match(text=STATEMENT, limit=1)]
    # then
    assert found == [ferry.pk]


@pytest.mark.django_db
def test_import_claims_reads_a_title_and_refuses_an_overlong_one(tmp_path: Path) -> None:
    # given
    archive = tmp_path / "checked.jsonl"
    archive.write_text(
        json.dumps({"text": FERRY, "title": f"  {FERRY_TITLE}  ", "external_id": "fc:1"}) + "\n",
        encoding="utf-8",
    )
    # when
    call_command("import_claims", str(archive), "--no-progress", verbosity=0)
    # then
    claim = Claim.objects.get(external_id="fc:1")
    assert claim.title == FERRY_TITLE
    assert ClaimVector.objects.get(claim=claim).lookup_vector is not None
    with pytest.raises(ValidationError, match=r"The title has 301 characters: shorten it to 300 or fewer\."):
        ArchiveLine.from_mapping({"text": MARKET, "title": "t" * 301})


@pytest.mark.django_db
def test_the_api_creates_edits_and_lists_the_title(annotator: User, editor: User) -> None:
    # given
    client = api_client_for(editor)
    created = client.post("/api/v1/claims/", {"text": FERRY, "title": FERRY_TITLE}, format="json")
    claim_id = created.json()["id"]
    # when
    edited = client.patch(
        f"/api/v1/claims/{claim_id}/", {"title": "Ferry crossings in summer"}, format="json"
    )
    listed = client.get("/api/v1/claims/")
    # then
    assert created.status_code == 201
    assert created.json()["title"] == FERRY_TITLE
    assert edited.status_code == 200
    assert edited.json()["title"] == "Ferry crossings in summer"
    assert edited.json()["version"] == created.json()["version"] + 1
    assert [item["title"] for item in listed.json()["results"] if item["id"] == claim_id] == [
        "Ferry crossings in summer"
    ]


@pytest.mark.django_db
def test_a_match_result_carries_the_stored_claims_title(annotator: User, reader: User) -> None:
    # given
    ferry, market = _stored(annotator, titled=True)
    # when
    response = api_client_for(reader).post(
        "/api/v1/claims/match/", {"text": STATEMENT, "limit": 2, "min_score": 0}, format="json"
    )
    # then
    assert response.status_code == 200
    titles = {result["claim"]: result["title"] for result in response.json()["results"]}
    assert titles[ferry.pk] == FERRY_TITLE
    assert titles.get(market.pk, "") == ""
