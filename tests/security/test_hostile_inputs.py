"""Inputs that crashed the server (issue 15, item 3): each is now a 4xx with a message, JSON under
/api/, with DEBUG on and off, on SQLite and PostgreSQL; nothing is written."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client

from claims.models import Claim, Finding
from tests import factories
from tests.conftest import api_client_for
from tests.newsroom import db_snapshot, store_finding

HUGE = "99999999999999999999999"


@dataclass
class Newsroom:
    claim: Claim
    finding: Finding
    api: Any
    web: Client


@pytest.fixture
def newsroom(editor: User) -> Newsroom:
    claim = factories.claim(text="The harbour handled 2 million containers in 2023.", user=editor)
    left = factories.claim(text="The council approved the budget on Monday.", user=editor)
    right = factories.claim(text="The council rejected the budget on Monday.", user=editor)
    web = Client()
    web.force_login(editor)
    return Newsroom(claim=claim, finding=store_finding(left, right), api=api_client_for(editor), web=web)


Probe = Callable[[Newsroom], HttpResponse]
API_400 = "a 400 with a JSON message"
IGNORED = "the page ignores the value (it makes no sense as a filter or a page)"
PAGE_400 = "a 400 page"
REFUSED_FORM = "the form is refused with a message"

# Each input that crashed the server on main, and what it gets now.
PROBES: dict[str, tuple[Probe, str]] = {
    "claims page_size=²": (lambda n: n.api.get("/api/v1/claims/?page_size=%C2%B2"), API_400),
    "articles page_size=²": (lambda n: n.api.get("/api/v1/articles/?page_size=%C2%B2"), API_400),
    "history page_size=²": (
        lambda n: n.api.get(f"/api/v1/claims/{n.claim.pk}/history/?page_size=%C2%B2"),
        API_400,
    ),
    "claimreviews page_size=²": (lambda n: n.api.get("/api/v1/claimreviews/?page_size=%C2%B2"), API_400),
    "annotations page=²": (lambda n: n.api.get("/api/v1/annotations/?page=%C2%B2"), API_400),
    "annotations article beyond 64 bits": (
        lambda n: n.api.get(f"/api/v1/annotations/?article={HUGE}"),
        API_400,
    ),
    'PATCH If-Match "²"': (
        lambda n: n.api.patch(
            f"/api/v1/claims/{n.claim.pk}/", {"speaker": "Port authority"}, format="json", HTTP_IF_MATCH='"²"'
        ),
        "a 412 with a JSON message",
    ),
    "review/live ids beyond 64 bits": (lambda n: n.web.get(f"/review/live?ids={HUGE}"), IGNORED),
    "verdict form claim beyond 64 bits": (
        lambda n: n.web.post(
            "/review/verdicts",
            {"claim": f"{HUGE}:1", "verdict": "corroborated", "rationale": "Port data."},
            HTTP_ACCEPT="application/json",
        ),
        REFUSED_FORM,
    ),
    "verdict form claim=²:1": (
        lambda n: n.web.post(
            "/review/verdicts",
            {"claim": "²:1", "verdict": "corroborated", "rationale": "Port data."},
            HTTP_ACCEPT="application/json",
        ),
        REFUSED_FORM,
    ),
    "10,000 nested [ in a JSON body": (
        lambda n: n.api.post("/api/v1/claims/", "[" * 10_000, content_type="application/json"),
        API_400,
    ),
    "/review/?page=²": (lambda n: n.web.get("/review/?page=%C2%B2"), IGNORED),
    "/review/?article=²": (lambda n: n.web.get("/review/?article=%C2%B2"), IGNORED),
    "/review/?size=²": (lambda n: n.web.get("/review/?size=%C2%B2"), IGNORED),
    "/review/?outlet= beyond 64 bits": (lambda n: n.web.get(f"/review/?outlet={HUGE}"), IGNORED),
    "finding decision from=²": (
        lambda n: n.web.post(f"/findings/{n.finding.pk}/decision", {"decision": "bogus", "from": "²"}),
        "back to the claim page with a message",
    ),
    "claim page id beyond 64 bits": (lambda n: n.web.get(f"/claims/{HUGE}/"), "a 404"),
    "API claim id beyond 64 bits": (lambda n: n.api.get(f"/api/v1/claims/{HUGE}/"), "a JSON 404"),
    "verdict form expected_version beyond 64 bits": (
        lambda n: n.web.post(
            f"/claims/{n.claim.pk}/verdict",
            {"verdict": "corroborated", "rationale": "Port data.", "expected_version": HUGE},
        ),
        "a 400 page",
    ),
    "finding decision keep beyond 64 bits": (
        lambda n: n.web.post(f"/findings/{n.finding.pk}/decision", {"decision": "accept", "keep": HUGE}),
        "back to the claim page with a message",
    ),
    "articles q with NUL": (lambda n: n.web.get("/articles/?q=a%00b"), PAGE_400),
    "review speaker with NUL": (lambda n: n.web.get("/review/?speaker=a%00b"), PAGE_400),
    "review q with NUL": (lambda n: n.web.get("/review/?q=a%00b"), PAGE_400),
    "API claims q with NUL": (lambda n: n.api.get("/api/v1/claims/?q=a%00b"), API_400),
    "API speakers q with NUL": (lambda n: n.api.get("/api/v1/speakers/?q=a%00b"), API_400),
    "API claim text with NUL": (
        lambda n: n.api.post("/api/v1/claims/", {"text": "The ferry\u0000 runs hourly."}, format="json"),
        API_400,
    ),
}


def _assert_outcome(response: HttpResponse, expected: str) -> None:
    content_type = response.get("Content-Type", "")
    if expected == API_400:
        assert response.status_code == 400, response.content[:300]
        assert content_type in ("application/json", "application/ld+json")
        assert json.loads(response.content)
    elif expected.startswith("a 412"):
        assert response.status_code == 412, response.content[:300]
        assert "neither a version number nor an ETag" in json.loads(response.content)["detail"]
    elif expected == "a 404":
        assert response.status_code == 404
    elif expected == "a JSON 404":
        assert response.status_code == 404
        assert content_type == "application/json"
    elif expected == "a 400 page":
        assert response.status_code == 400
    elif expected == IGNORED:
        assert response.status_code == 200
    elif expected == PAGE_400:
        assert response.status_code == 400
        assert b"contains a NUL character" in response.content
    elif expected == REFUSED_FORM:
        assert (response.status_code, json.loads(response.content)) == (
            400,
            {
                "errors": {
                    "__all__": [{"message": "The selection is malformed: reload the queue.", "code": ""}]
                }
            },
        )
    else:
        assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize(("probe", "expected"), PROBES.values(), ids=PROBES.keys())
def test_hostile_input_is_refused_not_a_crash(
    newsroom: Newsroom, probe: Probe, expected: str, debug: bool, settings: Any
) -> None:
    settings.DEBUG = debug
    before = db_snapshot()
    # when
    response = probe(newsroom)
    # then
    _assert_outcome(response, expected)
    assert db_snapshot() == before


@pytest.mark.django_db
def test_page_size_in_another_script_names_the_parameter(newsroom: Newsroom) -> None:
    response = newsroom.api.get("/api/v1/claims/?page_size=%C2%B2")
    assert (response.status_code, response.json()) == (
        400,
        {"page_size": ["page_size must be a whole number from 1 to 200, got '²'."]},
    )


@pytest.mark.django_db
def test_deeply_nested_json_says_how_deep_is_allowed(newsroom: Newsroom) -> None:
    shallow_enough = newsroom.api.post(
        "/api/v1/claims/",
        '{"text": "Fares rose.", "sources": ' + "[" * 30 + "]" * 30 + "}",
        content_type="application/json",
    )
    too_deep = newsroom.api.post("/api/v1/claims/", "[" * 10_000, content_type="application/json")
    just_too_deep = newsroom.api.post("/api/v1/claims/", "[" * 33 + "]" * 33, content_type="application/json")
    assert shallow_enough.status_code == 400
    assert "nest" not in json.dumps(shallow_enough.json())
    assert just_too_deep.json() == too_deep.json()
    assert too_deep.status_code == 400
    assert too_deep.json() == {
        "detail": "The body nests arrays and objects more than 32 levels deep: send a flatter document."
    }


@pytest.mark.django_db
def test_nul_in_a_query_string_is_a_400_that_says_so(newsroom: Newsroom) -> None:
    page = newsroom.web.get("/articles/?q=a%00b")
    api = newsroom.api.get("/api/v1/claims/?speaker=a%00b")
    message = "The query parameter speaker contains a NUL character (%00): remove it."
    assert page.status_code == 400
    assert b"contains a NUL character" in page.content
    assert (api.status_code, api.json()) == (400, {"detail": message})


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
def test_unknown_api_paths_and_server_errors_are_json(
    newsroom: Newsroom, debug: bool, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = debug
    client = newsroom.api
    outside_v1 = client.get("/api/nothing-here/")
    assert outside_v1.status_code == 404
    assert outside_v1["Content-Type"] == "application/json"
    assert "detail" in outside_v1.json()

    from claims.api import claims as claims_api

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(claims_api.ClaimListView, "get", explode)
    client.raise_request_exception = False
    crashed = client.get("/api/v1/claims/")
    assert crashed.status_code == 500
    assert crashed["Content-Type"] == "application/json"
    assert crashed.json() == {"detail": "The server failed to answer this request; it has been logged."}
