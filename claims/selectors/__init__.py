"""Reads of the claims app, one module per concern. Writes are in ``claims.services``."""

from __future__ import annotations

from claims.selectors.access import ClaimMerged, access_claim, access_finding
from claims.selectors.claims import (
    SYNC_COLUMNS,
    AppearanceView,
    ClaimDetail,
    FindingView,
    claim_appearances,
    claim_detail_get,
    claim_events,
    claim_findings,
    claim_get,
    claim_latest_reviews,
    claim_links,
    claim_list,
    claim_sync_page,
    speaker_suggestions,
)
from claims.selectors.findings import finding_get
from claims.selectors.reviews import review_list, reviewed_claim_get, reviewed_claim_list

__all__ = [
    "SYNC_COLUMNS",
    "AppearanceView",
    "ClaimDetail",
    "ClaimMerged",
    "FindingView",
    "access_claim",
    "access_finding",
    "claim_appearances",
    "claim_detail_get",
    "claim_events",
    "claim_findings",
    "claim_get",
    "claim_latest_reviews",
    "claim_links",
    "claim_list",
    "claim_sync_page",
    "finding_get",
    "review_list",
    "reviewed_claim_get",
    "reviewed_claim_list",
    "speaker_suggestions",
]
