"""Storing what the detector found, and editors' decisions on it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims import detection
from claims.models import Claim, ClaimStatus, Finding, FindingKind, FindingState, Source
from claims.services.claims import claim_outlets_refresh
from claims.services.events import claim_event_record
from claims.services.index import QUERY_CHUNK, claims_retrieve

logger = logging.getLogger(__name__)

OPEN_STATES = (FindingState.SUGGESTED, FindingState.CONFIRMED)


@dataclass(frozen=True)
class FindingDraft:
    other_claim_id: int
    kind: str
    score: float
    explanation: str
    confirm: bool


def _pairs_involving(claim_ids: Iterable[int], *fields: str) -> list[tuple[Any, ...]]:
    """Findings on either side of the claims, as ``fields`` tuples. A finding between two of the
    claims comes twice. One UNION ALL of two index scans (by lower and by higher id): an OR across
    both columns joined to claims made PostgreSQL's planner scan every claim pair on fresh tables."""
    rows: list[tuple[Any, ...]] = []
    ids = sorted(claim_ids)
    for start in range(0, len(ids), QUERY_CHUNK):
        chunk = ids[start : start + QUERY_CHUNK]
        # No ORDER BY in the parts: SQLite refuses it inside a compound statement.
        low = Finding.objects.filter(claim_low_id__any_of=chunk).order_by().values_list(*fields)
        high = Finding.objects.filter(claim_high_id__any_of=chunk).order_by().values_list(*fields)
        rows.extend(low.union(high, all=True))
    return rows


def _with_partners(claim_ids: Iterable[int]) -> set[int]:
    """The claims and the other claims of every finding they have."""
    ids = set(claim_ids)
    pairs = _pairs_involving(ids, "claim_low_id", "claim_high_id")
    return ids | {claim_id for pair in pairs for claim_id in pair}


def claim_counters_refresh(*, claim_ids: Iterable[int]) -> None:
    """Recount open contradictions and duplicate suggestions for the review queue.

    Three queries whatever the number of claims: their findings, the claims on either side of
    them, and one write of the counters that changed.
    """
    wanted = set(claim_ids)
    if not wanted:
        return
    if connection.vendor == "postgresql":
        _counters_refresh_in_database(sorted(wanted))
        return
    rows = set(_pairs_involving(wanted, "claim_low_id", "claim_high_id", "kind", "state"))
    involved = sorted(wanted | {claim_id for low, high, _, _ in rows for claim_id in (low, high)})
    known: dict[int, tuple[int | None, int, int]] = {}
    for start in range(0, len(involved), QUERY_CHUNK):
        known.update(
            (pk, (merged_into, contradictions, duplicates))
            for pk, merged_into, contradictions, duplicates in Claim.objects.filter(
                pk__any_of=involved[start : start + QUERY_CHUNK]
            ).values_list("pk", "merged_into_id", "open_contradictions", "open_duplicates")
        )
    merged = {claim_id for claim_id, (merged_into, _, _) in known.items() if merged_into is not None}
    counts = {claim_id: [0, 0] for claim_id in wanted}
    for low, high, kind, state in rows:
        if low in merged or high in merged:
            continue
        open_contradiction = kind == FindingKind.CONTRADICTION and state in OPEN_STATES
        open_duplicate = kind == FindingKind.DUPLICATE and state == FindingState.SUGGESTED
        for claim_id in (low, high):
            if claim_id in counts:
                counts[claim_id][0] += open_contradiction
                counts[claim_id][1] += open_duplicate
    changed = sorted(
        (claim_id, contradictions, duplicates)
        for claim_id, (contradictions, duplicates) in counts.items()
        if claim_id in known and known[claim_id][1:] != (contradictions, duplicates)
    )
    _counters_write(changed)


def _counters_refresh_in_database(claim_ids: list[int]) -> None:
    """``claim_counters_refresh`` as one statement on PostgreSQL: the findings of a batch's claims
    and their candidates run to tens of thousands of rows, which need not cross the wire to be
    counted. Only counters that change are written."""
    claim, finding = Claim._meta.db_table, Finding._meta.db_table
    sql = f"""
        WITH wanted AS (SELECT unnest(%(ids)s::bigint[]) AS id),
        -- The merged claims are few: one hashed list of them is cheaper than a join to every claim.
        merged AS (SELECT id FROM {claim} WHERE merged_into_id IS NOT NULL),
        open_findings AS (
            SELECT f.claim_low_id AS id, f.kind, f.state FROM {finding} f
            WHERE f.claim_low_id = ANY(%(ids)s) AND f.claim_high_id NOT IN (SELECT id FROM merged)
            UNION ALL
            SELECT f.claim_high_id AS id, f.kind, f.state FROM {finding} f
            WHERE f.claim_high_id = ANY(%(ids)s) AND f.claim_low_id NOT IN (SELECT id FROM merged)
        ),
        counts AS (
            SELECT wanted.id,
                count(*) FILTER (WHERE f.kind = %(contradiction)s AND f.state = ANY(%(open)s)) AS c,
                count(*) FILTER (WHERE f.kind = %(duplicate)s AND f.state = %(suggested)s) AS d
            FROM wanted LEFT JOIN open_findings f ON f.id = wanted.id
            GROUP BY wanted.id
        )
        UPDATE {claim} SET
            open_contradictions = CASE WHEN {claim}.merged_into_id IS NULL THEN counts.c ELSE 0 END,
            open_duplicates = CASE WHEN {claim}.merged_into_id IS NULL THEN counts.d ELSE 0 END
        FROM counts
        WHERE {claim}.id = counts.id AND (
            {claim}.open_contradictions,
            {claim}.open_duplicates
        ) IS DISTINCT FROM (
            CASE WHEN {claim}.merged_into_id IS NULL THEN counts.c ELSE 0 END,
            CASE WHEN {claim}.merged_into_id IS NULL THEN counts.d ELSE 0 END
        )
    """  # noqa: S608 (table names from the models, values as parameters)
    params: dict[str, Any] = {
        "ids": claim_ids,
        "contradiction": FindingKind.CONTRADICTION.value,
        "duplicate": FindingKind.DUPLICATE.value,
        "suggested": FindingState.SUGGESTED.value,
        "open": [state.value for state in OPEN_STATES],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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


def _drafts(judged: list[tuple[int, detection.Judgement]]) -> list[FindingDraft]:
    drafts = []
    for other_id, judgement in judged:
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


PairKey = tuple[int, int, str]


class _Ledger:
    """The findings on either side of a batch of claims, changed in memory claim after claim as
    one check after the other would change them, then written in a few statements."""

    def __init__(self, claim_ids: Sequence[int]) -> None:
        self.pairs: dict[PairKey, Finding] = {}
        self.loaded: dict[PairKey, tuple[float, str, str]] = {}
        self.removed: list[Finding] = []
        self.by_claim: dict[int, set[PairKey]] = {}
        findings: dict[int, Finding] = {}
        for start in range(0, len(claim_ids), QUERY_CHUNK):
            chunk = claim_ids[start : start + QUERY_CHUNK]
            low = Finding.objects.filter(claim_low_id__any_of=chunk).order_by()
            high = Finding.objects.filter(claim_high_id__any_of=chunk).order_by()
            findings.update((f.pk, f) for f in low.union(high, all=True))
        for finding in findings.values():
            key = (finding.claim_low_id, finding.claim_high_id, finding.kind)
            self._put(key, finding)
            self.loaded[key] = (finding.score, finding.explanation, finding.detector_version)

    def _put(self, key: PairKey, finding: Finding) -> None:
        self.pairs[key] = finding
        for claim_id in key[:2]:
            self.by_claim.setdefault(int(claim_id), set()).add(key)

    def suggested_others(self, claim_id: int) -> list[int]:
        """The other claims of the claim's suggested findings, in id order."""
        return sorted(
            key[1] if key[0] == claim_id else key[0]
            for key in self.by_claim.get(claim_id, ())
            if self.pairs[key].state == FindingState.SUGGESTED
        )

    def _drop(self, key: PairKey) -> None:
        finding = self.pairs.pop(key)
        for claim_id in key[:2]:
            self.by_claim[int(claim_id)].discard(key)
        if finding.pk is not None:
            self.removed.append(finding)

    def apply(
        self, claim_id: int, drafts: list[FindingDraft], now: datetime
    ) -> tuple[set[int], list[Finding]]:
        """Store one claim's drafts: returns the claims whose counters change and the confirmed
        duplicates among its findings (which merge)."""
        wanted: dict[PairKey, FindingDraft] = {}
        for draft in drafts:
            low, high = sorted((claim_id, draft.other_claim_id))
            wanted[(low, high, draft.kind)] = draft
        touched = {claim_id} | {draft.other_claim_id for draft in wanted.values()}
        for key in sorted(self.by_claim.get(claim_id, set()) - set(wanted)):
            # A suggestion the detector no longer makes goes; a decided finding stays.
            if self.pairs[key].state == FindingState.SUGGESTED:
                touched.update(key[:2])
                self._drop(key)
        for key, draft in wanted.items():
            explanation = draft.explanation[:500]
            finding = self.pairs.get(key)
            if finding is None:
                self._put(
                    key,
                    Finding(
                        claim_low_id=key[0],
                        claim_high_id=key[1],
                        kind=key[2],
                        score=draft.score,
                        explanation=explanation,
                        detector_version=detection.DETECTOR_VERSION,
                        state=FindingState.CONFIRMED if draft.confirm else FindingState.SUGGESTED,
                        created_at=now,
                        updated_at=now,
                    ),
                )
            elif (finding.score, finding.explanation, finding.detector_version) != (
                draft.score,
                explanation,
                detection.DETECTOR_VERSION,
            ):
                finding.score, finding.explanation = draft.score, explanation
                finding.detector_version, finding.updated_at = detection.DETECTOR_VERSION, now
        confirmed = [
            self.pairs[key]
            for key in wanted
            if key[2] == FindingKind.DUPLICATE and self.pairs[key].state == FindingState.CONFIRMED
        ]
        return touched, confirmed

    def write(self) -> None:
        """Inserts race safely on the unique key (ignore_conflicts); updates and deletes are bulk."""
        # In key order, the order every batch uses: two workers storing the same pairs then wait
        # for one another rather than each holding a key the other needs (a deadlock).
        Finding.objects.bulk_create(
            [finding for key, finding in sorted(self.pairs.items()) if finding.pk is None],
            ignore_conflicts=True,
        )
        changed = [
            finding
            for key, finding in sorted(self.pairs.items())
            if finding.pk is not None
            and (finding.score, finding.explanation, finding.detector_version) != self.loaded[key]
        ]
        Finding.objects.bulk_update(changed, ["score", "explanation", "detector_version", "updated_at"])
        if self.removed:
            Finding.objects.filter(pk__in=[finding.pk for finding in self.removed]).delete()


@transaction.atomic
def findings_store_for_claims(*, claim_ids: Sequence[int]) -> dict[int, int]:
    """Judge each claim against its candidates and store the findings. Idempotent.

    Each pair is one row keyed by (lower id, higher id, kind); a re-run updates score and
    explanation but never an editor's decision. Suggestions the detector no longer makes for a
    claim are removed; decided findings stay. The outcome is that of storing the claims' findings
    one after the other in the order given (a later claim sees what an earlier one stored, and a
    claim merged by an earlier one's confirmed duplicate is skipped), in a number of queries that
    does not grow with the batch but for a few per automatic merge: the merges are decided in
    memory as they come and carried out after the findings are written. Returns the number of
    findings stored per claim checked.
    """
    claims = Claim.objects.filter(pk__in=list(claim_ids), merged_into__isnull=True).only(
        "pk", "text", "version", "status"
    )
    by_id = {claim.pk: claim for claim in claims}
    order = [claim_id for claim_id in dict.fromkeys(claim_ids) if claim_id in by_id]
    if not order:
        return {}
    retrieved = claims_retrieve(claims=[by_id[claim_id] for claim_id in order])
    ledger = _Ledger(order)
    # A suggestion stands or goes by a fresh judgement of its pair: the other claim of a stored
    # suggestion is judged again even when it is no longer among this claim's candidates (which
    # are the best 50 of an index that grows), so that a finding made from one side is not undone
    # from the other merely because the other side did not retrieve it.
    retrieved.load(other for claim_id in order for other in ledger.suggested_others(claim_id))
    now = timezone.now()
    merges = _MergePlan({claim.pk: (claim.status, None) for claim in by_id.values()})
    touched: set[int] = set()
    stored: dict[int, int] = {}
    for claim_id in order:
        if claim_id in merges.merged:
            continue
        drafts = _drafts(
            retrieved.judged(claim_id, skip=merges.merged, also=ledger.suggested_others(claim_id))
        )
        claim_touched, confirmed = ledger.apply(claim_id, drafts, now)
        touched |= claim_touched
        stored[claim_id] = len(drafts)
        for finding in confirmed:
            merges.add(finding)
    ledger.write()
    touched |= merges.carry_out()
    claim_counters_refresh(claim_ids=touched)
    return stored


class _MergePlan:
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
        """Merge as planned; the kept claims are checked again after commit, in one batch.
        Returns the claims whose counters the merges change."""
        touched: set[int] = set()
        kept: dict[int, int] = {}
        for keep_id, merge_id, reason in self.planned:
            try:
                keep = _claims_merge(keep_id=keep_id, merge_id=merge_id, user=None, reason=reason)
            except ValidationError:
                # Another worker merged one of them meanwhile: its check decides for this pair.
                continue
            kept[keep.pk] = keep.version
            kept.pop(merge_id, None)
            touched |= {keep_id, merge_id}
        from claims.services.checks import check_requests_create

        check_requests_create(versions=kept)
        return _with_partners(touched) if touched else touched


@transaction.atomic
def claims_merge(*, keep_id: int, merge_id: int, user: User | None, reason: str = "") -> Claim:
    """Merge one claim into another: appearances and evidence move, both histories stay; the
    counters of every claim concerned are recounted and the kept claim is checked again.

    Both rows are locked in id order, the fixed order every merge uses, so two merges of the same
    pair cannot deadlock. The merged claim keeps its reviews and events and points to ``keep``.
    """
    keep = _claims_merge(keep_id=keep_id, merge_id=merge_id, user=user, reason=reason)
    claim_counters_refresh(claim_ids={keep_id} | _with_partners([merge_id]))
    from claims.services.checks import check_request_create

    check_request_create(claim=keep)
    return keep


@transaction.atomic
def _claims_merge(*, keep_id: int, merge_id: int, user: User | None, reason: str) -> Claim:
    """The merge itself; returns the kept claim at its new version."""
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
    keep.refresh_from_db()
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
