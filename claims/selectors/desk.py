"""Reads of the desk's workflow: discussions, following and notifications.

The discussion is for the desk: ``claim_comments`` returns nothing to a user without
``claims.view_claimcomment`` (readers), whatever the caller checked before.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from claims.mentions import mentions_find
from claims.models import ClaimComment, ClaimFollow, Notification

UserLike = AbstractBaseUser | AnonymousUser
NOTIFICATION_PAGE = 100


def desk_may_read(user: UserLike) -> bool:
    return isinstance(user, User) and user.has_perm("claims.view_claimcomment")


def claim_comments(*, user: UserLike, claim_id: int) -> QuerySet[ClaimComment]:
    """A claim's comments, oldest first, with their authors and mentions: two queries."""
    if not desk_may_read(user):
        return ClaimComment.objects.none()
    return (
        ClaimComment.objects.filter(claim_id=claim_id)
        .select_related("author")
        .prefetch_related(Prefetch("mentions", queryset=User.objects.only("pk", "username")))
        .order_by("created_at", "id")
    )


def comment_html(comment: ClaimComment) -> SafeString:
    """The comment's text, escaped, with its resolved mentions marked up (names that did not
    resolve to a desk user stay plain text)."""
    resolved = {user.username for user in comment.mentions.all()}
    parts: list[str] = []
    position = 0
    for mention in mentions_find(comment.body):
        if mention.name not in resolved:
            continue
        parts.append(escape(comment.body[position : mention.start]))
        parts.append(format_html('<strong class="mention">@{}</strong>', mention.name))
        position = mention.end
    parts.append(escape(comment.body[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


def claim_followed(*, user: UserLike, claim_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return ClaimFollow.objects.filter(claim_id=claim_id, user_id=user.pk).exists()


def notifications_unread_count(*, user: UserLike) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, in_app=True, read_at__isnull=True).count()


def notification_list(*, user: UserLike, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first (their own only)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient_id=user.pk, in_app=True)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.select_related("actor").order_by("-created_at", "-id")
