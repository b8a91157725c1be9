"""ETags derived from the representation, and conditional GETs (If-None-Match -> 304)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from accounts.numbers import whole_number_or_none


def representation_etag(representation: Any, *, version: int | None = None) -> str:
    """A strong ETag: a digest of the JSON representation, prefixed with the version when given.

    Any change of the body changes the digest; the version prefix lets ``If-Match`` say *how* stale
    a client is (see ``etag_version``).
    """
    encoded = json.dumps(representation, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(encoded.encode()).hexdigest()[:24]
    return f'"v{version}-{digest}"' if version is not None else f'"{digest}"'


def etag_version(etag: str) -> int | None:
    """The version inside an ETag made by ``representation_etag(..., version=...)``, else None."""
    opaque = etag.removeprefix("W/").strip('"')
    head, _, digest = opaque.partition("-")
    if not digest or not head.startswith("v"):
        return None
    return whole_number_or_none(head[1:])


def header_tags(value: str) -> list[str]:
    """The entity tags of an If-Match/If-None-Match header, each as sent (quotes kept)."""
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def weak_match(value: str, etag: str) -> bool:
    """If-None-Match semantics: weak comparison, ``*`` matches anything."""
    plain = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == plain for tag in header_tags(value))


def conditional_response(
    request: Request, representation: Any, *, etag: str, status_code: int = status.HTTP_200_OK
) -> Response:
    """The representation with its ETag, or an empty 304 when the client's copy is current."""
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if_none_match = request.headers.get("If-None-Match")
    if request.method in ("GET", "HEAD") and if_none_match and weak_match(if_none_match, etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(representation, status=status_code, headers=headers)
