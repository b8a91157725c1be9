"""Storing what the detector found, and editors' decisions on it.

A check's confirmed duplicates are merged by ``claims.services.merges``; the counters both move
live in ``claims.services.counters``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DateTimeField, Field
from django.utils import timezone

from claims import detection
from claims.chunking import chunked
from claims.detection.merging import confirms
from claims.models import Claim, Finding, FindingKind, FindingState
from claims.services.counters import (
    WRITE_CHUNK,
    FindingChange,
    claim_counters_refresh,
    claim_counters_shift,
)
from claims.services.events import claim_event_record
from claims.services.index import QUERY_CHUNK, Retrieved, claims_retrieve
from claims.services.merges import MergePlan, claims_merge
from claims.services.notifications import findings_notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FindingDraft:
    other_claim_id: int
    kind: str
    score: float
    explanation: str
    confirm: bool


def _confirms(retrieved: Retrieved, claim_id: int, other_id: int, judgement: detection.Judgement) -> bool:
    """An automatic merge needs near-identical text and the same frame
    (``claims.detection.merging``); every other duplicate is a suggestion."""
    features = retrieved.claims[claim_id].features
    return confirms(features, retrieved.known[other_id].features, judgement.relation)


def _drafts(
    judged: list[tuple[int, detection.Judgement]], confirm: Callable[[int, detection.Judgement], bool]
) -> list[FindingDraft]:
    """``confirm(other, judgement)``: whether a duplicate is confirmed (and so merged) outright."""
    drafts = []
    for other_id, judgement in judged:
        if judgement.relation == "duplicate" and judgement.score >= detection.SUGGEST_THRESHOLD:
            drafts.append(
                FindingDraft(
                    other_id,
                    FindingKind.DUPLICATE,
                    judgement.score,
                    judgement.explanation,
                    confirm=confirm(other_id, judgement),
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
        for chunk in chunked(claim_ids, QUERY_CHUNK):
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

    def apply(self, claim_id: int, drafts: list[FindingDraft], now: datetime) -> list[Finding]:
        """Store one claim's drafts: returns the confirmed duplicates among its findings (which
        merge)."""
        wanted: dict[PairKey, FindingDraft] = {}
        for draft in drafts:
            low, high = sorted((claim_id, draft.other_claim_id))
            wanted[(low, high, draft.kind)] = draft
        for key in sorted(self.by_claim.get(claim_id, set()) - set(wanted)):
            # A suggestion the detector no longer makes goes; a decided finding stays.
            if self.pairs[key].state == FindingState.SUGGESTED:
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
        return [
            self.pairs[key]
            for key in wanted
            if key[2] == FindingKind.DUPLICATE and self.pairs[key].state == FindingState.CONFIRMED
        ]

    def write(self) -> list[FindingChange]:
        """Inserts race safely on the unique key (a pair another worker stored meanwhile is left
        as it is); updates and deletes are bulk. Returns the rows this call really inserted (+1)
        and deleted (-1), which is what the counters move by."""
        # In key order, the order every batch uses: two workers storing the same pairs then wait
        # for one another rather than each holding a key the other needs (a deadlock).
        inserted = _findings_insert(
            [finding for key, finding in sorted(self.pairs.items()) if finding.pk is None]
        )
        changed = [
            finding
            for key, finding in sorted(self.pairs.items())
            if finding.pk is not None
            and (finding.score, finding.explanation, finding.detector_version) != self.loaded[key]
        ]
        Finding.objects.bulk_update(changed, ["score", "explanation", "detector_version", "updated_at"])
        deleted = _findings_delete(sorted(finding.pk for finding in self.removed))
        return [(*row, 1) for row in inserted] + [(*row, -1) for row in deleted]


_RETURNED = ("claim_low_id", "claim_high_id", "kind", "state")


def _findings_insert(findings: list[Finding]) -> list[tuple[int, int, str, str]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING (PostgreSQL and SQLite >= 3.35): unlike
    ``bulk_create(ignore_conflicts=True)``, it tells which rows went in, so that the counters
    move by exactly the findings this check added even when a concurrent one stored some of them."""
    fields = [field for field in Finding._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    table = quote(Finding._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    key = ", ".join(quote(name) for name in ("claim_low_id", "claim_high_id", "kind"))
    returned = ", ".join(quote(name) for name in _RETURNED)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only the datetimes need the backend's adaptation, and a batch's findings share a few of them.
    adapted: dict[tuple[str, Any], Any] = {}

    def value(finding: Finding, field: Field[Any, Any]) -> Any:
        raw = getattr(finding, field.attname)
        if raw is None or not isinstance(field, DateTimeField):
            return raw
        memo = (field.attname, raw)
        if memo not in adapted:
            adapted[memo] = field.get_db_prep_save(raw, connection)
        return adapted[memo]

    rows: list[tuple[int, int, str, str]] = []
    if connection.vendor == "postgresql" and findings:
        # One array per column: psycopg parses a statement's placeholders in Python, which for
        # 500 rows of 11 values cost more than building the rows did.
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "  # noqa: S608
                f"ON CONFLICT ({key}) DO NOTHING RETURNING {returned}",
                [[value(finding, field) for finding in findings] for field in fields],
            )
            return list(cursor.fetchall())
    for chunk in chunked(findings, WRITE_CHUNK):
        params = [value(finding, field) for finding in chunk for field in fields]
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "  # noqa: S608
            f"ON CONFLICT ({key}) DO NOTHING RETURNING {returned}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows.extend(cursor.fetchall())
    return rows


def _findings_delete(finding_ids: list[int]) -> list[tuple[int, int, str, str]]:
    """DELETE … RETURNING: of two checks removing the same suggestion, only one counts it."""
    quote = connection.ops.quote_name
    table = quote(Finding._meta.db_table)
    returned = ", ".join(quote(name) for name in _RETURNED)
    rows: list[tuple[int, int, str, str]] = []
    for chunk in chunked(finding_ids, WRITE_CHUNK):
        placeholders = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({placeholders}) RETURNING {returned}",  # noqa: S608
                chunk,
            )
            rows.extend(cursor.fetchall())
    return rows


@transaction.atomic
def findings_store_for_claims(*, claim_ids: Sequence[int]) -> dict[int, int]:
    """Judge each claim against its candidates and store the findings. Idempotent.

    Each pair is one row keyed by (lower id, higher id, kind); a re-run updates score and
    explanation but never an editor's decision. Suggestions the detector no longer makes for a
    claim are removed; decided findings stay. The outcome is that of storing the claims' findings
    one after the other in the order given (a later claim sees what an earlier one stored, and a
    claim merged by an earlier one's confirmed duplicate is skipped), in a number of queries that
    does not grow with the batch: the merges are decided in memory as they come and carried out
    together after the findings are written, and the counters move by the findings written.
    Returns the number of findings stored per claim checked.
    """
    claims = Claim.objects.filter(pk__in=list(claim_ids), merged_into__isnull=True).only(
        "pk", "text", "title", "version", "status"
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
    merges = MergePlan({claim.pk: (claim.status, None) for claim in by_id.values()})
    stored: dict[int, int] = {}
    for claim_id in order:
        if claim_id in merges.merged:
            continue
        # An automatic merge needs near-identical text and the same frame
        # (claims.detection.merging); every other duplicate is a suggestion.
        drafts = _drafts(
            retrieved.judged(claim_id, skip=merges.merged, also=ledger.suggested_others(claim_id)),
            partial(_confirms, retrieved, claim_id),
        )
        stored[claim_id] = len(drafts)
        for finding in ledger.apply(claim_id, drafts, now):
            merges.add(finding)
    # The counters move by the findings written; a merge changes which findings count for every
    # claim around the pair, so those claims are counted again from their findings. Counters come
    # last: their row locks are what a concurrent batch may wait for, until this one commits.
    changes = ledger.write()
    findings_notify(pairs=[(low, high, kind) for low, high, kind, _, delta in changes if delta > 0])
    recount = merges.carry_out()
    claim_counters_shift(changes=changes)
    claim_counters_refresh(claim_ids=recount)
    return stored


def finding_keep_validate(*, finding: Finding, accept: bool, keep_claim_id: int | None) -> int | None:
    """The claim that stays when the decision merges the pair, or None when it merges nothing.

    Only accepting a duplicate merges. ``keep_claim_id`` must then be one of the pair's two claims;
    without it the lower id stays (the older claim).
    A ``keep`` that is not one of the pair, or that comes with a decision that merges nothing, is a
    ValidationError on ``keep``: it would otherwise be ignored and the wrong claim could be kept.
    """
    pair = (finding.claim_low_id, finding.claim_high_id)
    merges = accept and finding.kind == FindingKind.DUPLICATE
    if keep_claim_id is not None and not merges:
        raise ValidationError({"keep": ["keep only applies when accepting a duplicate."]})
    if keep_claim_id is not None and keep_claim_id not in pair:
        raise ValidationError(
            {"keep": [f"keep must be one of the finding's claims: {pair[0]} or {pair[1]}."]}
        )
    if not merges:
        return None
    return finding.claim_low_id if keep_claim_id is None else keep_claim_id


@dataclass(frozen=True)
class FindingDecision:
    finding: Finding
    kept: Claim | None  # the claim that stays when accepting a duplicate merged the pair


@transaction.atomic
def finding_decide(
    *, finding_id: int, user: User, accept: bool, reason: str = "", keep_claim_id: int | None = None
) -> FindingDecision:
    """Accept or reject a suggested finding. Accepting a duplicate merges the two claims into the
    one ``finding_keep_validate`` names."""
    finding = Finding.objects.select_for_update().filter(pk=finding_id).first()
    if finding is None:
        raise ValidationError("This finding no longer exists: the claims were re-checked. Reload the page.")
    keep_id = finding_keep_validate(finding=finding, accept=accept, keep_claim_id=keep_claim_id)
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
    kept = None
    if keep_id is not None:
        kept = claims_merge(
            keep_id=keep_id,
            merge_id=finding.other_claim_id(keep_id),
            user=user,
            reason=reason or f"Accepted duplicate: {finding.explanation}",
        )
    claim_counters_refresh(claim_ids=[finding.claim_low_id, finding.claim_high_id])
    return FindingDecision(finding=finding, kept=kept)
