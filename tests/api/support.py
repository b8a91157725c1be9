"""Helpers of the API tests (the shared newsroom and db_snapshot are in tests/newsroom.py)."""

from __future__ import annotations

from datetime import datetime

from rest_framework import serializers

from claims.models import Claim
from claims.services.pipeline import claim_checks_run


def run_checks(*claims: Claim) -> None:
    """Run the background check of each claim now, as the worker would."""
    for claim in claims:
        claim_checks_run(claim_id=claim.pk)


def iso(moment: datetime | None) -> str | None:
    """A timestamp as the API renders it."""
    return None if moment is None else serializers.DateTimeField().to_representation(moment)
