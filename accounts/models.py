from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

REVOCATION_IS_FINAL = "A revoked token stays revoked: create a new token instead."


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def update(self, **kwargs: Any) -> int:
        # A bulk update is the other way round save(): it must not un-revoke either.
        if "revoked_at" in kwargs and kwargs["revoked_at"] is None:
            raise ValidationError(REVOCATION_IS_FINAL)
        return super().update(**kwargs)


class ApiToken(models.Model):
    """An API token, stored as a SHA-256 digest: the clear key is shown once, at creation.

    Revocation is final: ``save()`` and ``update()`` refuse to clear ``revoked_at``. A token past its
    ``expires_at`` (when set) no longer authenticates.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and self.revoked_at is None:
            stored = type(self).objects.filter(pk=self.pk).values_list("revoked_at", flat=True).first()
            if stored is not None:
                raise ValidationError(REVOCATION_IS_FINAL)
        super().save(*args, **kwargs)

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_for(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AuditEvent(models.Model):
    """An append-only record of a change made outside the normal claim history (admin, commands)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    summary = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class NotificationEvent(models.TextChoices):
    """What can happen to a claim a user follows (or to the user) that may notify them."""

    ASSIGNED = "assigned", "A claim is assigned to me"
    FINDING = "finding", "A new finding on a claim I follow"
    VERDICT = "verdict", "A verdict on a claim I follow"
    COMMENT = "comment", "A comment on a claim I follow"
    MENTION = "mention", "I am mentioned in a comment"


class MailDelivery(models.TextChoices):
    IMMEDIATE = "immediate", "One email per notification"
    HOURLY = "hourly", "An hourly digest"
    DAILY = "daily", "A daily digest"


def default_in_app_events() -> list[str]:
    return list(NotificationEvent.values)


def default_email_events() -> list[str]:
    return [NotificationEvent.ASSIGNED.value, NotificationEvent.MENTION.value]


class NotificationPreference(models.Model):
    """Which events notify a user, by which channel, and how mail is batched. A user without a row
    has the defaults: every event in the app, mail for assignments and mentions, one mail each."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    in_app_events = models.JSONField(default=default_in_app_events, blank=True)
    email_events = models.JSONField(default=default_email_events, blank=True)
    email_delivery = models.CharField(
        max_length=16, choices=MailDelivery.choices, default=MailDelivery.IMMEDIATE
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"
