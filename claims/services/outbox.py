"""The check requests: the outbox rows that say which claim version needs a check.

A request is written in the same transaction as the claim change (transactional outbox), so
neither a crash after commit nor a broker outage loses it. Rows only, no broker: sending them is
``claims.services.dispatch``'s job, running them ``claims.services.pipeline``'s.

A request moves pending -> enqueued (the relay handed it to the broker) -> running (a worker took
it) -> done, or failed (tried again by the sweeper), or superseded (a newer version was saved).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.detection import DETECTOR_VERSION
from claims.models import CheckRequest, CheckRequestState, CheckStatus, Claim


def claim_checks_request(*, claim: Claim) -> list[int]:
    """Record that ``claim`` at its current version needs a check. Returns the request to relay
    after commit (none when it is already on its way).

    Idempotent: the (claim, version, detector version) key is unique.
    """
    return claim_checks_request_many(versions={claim.pk: claim.version})


def claim_checks_request_many(*, versions: dict[int, int]) -> list[int]:
    """``claim_checks_request`` for several claims (claim id -> version) in a few statements.
    Returns the open requests for those versions, to be relayed together after commit (one batch
    of checks rather than one task each)."""
    if not versions:
        return []
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
    return current


def claim_checks_reopen(*, claim_ids: list[int]) -> list[int]:
    """Open a check request for each claim at its current version, reopening finished ones.
    Returns the claims (not merged) whose requests are open.

    Used by ``recheck_claims`` and the sweeper: a re-run with the same detector reuses the
    idempotency key, so the existing row goes back to pending rather than a second row being made.
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


def claim_checks_mark_enqueued(*, request_ids: list[int] | None, limit: int) -> list[tuple[int, int]]:
    """Move up to ``limit`` pending requests (of ``request_ids``, or any) to enqueued. Returns
    (request id, claim id) of the rows moved, in id order.

    Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and marked in one short
    transaction, so two relays never send the same row.
    """
    with transaction.atomic():
        rows = CheckRequest.objects.filter(state=CheckRequestState.PENDING).order_by("id")
        if request_ids is not None:
            rows = rows.filter(pk__in=request_ids)
        picked = list(rows.select_for_update(skip_locked=True).values_list("pk", "claim_id")[:limit])
        if picked:
            CheckRequest.objects.filter(pk__in=[pk for pk, _ in picked]).update(
                state=CheckRequestState.ENQUEUED, attempts=F("attempts") + 1, updated_at=timezone.now()
            )
    return picked


def claim_checks_mark_pending(*, request_ids: list[int]) -> None:
    """Put enqueued requests back to pending: the broker could not take them."""
    CheckRequest.objects.filter(pk__in=request_ids, state=CheckRequestState.ENQUEUED).update(
        state=CheckRequestState.PENDING, updated_at=timezone.now()
    )
