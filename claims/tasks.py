"""Celery entry points: ids in, one service call, retries only for transient errors."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from claims.services.checks import (
    check_requests_relay,
    claim_checks_retry_failed,
    claim_checks_run,
    claim_checks_run_batches,
    claim_checks_sweep,
)
from claims.services.notifications import (
    notification_digests_send,
    notification_mails_relay,
    notification_mails_send,
)

# A lost connection or a check cut short by the time limit on a busy machine may well succeed later.
TRANSIENT = (OperationalError, InterfaceError, SoftTimeLimitExceeded)


@shared_task(
    bind=True,
    name="claims.tasks.claim_checks_run",
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
    name="claims.tasks.claim_checks_run_batch", acks_late=True, reject_on_worker_lost=True, max_retries=0
)
def claim_checks_run_batch_task(claim_ids: list[int]) -> None:
    """Several checks in one task; a batch that fails goes on as one task per claim, each with
    its own retries."""
    claim_checks_run_batches(claim_ids=claim_ids)


@shared_task(name="claims.tasks.check_requests_relay")
def check_requests_relay_task() -> int:
    return check_requests_relay()


@shared_task(name="claims.tasks.claim_checks_sweep")
def claim_checks_sweep_task() -> int:
    return claim_checks_sweep()


@shared_task(
    name="claims.tasks.notification_mails_send", acks_late=True, reject_on_worker_lost=True, max_retries=0
)
def notification_mails_send_task(notification_ids: list[int]) -> int:
    """Safe to redeliver: each row is claimed before its mail leaves."""
    return notification_mails_send(notification_ids=notification_ids)


@shared_task(name="claims.tasks.notification_mails_relay")
def notification_mails_relay_task() -> int:
    return notification_mails_relay()


@shared_task(name="claims.tasks.notification_digests_send", acks_late=True)
def notification_digests_send_task() -> int:
    return notification_digests_send()
