"""Reads about users: who is on the desk, and how each wants to be notified."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from accounts.models import MailDelivery, NotificationPreference, default_email_events, default_in_app_events
from accounts.roles import Role

# The desk: who may be assigned claims, take part in discussions and be mentioned. Readers are not.
DESK_ROLES = (Role.ANNOTATOR, Role.EDITOR, Role.ADMIN)


def desk_users() -> QuerySet[User]:
    """Active users holding a desk role (superusers count as admins), by username."""
    desk = Q(groups__name__in=[role.value for role in DESK_ROLES]) | Q(is_superuser=True)
    ids = User.objects.filter(desk, is_active=True).values("pk")
    return User.objects.filter(pk__in=ids).order_by("username")


def desk_users_by_username(*, usernames: Iterable[str]) -> dict[str, User]:
    """The desk users among ``usernames`` (exact match, as Django compares usernames)."""
    wanted = list(dict.fromkeys(usernames))
    if not wanted:
        return {}
    return {user.username: user for user in desk_users().filter(username__in=wanted)}


@dataclass(frozen=True)
class Preferences:
    in_app_events: frozenset[str]
    email_events: frozenset[str]
    email_delivery: str


DEFAULT_PREFERENCES = Preferences(
    frozenset(default_in_app_events()), frozenset(default_email_events()), MailDelivery.IMMEDIATE
)


def notification_preferences(*, user_ids: Iterable[int]) -> dict[int, Preferences]:
    """Each user's preferences, the defaults for users who never saved theirs. One query."""
    wanted = set(user_ids)
    found = {
        row.user_id: Preferences(
            frozenset(row.in_app_events), frozenset(row.email_events), row.email_delivery
        )
        for row in NotificationPreference.objects.filter(user_id__in=wanted)
    }
    return {user_id: found.get(user_id, DEFAULT_PREFERENCES) for user_id in wanted}
