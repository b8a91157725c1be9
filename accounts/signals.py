"""Token revocation for the paths that change a user without going through ``accounts.services``:
the admin's user form and password form, ``manage.py changepassword``, password reset."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from accounts.services import user_tokens_revoke


def user_saved_revoke_tokens(sender: type[User], instance: User, created: bool, **_: Any) -> None:
    if created:
        return
    # set_password() leaves the new raw password in ``_password`` until save() has run; a hash
    # upgrade at log-in clears it first, so it is not taken for a change (see check_password()).
    if getattr(instance, "_password", None) is not None:
        user_tokens_revoke(user=instance, actor=None, reason="password changed")
    if not instance.is_active:
        user_tokens_revoke(user=instance, actor=None, reason="user deactivated")
