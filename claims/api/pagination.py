"""The claims API's pages: keyset pagination (see ``apicore.pagination``) on its two orders."""

from __future__ import annotations

from apicore.pagination import KeysetPagination


class ClaimPagination(KeysetPagination):
    """Claims and ClaimReviews by (updated_at, id): the order a syncing client follows."""

    timestamp_field = "updated_at"


class HistoryPagination(KeysetPagination):
    """Reviews and events, oldest first, by (created_at, id): rows that never change."""

    timestamp_field = "created_at"
