"""Serializer pieces every app's API shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class StrictSerializer(serializers.Serializer[Any]):
    """An input serializer that refuses fields it does not declare, naming the accepted ones.

    Every request body of the API goes through one, so a misspelt field is a 400 rather than a
    value silently dropped.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = [name for name, field in self.fields.items() if not field.read_only]
            unknown = sorted(str(name) for name in data if name not in writable)
            if unknown:
                accepted = ", ".join(writable)
                raise serializers.ValidationError(
                    {name[:50]: [f"Unknown field. This endpoint accepts: {accepted}."] for name in unknown}
                )
            # Python's bool is an int, so DRF would take true/false as 1/0 for a number field.
            not_number = {
                name: [f"{name} must be a number, not true or false."]
                for name in writable
                if isinstance(self.fields[name], serializers.IntegerField | serializers.FloatField)
                and isinstance(data.get(name), bool)
            }
            if not_number:
                raise serializers.ValidationError(not_number)
        return super().to_internal_value(data)
