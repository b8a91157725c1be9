"""Handing checks to Celery: the only code of the claims app that knows the broker.

The relay moves pending check requests to enqueued (``claims.services.outbox``) and sends their
claims to the workers. Tasks are sent by the names ``claims.tasks`` registers them under, so that a
service can ask for work without importing the tasks that call it. Without a broker (the embedded
mode, Celery's ``task_always_eager``) sending a task runs it in-process; nothing here needs to know
which of the two happens.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from celery import current_app
from django.db import transaction

from claims.chunking import chunked
from claims.services.outbox import claim_checks_mark_enqueued, claim_checks_mark_pending

logger = logging.getLogger(__name__)

RELAY_BATCH = 500
# Checks of several claims go as batch tasks of this many: a worker checks a batch in a number of
# queries per batch rather than per claim (imports, recheck --all, the periodic relay).
CHECK_BATCH = 200
# After a failed send, requests stop trying the broker for a while and leave the rows to the
# periodic relay, so that every save does not pay the connection timeout while Redis is down.
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0

# The tasks this module sends, as ``claims.tasks`` names them.
CLAIM_CHECKS_RUN_TASK = "claims.tasks.claim_checks_run_task"
CLAIM_CHECKS_RUN_BATCH_TASK = "claims.tasks.claim_checks_run_batch_task"
NOTIFICATION_MAILS_SEND_TASK = "claims.tasks.notification_mails_send_task"


def _task_send(name: str, argument: object) -> None:
    # The registry rather than ``send_task``: a task sent in the embedded mode must run here, and
    # only the registered task knows how (``claims.apps`` imports the tasks at start-up).
    current_app.tasks[name].apply_async(args=[argument], retry=False)


def claim_checks_relay(*, request_ids: list[int] | None = None, limit: int = RELAY_BATCH) -> int:
    """Move pending requests to the broker. Returns how many were handed over.

    The rows are marked enqueued in a transaction of their own, and the tasks sent after it
    commits, so that an in-process (eager) check does not run inside the relay's transaction.
    """
    picked = claim_checks_mark_enqueued(request_ids=request_ids, limit=limit)
    if not picked:
        return 0
    claim_ids = list(dict.fromkeys(claim_id for _, claim_id in picked))
    # Targeted relays come from requests right after a save; the periodic relay (no ids) always
    # tries the broker, so it is what notices that Redis is back.
    sent = _checks_send([pk for pk, _ in picked], claim_ids, respect_backoff=request_ids is not None)
    return len(picked) if sent else 0


def claim_checks_relay_on_commit(*, request_ids: list[int] | None, limit: int | None = None) -> None:
    """Relay the requests (or, with None, whatever is pending, up to ``limit``) once the current
    transaction commits: a worker must not look for a claim before it is saved."""
    if request_ids == []:
        return
    wanted = limit if limit is not None else max(RELAY_BATCH, len(request_ids or ()))
    transaction.on_commit(lambda: claim_checks_relay(request_ids=request_ids, limit=wanted))


def notification_mails_dispatch(*, notification_ids: list[int]) -> None:
    """Send the mails of these notifications (a task; in-process without a broker). Raises when the
    broker cannot be reached: the rows stay pending for the periodic relay."""
    _task_send(NOTIFICATION_MAILS_SEND_TASK, notification_ids)


def claim_checks_send_each(*, claim_ids: Sequence[int]) -> None:
    """One task per claim, each with its own retries: what a batch that failed goes on as, so
    that one bad claim does not fail its neighbours."""
    for claim_id in claim_ids:
        _task_send(CLAIM_CHECKS_RUN_TASK, claim_id)


def _checks_send(request_ids: list[int], claim_ids: list[int], *, respect_backoff: bool) -> bool:
    """Hand claims to the broker; False when it cannot be reached (the rows go back to pending)."""
    global _broker_down_until
    if respect_backoff and time.monotonic() < _broker_down_until:
        claim_checks_mark_pending(request_ids=request_ids)
        return False
    try:
        if len(claim_ids) == 1:
            _task_send(CLAIM_CHECKS_RUN_TASK, claim_ids[0])
        else:
            for batch in chunked(claim_ids, CHECK_BATCH):
                _task_send(CLAIM_CHECKS_RUN_BATCH_TASK, batch)
    except Exception as error:  # kombu raises several unrelated types for a broker that is down
        logger.warning("broker unavailable, %d check(s) stay pending: %s", len(request_ids), error)
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        claim_checks_mark_pending(request_ids=request_ids)
        return False
    _broker_down_until = 0.0
    return True


TRIAGE_RUN_TASK = "claims.tasks.triage_run_task"


def triage_runs_send(*, run_ids: Sequence[int]) -> int:
    """Hand triage runs to the workers, one task each (an article is a batch of its own). Returns
    how many were sent; a broker that is down leaves the runs pending for the sweeper."""
    sent = 0
    try:
        for run_id in run_ids:
            _task_send(TRIAGE_RUN_TASK, run_id)
            sent += 1
    except Exception as error:  # kombu raises several unrelated types for a broker that is down
        logger.warning("broker unavailable, %d triage run(s) stay pending: %s", len(run_ids) - sent, error)
    return sent


def triage_runs_send_on_commit(*, run_ids: Sequence[int]) -> None:
    """Send the runs once the revision they triage is committed: a worker must be able to read it."""
    if run_ids:
        ids = list(run_ids)
        transaction.on_commit(lambda: triage_runs_send(run_ids=ids))
