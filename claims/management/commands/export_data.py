from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from accounts.services import audit_record

# Everything the newsroom made, in an order that loads without forward references to missing rows.
EXPORTED_MODELS = [
    "auth.group",
    "auth.user",
    "accounts.apitoken",
    "accounts.auditevent",
    "accounts.notificationpreference",
    "articles.outlet",
    "articles.article",
    "articles.articlerevision",
    "annotations.annotation",
    "claims.claim",
    "claims.source",
    "claims.finding",
    "claims.review",
    "claims.claimevent",
    "claims.claimcomment",
    "claims.claimfollow",
    "claims.notification",
    "claims.checkrequest",
    "claims.claimvector",
]


class Command(BaseCommand):
    help = (
        "Export articles, revisions, annotations, claims, sources, findings, reviews, history, users and "
        "tokens (hashed) to a JSON Lines file that import_data loads back without loss."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.suffix != ".jsonl":
            path = path.with_suffix(path.suffix + ".jsonl") if path.suffix else path.with_suffix(".jsonl")
        # Natural keys for permissions: their ids differ between databases migrated in another order.
        call_command(
            "dumpdata",
            *EXPORTED_MODELS,
            format="jsonl-exact",
            indent=None,
            output=str(path),
            verbosity=0,
            use_natural_foreign_keys=True,
        )
        lines = sum(1 for _ in path.open(encoding="utf-8"))
        audit_record(
            actor=None, action="data.exported", object_type="database", object_id="-", summary=str(path)
        )
        self.stdout.write(f"Exported {lines} rows to {path}")
