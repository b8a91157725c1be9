"""Undoing a merge: both claims back as they were, with their highlights, sources, findings,
reviews and counters, and the undo on both histories and in the audit log.

A merge (automatic, or an accepted duplicate) leaves a ``MergeRecord`` of the sources it moved.
Unmerging the merged claim:

- moves back every recorded source still on the kept claim (its highlight follows: a highlight
  points to its claim through its appearance source), and recounts both claims' outlets;
- clears ``merged_into``, so the claim is live again: listed, retrievable, and its findings with
  other claims (which never moved) count again;
- puts the pair's duplicate finding back to ``suggested``, undecided, as it was before it was
  accepted (an automatic merge's finding becomes the suggestion it should have been): the
  counters are then exactly those before the merge, the editor sees the pair among the
  suggestions and may reject it, and the detector never turns an existing suggestion into a
  merge (only a new finding can be confirmed outright);
- recounts the counters of both claims and of every claim they have findings with, leaves an
  event on both claims and an audit row, closes the record and asks for a check of both claims.

Reviews never moved, so both claims keep theirs. Claim versions only grow (clients sync on them).

When the kept claim changed after the merge (edited, reviewed, more highlights), the unmerge still
goes ahead: the kept claim keeps its changes and everything added to it since; only the recorded
sources go back. A source moved on again since (the kept claim merged into a third claim) blocks
the unmerge: the later merge has to be undone first, most recent first.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record
from claims.models import (
    Claim,
    ClaimEvent,
    Finding,
    FindingKind,
    FindingState,
    MergeRecord,
    Source,
    SourceKind,
)
from claims.services.counters import claim_counters_refresh, claims_with_partners
from claims.services.dispatch import claim_checks_relay_on_commit
from claims.services.outbox import claim_checks_request_many


class UnmergeRefused(Exception):
    """The merge cannot be undone as things stand; the message says why and what to do."""


def _outlets(claim_id: int) -> int:
    return (
        Source.objects.filter(claim_id=claim_id, kind=SourceKind.APPEARANCE, outlet__isnull=False)
        .values("outlet_id")
        .distinct()
        .count()
    )


@transaction.atomic
def claim_unmerge(*, claim_id: int, user: User, reason: str = "") -> MergeRecord:
    """Undo the merge of claim ``claim_id`` into the claim it points to (see module docstring).

    Raises ``Claim.DoesNotExist`` for no such claim, ``UnmergeRefused`` when it is not merged, or
    when its merge cannot be undone yet."""
    merged = Claim.objects.only("pk", "merged_into").get(pk=claim_id)
    if merged.merged_into_id is None:
        last = (
            MergeRecord.objects.filter(merged_id=claim_id, undone_at__isnull=False)
            .select_related("undone_by")
            .first()
        )
        if last is not None and last.undone_at is not None:
            who = last.undone_by.username if last.undone_by else "someone"
            raise UnmergeRefused(
                f"Claim #{claim_id} is not merged: its merge into #{last.kept_id} was already undone by "
                f"{who} on {last.undone_at:%Y-%m-%d %H:%M} UTC. Reload the claim."
            )
        raise UnmergeRefused(f"Claim #{claim_id} is not merged into another claim: there is nothing to undo.")
    ids = sorted({claim_id, merged.merged_into_id})
    claims = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    merged = claims[claim_id]
    if merged.merged_into_id is None or merged.merged_into_id not in claims:
        raise UnmergeRefused(f"Claim #{claim_id} was unmerged meanwhile. Reload the claim.")
    kept = claims[merged.merged_into_id]
    if kept.merged_into_id is not None:
        raise UnmergeRefused(
            f"Claim #{kept.pk}, which #{claim_id} was merged into, was itself merged into "
            f"#{kept.merged_into_id} since: unmerge #{kept.pk} first."
        )
    record = (
        MergeRecord.objects.select_for_update()
        .filter(merged_id=claim_id, kept_id=kept.pk, undone_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if record is None:
        raise UnmergeRefused(
            f"Claim #{claim_id} was merged before merges were recorded, so what it brought to #{kept.pk} "
            "is not known and it cannot be unmerged here. Ask an administrator."
        )
    now = timezone.now()
    back = sorted(
        Source.objects.filter(pk__in=record.moved_sources, claim_id=kept.pk).values_list("pk", flat=True)
    )
    Source.objects.filter(pk__in=back).update(claim_id=claim_id)
    for claim in (merged, kept):
        claim.version += 1
        claim.updated_at = now
    merged.merged_into = None
    merged.outlet_count = _outlets(merged.pk)
    kept.outlet_count = _outlets(kept.pk)
    Claim.objects.bulk_update([kept, merged], ["merged_into", "version", "updated_at", "outlet_count"])
    low, high = min(claim_id, kept.pk), max(claim_id, kept.pk)
    Finding.objects.filter(claim_low_id=low, claim_high_id=high, kind=FindingKind.DUPLICATE).update(
        state=FindingState.SUGGESTED, decided_by=None, decided_at=None, updated_at=now
    )
    record.undone_at, record.undone_by, record.undo_reason = now, user, reason
    record.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    how = "automatic merge" if record.automatic else "merge"
    summary = (
        f"Unmerged claim #{claim_id} from #{kept.pk} (undid the {how}; {len(back)} source(s) moved back)"
    )
    data = {"merge_record": record.pk, "merged": claim_id, "kept": kept.pk, "sources": back}
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(claim_id=kept.pk, actor=user, action="unmerged", summary=summary, reason=reason,
                       data=data, created_at=now),
            ClaimEvent(claim_id=claim_id, actor=user, action="unmerged_from", summary=summary, reason=reason,
                       data=data, created_at=now),
        ]
    )  # fmt: skip
    audit_record(
        actor=user, action="claim.unmerged", object_type="claim", object_id=str(claim_id), summary=summary,
        data={**data, "reason": reason, "automatic": record.automatic},
    )  # fmt: skip
    claim_counters_refresh(claim_ids=claims_with_partners(claim_ids=[claim_id, kept.pk]))
    claim_checks_relay_on_commit(
        request_ids=claim_checks_request_many(versions={claim_id: merged.version, kept.pk: kept.version})
    )
    return record
