"""The admin of accounts, and ``AuditedModelAdmin``, which every ModelAdmin of the project uses so that
each change an admin makes (add, change, delete, bulk delete) leaves an ``AuditEvent``."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from accounts.models import ApiToken, AuditEvent
from accounts.services import api_tokens_revoke, audit_record

_ModelT = TypeVar("_ModelT", bound=Model)


def _admin_audit(request: HttpRequest, action: str, obj: Model, changes: Any = None) -> None:
    user = request.user if isinstance(request.user, User) else None
    audit_record(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=str(obj)[:200],
        # Django's change message names the changed fields (inlines too); lazy labels become text.
        data={"changes": json.loads(json.dumps(changes, default=str))} if changes else {},
    )


class AuditedModelAdmin(admin.ModelAdmin[_ModelT]):
    """Django calls these hooks for every add, change and deletion made through the admin (the bulk
    "delete selected" action included), inside the same transaction as the change."""

    def log_addition(self, request: HttpRequest, obj: _ModelT, message: Any) -> LogEntry:
        _admin_audit(request, "admin.added", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: _ModelT, message: Any) -> LogEntry:
        _admin_audit(request, "admin.changed", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[_ModelT]) -> Any:
        # Called before the deletion; ``queryset`` is a list when one object is deleted.
        for obj in queryset:
            _admin_audit(request, "admin.deleted", obj)
        return super().log_deletions(request, queryset)


class AppendOnlyAdmin(AuditedModelAdmin[_ModelT]):
    """History rows cannot be added, changed or deleted here, by anyone: they can only be read."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin[ApiToken]):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    # Revocation is final and an expiry cannot be pushed back: both change only through the services.
    readonly_fields = ["user", "prefix", "digest", "created_at", "last_used_at", "expires_at", "revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    actions = ["revoke"]

    # A token's key is shown once, by 'manage.py create_api_token'; one added here would have none.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        revoked = api_tokens_revoke(token_ids=list(queryset.values_list("pk", flat=True)), actor=actor)
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(AppendOnlyAdmin[AuditEvent]):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "summary"]


# Users, roles and log-in lock-outs are registered by Django and django-axes; registered again here
# with the audit hooks, so that granting a role or unlocking an account is on the record too.
class AuditedUserAdmin(AuditedModelAdmin[User], UserAdmin[User]):
    pass


class AuditedGroupAdmin(AuditedModelAdmin[Group], GroupAdmin):
    pass


class AuditedAccessAttemptAdmin(AuditedModelAdmin[AccessAttempt], axes_admin.AccessAttemptAdmin):  # type: ignore[misc]
    pass


class AuditedAccessLogAdmin(AuditedModelAdmin[AccessLog], axes_admin.AccessLogAdmin):  # type: ignore[misc]
    pass


class AuditedAccessFailureLogAdmin(AuditedModelAdmin[AccessFailureLog], axes_admin.AccessFailureLogAdmin):  # type: ignore[misc]
    pass


AUDITED_THIRD_PARTY: list[tuple[type[Model], type[admin.ModelAdmin[Any]]]] = [
    (User, AuditedUserAdmin),
    (Group, AuditedGroupAdmin),
    (AccessAttempt, AuditedAccessAttemptAdmin),
    (AccessLog, AuditedAccessLogAdmin),
    (AccessFailureLog, AuditedAccessFailureLogAdmin),
]
for model, model_admin in AUDITED_THIRD_PARTY:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
