"""503 with a message, never a 500 with a trace, while the database cannot be reached."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "The database is unavailable right now. Nothing was saved; please try again in a minute."
)


def _is_connection_failure(error: BaseException) -> bool:
    # Django's InterfaceError ("connection already closed") is not a DatabaseError subclass.
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        # Lock timeouts and serialisation failures are operational errors too, but the database is up.
        return not any(connection.is_usable() for connection in connections.all(initialized_only=True))
    return False


def _remember_database_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Mark the request when the exception being turned into a 500 is a lost database.

    Django converts an exception raised in a middleware (a session saved after the view, say) into a
    500 response right there, so no outer middleware ever sees it, and ``process_exception`` only
    sees exceptions from views. This signal is sent while the exception is being handled.
    """
    error = sys.exc_info()[1]
    if request is not None and error is not None and _is_connection_failure(error):
        request.database_failure = error  # type: ignore[attr-defined]


got_request_exception.connect(_remember_database_failure, dispatch_uid="corroborate-database-failure")


class DatabaseUnavailableMiddleware:
    """Answer 503 with a message, not a 500 with a trace, while the database cannot be reached.

    Views' exceptions arrive in ``process_exception``; those of the middleware below this one arrive
    as a 500 response of a request marked by ``_remember_database_failure``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        failure = getattr(request, "database_failure", None)
        if failure is not None and response.status_code >= 500:
            return self._unavailable(request, failure)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_connection_failure(exception):
            return None
        return self._unavailable(request, exception)

    def _unavailable(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, error)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        return unavailable_response(request)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE_MESSAGE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE}), status=503)
    response["Retry-After"] = "30"
    return response
