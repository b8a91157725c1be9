"""The record of what each merge moved (``MergeRecord``), written by the merge code.

Kept apart from the merge and unmerge services so that both import it and neither imports the
other: the merge calls ``merge_records_write`` once per batch of merges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Q

from claims.models import Finding, FindingKind, MergeRecord


@dataclass(frozen=True)
class MergeMoved:
    """One merge as carried out: kept claim, merged claim, the sources that moved, why."""

    kept: int
    merged: int
    sources: tuple[int, ...]
    reason: str


def merge_records_write(merges: Sequence[MergeMoved], *, user: User | None, now: datetime) -> None:
    """One ``MergeRecord`` per merge, with the pair's duplicate finding (two statements)."""
    if not merges:
        return
    pairs = Q()
    for merge in merges:
        pairs |= Q(claim_low_id=min(merge.kept, merge.merged), claim_high_id=max(merge.kept, merge.merged))
    findings = {
        (low, high): pk
        for pk, low, high in Finding.objects.filter(pairs, kind=FindingKind.DUPLICATE).values_list(
            "pk", "claim_low_id", "claim_high_id"
        )
    }
    MergeRecord.objects.bulk_create(
        [
            MergeRecord(
                kept_id=merge.kept,
                merged_id=merge.merged,
                moved_sources=sorted(merge.sources),
                finding_id=findings.get((min(merge.kept, merge.merged), max(merge.kept, merge.merged))),
                automatic=user is None,
                reason=merge.reason,
                created_by=user,
                created_at=now,
            )
            for merge in merges
        ]
    )
