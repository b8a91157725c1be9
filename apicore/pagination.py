"""Keyset pagination for every list of the API: opaque cursors, a stable order, no COUNT(*)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from accounts.numbers import whole_number_or_none

Position = tuple[datetime, int]
Fetch = Callable[[Position | None, int], list[Any]]


class KeysetPagination(BasePagination):
    """Rows in ascending (``timestamp_field``, ``id``) order, resumed with ``(t, id) > cursor``.

    The cursor is the position of the last row served, base64-encoded. A row changed while a client
    pages moves to the end of the order (its timestamp grows), so a client that follows ``next``
    until it is null has seen every row, and each changed row again in its latest state; nothing is
    skipped and nothing unchanged is served twice. No COUNT(*) is run: on a large table it costs
    more than the page.
    """

    timestamp_field = "updated_at"
    default_page_size = 50
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    cursor_description = "Opaque position from a previous page's `next` link. Omit it for the first page."

    def __init__(self) -> None:
        self.page_size = self.default_page_size
        self.next_position: Position | None = None
        self.request: Request | None = None

    @property
    def max_page_size(self) -> int:
        return int(settings.API_MAX_PAGE_SIZE)

    @classmethod
    def query_parameters(cls) -> frozenset[str]:
        return frozenset({cls.cursor_query_param, cls.page_size_query_param})

    # --- Cursor encoding ---------------------------------------------------------------------------

    @staticmethod
    def encode_cursor(position: Position) -> str:
        moment, pk = position
        raw = f"{moment.isoformat()}|{pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode_cursor(cursor: str) -> Position:
        invalid = ValidationError(
            {"cursor": ["The cursor is not valid: use the `next` link of a previous page as it is."]}
        )
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            moment_text, pk_text = raw.rsplit("|", 1)
            moment = datetime.fromisoformat(moment_text)
            pk = whole_number_or_none(pk_text, minimum=0)
            if moment.tzinfo is None or pk is None:
                raise ValueError("not a position")
            moment = moment.astimezone(UTC)
        except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
            raise invalid from error
        return moment, pk

    # --- DRF interface -------------------------------------------------------------------------

    def parse_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.default_page_size
        limit = self.max_page_size
        size = whole_number_or_none(raw)
        if size is None:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"page_size must be a whole number from 1 to {limit}, got {raw[:20]!r}."
                    ]
                }
            )
        if size > limit:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"page_size is at most {limit} (API_MAX_PAGE_SIZE), got {raw[:20]}; "
                        "follow the `next` link for more."
                    ]
                }
            )
        return size

    def after(self, position: Position) -> Q:
        moment, pk = position
        field = self.timestamp_field
        # The redundant ">=" gives the database a range to start an index scan from; the OR alone
        # would be evaluated row by row from the start of the index.
        return Q(**{f"{field}__gte": moment}) & (
            Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
        )

    def position_of(self, row: Any) -> Position:
        if isinstance(row, dict):
            return row[self.timestamp_field], row["id"]
        return getattr(row, self.timestamp_field), row.pk

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        def fetch(position: Position | None, limit: int) -> list[Any]:
            ordered = queryset.order_by(self.timestamp_field, "pk")
            if position is not None:
                ordered = ordered.filter(self.after(position))
            return list(ordered[:limit])

        return self.paginate_rows(fetch, request)

    def paginate_rows(self, fetch: Fetch, request: Request) -> list[Any]:
        """A page from ``fetch(after, limit)``, which returns up to ``limit`` rows in this order
        strictly after the position ``after`` (None for the first page); for hand-written queries."""
        self.request = request
        self.page_size = self.parse_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        rows = fetch(self.decode_cursor(cursor) if cursor else None, self.page_size + 1)
        page = rows[: self.page_size]
        self.next_position = self.position_of(page[-1]) if len(rows) > self.page_size else None
        return page

    def get_next_link(self) -> str | None:
        if self.next_position is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(self.next_position))

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        return Response({"results": data, "next": self.get_next_link()})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page. Keep every other parameter.",
                    "example": "https://corroborate.example/api/v1/claims/?cursor=MjAyNC0wNS0wNlQxMTowMjoxMyswMDowMHw3",
                },
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        sizes = f"Rows per page, 1 to {self.max_page_size} ({self.default_page_size} if absent)."
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": self.cursor_description,
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": sizes,
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
