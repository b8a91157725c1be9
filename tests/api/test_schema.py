"""The OpenAPI document: valid, and the API keeps its word on it.

schemathesis generates requests for every operation from /api/schema/ (its examples, coverage and
fuzzing phases) and sends them to the WSGI application, against a newsroom's rows, with an editor's
token. Every check runs: no 5xx, every answer documented (status, media type, headers, body shape),
valid input accepted, invalid input refused, authentication not ignored. The seed is fixed and the
generation derandomized so a run is repeatable in CI; examples are bounded so it stays short.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from accounts.services import api_token_create
from apicore.pagination import KeysetPagination
from tests.newsroom import Newsroom

# A cursor is opaque (a position the server encoded); one that does not decode is rightly a 400, and
# no schema can say which strings decode, so generated requests carry a real one: the first page.
FIRST_PAGE = KeysetPagination.encode_cursor((datetime(2000, 1, 1, tzinfo=UTC), 0))
# Valid-looking bodies these operations refuse for what no schema can express: an article URL that
# already exists, a claim on an article that does not. The 400 names the problem (tests/api covers
# the messages); every other operation must accept every schema-valid request.
REFUSED_BY_STATE = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"]
# Every built-in check is enabled by default; the config only pins what makes a run repeatable.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261207,
        "generation": {"deterministic": True},
        "phases": {phase: {"enabled": True} for phase in ("examples", "coverage", "fuzzing")},
        "parameters": {"query.cursor": FIRST_PAGE},
        "operations": [
            {
                "include-path": path,
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": REFUSED_BY_STATE}},
            }
            for path in ("/api/v1/articles/", "/api/v1/claims/")
        ],
    }
)
BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path: Any) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


# Loaded when the module is collected (the document needs no database). schemathesis' fixture-based
# loader does not work with this pytest version (it sets a node attribute pytest 9 removed).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)


@pytest.fixture(autouse=True)
def _requests_inside_the_test_transaction(db: Any, newsroom: Newsroom) -> Iterator[None]:
    """Django closes the database connection at the end of each request; in a test that would end
    the transaction the requests run in, so that handler is off meanwhile, as in Django's own test
    client. The newsroom gives the generated requests some rows to find."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def token_header(user: Any) -> dict[str, str]:
    _, key = api_token_create(user=user, name="schemathesis")
    return {"Authorization": f"Token {key}"}


@schema.parametrize()
@BOUNDED
def test_the_api_conforms_to_its_schema_for_an_editor(case: Any, editor: Any) -> None:
    case.call_and_validate(headers=token_header(editor))


@schema.parametrize()
@BOUNDED
def test_the_api_conforms_to_its_schema_for_a_reader(case: Any, reader: Any) -> None:
    case.call_and_validate(headers=token_header(reader))
