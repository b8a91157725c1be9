"""A lost database is a 503 with a message wherever it surfaces: in a view, in DRF's authentication,
or in a middleware after the view (where Django would otherwise answer 500 before any outer
middleware could see the exception). Other database errors are not hidden behind a 503."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client

from config.middleware import UNAVAILABLE_MESSAGE
from tests.conftest import api_client_for


class FailingAfterViewMiddleware:
    """Stands for a session saved after the view on a connection that has just died."""

    error: Exception = InterfaceError("connection already closed")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.get_response(request)
        raise FailingAfterViewMiddleware.error


def with_failing_middleware(settings: Any) -> None:
    middleware = list(settings.MIDDLEWARE)
    below = middleware.index("config.middleware.DatabaseUnavailableMiddleware") + 1
    middleware.insert(below, f"{__name__}.FailingAfterViewMiddleware")
    settings.MIDDLEWARE = middleware


def assert_unavailable_page(response: Any) -> None:
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert UNAVAILABLE_MESSAGE in body
    assert "Traceback" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_lost_database_in_a_middleware_is_a_503_not_a_500(settings: Any, editor: User, debug: bool) -> None:
    # given: a middleware below the 503 handler fails on a dead connection
    settings.DEBUG = debug
    with_failing_middleware(settings)
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    # when
    page = browser.get("/articles/")
    api = Client(raise_request_exception=False).get("/api/v1/ping/")
    # then
    assert_unavailable_page(page)
    assert "Temporarily unavailable" in page.content.decode()
    assert_unavailable_page(api)
    assert api.json() == {"detail": UNAVAILABLE_MESSAGE}


@pytest.mark.django_db
def test_other_database_errors_in_a_middleware_stay_errors(settings: Any, editor: User) -> None:
    # given: an error of a database that still answers (a lock timeout, say)
    with_failing_middleware(settings)
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    # when
    with mock.patch.object(FailingAfterViewMiddleware, "error", OperationalError("database is locked")):
        response = browser.get("/articles/")
    # then
    assert response.status_code == 500


@pytest.mark.django_db
def test_a_lost_database_while_loading_the_session_is_a_503(editor: User) -> None:
    browser = Client(raise_request_exception=False)
    browser.force_login(editor)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = browser.get("/review/")
    assert_unavailable_page(response)


@pytest.mark.django_db
def test_a_lost_database_while_checking_a_token_is_a_json_503(editor: User) -> None:
    client = api_client_for(editor)
    with mock.patch(
        "accounts.authentication.api_token_authenticate",
        side_effect=InterfaceError("connection already closed"),
    ):
        response = client.post("/api/v1/claims/", {"text": "Ferries ran late."}, format="json")
    assert_unavailable_page(response)
    assert response.json() == {"detail": UNAVAILABLE_MESSAGE}
