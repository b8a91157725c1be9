from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user. The key is printed once, alone on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label, e.g. the client that will use it")
        parser.add_argument(
            "--expires-in", type=int, metavar="DAYS", help="the token stops working this many days from now"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"No user named {options['username']!r}: create it first with "
                "'python manage.py create_user NAME --role reader'."
            )
        days = options.get("expires_in")
        if days is not None and not 1 <= days <= 36500:
            raise CommandError(f"--expires-in must be a whole number of days from 1 to 36500, got {days}.")
        token, key = api_token_create(
            user=user, name=options["name"], expires_in=None if days is None else timedelta(days=days)
        )
        expiry = "" if token.expires_at is None else f", expires {token.expires_at:%Y-%m-%d %H:%M} UTC"
        self.stdout.write(
            f"Token {token.prefix}… for {user.username}{expiry}; it is stored hashed, copy it now:"
        )
        self.stdout.write(key)
