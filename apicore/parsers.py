from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from apicore.exceptions import PayloadTooLarge


def too_large_message(size: int | None, limit: int) -> str:
    got = f"{size:,} bytes" if size is not None else "more than that"
    return (
        f"The request body is {got}; the limit is {limit:,} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE). "
        "Send less per request, e.g. split a bulk request or an article into parts."
    )


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, Mapping):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


class BoundedJSONParser(JSONParser):
    """JSON bodies up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes; larger ones get a 413.

    DRF reads the body from the request stream, which bypasses Django's own size check, so the
    limit is enforced here: on the declared length first, then on what is actually read.
    Strings with lone surrogates are refused too: they cannot be stored as UTF-8.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        if limit is not None:
            request = parser_context.get("request")
            declared = request.META.get("CONTENT_LENGTH") if request is not None else None
            if declared and str(declared).isdigit() and int(declared) > limit:
                raise PayloadTooLarge(too_large_message(int(declared), limit))
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(too_large_message(None, limit))
        try:
            data = json.loads(codecs.decode(raw, encoding), parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"The body is not valid JSON: {error}.") from error
        if _has_lone_surrogate(data):
            raise ParseError(
                "The body contains a lone UTF-16 surrogate (\\ud800-\\udfff): send valid Unicode."
            )
        return data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
