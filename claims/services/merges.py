"""Merging claims: an editor's accepted duplicate (``claims_merge``), and a check's confirmed
duplicates (``MergePlan``), carried out together by ``_claims_merge_many``.

A merge asks for a new check of the kept claim (through the outbox, relayed after commit) and
recounts the counters of every claim around the pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.models import (
    Claim,
    ClaimEvent,
    ClaimStatus,
    Finding,
    FindingKind,
    FindingState,
    Source,
    SourceKind,
)
from claims.services.counters import claim_counters_refresh, claims_with_partners
from claims.services.dispatch import claim_checks_relay_on_commit
from claims.services.merge_records import MergeMoved, merge_records_write
from claims.services.outbox import claim_checks_request, claim_checks_request_many


class MergePlan:
    """The automatic merges of a batch, decided claim after claim as they would be decided one
    check after the other: a confirmed duplicate merges the newer claim into the older one unless
    both have verdicts, and a claim merged away takes part in nothing after."""

    def __init__(self, statuses: dict[int, tuple[str, int | None]]) -> None:
        """``statuses``: claim id -> (status, merged into) of the claims already known."""
        self.merged: set[int] = set()
        self.planned: list[tuple[int, int, str]] = []
        self.statuses = statuses

    def add(self, finding: Finding) -> None:
        low, high = finding.claim_low_id, finding.claim_high_id
        if low in self.merged or high in self.merged:
            return
        missing = [claim_id for claim_id in (low, high) if claim_id not in self.statuses]
        if missing:
            self.statuses.update(
                (pk, (status, merged_into))
                for pk, status, merged_into in Claim.objects.filter(pk__in=missing).values_list(
                    "pk", "status", "merged_into_id"
                )
            )
        if low not in self.statuses or high not in self.statuses:
            return
        (low_status, low_into), (high_status, high_into) = self.statuses[low], self.statuses[high]
        if low_into or high_into:
            return
        if high_status != ClaimStatus.UNREVIEWED and low_status != ClaimStatus.UNREVIEWED:
            return
        keep, merge = (low, high) if high_status == ClaimStatus.UNREVIEWED else (high, low)
        self.planned.append((keep, merge, f"Automatic: {finding.explanation}"))
        self.merged.add(merge)

    def carry_out(self) -> set[int]:
        """Merge as planned, in a few statements for all of them; the kept claims are checked
        again after commit, in one batch. Returns the claims whose counters the merges change."""
        if not self.planned:
            return set()
        outcome = _claims_merge_many(self.planned, user=None)
        claim_checks_relay_on_commit(request_ids=claim_checks_request_many(versions=outcome.kept))
        # A plan refused (another worker merged one of the claims meanwhile) is left to that
        # worker's check, which decides for the pair.
        return claims_with_partners(claim_ids=outcome.touched) if outcome.touched else set()


@transaction.atomic
def claims_merge(*, keep_id: int, merge_id: int, user: User | None, reason: str = "") -> Claim:
    """Merge one claim into another: appearances and evidence move, both histories stay; the
    counters of every claim concerned are recounted and the kept claim is checked again.

    The merged claim keeps its reviews and events and points to ``keep``.
    """
    outcome = _claims_merge_many([(keep_id, merge_id, reason)], user=user)
    if outcome.refused:
        raise ValidationError(outcome.refused[0])
    claim_counters_refresh(claim_ids={keep_id} | claims_with_partners(claim_ids=[merge_id]))
    keep = Claim.objects.get(pk=keep_id)
    claim_checks_relay_on_commit(request_ids=claim_checks_request(claim=keep))
    return keep


@dataclass
class _MergeOutcome:
    kept: dict[int, int]  # kept claim -> its version after the merges (claims not merged later)
    touched: set[int]  # both claims of every merge carried out
    refused: list[str]  # why each refused merge was refused, in plan order


# A source as a merge moves it: (id, kind, url, outlet id)
_HeldSource = tuple[int, str, str, int | None]


def _claims_merge_many(plans: Sequence[tuple[int, int, str]], *, user: User | None) -> _MergeOutcome:
    """Carry out merges (keep, merge, reason) in order, with the outcome of one merge after the
    other but in a number of statements that does not grow with them. A merge that cannot be
    made (a claim into itself, a claim gone or already merged, by an earlier plan too) is
    refused and the others go on.

    Every claim concerned is locked in id order, the fixed order every merge uses, so two merges
    of the same claims cannot deadlock. Sources move from the merged claim to the kept one, but
    for links the kept claim already has; the pair's duplicate finding is confirmed; findings
    with third claims stay on the merged claim's history and are found again for the kept claim
    by its next check. Each merge leaves an event on both claims.
    """
    ids = sorted({claim_id for keep, merge, _ in plans for claim_id in (keep, merge)})
    claims = {
        claim.pk: claim
        for claim in Claim.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .only("pk", "merged_into", "version", "outlet_count", "updated_at")
    }
    held: dict[int, list[_HeldSource]] = {claim_id: [] for claim_id in claims}
    sources = Source.objects.filter(claim_id__in=list(claims)).order_by("pk")
    for pk, claim_id, kind, url, outlet_id in sources.values_list(
        "pk", "claim_id", "kind", "url", "outlet_id"
    ):
        held[claim_id].append((pk, kind, url, outlet_id))
    now = timezone.now()
    moved_to: dict[int, int] = {}  # source -> the claim it ends on
    events: list[ClaimEvent] = []
    outcome = _MergeOutcome(kept={}, touched=set(), refused=[])
    records: list[MergeMoved] = []
    for keep_id, merge_id, reason in plans:
        keep, merge = claims.get(keep_id), claims.get(merge_id)
        if keep_id == merge_id:
            outcome.refused.append("A claim cannot be merged into itself.")
            continue
        if keep is None or merge is None:
            outcome.refused.append("One of the claims no longer exists.")
            continue
        if keep.merged_into_id or merge.merged_into_id:
            outcome.refused.append("One of the claims was already merged into another claim.")
            continue
        kept_urls = {(kind, url) for _, kind, url, _ in held[keep_id] if url}
        staying = []
        moving: list[int] = []  # what this merge moves, for its MergeRecord (an unmerge moves it back)
        for source in held[merge_id]:
            if source[2] and (source[1], source[2]) in kept_urls:
                staying.append(source)
            else:
                held[keep_id].append(source)
                moved_to[source[0]] = keep_id
                moving.append(source[0])
        records.append(MergeMoved(keep_id, merge_id, tuple(moving), reason))
        moved = len(held[merge_id]) - len(staying)
        held[merge_id] = staying
        merge.merged_into_id = keep_id
        merge.version += 1
        keep.version += 1
        merge.updated_at = keep.updated_at = now
        keep.outlet_count = len(
            {outlet for _, kind, _, outlet in held[keep_id] if kind == SourceKind.APPEARANCE and outlet}
        )
        outcome.touched |= {keep_id, merge_id}
        outcome.kept.pop(merge_id, None)
        outcome.kept[keep_id] = keep.version
        summary = f"Merged claim #{merge_id} into #{keep_id} ({moved} source(s) moved)"[:500]
        events += [
            ClaimEvent(
                claim_id=keep_id, actor=user, action="merged", summary=summary, reason=reason,
                data={"merged": merge_id}, created_at=now,
            ),
            ClaimEvent(
                claim_id=merge_id, actor=user, action="merged_into", summary=summary, reason=reason,
                data={"into": keep_id}, created_at=now,
            ),
        ]  # fmt: skip
    if not outcome.touched:
        return outcome
    by_owner: dict[int, list[int]] = {}
    for source_id, owner in moved_to.items():
        by_owner.setdefault(owner, []).append(source_id)
    for owner, source_ids in sorted(by_owner.items()):
        Source.objects.filter(pk__in=sorted(source_ids)).update(claim_id=owner)
    changed = sorted(outcome.touched)
    Claim.objects.bulk_update(
        [claims[claim_id] for claim_id in changed], ["merged_into", "version", "updated_at", "outlet_count"]
    )
    pairs = Q()
    for claim_id in changed:
        into = claims[claim_id].merged_into_id
        if into is not None:
            pairs |= Q(claim_low_id=min(claim_id, into), claim_high_id=max(claim_id, into))
    Finding.objects.filter(pairs, kind=FindingKind.DUPLICATE).update(
        state=FindingState.CONFIRMED, decided_by=user, decided_at=now, updated_at=now
    )
    ClaimEvent.objects.bulk_create(events)
    merge_records_write(records, user=user, now=now)
    return outcome
