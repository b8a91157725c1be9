"""Reads of the annotations app. Writes are in ``annotations.services``."""

from __future__ import annotations

from django.db.models import F

from annotations.models import Annotation


def annotations_reanchor_due(*, limit: int = 100) -> list[int]:
    """Articles with annotations that were not reconciled with the current revision."""
    return list(
        Annotation.objects.exclude(checked_revision_id=F("article__current_revision_id"))
        .values_list("article_id", flat=True)
        .distinct()
        .order_by("article_id")[:limit]
    )
