"""Reads of the check pipeline's state."""

from __future__ import annotations

from django.db.models import Q

from claims.detection import DETECTOR_VERSION
from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim


def claim_checks_due() -> list[int]:
    """Claims whose last check failed, or was made by another detector version, or never ran."""
    current = CheckRequest.objects.filter(detector_version=DETECTOR_VERSION, state=CheckRequestState.DONE)
    return list(
        Claim.objects.filter(merged_into__isnull=True)
        .filter(Q(check_status=CheckStatus.FAILED) | ~Q(pk__in=current.values("claim_id")))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
