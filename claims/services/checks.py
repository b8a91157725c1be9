"""The background check pipeline: outbox row -> relay -> task -> findings.

A check request is written in the same transaction as the claim change (transactional outbox), so
neither a crash after commit nor a broker outage loses it. The relay hands pending rows to Celery;
the sweeper re-enqueues rows left enqueued or running for too long. Findings have unique keys, so
a redelivered task changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.chunking import chunked
from claims.detection import DETECTOR_VERSION
from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim
from claims.services.statistics import planner_statistics_refresh

logger = logging.getLogger(__name__)

RELAY_BATCH = 500
# An "enqueued" row older than this was probably never delivered (crash between claim and send).
ENQUEUED_GRACE = timedelta(minutes=2)
# A failed check is tried again by the sweeper after this long, up to MAX_ATTEMPTS sends in all.
FAILED_RETRY_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 3


def check_request_create(*, claim: Claim) -> None:
    """Record that ``claim`` at its current version needs a check; relay it after commit.

    Idempotent: the (claim, version, detector version) key is unique.
    """
    check_requests_create(versions={claim.pk: claim.version})


def check_requests_create(*, versions: dict[int, int]) -> None:
    """``check_request_create`` for several claims (claim id -> version) in a few statements,
    relayed together after commit (one batch of checks rather than one task each)."""
    if not versions:
        return
    CheckRequest.objects.bulk_create(
        [
            CheckRequest(claim_id=claim_id, claim_version=version, detector_version=DETECTOR_VERSION)
            for claim_id, version in versions.items()
        ],
        ignore_conflicts=True,
    )
    current: list[int] = []
    older: list[int] = []
    rows = CheckRequest.objects.filter(
        claim_id__in=list(versions), state__in=[CheckRequestState.PENDING, CheckRequestState.ENQUEUED]
    ).values_list("pk", "claim_id", "claim_version", "detector_version")
    for pk, claim_id, version, detector_version in rows:
        is_current = version == versions[claim_id] and detector_version == DETECTOR_VERSION
        (current if is_current else older).append(pk)
    # Older requests for the same claim are now pointless: the newer text is what gets checked.
    if older:
        CheckRequest.objects.filter(pk__in=older).update(
            state=CheckRequestState.SUPERSEDED, updated_at=timezone.now()
        )
    Claim.objects.filter(pk__in=list(versions)).update(check_status=CheckStatus.PENDING)
    if current:
        transaction.on_commit(
            lambda: check_requests_relay(request_ids=current, limit=max(RELAY_BATCH, len(current)))
        )


# After a failed send, requests stop trying the broker for a while and leave the rows to the
# periodic relay, so that every save does not pay the connection timeout while Redis is down.
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0
# Checks of several claims run in batches of this many, in-process (eager) or as one worker task:
# the outcome of one task per claim, in a number of queries per batch rather than per claim
# (imports, recheck --all, the periodic relay).
CHECK_BATCH = 200


def claim_checks_run_batches(*, claim_ids: Sequence[int]) -> None:
    """Check claims in batches of CHECK_BATCH (in-process, or a worker's batch task)."""
    from claims.tasks import claim_checks_run_task

    for batch in chunked(claim_ids, CHECK_BATCH):
        planner_statistics_refresh()
        try:
            try:
                claim_checks_run_batch(claim_ids=batch)
            except (OperationalError, InterfaceError):
                # A deadlock with a concurrent batch, or a dropped connection: the batch rolled back
                # whole and usually goes through at once on a second try.
                logger.warning("a batch of %d checks hit a transient error; trying it again", len(batch))
                claim_checks_run_batch(claim_ids=batch)
        except Exception:
            # One bad claim must not fail its neighbours: each goes through the task again, which
            # takes its failed request, records its own error and retries transient ones.
            logger.exception("a batch of %d checks failed; checking them one by one", len(batch))
            for claim_id in batch:
                claim_checks_run_task.apply_async(args=[claim_id], retry=False)


def _send(request_ids: list[int], claim_ids: list[int], *, respect_backoff: bool) -> bool:
    """Hand claims to the broker; False when it cannot be reached (the rows go back to pending)."""
    global _broker_down_until
    from claims.tasks import claim_checks_run_batch_task, claim_checks_run_task

    # The Celery app's setting, not Django's: it is what apply_async obeys (tests repoint the app).
    eager = bool(claim_checks_run_task.app.conf.task_always_eager)
    if respect_backoff and not eager and time.monotonic() < _broker_down_until:
        CheckRequest.objects.filter(pk__in=request_ids, state=CheckRequestState.ENQUEUED).update(
            state=CheckRequestState.PENDING, updated_at=timezone.now()
        )
        return False
    if eager and len(claim_ids) > 1:
        claim_checks_run_batches(claim_ids=claim_ids)
        return True
    try:
        if len(claim_ids) == 1:
            claim_checks_run_task.apply_async(args=[claim_ids[0]], retry=False)
        else:
            # Several claims (an import, a re-check, the periodic relay) go as batch tasks: a worker
            # checks a batch in a few queries, where one task per claim pays them for each claim.
            for batch in chunked(claim_ids, CHECK_BATCH):
                claim_checks_run_batch_task.apply_async(args=[batch], retry=False)
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


def _requests_take(claim_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Take the newest open request of each claim, moving it to running. Returns
    claim id -> (request id, claim version) for the requests taken.

    A claim is left out when its newest request is done, or running in another worker that is
    still within its time limit (a duplicate delivery; if that worker dies, the sweeper
    re-enqueues). The rows are locked in (claim, version) order, the order every taker uses, and
    the UPDATE repeats the conditions, so of two workers taking the same request one wins.
    """
    now = timezone.now()
    fresh_after = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    takeable = Q(
        state__in=[CheckRequestState.PENDING, CheckRequestState.ENQUEUED, CheckRequestState.FAILED]
    ) | Q(state=CheckRequestState.RUNNING, updated_at__lte=fresh_after)
    with transaction.atomic():
        newest: dict[int, tuple[int, int, str, datetime]] = {}
        rows = (
            CheckRequest.objects.select_for_update()
            .filter(claim_id__in=list(claim_ids), detector_version=DETECTOR_VERSION)
            .exclude(state=CheckRequestState.SUPERSEDED)
            .order_by("claim_id", "-claim_version", "-id")
            .values_list("claim_id", "pk", "claim_version", "state", "updated_at")
        )
        for claim_id, pk, version, state, updated_at in rows:
            newest.setdefault(claim_id, (pk, version, state, updated_at))
        wanted = {
            claim_id: (pk, version)
            for claim_id, (pk, version, state, updated_at) in newest.items()
            if state != CheckRequestState.DONE
            and not (state == CheckRequestState.RUNNING and updated_at > fresh_after)
        }
        if not wanted:
            return {}
        request_ids = [pk for pk, _ in wanted.values()]
        updated = CheckRequest.objects.filter(takeable, pk__in=request_ids).update(
            state=CheckRequestState.RUNNING, updated_at=now
        )
        if updated != len(wanted):
            # Without row locks (SQLite) another taker may have won some of them meanwhile.
            ours = set(
                CheckRequest.objects.filter(
                    pk__in=request_ids, state=CheckRequestState.RUNNING, updated_at=now
                ).values_list("pk", flat=True)
            )
            wanted = {claim_id: taken for claim_id, taken in wanted.items() if taken[0] in ours}
        Claim.objects.filter(pk__in=list(wanted)).update(check_status=CheckStatus.RUNNING)
    return wanted


def claim_checks_run(*, claim_id: int) -> str:
    """Run the duplicate and contradiction check for a claim. Safe to run twice.

    Returns what happened: "done", "skipped" (nothing open, e.g. a redelivery after completion),
    or "missing" (the claim is gone).
    """
    return claim_checks_run_batch(claim_ids=[claim_id])[claim_id]


def claim_checks_run_batch(*, claim_ids: Sequence[int]) -> dict[int, str]:
    """``claim_checks_run`` for several claims at once, with the same outcome as running them one
    after the other in the order given, but in a number of queries that does not grow with the
    batch. Returns each claim's outcome.

    Findings, the requests' DONE and the claims' DONE commit together: a worker killed between
    them would otherwise leave a done request beside a claim that shows "running" forever. When
    the batch fails, every request taken is marked failed and the error is raised.
    """
    from claims.services.findings import findings_store_for_claims

    ordered = list(dict.fromkeys(claim_ids))
    taken = _requests_take(ordered)
    outcomes = dict.fromkeys(ordered, "skipped")
    absent = [claim_id for claim_id in ordered if claim_id not in taken]
    if absent:
        existing = set(Claim.objects.filter(pk__in=absent).values_list("pk", flat=True))
        outcomes.update({claim_id: "missing" for claim_id in absent if claim_id not in existing})
    if not taken:
        return outcomes
    checked = [claim_id for claim_id in ordered if claim_id in taken]
    try:
        with transaction.atomic():
            findings_store_for_claims(claim_ids=checked)
            _checks_complete(taken)
    except Exception as error:
        CheckRequest.objects.filter(pk__in=[pk for pk, _ in taken.values()]).update(
            state=CheckRequestState.FAILED, error=repr(error)[:2000], updated_at=timezone.now()
        )
        Claim.objects.filter(pk__in=checked).update(check_status=CheckStatus.FAILED)
        raise
    outcomes.update(dict.fromkeys(checked, "done"))
    return outcomes


def _checks_complete(taken: dict[int, tuple[int, int]]) -> None:
    now = timezone.now()
    CheckRequest.objects.filter(
        pk__in=[pk for pk, _ in taken.values()], state=CheckRequestState.RUNNING
    ).update(state=CheckRequestState.DONE, error="", updated_at=now)
    # A newer request may have arrived while this one ran; then the claim stays pending.
    newer_open = {
        claim_id
        for claim_id, version in CheckRequest.objects.filter(claim_id__in=list(taken))
        .exclude(state__in=[CheckRequestState.DONE, CheckRequestState.SUPERSEDED])
        .values_list("claim_id", "claim_version")
        if version > taken[claim_id][1]
    }
    finished = [claim_id for claim_id in taken if claim_id not in newer_open]
    Claim.objects.filter(pk__in=finished).update(check_status=CheckStatus.DONE, checked_at=now)


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
