"""Planner statistics of the tables a bulk import and its checks grow (PostgreSQL only).

PostgreSQL plans from statistics gathered by ANALYZE. An import of an archive grows claims,
vectors, check requests and findings by hundreds of thousands of rows within minutes; until the
tables are analysed again the planner believes them tiny and scans whole tables for lookups that
an index answers (measured at 100,000 claims: one counter refresh took 0.8 s with a sequential scan
of 850,000 findings). Autovacuum analyses eventually, when it runs at all (it is off on some
servers); so imports and batches of checks ask, in one cheap query, whether a table changed by
more than a fifth since it was last analysed, and analyse the ones that did.
"""

from __future__ import annotations

import logging

from django.db import connection

from claims.models import CheckRequest, Claim, ClaimVector, Finding

logger = logging.getLogger(__name__)

STALE_SHARE = 0.2
STALE_MIN_ROWS = 1000
TABLES = (Claim, ClaimVector, CheckRequest, Finding)


def planner_statistics_refresh() -> list[str]:
    """ANALYZE the tables grown or changed past STALE_SHARE since their last analysis (by anyone,
    autovacuum included). Returns the tables analysed."""
    if connection.vendor != "postgresql":
        return []
    names = [model._meta.db_table for model in TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = ANY(%s)",
            [names],
        )
        stale = [
            name
            for name, modified, live in cursor.fetchall()
            if modified > STALE_MIN_ROWS and modified > STALE_SHARE * live
        ]
        for name in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    if stale:
        logger.info("analysed %s for the planner", ", ".join(stale))
    return stale
