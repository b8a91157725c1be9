from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import Role
from accounts.services import user_role


def roles(request: HttpRequest) -> dict[str, Any]:
    role = user_role(request.user)
    return {
        "user_role": role.value if role else None,
        "can_annotate": role in {Role.ANNOTATOR, Role.EDITOR, Role.ADMIN},
        "can_review": role in {Role.EDITOR, Role.ADMIN},
    }
