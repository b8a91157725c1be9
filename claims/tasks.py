"""Celery entry points: ids in, one service call, retries only for transient errors.

Each task is named after the service it calls; ``claims.services.dispatch`` sends them by these
names.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from claims.services.dispatch import claim_checks_relay, claim_checks_send_each
from claims.services.notifications import (
    notification_digests_send,
    notification_mails_relay,
    notification_mails_send,
)
from claims.services.pipeline import (
    claim_checks_retry_failed,
    claim_checks_run,
    claim_checks_run_batch,
    claim_checks_sweep,
)
from claims.services.triage import triage_retry_failed, triage_run, triage_sweep

logger = logging.getLogger(__name__)

# A lost connection or a check cut short by the time limit on a busy machine may well succeed later.
TRANSIENT = (OperationalError, InterfaceError, SoftTimeLimitExceeded)


@shared_task(
    bind=True,
    name="claims.tasks.claim_checks_run_task",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
)
def claim_checks_run_task(self, claim_id: int) -> str:  # type: ignore[no-untyped-def]
    try:
        return claim_checks_run(claim_id=claim_id)
    except TRANSIENT as error:
        claim_checks_retry_failed(claim_id=claim_id)
        raise self.retry(exc=error, countdown=min(2**self.request.retries, 60)) from error


@shared_task(
    name="claims.tasks.claim_checks_run_batch_task", acks_late=True, reject_on_worker_lost=True, max_retries=0
)
def claim_checks_run_batch_task(claim_ids: list[int]) -> None:
    """Several checks in one task. A batch that fails goes on as one task per claim, each with its
    own retries, so that one bad claim does not fail its neighbours."""
    try:
        try:
            claim_checks_run_batch(claim_ids=claim_ids)
        except (OperationalError, InterfaceError):
            # A deadlock with a concurrent batch, or a dropped connection: the batch rolled back
            # whole and usually goes through at once on a second try.
            logger.warning("a batch of %d checks hit a transient error; trying it again", len(claim_ids))
            claim_checks_run_batch(claim_ids=claim_ids)
    except Exception:
        logger.exception("a batch of %d checks failed; checking them one by one", len(claim_ids))
        claim_checks_send_each(claim_ids=claim_ids)


@shared_task(name="claims.tasks.claim_checks_relay_task")
def claim_checks_relay_task() -> int:
    return claim_checks_relay()


@shared_task(name="claims.tasks.claim_checks_sweep_task")
def claim_checks_sweep_task() -> int:
    return claim_checks_sweep()


@shared_task(
    name="claims.tasks.notification_mails_send_task",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=0,
)
def notification_mails_send_task(notification_ids: list[int]) -> int:
    """Safe to redeliver: each row is claimed before its mail leaves."""
    return notification_mails_send(notification_ids=notification_ids)


@shared_task(name="claims.tasks.notification_mails_relay_task")
def notification_mails_relay_task() -> int:
    return notification_mails_relay()


@shared_task(name="claims.tasks.notification_digests_send_task", acks_late=True)
def notification_digests_send_task() -> int:
    return notification_digests_send()


@shared_task(
    bind=True, name="claims.tasks.triage_run_task", acks_late=True, reject_on_worker_lost=True, max_retries=3
)
def triage_run_task(self, run_id: int) -> str:  # type: ignore[no-untyped-def]
    """Safe to redeliver: the run is taken with a conditional UPDATE and completed under its lease."""
    try:
        return triage_run(run_id=run_id)
    except TRANSIENT as error:
        triage_retry_failed(run_id=run_id)
        raise self.retry(exc=error, countdown=min(2**self.request.retries, 60)) from error


@shared_task(name="claims.tasks.triage_sweep_task")
def triage_sweep_task() -> int:
    return triage_sweep()
