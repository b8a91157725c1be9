from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.services import audit_record
from claims.models import CheckRequest, Claim, ClaimEvent, Finding, Review, Source


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every change an admin makes through these pages leaves an audit row."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=f"admin.{'changed' if change else 'added'}",
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            summary=str(obj)[:200],
            data={"fields": sorted(form.changed_data)} if form is not None else {},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action="admin.deleted",
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            summary=str(obj)[:200],
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class SourceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Source
    fk_name = "claim"
    fields = ["kind", "url", "title", "outlet", "article"]
    raw_id_fields = ["article", "outlet"]
    extra = 0


@admin.register(Claim)
class ClaimAdmin(AuditedAdmin):
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
class FindingAdmin(AuditedAdmin):
    list_display = ["id", "kind", "claim_low", "claim_high", "score", "state", "detector_version"]
    list_filter = ["kind", "state", "detector_version"]
    raw_id_fields = ["claim_low", "claim_high", "decided_by"]


class AppendOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """History rows cannot be added, changed or deleted here, by anyone."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "claim", "verdict", "reviewer", "claim_version"]
    list_filter = ["verdict"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(AppendOnlyAdmin):
    list_display = ["created_at", "claim", "action", "actor", "summary"]
    list_filter = ["action"]


@admin.register(CheckRequest)
class CheckRequestAdmin(AppendOnlyAdmin):
    list_display = ["id", "claim", "claim_version", "detector_version", "state", "attempts", "updated_at"]
    list_filter = ["state", "detector_version"]
