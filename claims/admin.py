from __future__ import annotations

from django.contrib import admin
from django.db import models

from accounts.admin import AppendOnlyAdmin, AuditedModelAdmin
from claims.models import CheckRequest, Claim, ClaimEvent, Finding, MergeRecord, Review, Source


class SourceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Source
    fk_name = "claim"
    fields = ["kind", "url", "title", "outlet", "article"]
    raw_id_fields = ["article", "outlet"]
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Claim)
class ClaimAdmin(AuditedModelAdmin[Claim]):
    list_display = ["id", "text", "speaker", "status", "check_status", "version", "updated_at"]
    list_filter = ["status", "check_status"]
    search_fields = ["text", "speaker", "external_id"]
    # Verdicts go through the review form so that each is a Review row; the admin cannot set them.
    readonly_fields = [
        "status",
        "check_status",
        "version",
        "merged_into",
        "created_at",
        "updated_at",
        "reviewed_at",
        "checked_at",
        "open_contradictions",
        "open_duplicates",
        "outlet_count",
    ]
    inlines = [SourceInline]


@admin.register(Finding)
class FindingAdmin(AuditedModelAdmin[Finding]):
    list_display = ["id", "kind", "claim_low", "claim_high", "score", "state", "detector_version"]
    list_filter = ["kind", "state", "detector_version"]
    raw_id_fields = ["claim_low", "claim_high", "decided_by"]


@admin.register(Review)
class ReviewAdmin(AppendOnlyAdmin[Review]):
    list_display = ["created_at", "claim", "verdict", "reviewer", "claim_version"]
    list_filter = ["verdict"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(AppendOnlyAdmin[ClaimEvent]):
    list_display = ["created_at", "claim", "action", "actor", "summary"]
    list_filter = ["action"]


@admin.register(CheckRequest)
class CheckRequestAdmin(AppendOnlyAdmin[CheckRequest]):
    list_display = ["id", "claim", "claim_version", "detector_version", "state", "attempts", "updated_at"]
    list_filter = ["state", "detector_version"]


@admin.register(MergeRecord)
class MergeRecordAdmin(AppendOnlyAdmin[MergeRecord]):
    """What each merge moved; undone from the claim page or the API, never edited here."""

    list_display = ["created_at", "merged", "kept", "automatic", "created_by", "undone_at", "undone_by"]
    list_filter = ["automatic"]
    raw_id_fields = ["kept", "merged", "finding"]
