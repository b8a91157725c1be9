from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.services import audit_record, roles_sync
from articles.models import Article
from claims.models import Claim


class Command(BaseCommand):
    help = "Load a file written by export_data into an empty database (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--into-non-empty",
            action="store_true",
            help="load even if articles or claims exist (rows are upserted by id)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if not options["into_non_empty"] and (Article.objects.exists() or Claim.objects.exists()):
            raise CommandError(
                "The database already holds articles or claims: loading an export over them would mix two "
                "newsrooms. Use an empty database (migrate a new one) or pass --into-non-empty."
            )
        with transaction.atomic():
            memberships = _groups_make_way(path)
            call_command("loaddata", str(path), verbosity=0)
            for name, user_ids in memberships.items():
                Group.objects.get(name=name).user_set.add(*user_ids)
            roles_sync()
            audit_record(
                actor=None, action="data.imported", object_type="database", object_id="-", summary=str(path)
            )
        self.stdout.write(
            f"Imported {path}: {Article.objects.count()} articles, {Claim.objects.count()} claims."
        )


def _groups_make_way(path: Path) -> dict[str, list[int]]:
    """Delete local groups whose names the file brings under another id; return their members.

    ``migrate`` (and ``flush``) create the role groups, so even an empty database holds groups that
    collide by name with the exported ones. The exported rows win, and local members are re-attached
    to the group of the same name after loading.
    """
    exported: dict[str, int] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if '"auth.group"' not in line:
                continue
            row = json.loads(line)
            if row.get("model") != "auth.group":
                continue
            exported[row["fields"]["name"]] = row["pk"]
    memberships: dict[str, list[int]] = {}
    for group in Group.objects.filter(name__in=exported):
        if group.pk != exported[group.name]:
            memberships[group.name] = list(group.user_set.values_list("pk", flat=True))
            group.delete()
    return memberships
