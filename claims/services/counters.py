"""The review queue's counters: each claim's open contradictions and duplicate suggestions.

Below findings and merges, which both move them: a check shifts them by the findings it wrote, a
merge recounts the claims around the pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from claims.chunking import chunked
from claims.models import Claim, Finding, FindingKind
from claims.services.index import QUERY_CHUNK

# Rows per statement where a statement takes one placeholder per value (SQLite).
WRITE_CHUNK = 500


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


def claims_with_partners(*, claim_ids: Iterable[int]) -> set[int]:
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
    for batch in chunked(rows, WRITE_CHUNK):
        values = " UNION ALL ".join(["SELECT %s AS id, %s AS c, %s AS d"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(sql.format(values=f"({values}) AS v"), [value for row in batch for value in row])


# (lower claim, higher claim, kind, state, +1 inserted or -1 deleted)
FindingChange = tuple[int, int, str, str, int]


def claim_counters_shift(*, changes: list[FindingChange]) -> None:
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
