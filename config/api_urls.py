"""/api/v1/: each app contributes its routes; the order of inclusion is the import direction.

Anything else under /api/v1/ is a JSON 404, so API clients never get an HTML page.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apicore.base import ApiView
from apicore.schema import errors


class PingView(ApiView):
    """The API's fixed cost (authentication, middleware, rendering) with no work behind it: for load
    balancers that want to check the token path, and as the baseline of bench/api_load.py."""

    @extend_schema(
        operation_id="ping",
        summary="Check that the API answers and the credentials work",
        responses={200: inline_serializer("Ping", {"status": serializers.CharField()}), **errors(400, 401)},
        examples=[OpenApiExample("Pong", value={"status": "ok"})],
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


@csrf_exempt  # it changes nothing; without this a POST gets Django's HTML CSRF page instead
def api_not_found(request: HttpRequest, rest: str) -> JsonResponse:
    message = f"There is no API endpoint at {request.path}: see /api/docs/ for the list."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            message = (
                f"There is no API endpoint at {request.path}: did you mean {request.path}/ (with a slash)?"
            )
    return JsonResponse({"detail": message}, status=404)


urlpatterns = [
    path("ping/", PingView.as_view(), name="api-ping"),
    path("", include("articles.api.urls")),
    path("", include("annotations.api.urls")),
    path("", include("claims.api.urls")),
    re_path(r"^(?P<rest>(?s:.*))$", api_not_found),
]
