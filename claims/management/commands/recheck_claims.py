from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from claims.chunking import chunked
from claims.models import CheckStatus, Claim
from claims.selectors.checks import claim_checks_due
from claims.services.dispatch import claim_checks_relay
from claims.services.outbox import claim_checks_reopen


class Command(BaseCommand):
    help = (
        "Re-run duplicate and contradiction checks in batches: by default the claims whose check failed "
        "or was made by another detector version; with --all, every claim."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-check every claim")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-wait", action="store_true", help="enqueue and return without waiting")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            claim_ids = list(
                Claim.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)
            )
        else:
            claim_ids = claim_checks_due()
        size = max(1, options["batch_size"])
        progress = tqdm(total=len(claim_ids), desc="Checking", unit="claim", disable=options["no_progress"])
        eager = settings.CELERY_TASK_ALWAYS_EAGER
        for chunk in chunked(claim_ids, size):
            batch = claim_checks_reopen(claim_ids=chunk)
            claim_checks_relay(limit=len(batch) + size)
            if eager:
                progress.update(len(batch))
        if not eager and not options["no_wait"]:
            # Workers do the checks; follow them from the database.
            done_before = 0
            while True:
                open_count = Claim.objects.filter(
                    pk__in=claim_ids, check_status__in=[CheckStatus.PENDING, CheckStatus.RUNNING]
                ).count()
                done = len(claim_ids) - open_count
                progress.update(done - done_before)
                done_before = done
                if open_count == 0:
                    break
                time.sleep(1)
        progress.close()
        failed = Claim.objects.filter(pk__in=claim_ids, check_status=CheckStatus.FAILED).count()
        self.stdout.write(f"{len(claim_ids)} claims queued for checking; {failed} failed.")
