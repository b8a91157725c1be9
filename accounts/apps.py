from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


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
        from accounts import schema  # noqa: F401  (registers the OpenAPI auth extension)
