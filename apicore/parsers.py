from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from accounts.numbers import whole_number_or_none
from apicore.exceptions import PayloadTooLarge


def too_large_message(size: int | None, limit: int) -> str:
    got = f"{size:,} bytes" if size is not None else "more than that"
    return (
        f"The request body is {got}; the limit is {limit:,} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE). "
        "Send less per request, e.g. split a bulk request or an article into parts."
    )


# Deeper documents are refused: no endpoint takes more than a few levels, and the standard library's
# parser (and every recursive walk of the result) would hit Python's recursion limit near 1,000.
MAX_JSON_DEPTH = 32
TOO_DEEP_MESSAGE = (
    f"The body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep: send a flatter document."
)


def _refusal(value: Any) -> str | None:
    """Why the parsed document cannot be accepted, or None: too deep, or with a lone UTF-16 surrogate
    (not storable as UTF-8). Iterative, so a deep document cannot exhaust the stack here. NUL in a
    string is left to the serializers' fields, which name the field."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= char <= "\udfff" for char in item):
                return "The body contains a lone UTF-16 surrogate (\\ud800-\\udfff): send valid Unicode."
        elif isinstance(item, Mapping | list):
            if depth > MAX_JSON_DEPTH:
                return TOO_DEEP_MESSAGE
            children = [*item.keys(), *item.values()] if isinstance(item, Mapping) else item
            stack.extend((child, depth + 1) for child in children)
    return None


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
            size = whole_number_or_none(str(declared or ""), minimum=0)
            if size is not None and size > limit:
                raise PayloadTooLarge(too_large_message(size, limit))
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise PayloadTooLarge(too_large_message(None, limit))
        try:
            data = json.loads(codecs.decode(raw, encoding), parse_constant=_reject_constant)
        except RecursionError as error:
            raise ParseError(TOO_DEEP_MESSAGE) from error
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"The body is not valid JSON: {error}.") from error
        refusal = _refusal(data)
        if refusal is not None:
            raise ParseError(refusal)
        return data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
