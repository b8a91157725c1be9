"""Storing what the detector found, and editors' decisions on it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims import detection
from claims.models import Claim, ClaimStatus, Finding, FindingKind, FindingState, Source
from claims.services.claims import claim_outlets_refresh
from claims.services.events import claim_event_record
from claims.services.index import claims_judge_candidates

logger = logging.getLogger(__name__)

OPEN_STATES = (FindingState.SUGGESTED, FindingState.CONFIRMED)


@dataclass(frozen=True)
class FindingDraft:
    other_claim_id: int
    kind: str
    score: float
    explanation: str
    confirm: bool


def claim_counters_refresh(*, claim_ids: list[int]) -> None:
    """Recount open contradictions and duplicate suggestions for the review queue.

    Two index scans (by lower and by higher id) and a count in Python: an OR across both columns
    joined to claims made PostgreSQL's planner scan every claim pair on fresh tables.
    """
    wanted = set(claim_ids)
    if not wanted:
        return
    rows = list(
        Finding.objects.filter(claim_low_id__in=wanted).values_list(
            "claim_low_id", "claim_high_id", "kind", "state"
        )
    ) + list(
        Finding.objects.filter(claim_high_id__in=wanted).values_list(
            "claim_low_id", "claim_high_id", "kind", "state"
        )
    )
    involved = {claim_id for low, high, _, _ in rows for claim_id in (low, high)}
    merged = set(
        Claim.objects.filter(pk__in=involved, merged_into__isnull=False).values_list("pk", flat=True)
    )
    counts = {claim_id: [0, 0] for claim_id in wanted}
    for low, high, kind, state in set(rows):
        if low in merged or high in merged:
            continue
        open_contradiction = kind == FindingKind.CONTRADICTION and state in OPEN_STATES
        open_duplicate = kind == FindingKind.DUPLICATE and state == FindingState.SUGGESTED
        for claim_id in (low, high):
            if claim_id in counts:
                counts[claim_id][0] += open_contradiction
                counts[claim_id][1] += open_duplicate
    current = {
        claim_id: [contradictions, duplicates]
        for claim_id, contradictions, duplicates in Claim.objects.filter(pk__in=wanted).values_list(
            "pk", "open_contradictions", "open_duplicates"
        )
    }
    changed = sorted(
        (claim_id, contradictions, duplicates)
        for claim_id, (contradictions, duplicates) in counts.items()
        if claim_id in current and current[claim_id] != [contradictions, duplicates]
    )
    _counters_write(changed)


def _counters_write(rows: list[tuple[int, int, int]]) -> None:
    """One UPDATE per 500 claims, joined to a literal table of new values, in id order so that
    concurrent checks lock rows in the same order. (Django's bulk_update builds a CASE per row,
    whose Python-side cost dominated a check touching a few hundred claims.)"""
    table = Claim._meta.db_table
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        values = " UNION ALL ".join(["SELECT %s AS id, %s AS c, %s AS d"] * len(batch))
        params = [value for row in batch for value in row]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET open_contradictions = v.c, open_duplicates = v.d "  # noqa: S608
                f"FROM ({values}) AS v WHERE {table}.id = v.id",
                params,
            )


def _drafts_for(claim: Claim) -> list[FindingDraft]:
    drafts = []
    for other_id, judgement in claims_judge_candidates(claim=claim):
        if judgement.relation == "duplicate" and judgement.score >= detection.SUGGEST_THRESHOLD:
            drafts.append(
                FindingDraft(
                    other_id,
                    FindingKind.DUPLICATE,
                    judgement.score,
                    judgement.explanation,
                    confirm=judgement.score >= detection.CONFIRM_THRESHOLD,
                )
            )
        elif judgement.relation == "contradiction":
            drafts.append(
                FindingDraft(
                    other_id, FindingKind.CONTRADICTION, judgement.score, judgement.explanation, False
                )
            )
    return drafts


def _findings_of(claim_id: int) -> list[Finding]:
    # Two index scans rather than an OR across both columns (see claim_counters_refresh).
    return list(Finding.objects.filter(claim_low_id=claim_id)) + list(
        Finding.objects.filter(claim_high_id=claim_id)
    )


@transaction.atomic
def findings_store_for_claim(*, claim_id: int) -> list[Finding]:
    """Judge the claim against its candidates and store the findings. Idempotent.

    Each pair is one row keyed by (lower id, higher id, kind); a re-run updates score and
    explanation but never an editor's decision. Suggestions the detector no longer makes for this
    claim are removed; decided findings stay. A constant number of queries whatever the number
    of findings: inserts race safely on the unique key (ignore_conflicts), updates are bulk.
    """
    claim = Claim.objects.filter(pk=claim_id, merged_into__isnull=True).first()
    if claim is None:
        return []
    drafts = {}
    for draft in _drafts_for(claim):
        low, high = sorted((claim_id, draft.other_claim_id))
        drafts[(low, high, draft.kind)] = draft
    now = timezone.now()
    existing = {(f.claim_low_id, f.claim_high_id, f.kind): f for f in _findings_of(claim_id)}
    Finding.objects.bulk_create(
        [
            Finding(
                claim_low_id=low,
                claim_high_id=high,
                kind=kind,
                score=draft.score,
                explanation=draft.explanation[:500],
                detector_version=detection.DETECTOR_VERSION,
                state=FindingState.CONFIRMED if draft.confirm else FindingState.SUGGESTED,
                created_at=now,
                updated_at=now,
            )
            for (low, high, kind), draft in drafts.items()
            if (low, high, kind) not in existing
        ],
        ignore_conflicts=True,
    )
    changed = []
    for key, finding in existing.items():
        wanted = drafts.get(key)
        if wanted is None:
            continue
        draft = wanted
        explanation = draft.explanation[:500]
        if (finding.score, finding.explanation, finding.detector_version) != (
            draft.score,
            explanation,
            detection.DETECTOR_VERSION,
        ):
            finding.score, finding.explanation = draft.score, explanation
            finding.detector_version, finding.updated_at = detection.DETECTOR_VERSION, now
            changed.append(finding)
    Finding.objects.bulk_update(changed, ["score", "explanation", "detector_version", "updated_at"])
    stale = [
        finding
        for key, finding in existing.items()
        if key not in drafts and finding.state == FindingState.SUGGESTED
    ]
    if stale:
        Finding.objects.filter(pk__in=[finding.pk for finding in stale]).delete()
    stored = [f for f in _findings_of(claim_id) if (f.claim_low_id, f.claim_high_id, f.kind) in drafts]
    touched = {claim_id} | {draft.other_claim_id for draft in drafts.values()}
    touched |= {claim for finding in stale for claim in (finding.claim_low_id, finding.claim_high_id)}
    for finding in stored:
        if finding.kind == FindingKind.DUPLICATE and finding.state == FindingState.CONFIRMED:
            _auto_merge(finding)
    claim_counters_refresh(claim_ids=sorted(touched))
    return stored


def _auto_merge(finding: Finding) -> None:
    """A confirmed duplicate merges the newer claim into the older one, unless both have verdicts."""
    low = Claim.objects.get(pk=finding.claim_low_id)
    high = Claim.objects.get(pk=finding.claim_high_id)
    if low.merged_into_id or high.merged_into_id:
        return
    if high.status != ClaimStatus.UNREVIEWED and low.status != ClaimStatus.UNREVIEWED:
        return
    keep, merge = (low, high) if high.status == ClaimStatus.UNREVIEWED else (high, low)
    claims_merge(keep_id=keep.pk, merge_id=merge.pk, user=None, reason=f"Automatic: {finding.explanation}")


@transaction.atomic
def claims_merge(*, keep_id: int, merge_id: int, user: User | None, reason: str = "") -> Claim:
    """Merge one claim into another: appearances and evidence move, both histories stay.

    Both rows are locked in id order, the fixed order every merge uses, so two merges of the same
    pair cannot deadlock. The merged claim keeps its reviews and events and points to ``keep``.
    """
    if keep_id == merge_id:
        raise ValidationError("A claim cannot be merged into itself.")
    locked = {
        claim.pk: claim
        for claim in Claim.objects.select_for_update().filter(pk__in=[keep_id, merge_id]).order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError("One of the claims no longer exists.")
    keep, merge = locked[keep_id], locked[merge_id]
    if keep.merged_into_id or merge.merged_into_id:
        raise ValidationError("One of the claims was already merged into another claim.")
    kept_urls = set(Source.objects.filter(claim=keep).exclude(url="").values_list("kind", "url"))
    moved = 0
    for source in Source.objects.filter(claim=merge):
        if source.url and (source.kind, source.url) in kept_urls:
            continue
        Source.objects.filter(pk=source.pk).update(claim=keep)
        moved += 1
    now = timezone.now()
    Claim.objects.filter(pk=merge.pk).update(merged_into=keep, version=F("version") + 1, updated_at=now)
    Claim.objects.filter(pk=keep.pk).update(version=F("version") + 1, updated_at=now)
    # The pair's own findings are settled by the merge; findings with third claims stay on the
    # merged claim's history and are found again for the kept claim by its next check.
    Finding.objects.filter(
        Q(claim_low_id=min(keep_id, merge_id), claim_high_id=max(keep_id, merge_id))
    ).filter(kind=FindingKind.DUPLICATE).update(
        state=FindingState.CONFIRMED, decided_by=user, decided_at=now, updated_at=now
    )
    claim_outlets_refresh(claim_id=keep.pk)
    summary = f"Merged claim #{merge.pk} into #{keep.pk} ({moved} source(s) moved)"
    claim_event_record(
        claim=keep, actor=user, action="merged", summary=summary, reason=reason, data={"merged": merge.pk}
    )
    claim_event_record(
        claim=merge, actor=user, action="merged_into", summary=summary, reason=reason, data={"into": keep.pk}
    )
    others = set(
        Finding.objects.filter(Q(claim_low_id=merge.pk) | Q(claim_high_id=merge.pk)).values_list(
            "claim_low_id", "claim_high_id"
        )
    )
    claim_counters_refresh(claim_ids=[keep.pk, merge.pk, *{c for pair in others for c in pair}])
    from claims.services.checks import check_request_create

    keep.refresh_from_db()
    check_request_create(claim=keep)
    return keep


@transaction.atomic
def finding_decide(
    *, finding_id: int, user: User, accept: bool, reason: str = "", keep_claim_id: int | None = None
) -> Finding:
    """Accept or reject a suggested finding. Accepting a duplicate merges the two claims."""
    finding = Finding.objects.select_for_update().filter(pk=finding_id).first()
    if finding is None:
        raise ValidationError("This finding no longer exists: the claims were re-checked. Reload the page.")
    if finding.state != FindingState.SUGGESTED:
        who = finding.decided_by.username if finding.decided_by else "the detector"
        raise ValidationError(f"This finding was already {finding.state} by {who}.")
    now = timezone.now()
    finding.state = FindingState.CONFIRMED if accept else FindingState.REJECTED
    finding.decided_by = user
    finding.decided_at = now
    finding.updated_at = now
    finding.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    verb = "accepted" if accept else "rejected"
    for claim_id in (finding.claim_low_id, finding.claim_high_id):
        other = finding.other_claim_id(claim_id)
        claim_event_record(
            claim=claim_id,
            actor=user,
            action=f"finding_{verb}",
            summary=f"{verb.capitalize()} {finding.kind} with claim #{other}",
            reason=reason,
            data={"finding": finding.pk, "kind": finding.kind, "other": other},
        )
    if accept and finding.kind == FindingKind.DUPLICATE:
        keep_id = (
            keep_claim_id
            if keep_claim_id in (finding.claim_low_id, finding.claim_high_id)
            else finding.claim_low_id
        )
        merge_id = finding.other_claim_id(keep_id)
        claims_merge(
            keep_id=keep_id,
            merge_id=merge_id,
            user=user,
            reason=reason or f"Accepted duplicate: {finding.explanation}",
        )
    claim_counters_refresh(claim_ids=[finding.claim_low_id, finding.claim_high_id])
    return finding
