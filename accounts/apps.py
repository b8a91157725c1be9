from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def _sync_roles(**_: Any) -> None:
    from accounts.services import roles_sync

    roles_sync()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts, roles and audit"

    def ready(self) -> None:
        # Groups need the permissions that every app's migrations create, so they are kept in
        # step after each migrate rather than in a migration of their own.
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")
        from django.contrib.auth.models import User

        from accounts.signals import user_saved_revoke_tokens

        # A new password or a deactivation revokes the user's API tokens, whatever path made it.
        post_save.connect(user_saved_revoke_tokens, sender=User, dispatch_uid="accounts.revoke_tokens")
        from accounts import schema  # noqa: F401  (registers the OpenAPI auth extension)
