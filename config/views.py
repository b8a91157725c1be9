from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.http import require_GET

from accounts.numbers import whole_number_or_none
from apicore.parsers import too_large_message
from config.middleware import UNAVAILABLE_MESSAGE


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("article-list")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and docker compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        response = JsonResponse(
            {"status": "unavailable", "database": False, "detail": UNAVAILABLE_MESSAGE}, status=503
        )
        response["Retry-After"] = "30"
        return response
    return JsonResponse({"status": "ok", "database": True})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400, except for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: a 413 that says so.

    Django refuses such a body when a form's fields are first read (in the view or the CSRF check)
    and reports it as a generic bad request; the API answers 413 in its own parser.
    """
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    declared = str(request.META.get("CONTENT_LENGTH", ""))
    message = too_large_message(
        whole_number_or_none(declared, minimum=0), settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)
