"""Input fields of the API that DRF's own are too lenient for.

DRF's ``CharField`` accepts numbers and turns them into strings: ``{"text": 0}`` becomes the text
"0", a rationale of ``0`` becomes the rationale "0". A client that sends a number where text belongs
has a bug, and storing its number as text hides it. Every input field that takes text is a
``TextField`` from here.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


class TextField(serializers.CharField):
    """A ``CharField`` that takes only strings: a number, boolean, list or object is a 400 under the
    field's name rather than silently converted."""

    default_error_messages = {"not_text": "Must be text (a JSON string in quotes), not {kind}."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text", kind=_json_kind(data))
        value: str = super().to_internal_value(data)
        return value
