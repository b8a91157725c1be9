"""Running checks: take a claim's open request, run the check, complete it; sweep what was lost.

A worker's task calls ``claim_checks_run`` (one claim) or ``claim_checks_run_batch`` (several):
both take the newest open request of each claim (``_claim_checks_take``), store what the detector
finds (``claims.services.findings``, merges included) and mark requests and claims done in the same
transaction (``_claim_checks_complete``). Findings have unique keys, so a redelivered task changes
nothing. The sweeper puts back requests that were lost on the way and relays them again.

A request taken is leased to the taking process (``lease_owner``) until ``lease_until``, and a
thread renews the lease while the check runs (``_LeaseKeeper``). A worker killed mid-check stops
renewing: once the lease has run out, the sweeper or a redelivered task takes the check over. A
live worker's lease never runs out, so its check is not run twice at once; and a worker that lost
its lease all the same (frozen past it) completes nothing, since completing is conditional on
still holding it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from claims.detection import DETECTOR_VERSION
from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim
from claims.services.dispatch import RELAY_BATCH, claim_checks_relay
from claims.services.findings import findings_store_for_claims
from claims.services.outbox import claim_checks_reopen
from claims.services.statistics import planner_statistics_refresh

logger = logging.getLogger(__name__)

# An "enqueued" row older than this was probably never delivered (crash between claim and send).
ENQUEUED_GRACE = timedelta(minutes=2)
# A failed check is tried again by the sweeper after this long, up to MAX_ATTEMPTS sends in all.
FAILED_RETRY_AFTER = timedelta(seconds=30)
MAX_ATTEMPTS = 3


def claim_checks_run(*, claim_id: int) -> str:
    """Run the duplicate and contradiction check for a claim. Safe to run twice.

    Returns what happened: "done", "skipped" (nothing open, e.g. a redelivery after completion),
    or "missing" (the claim is gone).
    """
    return _claim_checks_run(claim_ids=[claim_id])[claim_id]


def claim_checks_run_batch(*, claim_ids: Sequence[int]) -> dict[int, str]:
    """``claim_checks_run`` for several claims at once, with the same outcome as running them one
    after the other in the order given, but in a number of queries that does not grow with the
    batch. Returns each claim's outcome.

    A batch usually follows a bulk write (an import, a re-check), so the planner's statistics are
    brought up to date first. When the batch fails, every request taken is marked failed and the
    error is raised.
    """
    planner_statistics_refresh()
    return _claim_checks_run(claim_ids=claim_ids)


def _claim_checks_run(*, claim_ids: Sequence[int]) -> dict[int, str]:
    """Findings, the requests' DONE and the claims' DONE commit together: a worker killed between
    them would otherwise leave a done request beside a claim that shows "running" forever."""
    ordered = list(dict.fromkeys(claim_ids))
    owner = _lease_owner()
    taken = _claim_checks_take(ordered, owner)
    outcomes = dict.fromkeys(ordered, "skipped")
    absent = [claim_id for claim_id in ordered if claim_id not in taken]
    if absent:
        existing = set(Claim.objects.filter(pk__in=absent).values_list("pk", flat=True))
        outcomes.update({claim_id: "missing" for claim_id in absent if claim_id not in existing})
    if not taken:
        return outcomes
    checked = [claim_id for claim_id in ordered if claim_id in taken]
    request_ids = [pk for pk, _ in taken.values()]
    held = CheckRequest.objects.filter(pk__in=request_ids, state=CheckRequestState.RUNNING, lease_owner=owner)
    try:
        with _lease_kept(request_ids, owner), transaction.atomic():
            findings_store_for_claims(claim_ids=checked)
            _claim_checks_complete(taken, owner)
    except _LeaseLost:
        # Another worker took these checks over (this one stalled past its lease): the findings
        # rolled back, and the checks are the other worker's. What this one still holds goes back.
        logger.warning("lost the lease of %d check(s); leaving them to the worker that took them", len(taken))
        held.update(
            state=CheckRequestState.PENDING, lease_owner="", lease_until=None, updated_at=timezone.now()
        )
        return outcomes
    except Exception as error:
        held.update(
            state=CheckRequestState.FAILED,
            error=repr(error)[:2000],
            lease_owner="",
            lease_until=None,
            updated_at=timezone.now(),
        )
        Claim.objects.filter(pk__in=checked).update(check_status=CheckStatus.FAILED)
        raise
    outcomes.update(dict.fromkeys(checked, "done"))
    return outcomes


class _LeaseLost(Exception):
    """Completing found requests no longer leased to this process."""


def _lease_owner() -> str:
    """A name for this take: the process (to tell which worker holds a check) and a random part,
    so that two takes in one process are told apart too."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


class _LeaseKeeper(threading.Thread):
    """Renews the lease of the requests a check holds, every quarter of the lease, until stopped.

    On a connection of its own (a thread's), so renewals commit while the check's transaction is
    open; that transaction updates the rows only to complete them, just before it commits, so a
    renewal waits at most for that commit and then finds the rows done.
    """

    def __init__(self, request_ids: list[int], owner: str) -> None:
        super().__init__(name="check-lease", daemon=True)
        self.request_ids, self.owner = request_ids, owner
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = settings.CHECK_LEASE.total_seconds() / 4
        try:
            while not self.stopped.wait(interval):
                try:
                    CheckRequest.objects.filter(
                        pk__in=self.request_ids, state=CheckRequestState.RUNNING, lease_owner=self.owner
                    ).update(lease_until=timezone.now() + settings.CHECK_LEASE)
                except DatabaseError:
                    # The next renewal may get through; if none does, the lease runs out and the
                    # check is taken over, which is what a worker that cannot reach the database wants.
                    logger.warning("could not renew the lease of %d check(s)", len(self.request_ids))
        finally:
            connections.close_all()


@contextmanager
def _lease_kept(request_ids: list[int], owner: str) -> Iterator[None]:
    # SQLite is the embedded mode: one process, no other worker to take a check over, and a
    # second connection would only contend for the database's single write lock. Inside a
    # caller's transaction the take itself is not committed: no one else sees the lease, and a
    # renewal would wait for locks this thread holds.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    keeper = _LeaseKeeper(request_ids, owner)
    keeper.start()
    try:
        yield
    finally:
        keeper.stopped.set()
        keeper.join(timeout=settings.CHECK_LEASE.total_seconds())


def _running_abandoned(now: datetime) -> Q:
    """Running requests whose worker is gone: the lease ran out (or, for a request taken before
    leases existed, it has been running longer than the hard time limit)."""
    fresh_after = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return Q(state=CheckRequestState.RUNNING) & (
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, updated_at__lte=fresh_after)
    )


def _claim_checks_take(claim_ids: Sequence[int], owner: str) -> dict[int, tuple[int, int]]:
    """Take the newest open request of each claim, moving it to running, leased to ``owner``.
    Returns claim id -> (request id, claim version) for the requests taken.

    A claim is left out when its newest request is done, or running under another worker's lease
    that has not run out (a duplicate delivery, or a redelivery that came before the lease of a
    killed worker ended; the sweeper re-enqueues that one once it has). The rows are locked in
    (claim, version) order, the order every taker uses, and the UPDATE repeats the conditions, so
    of two workers taking the same request one wins.
    """
    now = timezone.now()
    takeable = Q(
        state__in=[CheckRequestState.PENDING, CheckRequestState.ENQUEUED, CheckRequestState.FAILED]
    ) | _running_abandoned(now)
    with transaction.atomic():
        newest: dict[int, tuple[int, int, str, datetime | None, datetime]] = {}
        rows = (
            CheckRequest.objects.select_for_update()
            .filter(claim_id__in=list(claim_ids), detector_version=DETECTOR_VERSION)
            .exclude(state=CheckRequestState.SUPERSEDED)
            .order_by("claim_id", "-claim_version", "-id")
            .values_list("claim_id", "pk", "claim_version", "state", "lease_until", "updated_at")
        )
        for claim_id, pk, version, state, lease_until, updated_at in rows:
            newest.setdefault(claim_id, (pk, version, state, lease_until, updated_at))
        fresh_after = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        wanted = {
            claim_id: (pk, version)
            for claim_id, (pk, version, state, lease_until, updated_at) in newest.items()
            if state != CheckRequestState.DONE
            and not (
                state == CheckRequestState.RUNNING
                and (updated_at > fresh_after if lease_until is None else lease_until >= now)
            )
        }
        if not wanted:
            return {}
        request_ids = [pk for pk, _ in wanted.values()]
        updated = CheckRequest.objects.filter(takeable, pk__in=request_ids).update(
            state=CheckRequestState.RUNNING,
            lease_owner=owner,
            lease_until=now + settings.CHECK_LEASE,
            updated_at=now,
        )
        if updated != len(wanted):
            # Without row locks (SQLite) another taker may have won some of them meanwhile: the
            # rows that name this take as their owner are the ones it won.
            ours = set(
                CheckRequest.objects.filter(
                    pk__in=request_ids, state=CheckRequestState.RUNNING, lease_owner=owner
                ).values_list("pk", flat=True)
            )
            wanted = {claim_id: taken for claim_id, taken in wanted.items() if taken[0] in ours}
        Claim.objects.filter(pk__in=list(wanted)).update(check_status=CheckStatus.RUNNING)
    return wanted


def _claim_checks_complete(taken: dict[int, tuple[int, int]], owner: str) -> None:
    now = timezone.now()
    completed = CheckRequest.objects.filter(
        pk__in=[pk for pk, _ in taken.values()], state=CheckRequestState.RUNNING, lease_owner=owner
    ).update(state=CheckRequestState.DONE, error="", lease_owner="", lease_until=None, updated_at=now)
    if completed != len(taken):
        raise _LeaseLost
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


def claim_checks_sweep() -> int:
    """Re-enqueue checks that were lost (enqueued but never started, running past the hard limit)
    or that failed fewer than MAX_ATTEMPTS times."""
    now = timezone.now()
    stuck = CheckRequest.objects.filter(
        Q(
            state=CheckRequestState.ENQUEUED,
            updated_at__lt=now - min(ENQUEUED_GRACE, settings.CHECK_STUCK_AFTER),
        )
        | Q(state=CheckRequestState.RUNNING, lease_until__lt=now)
        | Q(
            state=CheckRequestState.RUNNING,
            lease_until__isnull=True,
            updated_at__lt=now - settings.CHECK_STUCK_AFTER,
        )
        | Q(
            state=CheckRequestState.FAILED, attempts__lt=MAX_ATTEMPTS, updated_at__lt=now - FAILED_RETRY_AFTER
        )
    )
    claim_ids = list(stuck.values_list("claim_id", flat=True))
    count = stuck.update(state=CheckRequestState.PENDING, lease_owner="", lease_until=None, updated_at=now)
    Claim.objects.filter(pk__in=claim_ids, check_status=CheckStatus.FAILED).update(
        check_status=CheckStatus.PENDING
    )
    if count:
        logger.info("re-enqueueing %d stuck check(s)", count)
    return count + claim_checks_reconcile() + claim_checks_relay()


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
        claim_checks_reopen(claim_ids=again)
    logger.warning("reconciled %d claim(s) whose check had no open request", len(orphaned))
    return len(orphaned)
