from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "The database is unavailable right now. Nothing was saved; please try again in a minute."
)


def _is_connection_failure(error: BaseException) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        # Lock timeouts and serialisation failures are operational errors too, but the database is up.
        return not any(connection.is_usable() for connection in connections.all(initialized_only=True))
    return False


class DatabaseUnavailableMiddleware:
    """Answer 503 with a message, not a 500 with a trace, while the database cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError) or not _is_connection_failure(exception):
            return None
        logger.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
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
