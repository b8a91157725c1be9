from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user. The key is printed once, alone on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label, e.g. the client that will use it")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"No user named {options['username']!r}: create it first with "
                "'python manage.py create_user NAME --role reader'."
            )
        token, key = api_token_create(user=user, name=options["name"])
        self.stdout.write(f"Token {token.prefix}… for {user.username}; it is stored hashed, copy it now:")
        self.stdout.write(key)
