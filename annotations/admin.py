from __future__ import annotations

from django.contrib import admin

from accounts.admin import AuditedModelAdmin
from annotations.models import Annotation


@admin.register(Annotation)
class AnnotationAdmin(AuditedModelAdmin[Annotation]):
    list_display = ["id", "article", "start", "end", "exact", "anchor_state", "anchor_score", "creator"]
    list_filter = ["anchor_state"]
    raw_id_fields = ["article", "revision", "checked_revision", "creator"]
    readonly_fields = [
        "revision",
        "checked_revision",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "anchor_state",
        "anchor_score",
        "created_at",
        "modified_at",
    ]
