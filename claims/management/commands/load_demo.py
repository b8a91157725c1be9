from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.roles import Role
from accounts.services import user_create_if_missing
from annotations.services import article_import_and_reanchor
from articles.extraction import record_from_mapping
from claims.models import Claim, Source, SourceKind
from claims.services.archive import ArchiveLine, claims_import_archive
from claims.services.claims import SelectorInput, claim_create
from claims.services.index import claim_vectors_current
from claims.services.reviews import claim_review

DATA = Path(__file__).resolve().parents[2] / "demo_data"

# Demo logins, printed by `make run`. They exist only in the demo data set.
DEMO_USERS: list[tuple[str, Role, str]] = [
    ("eddie", Role.EDITOR, "eddie-demo-pass"),
    ("annie", Role.ANNOTATOR, "annie-demo-pass"),
    ("rita", Role.READER, "rita-demo-pass"),
    ("ada", Role.ADMIN, "ada-demo-pass"),
]


def _lines(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Command(BaseCommand):
    help = (
        "Load the demo newsroom: users, articles, highlighted claims, verdicts and an archive. Idempotent. "
        "Demo users that exist already keep their password and role. Refuses to run with DJANGO_DEBUG=0 "
        "unless --force is given: the demo logins are public."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument(
            "--force", action="store_true", help="load even with DJANGO_DEBUG=0 (a public demo server)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to load the demo with DJANGO_DEBUG=0: its users have published passwords. "
                "Pass --force to load it on this server anyway."
            )
        users = {}
        created_users = []
        for username, role, password in DEMO_USERS:
            users[username], new = user_create_if_missing(username=username, role=role, password=password)
            if new:
                created_users.append(username)
        articles = {}
        for number, item in enumerate(_lines("articles.jsonl"), start=1):
            record = record_from_mapping(item, origin=f"articles.jsonl:{number}")
            articles[record.url] = article_import_and_reanchor(record=record).article
        created = 0
        for item in _lines("highlights.jsonl"):
            article = articles[item["article_url"]]
            if Source.objects.filter(
                article=article, kind=SourceKind.APPEARANCE, annotation__exact=item["exact"]
            ).exists():
                continue
            with transaction.atomic():
                claim_create(
                    user=users[item.get("creator", "annie")],
                    article=article,
                    selector=SelectorInput(exact=item["exact"]),
                    text=item["claim"],
                    speaker=item.get("speaker"),
                    sources=item.get("sources") or [],
                )
            created += 1
        reviewed = 0
        for item in _lines("reviews.jsonl"):
            claim = Claim.objects.filter(text=item["claim"], merged_into__isnull=True).first()
            if claim is None or claim.reviews.exists():
                continue
            claim_review(
                claim_id=claim.pk,
                reviewer=users[item.get("reviewer", "eddie")],
                verdict=item["verdict"],
                rationale=item.get("rationale", ""),
                evidence=item.get("evidence") or [],
            )
            reviewed += 1
        archive = [ArchiveLine.from_mapping(item) for item in _lines("claim_archive.jsonl")]
        archived = claims_import_archive(lines=archive, user=None).created
        # Articles that arrive after the desk's verdicts, so triage finds repeats of reviewed claims.
        # Vectors first: with a broker, the claims' checks (which store them) may still be queued.
        claim_vectors_current(claims=list(Claim.objects.filter(merged_into__isnull=True)))
        for number, item in enumerate(_lines("arrivals.jsonl"), start=1):
            record = record_from_mapping(item, origin=f"arrivals.jsonl:{number}")
            articles[record.url] = article_import_and_reanchor(record=record).article
        if not options["quiet"]:
            self.stdout.write(
                f"Demo loaded: {len(articles)} articles, {created} new highlighted claims, "
                f"{reviewed} new verdicts, {archived} archived claims."
            )
            self.stdout.write("Demo logins (username / password):")
            for username, role, password in DEMO_USERS:
                # A user that existed before keeps its own password, which may not be the demo one.
                shown = password if username in created_users else "(unchanged)"
                self.stdout.write(f"  {username:6} / {shown:16} {role.value}")
