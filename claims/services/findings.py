"""Storing what the detector found, and editors' decisions on it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DateTimeField, Field, Q
from django.utils import timezone

from claims import detection
from claims.chunking import chunked
from claims.detection.merging import confirms
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
from claims.services.events import claim_event_record
from claims.services.index import QUERY_CHUNK, Retrieved, claims_retrieve
from claims.services.merge_records import MergeMoved, merge_records_write

logger = logging.getLogger(__name__)

# Rows per statement where a statement takes one placeholder per value (SQLite).
_WRITE_CHUNK = 500


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
    for chunk in chunked(ids, QUERY_CHUNK):
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


def claim_pairs_with_partners(claim_ids: Iterable[int]) -> set[int]:
    """The claims and the other claims of every finding they have (the claims whose counters a
    merge or an unmerge of them changes)."""
    return _with_partners(claim_ids)


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
    for chunk in chunked(involved, QUERY_CHUNK):
        known.update(
            (pk, (merged_into, contradictions, duplicates))
            for pk, merged_into, contradictions, duplicates in Claim.objects.filter(
                pk__any_of=chunk
            ).values_list("pk", "merged_into_id", "open_contradictions", "open_duplicates")
        )
    merged = {claim_id for claim_id, (merged_into, _, _) in known.items() if merged_into is not None}
    tallies = _open_tallies([(*row, 1) for row in rows], merged=merged)
    changed = []
    for claim_id in sorted(wanted & set(known)):
        counts = tallies.get(claim_id, (0, 0))
        if known[claim_id][1:] != counts:
            changed.append((claim_id, *counts))
    _counters_write(changed)


def _open_tallies(
    rows: Iterable[tuple[int, int, str, str, int]], *, merged: set[int]
) -> dict[int, tuple[int, int]]:
    """(open contradictions, open duplicates) per claim of ``rows`` (lower claim, higher claim,
    kind, state, weight), each open finding adding its weight to both of its claims. A finding
    with a merged claim is settled: it counts for neither side."""
    tallies: dict[int, list[int]] = {}
    for low, high, kind, state, weight in rows:
        if low in merged or high in merged or not Finding.is_open(kind, state):
            continue
        column = 0 if kind == FindingKind.CONTRADICTION else 1
        for claim_id in (low, high):
            tallies.setdefault(claim_id, [0, 0])[column] += weight
    return {claim_id: (counts[0], counts[1]) for claim_id, counts in tallies.items()}


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
                count(*) FILTER (WHERE {Finding.open_sql(FindingKind.CONTRADICTION, alias="f")}) AS c,
                count(*) FILTER (WHERE {Finding.open_sql(FindingKind.DUPLICATE, alias="f")}) AS d
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
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": claim_ids})


def _counters_write(rows: list[tuple[int, int, int]], *, shift: bool = False) -> None:
    """Write (claim, contradictions, duplicates) rows in id order, so that concurrent checks lock
    rows in the same order: as the counters (a recount), or with ``shift`` as deltas added to them
    on claims not merged. (Django's bulk_update builds a CASE per row, whose Python-side cost
    dominated a check touching a few hundred claims.)"""
    if not rows:
        return
    table = Claim._meta.db_table
    if shift:
        sql = (
            f"UPDATE {table} SET open_contradictions = open_contradictions + v.c, "  # noqa: S608
            f"open_duplicates = open_duplicates + v.d FROM {{values}} "
            f"WHERE {table}.id = v.id AND {table}.merged_into_id IS NULL"
        )
    else:
        sql = (
            f"UPDATE {table} SET open_contradictions = v.c, open_duplicates = v.d "  # noqa: S608
            f"FROM {{values}} WHERE {table}.id = v.id"
        )
    if connection.vendor == "postgresql":
        # Three arrays rather than a list of rows: PostgreSQL took 70 ms to plan a UNION ALL of
        # 500 rows, against 1 ms for this.
        with connection.cursor() as cursor:
            cursor.execute(
                sql.format(values="unnest(%s::bigint[], %s::int[], %s::int[]) AS v(id, c, d)"),
                [list(column) for column in zip(*rows, strict=True)],
            )
        return
    for batch in chunked(rows, _WRITE_CHUNK):
        values = " UNION ALL ".join(["SELECT %s AS id, %s AS c, %s AS d"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(sql.format(values=f"({values}) AS v"), [value for row in batch for value in row])


def _confirms(retrieved: Retrieved, claim_id: int, other_id: int, judgement: detection.Judgement) -> bool:
    """[unmerge/h6] An automatic merge needs near-identical text and the same frame
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


# (lower claim, higher claim, kind, state, +1 inserted or -1 deleted)
FindingChange = tuple[int, int, str, str, int]
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
    for chunk in chunked(findings, _WRITE_CHUNK):
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
    for chunk in chunked(finding_ids, _WRITE_CHUNK):
        placeholders = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({placeholders}) RETURNING {returned}",  # noqa: S608
                chunk,
            )
            rows.extend(cursor.fetchall())
    return rows


def _counters_shift(changes: list[FindingChange]) -> None:
    """Move the counters of both claims of every finding inserted or deleted (``count = count +
    delta``, which composes with a concurrent check's shift where a recount computed from an
    earlier snapshot would overwrite it). A finding with a merged claim counts for neither side,
    as in ``claim_counters_refresh``; merged claims keep 0."""
    if not changes:
        return
    involved = sorted({claim_id for low, high, *_ in changes for claim_id in (low, high)})
    merged: set[int] = set()
    for chunk in chunked(involved, QUERY_CHUNK):
        merged.update(
            Claim.objects.filter(pk__any_of=chunk, merged_into__isnull=False).values_list("pk", flat=True)
        )
    deltas = _open_tallies(changes, merged=merged)
    _counters_write(sorted((claim_id, c, d) for claim_id, (c, d) in deltas.items() if c or d), shift=True)


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
    stored: dict[int, int] = {}
    for claim_id in order:
        if claim_id in merges.merged:
            continue
        # [unmerge/h6] An automatic merge needs near-identical text and the same frame
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
    recount = merges.carry_out()
    _counters_shift(changes)
    claim_counters_refresh(claim_ids=recount)
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
        """Merge as planned, in a few statements for all of them; the kept claims are checked
        again after commit, in one batch. Returns the claims whose counters the merges change."""
        if not self.planned:
            return set()
        outcome = _claims_merge_many(self.planned, user=None)
        from claims.services.checks import check_requests_create

        check_requests_create(versions=outcome.kept)
        # A plan refused (another worker merged one of the claims meanwhile) is left to that
        # worker's check, which decides for the pair.
        return _with_partners(outcome.touched) if outcome.touched else set()


@transaction.atomic
def claims_merge(*, keep_id: int, merge_id: int, user: User | None, reason: str = "") -> Claim:
    """Merge one claim into another: appearances and evidence move, both histories stay; the
    counters of every claim concerned are recounted and the kept claim is checked again.

    The merged claim keeps its reviews and events and points to ``keep``.
    """
    outcome = _claims_merge_many([(keep_id, merge_id, reason)], user=user)
    if outcome.refused:
        raise ValidationError(outcome.refused[0])
    claim_counters_refresh(claim_ids={keep_id} | _with_partners([merge_id]))
    from claims.services.checks import check_request_create

    keep = Claim.objects.get(pk=keep_id)
    check_request_create(claim=keep)
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
        moving: list[int] = []  # [unmerge/h6] what this merge moves, for its MergeRecord
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
    merge_records_write(records, user=user, now=now)  # [unmerge/h6] what can be undone
    return outcome


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
