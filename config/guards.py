"""Middleware that keeps what a client sends from becoming a 500, and keeps API errors JSON.

- ``ApiJsonErrorsMiddleware`` (outermost): any error response under ``/api/`` that is not JSON (Django's
  404 and 500 pages, in DEBUG the technical ones too) is replaced by ``{"detail": ...}``, so an API
  client never has to parse HTML whatever the mode.
- ``QueryNulMiddleware``: a NUL character in a query parameter is a 400 naming the parameter.
  PostgreSQL text cannot hold NUL, so every filter or search term that reaches a query would fail
  there with a 500 (SQLite takes it silently: the same input must get the same answer on both).
- ``RoleRequiredMiddleware``: a signed-in user without a role sees no page but a 403 that says which
  role to ask for (the API refuses them per endpoint, through ``MethodPermissions``).
- ``ApiAnonymousThrottleMiddleware``: an address whose API requests keep failing authentication
  gets 429 for a while (``accounts.throttling.AnonymousThrottle``); it runs before authentication,
  which a DRF throttle cannot.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.services import user_role
from accounts.throttling import AnonymousThrottle

SERVER_ERROR_MESSAGE = "The server failed to answer this request; it has been logged."


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _api_message(request: HttpRequest, status: int) -> str:
    if status == HTTPStatus.NOT_FOUND:
        return f"There is no API endpoint at {request.path}: see /api/docs/ for the list."
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return SERVER_ERROR_MESSAGE
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return f"{phrase} ({status})."


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400 or _is_json(response):
            return response
        replacement = JsonResponse(
            {"detail": _api_message(request, response.status_code)}, status=response.status_code
        )
        for header in ("Retry-After", "Allow", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


def nul_message(name: str) -> str:
    return f"The query parameter {json.dumps(name[:50])[1:-1]} contains a NUL character (%00): remove it."


class QueryNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                message = nul_message(name.replace("\x00", "%00"))
                if _is_api(request):
                    return JsonResponse({"detail": message}, status=400)
                return render(request, "400_query.html", {"message": message}, status=400)
        return self.get_response(request)


class ApiAnonymousThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_api(request):
            return self.get_response(request)
        throttle = AnonymousThrottle()
        wait = throttle.seconds_blocked(request)
        if wait is not None:
            refusal = JsonResponse(
                {
                    "detail": f"Too many requests without valid credentials from your address: "
                    f"try again in {wait} seconds, with a valid token."
                },
                status=429,
            )
            refusal["Retry-After"] = str(wait)
            return refusal
        response = self.get_response(request)
        if response.status_code == HTTPStatus.UNAUTHORIZED:
            throttle.record(request)
        return response


# Pages a user without a role still needs: signing in and out, the admin site (which checks staff
# status itself), static files and the health check. The API answers for itself.
ROLE_EXEMPT_PREFIXES = ("/accounts/", "/admin/", "/static/", "/healthz", "/api/")


class RoleRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ROLE_EXEMPT_PREFIXES)
            and user_role(user) is None
        ):
            return render(request, "403_no_role.html", status=403)
        return self.get_response(request)
