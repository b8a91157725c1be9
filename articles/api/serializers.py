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
            # DRF's CharField turns 0 into "0"; the document says string, so a number is refused.
            not_text = {
                name: [f"{name} must be text (a JSON string), not a number, list or object."]
                for name in writable
                if isinstance(self.fields[name], serializers.CharField)
                and name in data
                and data[name] is not None
                and not isinstance(data[name], str)
            }
            if not_text:
                raise serializers.ValidationError(not_text)
        return super().to_internal_value(data)


class ArticleCreateSerializer(StrictSerializer):
    # Blank title and text pass here so that the service's own messages (which name the limit or
    # the problem) are the ones clients see.
    title = serializers.CharField(allow_blank=True, help_text="Headline (at most 500 characters).")
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="Body text. It is normalised (NFC, one blank line between paragraphs, spaces collapsed).",
    )
    url = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Canonical http(s) URL; unique."
    )
    outlet = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=200, help_text="Publication name."
    )
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    byline = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ArticleSerializer(serializers.Serializer[Any]):
    """An article without its text (lists)."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, allow_null=True)
    outlet = serializers.CharField(source="outlet.name", read_only=True, allow_null=True)
    byline = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revision = serializers.IntegerField(
        source="current_revision.number",
        read_only=True,
        allow_null=True,
        help_text="Number of the current revision; positions index its text.",
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ArticleDetailSerializer(ArticleSerializer):
    text = serializers.CharField(
        source="current_revision.text",
        read_only=True,
        allow_null=True,
        help_text=(
            "The canonical normalised text of the current revision. Selector positions are offsets into "
            "it in Unicode code points (not UTF-16 units)."
        ),
    )
