"""Template context for every page: the notification bell's unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from claims.selectors.desk import notifications_unread_count


def notification_bell(request: HttpRequest) -> dict[str, Any]:
    """``bell_unread`` for desk users (readers get no notifications: no bell), else None."""
    user = request.user
    if not user.is_authenticated or not user.has_perm("claims.view_claimcomment"):
        return {"bell_unread": None}
    return {"bell_unread": notifications_unread_count(user=user)}
