from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import Role
from accounts.services import role_parse, user_create_or_update


class Command(BaseCommand):
    help = "Create a user with a role, or move an existing user to that role (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"one of {', '.join(r.value for r in Role)}")
        parser.add_argument("--password", help="set this password (otherwise new users cannot log in)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            role = role_parse(options["role"])
            user, created = user_create_or_update(
                username=options["username"], role=role, password=options.get("password")
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} user {user.username} with role {role.value}.")
