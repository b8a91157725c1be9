"""Conditional JSON answers for the pages' live polling: 304 while nothing changed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse


def etag_matches(request: HttpRequest, token: str) -> bool:
    given = request.headers.get("If-None-Match", "")
    return any(part.strip().removeprefix("W/").strip('"') == token for part in given.split(","))


def not_modified(token: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = f'"{token}"'
    response["Cache-Control"] = "no-cache, private"
    return response


def live_json(payload: dict[str, Any], token: str) -> JsonResponse:
    response = JsonResponse(payload)
    response["ETag"] = f'"{token}"'
    response["Cache-Control"] = "no-cache, private"
    return response
