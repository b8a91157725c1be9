"""The OpenAPI document: valid, and the API keeps its word on it.

schemathesis generates requests for every operation from /api/schema/ and sends them to the WSGI
application with an editor's and a reader's token. Every answer must be documented (status, media
type, body shape) and none may be a 5xx. Examples are bounded so the whole run stays short.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from tests.newsroom import Newsroom

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = settings(
    max_examples=25,
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
# The W3C annotation export (/api/v1/annotations/) is another module's, tested with the W3C suite.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(
    path_regex="^/api/v1/annotations/"
)


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
    case.call_and_validate(headers=token_header(editor), checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_the_api_conforms_to_its_schema_for_a_reader(case: Any, reader: Any) -> None:
    case.call_and_validate(headers=token_header(reader), checks=CHECKS)
