"""Reads of verdicts: a claim's verdict history and the reviewed claims published as ClaimReview."""

from __future__ import annotations

from datetime import datetime

from django.db.models import DateTimeField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import VERDICTS, Claim, Review
from claims.selectors.claims import UserLike


def review_list(*, user: UserLike, claim_id: int) -> QuerySet[Review]:
    """Every verdict given on the claim (rows are immutable). Unordered: callers order."""
    if not user.is_authenticated:
        return Review.objects.none()
    return Review.objects.filter(claim_id=claim_id).select_related("reviewer")


def reviewed_claim_list(*, user: UserLike, updated_since: datetime | None = None) -> QuerySet[Claim]:
    """Claims with a verdict that still stand on their own (not merged), annotated with
    ``first_verdict_at``: the first review's date, or ``reviewed_at`` for claims imported with a
    verdict and no review row. Unordered: callers order (the feed by updated_at, id)."""
    if not user.is_authenticated:
        return Claim.objects.none()
    first_review = (
        Review.objects.filter(claim_id=OuterRef("pk"))
        .order_by()
        .values("claim_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    claims = Claim.objects.filter(status__in=VERDICTS, merged_into__isnull=True)
    if updated_since is not None:
        claims = claims.filter(updated_at__gte=updated_since)
    return claims.annotate(
        first_verdict_at=Coalesce(Subquery(first_review, output_field=DateTimeField()), "reviewed_at")
    )


def reviewed_claim_get(*, user: UserLike, claim_id: int) -> Claim | None:
    return reviewed_claim_list(user=user).filter(pk=claim_id).first()
