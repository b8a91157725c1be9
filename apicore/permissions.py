"""Who may call what: each view declares the Django permission each HTTP method needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.roles import ROLE_PERMISSIONS
from accounts.services import user_role

SAFE_ALIASES = {"HEAD": "GET", "OPTIONS": "GET"}


@dataclass(frozen=True)
class Requirement:
    """``permission`` as "app_label.codename"; ``action`` completes "To ... you need" in messages."""

    permission: str
    action: str

    def roles(self) -> list[str]:
        return [role.value for role, codenames in ROLE_PERMISSIONS.items() if self.permission in codenames]


def permission_held(user: Any, permission: str) -> bool:
    """``user.has_perm(permission)`` for Django's model backend, in one query instead of two.

    Every API request checks one permission; ModelBackend loads all of the user's permissions in
    two ORM queries, which cost more than a list page's own query. Superusers hold every permission
    and inactive users none, as with has_perm.
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    app_label, codename = permission.split(".", 1)
    tables = {
        "permission": Permission._meta.db_table,
        "content_type": ContentType._meta.db_table,
        "user_groups": User.groups.through._meta.db_table,
        "group_permissions": Group.permissions.through._meta.db_table,
        "user_permissions": User.user_permissions.through._meta.db_table,
    }
    sql = """
        SELECT EXISTS (
            SELECT 1 FROM {permission} p JOIN {content_type} ct ON ct.id = p.content_type_id
            WHERE ct.app_label = %s AND p.codename = %s AND (
                p.id IN (SELECT gp.permission_id FROM {user_groups} ug
                         JOIN {group_permissions} gp ON gp.group_id = ug.group_id WHERE ug.user_id = %s)
                OR p.id IN (SELECT up.permission_id FROM {user_permissions} up WHERE up.user_id = %s)
            )
        )
    """.format(**tables)  # noqa: S608 (table names from model metadata, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [app_label, codename, user.pk, user.pk])
        row = cursor.fetchone()
    return bool(row and row[0])


class MethodPermissions(BasePermission):
    """Checks ``view.required_permissions[method]`` (a :class:`Requirement`) for the request user.

    A method the view does not declare is let through here so that DRF answers it with 405.
    Denials carry a message naming the role that would be needed.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        method = SAFE_ALIASES.get(request.method or "GET", request.method or "GET")
        requirement: Requirement | None = getattr(view, "required_permissions", {}).get(method)
        if requirement is None or permission_held(request.user, requirement.permission):
            return True
        role = user_role(request.user)
        held = f"has the {role.value} role" if role else "has no role"
        self.message = (
            f"To {requirement.action} you need the {' or '.join(requirement.roles())} role; "
            f"{request.user.get_username()} {held}. Ask an admin if you need more access."
        )
        return False

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        # Every role that may read or act on a kind of object may do so on every object of it: the
        # newsroom shares one archive. The object-level rule lives in the apps' access_* fetchers
        # (claims.selectors.access, articles.selectors.access_article), which API and web views share.
        return True
