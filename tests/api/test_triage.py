"""The triage API: an article's triage, accepting and dismissing, appearances since a moment, the
marks preference; role-checked, with clear 400s."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import Claim, ClaimStatus, Source, SourceKind, TriageDismissal, TriageRun
from claims.services.triage import triage_run
from tests import factories
from tests.api.support import run_checks
from tests.claims.test_triage import ARTICLE, DISPUTED
from tests.conftest import api_client_for


@pytest.fixture
def triaged(editor: User) -> dict[str, Any]:
    claim = factories.claim(text=DISPUTED, user=editor, status=ClaimStatus.DISPUTED)
    run_checks(claim)
    article = factories.article(text=ARTICLE, user=editor, outlet="Velmora Post")
    triage_run(run_id=TriageRun.objects.get(revision=article.current_revision).pk)
    text = article.current_revision.text
    start = text.index("The Velmora dam")
    end = text.index("officials said.") + len("officials said.")
    return {"article": article, "claim": claim, "start": start, "end": end}


@pytest.mark.django_db
def test_a_reader_gets_the_triage_of_the_current_revision(reader: User, triaged: dict[str, Any]) -> None:
    response = api_client_for(reader).get(f"/api/v1/articles/{triaged['article'].pk}/triage/")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["revision"], len(body["sentences"])) == ("done", 1, 5)
    dam = next(s for s in body["sentences"] if s["start"] == triaged["start"])
    assert dam["end"] == triaged["end"]
    assert [(r["claim"], r["relation"], r["status"], r["text"]) for r in dam["repeats"]] == [
        (triaged["claim"].pk, "duplicate", "disputed", DISPUTED)
    ]
    assert set(dam) == {"start", "end", "worthiness", "marked", "speaker", "repeats"}


@pytest.mark.django_db
def test_an_article_that_is_not_there_is_a_404(reader: User) -> None:
    assert api_client_for(reader).get("/api/v1/articles/999999/triage/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "allowed"), [("reader", False), ("annotator", True), ("editor", True)])
def test_who_may_accept_a_repeat(
    persona: str, allowed: bool, request: pytest.FixtureRequest, triaged: dict[str, Any]
) -> None:
    user = request.getfixturevalue(persona)
    claims_before = Claim.objects.count()
    body = {"start": triaged["start"], "end": triaged["end"], "claim": triaged["claim"].pk}
    response = api_client_for(user).post(
        f"/api/v1/articles/{triaged['article'].pk}/triage/accept/", body, format="json"
    )
    appearances = Source.objects.filter(
        claim=triaged["claim"], kind=SourceKind.APPEARANCE, article=triaged["article"]
    )
    if allowed:
        assert response.status_code == 201
        assert response.json() == {
            "claim": triaged["claim"].pk,
            "appearance": appearances.get().pk,
            "annotation": appearances.get().annotation_id,
        }
    else:
        assert response.status_code == 403
        assert not appearances.exists()
    assert Claim.objects.count() == claims_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"start": 3, "end": 9, "claim": 1}, "start", "No triaged sentence spans 3-9"),
        ({"start": 9, "end": 3, "claim": 1}, "end", "end must be greater than start"),
        ({"start": 0, "end": 3}, "claim", "required"),
        ({"start": "x", "end": 3, "claim": 1}, "start", "integer"),
    ],
)
def test_bad_accepts_are_400s_that_say_why(
    annotator: User, triaged: dict[str, Any], body: dict[str, Any], field: str, message: str
) -> None:
    response = api_client_for(annotator).post(
        f"/api/v1/articles/{triaged['article'].pk}/triage/accept/", body, format="json"
    )
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Source.objects.filter(article=triaged["article"]).exists()


@pytest.mark.django_db
def test_dismissing_and_restoring_a_repeat(annotator: User, triaged: dict[str, Any]) -> None:
    client = api_client_for(annotator)
    url = f"/api/v1/articles/{triaged['article'].pk}/triage/"
    body = {"start": triaged["start"], "end": triaged["end"], "claim": triaged["claim"].pk}

    def repeats() -> list[int]:
        sentence = next(s for s in client.get(url).json()["sentences"] if s["start"] == triaged["start"])
        return [r["claim"] for r in sentence["repeats"]]

    assert client.post(url + "dismiss/", body, format="json").json() == {"changed": True}
    assert client.post(url + "dismiss/", body, format="json").json() == {"changed": False}
    assert (repeats(), TriageDismissal.objects.count()) == ([], 1)
    assert client.post(url + "restore/", body, format="json").json() == {"changed": True}
    assert repeats() == [triaged["claim"].pk]


@pytest.mark.django_db
def test_the_marks_preference_is_remembered_per_user(reader: User, editor: User) -> None:
    client = api_client_for(editor)
    assert client.get("/api/v1/triage/preferences/").json() == {"show_marks": True}
    assert client.put("/api/v1/triage/preferences/", {"show_marks": False}, format="json").json() == {
        "show_marks": False
    }
    assert client.get("/api/v1/triage/preferences/").json() == {"show_marks": False}
    assert api_client_for(reader).get("/api/v1/triage/preferences/").json() == {"show_marks": True}
    bad = client.put("/api/v1/triage/preferences/", {"show_marks": "maybe"}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_appearances_of_reviewed_claims_since_a_moment(
    reader: User, annotator: User, triaged: dict[str, Any]
) -> None:
    # given the repeat accepted, and an unreviewed claim highlighted elsewhere
    client = api_client_for(annotator)
    body = {"start": triaged["start"], "end": triaged["end"], "claim": triaged["claim"].pk}
    client.post(f"/api/v1/articles/{triaged['article'].pk}/triage/accept/", body, format="json")
    other = factories.article(text="The ferry was cancelled on Monday because of the storm.", user=annotator)
    factories.highlight(article=other, exact="The ferry was cancelled on Monday", user=annotator)
    accepted = Source.objects.get(article=triaged["article"])
    # when
    listed = api_client_for(reader).get("/api/v1/appearances/", {"status": "disputed"})
    later = api_client_for(reader).get(
        "/api/v1/appearances/", {"since": "2999-01-01T00:00:00Z", "status": "disputed"}
    )
    # then
    assert listed.status_code == 200
    assert [(row["id"], row["claim"], row["status"], row["outlet"]) for row in listed.json()["results"]] == [
        (accepted.pk, triaged["claim"].pk, "disputed", "Velmora Post")
    ]
    assert later.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [({"since": "yesterday"}, "since"), ({"status": "unreviewed"}, "status"), ({"x": "1"}, "x")],
)
def test_bad_appearance_queries_are_400s(reader: User, query: dict[str, str], field: str) -> None:
    response = api_client_for(reader).get("/api/v1/appearances/", query)
    assert response.status_code == 400
    assert field in str(response.json())
