from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, AuditEvent, MailDelivery, NotificationEvent, NotificationPreference
from accounts.roles import ROLE_PERMISSIONS, Role


def roles_sync() -> None:
    """Create or update one group per role with exactly its permissions. Idempotent.

    Permissions that do not exist yet (an app not migrated so far) are skipped; the next
    post_migrate run adds them.
    """
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)


def role_parse(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError as error:
        choices = ", ".join(role.value for role in Role)
        raise ValidationError(f"Unknown role {value!r}: choose one of {choices}.") from error


class TokenExpired(Exception):
    """The key matches a live token whose ``expires_at`` has passed."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(f"token {token.prefix}… expired")
        self.token = token


@transaction.atomic
def user_create_if_missing(*, username: str, role: Role, password: str) -> tuple[User, bool]:
    """Create the user with ``role`` and ``password`` unless a user of that name exists, which is left
    exactly as it is (its password and role are never reset). Returns (user, created)."""
    existing = User.objects.filter(username=username.strip()).first()
    if existing is not None:
        return existing, False
    return user_create_or_update(username=username, role=role, password=password)


@transaction.atomic
def user_password_change(*, user: User, password: str, actor: User | None) -> int:
    """Set a new password (checked by the password validators) and revoke the user's API tokens.
    Returns how many tokens were revoked."""
    validate_password(password, user)
    revoked = user_tokens_revoke(user=user, actor=actor, reason="password changed")
    user.set_password(password)
    user.save()
    return revoked


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None) -> int:
    """Deactivate the user and revoke the user's API tokens. Returns how many tokens were revoked."""
    revoked = user_tokens_revoke(user=user, actor=actor, reason="user deactivated")
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.deactivated",
        object_type="user",
        object_id=str(user.pk),
        summary=user.username,
    )
    return revoked


@transaction.atomic
def user_create_or_update(*, username: str, role: Role, password: str | None = None) -> tuple[User, bool]:
    """Create the user or, when it exists, move it to ``role`` (its only role). Returns (user, created)."""
    username = username.strip()
    if not username:
        raise ValidationError("A username is required.")
    roles_sync()
    user, created = User.objects.get_or_create(username=username)
    if password:
        if not created:
            user_tokens_revoke(user=user, actor=None, reason="password changed")
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = role is Role.ADMIN
    user.is_superuser = role is Role.ADMIN
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    audit_record(
        actor=None,
        action="user.created" if created else "user.updated",
        object_type="user",
        object_id=str(user.pk),
        summary=f"{username} has role {role.value}",
    )
    return user, created


def user_role(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The highest role the user holds, or None for anonymous users and users without one."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    names = set(Group.objects.filter(user__pk=user.pk).values_list("name", flat=True))
    for role in (Role.ADMIN, Role.EDITOR, Role.ANNOTATOR, Role.READER):
        if role.value in names:
            return role
    return None


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "", expires_in: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its clear key, which is not stored and cannot be shown again.

    With ``expires_in`` the token stops authenticating that long after its creation."""
    if expires_in is not None and expires_in <= timedelta(0):
        raise ValidationError("A token's lifetime must be positive.")
    key = ApiToken.generate_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        digest=ApiToken.digest_for(key),
        created_at=now,
        expires_at=None if expires_in is None else now + expires_in,
    )
    audit_record(
        actor=None,
        action="api_token.created",
        object_type="api_token",
        object_id=str(token.pk),
        summary=f"token {token.prefix}… for {user.username}",
        data={} if token.expires_at is None else {"expires_at": token.expires_at.isoformat()},
    )
    return token, key


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token with this key, or None. Raises ``TokenExpired`` for a token past its expiry."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_for(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.is_expired(now):
        raise TokenExpired(token)
    # Record use at most once a minute: a write per request would cost more than the read it serves.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        data=data or {},
    )


def user_tokens_revoke(*, user: User, actor: User | None, reason: str) -> int:
    """Revoke every live token of ``user`` (each with an audit row naming ``reason``)."""
    token_ids = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True))
    return api_tokens_revoke(token_ids=token_ids, actor=actor, reason=reason) if token_ids else 0


@transaction.atomic
def api_tokens_revoke(*, token_ids: list[int], actor: User | None, reason: str = "") -> int:
    """Revoke the tokens that are not revoked yet, each with an audit row. Returns how many."""
    now = timezone.now()
    revoked = 0
    for token in ApiToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).select_related("user"):
        # The conditional UPDATE makes a concurrent revocation of the same token count once.
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
            revoked += 1
            audit_record(
                actor=actor,
                action="api_token.revoked",
                object_type="api_token",
                object_id=str(token.pk),
                summary=f"token {token.prefix}… of {token.user.username}",
                data={"reason": reason} if reason else {},
            )
    return revoked


def notification_preferences_save(
    *, user: User, in_app_events: list[str], email_events: list[str], email_delivery: str
) -> NotificationPreference:
    """Store which events notify ``user``, by which channel, and how mail is batched."""
    known = set(NotificationEvent.values)
    unknown = sorted(set(in_app_events) - known | set(email_events) - known)
    if unknown:
        raise ValidationError({"events": [f"Unknown events: {', '.join(unknown)}."]})
    if email_delivery not in MailDelivery.values:
        raise ValidationError({"email_delivery": [f"Choose one of: {', '.join(MailDelivery.values)}."]})
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "in_app_events": sorted(set(in_app_events)),
            "email_events": sorted(set(email_events)),
            "email_delivery": email_delivery,
            "updated_at": timezone.now(),
        },
    )
    return preference
