from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Claim
from claims.services.statistics import planner_statistics_refresh

pytestmark = pytest.mark.postgres_only


def _last_analyze(table: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.django_db(transaction=True)
def test_a_table_grown_by_a_bulk_load_is_analysed_once_for_the_planner() -> None:
    # given claims grown from nothing by a bulk load (committed, and its statistics flushed)
    Claim.objects.bulk_create(
        [Claim(text=f"Claim number {n} about the Velmora floods.") for n in range(1500)]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    before = _last_analyze("claims_claim")
    # when
    analysed = planner_statistics_refresh()
    # then the grown table is analysed
    assert "claims_claim" in analysed
    after = _last_analyze("claims_claim")
    assert after is not None
    assert before is None or after > before  # type: ignore[operator]
    # and once analysed it is no longer stale
    assert "claims_claim" not in planner_statistics_refresh()
