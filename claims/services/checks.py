"""The background check pipeline: outbox row -> relay -> task -> findings.

A check request is written in the same transaction as the claim change (transactional outbox), so
neither a crash after commit nor a broker outage loses it. The relay hands pending rows to Celery;
the sweeper re-enqueues rows left enqueued or running for too long. Findings have unique keys, so
a redelivered task changes nothing.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.detection import DETECTOR_VERSION
from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim

logger = logging.getLogger(__name__)

RELAY_BATCH = 500
# An "enqueued" row older than this was probably never delivered (crash between claim and send).
ENQUEUED_GRACE = timedelta(minutes=2)
# A failed check is tried again by the sweeper after this long, up to MAX_ATTEMPTS sends in all.
FAILED_RETRY_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 3


def check_request_create(*, claim: Claim) -> CheckRequest:
    """Record that ``claim`` at its current version needs a check; relay it after commit.

    Idempotent: the (claim, version, detector version) key is unique.
    """
    request, _ = CheckRequest.objects.get_or_create(
        claim=claim, claim_version=claim.version, detector_version=DETECTOR_VERSION
    )
    # Older requests for the same claim are now pointless: the newer text is what gets checked.
    CheckRequest.objects.filter(
        claim=claim, state__in=[CheckRequestState.PENDING, CheckRequestState.ENQUEUED]
    ).exclude(pk=request.pk).update(state=CheckRequestState.SUPERSEDED, updated_at=timezone.now())
    Claim.objects.filter(pk=claim.pk).update(check_status=CheckStatus.PENDING)
    request_id = request.pk
    transaction.on_commit(lambda: check_requests_relay(request_ids=[request_id]))
    return request


# After a failed send, requests stop trying the broker for a while and leave the rows to the
# periodic relay, so that every save does not pay the connection timeout while Redis is down.
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0


def _send(request_ids: list[int], claim_ids: list[int], *, respect_backoff: bool) -> bool:
    """Hand claims to the broker; False when it cannot be reached (the rows go back to pending)."""
    global _broker_down_until
    from claims.tasks import claim_checks_run_task

    if respect_backoff and not settings.CELERY_TASK_ALWAYS_EAGER and time.monotonic() < _broker_down_until:
        CheckRequest.objects.filter(pk__in=request_ids, state=CheckRequestState.ENQUEUED).update(
            state=CheckRequestState.PENDING, updated_at=timezone.now()
        )
        return False
    try:
        for claim_id in claim_ids:
            claim_checks_run_task.apply_async(args=[claim_id], retry=False)
    except Exception as error:  # kombu raises several unrelated types for a broker that is down
        logger.warning("broker unavailable, %d check(s) stay pending: %s", len(request_ids), error)
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        CheckRequest.objects.filter(pk__in=request_ids, state=CheckRequestState.ENQUEUED).update(
            state=CheckRequestState.PENDING, updated_at=timezone.now()
        )
        return False
    _broker_down_until = 0.0
    return True


def check_requests_relay(*, request_ids: list[int] | None = None, limit: int = RELAY_BATCH) -> int:
    """Move pending requests to the broker. Returns how many were handed over.

    Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and marked enqueued in one short
    transaction, so two relays never send the same row; the send happens after that commit so an
    in-process (eager) check does not run inside the relay's transaction.
    """
    with transaction.atomic():
        rows = CheckRequest.objects.filter(state=CheckRequestState.PENDING).order_by("id")
        if request_ids is not None:
            rows = rows.filter(pk__in=request_ids)
        picked = list(rows.select_for_update(skip_locked=True).values_list("pk", "claim_id")[:limit])
        if not picked:
            return 0
        CheckRequest.objects.filter(pk__in=[pk for pk, _ in picked]).update(
            state=CheckRequestState.ENQUEUED, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    request_ids_picked = [pk for pk, _ in picked]
    claim_ids = list(dict.fromkeys(claim_id for _, claim_id in picked))
    # Targeted relays come from requests right after a save; the periodic relay (no ids) always
    # tries the broker, so it is what notices that Redis is back.
    sent = _send(request_ids_picked, claim_ids, respect_backoff=request_ids is not None)
    return len(picked) if sent else 0


def claim_checks_sweep() -> int:
    """Re-enqueue checks that were lost (enqueued but never started, running past the hard limit)
    or that failed fewer than MAX_ATTEMPTS times."""
    now = timezone.now()
    stuck = CheckRequest.objects.filter(
        Q(
            state=CheckRequestState.ENQUEUED,
            updated_at__lt=now - min(ENQUEUED_GRACE, settings.CHECK_STUCK_AFTER),
        )
        | Q(state=CheckRequestState.RUNNING, updated_at__lt=now - settings.CHECK_STUCK_AFTER)
        | Q(
            state=CheckRequestState.FAILED, attempts__lt=MAX_ATTEMPTS, updated_at__lt=now - FAILED_RETRY_AFTER
        )
    )
    claim_ids = list(stuck.values_list("claim_id", flat=True))
    count = stuck.update(state=CheckRequestState.PENDING, updated_at=now)
    Claim.objects.filter(pk__in=claim_ids, check_status=CheckStatus.FAILED).update(
        check_status=CheckStatus.PENDING
    )
    if count:
        logger.info("re-enqueueing %d stuck check(s)", count)
    return count + claim_checks_reconcile() + check_requests_relay()


def claim_checks_reconcile() -> int:
    """Repair claims that show a check in progress with no open request behind them.

    The outbox makes this rare (a request is written with every change), but the database is the
    truth: a claim pending or running without a pending, enqueued, running or retryable request
    would otherwise wait forever. It gets its status from its newest request if that one finished,
    else a fresh request. Returns how many claims were repaired.
    """
    open_states = [
        CheckRequestState.PENDING,
        CheckRequestState.ENQUEUED,
        CheckRequestState.RUNNING,
        CheckRequestState.FAILED,
    ]
    waiting = Claim.objects.filter(
        check_status__in=[CheckStatus.PENDING, CheckStatus.RUNNING], merged_into__isnull=True
    ).exclude(pk__in=CheckRequest.objects.filter(state__in=open_states).values("claim_id"))
    orphaned = list(waiting.values_list("pk", "version")[:RELAY_BATCH])
    if not orphaned:
        return 0
    done = set(
        CheckRequest.objects.filter(
            claim_id__in=[pk for pk, _ in orphaned],
            state=CheckRequestState.DONE,
            detector_version=DETECTOR_VERSION,
        ).values_list("claim_id", "claim_version")
    )
    finished = [pk for pk, version in orphaned if (pk, version) in done]
    Claim.objects.filter(pk__in=finished).update(check_status=CheckStatus.DONE, checked_at=timezone.now())
    again = [pk for pk, version in orphaned if (pk, version) not in done]
    if again:
        checks_request_again(claim_ids=again)
    logger.warning("reconciled %d claim(s) whose check had no open request", len(orphaned))
    return len(orphaned)


def _claim_request(claim_id: int) -> CheckRequest | None:
    """Take the newest open request for the claim, moving it to running with a conditional UPDATE."""
    request = (
        CheckRequest.objects.filter(claim_id=claim_id, detector_version=DETECTOR_VERSION)
        .exclude(state=CheckRequestState.SUPERSEDED)
        .order_by("-claim_version", "-id")
        .first()
    )
    if request is None or request.state == CheckRequestState.DONE:
        return None
    now = timezone.now()
    if request.state == CheckRequestState.RUNNING and request.updated_at > now - timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT
    ):
        # Another worker is on it (a duplicate delivery); if that worker dies, the sweeper re-enqueues.
        return None
    taken = CheckRequest.objects.filter(
        pk=request.pk, state=request.state, updated_at=request.updated_at
    ).update(state=CheckRequestState.RUNNING, updated_at=now)
    if not taken:
        return None
    Claim.objects.filter(pk=claim_id).update(check_status=CheckStatus.RUNNING)
    request.refresh_from_db()
    return request


def claim_checks_run(*, claim_id: int) -> str:
    """Run the duplicate and contradiction check for a claim. Safe to run twice.

    Returns what happened: "done", "skipped" (nothing open, e.g. a redelivery after completion),
    or "missing" (the claim is gone).
    """
    from claims.services.findings import findings_store_for_claim

    if not Claim.objects.filter(pk=claim_id).exists():
        return "missing"
    request = _claim_request(claim_id)
    if request is None:
        return "skipped"
    try:
        # Findings, the request's DONE and the claim's DONE commit together: a worker killed between
        # them would otherwise leave a done request beside a claim that shows "running" forever.
        with transaction.atomic():
            findings_store_for_claim(claim_id=claim_id)
            _check_complete(request)
    except Exception as error:
        CheckRequest.objects.filter(pk=request.pk).update(
            state=CheckRequestState.FAILED, error=repr(error)[:2000], updated_at=timezone.now()
        )
        Claim.objects.filter(pk=claim_id).update(check_status=CheckStatus.FAILED)
        raise
    return "done"


def _check_complete(request: CheckRequest) -> None:
    now = timezone.now()
    CheckRequest.objects.filter(pk=request.pk, state=CheckRequestState.RUNNING).update(
        state=CheckRequestState.DONE, error="", updated_at=now
    )
    # A newer request may have arrived while this one ran; then the claim stays pending.
    newer_open = (
        CheckRequest.objects.filter(claim_id=request.claim_id, claim_version__gt=request.claim_version)
        .exclude(state__in=[CheckRequestState.DONE, CheckRequestState.SUPERSEDED])
        .exists()
    )
    if not newer_open:
        Claim.objects.filter(pk=request.claim_id).update(check_status=CheckStatus.DONE, checked_at=now)


def claim_checks_retry_failed(*, claim_id: int) -> None:
    """Put a failed check back in the queue (after a transient error)."""
    CheckRequest.objects.filter(claim_id=claim_id, state=CheckRequestState.FAILED).update(
        state=CheckRequestState.PENDING, updated_at=timezone.now()
    )
    Claim.objects.filter(pk=claim_id, check_status=CheckStatus.FAILED).update(
        check_status=CheckStatus.PENDING
    )


def checks_request_again(*, claim_ids: list[int]) -> list[int]:
    """Open a check request for each claim at its current version, reopening finished ones.

    Used by ``recheck_claims``: a re-run with the same detector reuses the idempotency key, so the
    existing row goes back to pending rather than a second row being made.
    """
    now = timezone.now()
    with transaction.atomic():
        versions = dict(
            Claim.objects.filter(pk__in=claim_ids, merged_into__isnull=True).values_list("pk", "version")
        )
        CheckRequest.objects.bulk_create(
            [
                CheckRequest(claim_id=claim_id, claim_version=version, detector_version=DETECTOR_VERSION)
                for claim_id, version in versions.items()
            ],
            ignore_conflicts=True,
        )
        for claim_id, version in versions.items():
            CheckRequest.objects.filter(
                claim_id=claim_id, claim_version=version, detector_version=DETECTOR_VERSION
            ).exclude(state=CheckRequestState.RUNNING).update(state=CheckRequestState.PENDING, updated_at=now)
        Claim.objects.filter(pk__in=list(versions)).update(check_status=CheckStatus.PENDING)
    return list(versions)


def claims_needing_check() -> list[int]:
    """Claims whose last check failed, or was made by another detector version, or never ran."""
    current = CheckRequest.objects.filter(detector_version=DETECTOR_VERSION, state=CheckRequestState.DONE)
    return list(
        Claim.objects.filter(merged_into__isnull=True)
        .filter(Q(check_status=CheckStatus.FAILED) | ~Q(pk__in=current.values("claim_id")))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
