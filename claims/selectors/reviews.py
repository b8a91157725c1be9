"""Reads of verdicts: a claim's verdict history and the reviewed claims published as ClaimReview."""

from __future__ import annotations

from datetime import datetime

from django.db.models import DateTimeField, F, Min, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Coalesce

from claims.models import VERDICTS, Claim, Review
from claims.selectors.claims import UserLike


def review_list(*, user: UserLike, claim_id: int) -> QuerySet[Review]:
    """Every verdict given on the claim (rows are immutable). Unordered: callers order."""
    if not user.is_authenticated:
        return Review.objects.none()
    return Review.objects.filter(claim_id=claim_id).select_related("reviewer")


def reviewed_claim_list(*, user: UserLike, updated_since: datetime | None = None) -> QuerySet[Claim]:
    """Claims with a verdict that still stand on their own (not merged) and still say what the
    verdict was given on, annotated with ``first_verdict_at``: the first review of the current
    wording, or ``reviewed_at`` for claims imported with a verdict and no review row.

    The wording test repeats what ``claim_update`` guarantees (a new wording sends the claim back to
    review) so that no path, old data included, publishes a verdict for words it was not given on.
    Unordered: callers order (the feed by updated_at, id)."""
    if not user.is_authenticated:
        return Claim.objects.none()
    reviews = Review.objects.filter(claim_id=OuterRef("pk")).order_by()
    latest_text = reviews.order_by("-claim_version").values("claim_text")[:1]
    first_review = (
        reviews.filter(claim_text=OuterRef("text"))
        .values("claim_id")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    claims = Claim.objects.filter(status__in=VERDICTS, merged_into__isnull=True)
    if updated_since is not None:
        claims = claims.filter(updated_at__gte=updated_since)
    return claims.annotate(
        reviewed_text=Subquery(latest_text, output_field=TextField()),
        first_verdict_at=Coalesce(Subquery(first_review, output_field=DateTimeField()), "reviewed_at"),
    ).filter(Q(reviewed_text__isnull=True) | Q(reviewed_text=F("text")))


def reviewed_claim_get(*, user: UserLike, claim_id: int) -> Claim | None:
    return reviewed_claim_list(user=user).filter(pk=claim_id).first()
