from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apicore.fields import TextField
from apicore.serializers import StrictSerializer


class ArticleCreateSerializer(StrictSerializer):
    # Blank title and text pass here so that the service's own messages (which name the limit or
    # the problem) are the ones clients see.
    title = TextField(allow_blank=True, help_text="Headline (at most 500 characters).")
    text = TextField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="Body text. It is normalised (NFC, one blank line between paragraphs, spaces collapsed).",
    )
    url = TextField(
        required=False, allow_blank=True, allow_null=True, help_text="Canonical http(s) URL; unique."
    )
    outlet = TextField(
        required=False, allow_blank=True, allow_null=True, max_length=200, help_text="Publication name."
    )
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    byline = TextField(required=False, allow_blank=True, max_length=300)


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
