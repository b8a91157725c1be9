"""The open-finding rule has one home, ``Finding.OPEN_STATES``: its Python, ORM and SQL forms, the
review-queue counters and the queue rows must all agree with it."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection

from claims.models import Claim, Finding, FindingKind, FindingState
from claims.selectors.queue import queue_rows
from claims.services.counters import claim_counters_refresh

EXPECTED_OPEN = {
    (FindingKind.CONTRADICTION, FindingState.SUGGESTED),
    (FindingKind.CONTRADICTION, FindingState.CONFIRMED),
    (FindingKind.DUPLICATE, FindingState.SUGGESTED),
}


def test_the_rule_in_python() -> None:
    every = set(itertools.product(FindingKind, FindingState))
    assert {pair for pair in every if Finding.is_open(*pair)} == EXPECTED_OPEN


@pytest.fixture
def one_finding_per_kind_and_state() -> dict[tuple[str, str], Finding]:
    """Six findings, each between a claim of its own and a shared hub claim."""
    hub = Claim.objects.create(text="The hub claim.")
    findings = {}
    for kind, state in itertools.product(FindingKind, FindingState):
        other = Claim.objects.create(text=f"A claim with a {state} {kind}.")
        findings[(kind, state)] = Finding.objects.create(
            claim_low=hub, claim_high=other, kind=kind, state=state, score=0.9,
            explanation="test", detector_version="test",
        )  # fmt: skip
    return findings


@pytest.mark.django_db
def test_the_orm_and_sql_forms_select_the_same_findings(
    one_finding_per_kind_and_state: dict[tuple[str, str], Finding],
) -> None:
    expected = {one_finding_per_kind_and_state[pair].pk for pair in EXPECTED_OPEN}
    by_orm = set(Finding.objects.filter(Finding.open_q()).values_list("pk", flat=True))
    condition = " OR ".join(Finding.open_sql(kind, alias="f") for kind in FindingKind)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT f.id FROM {Finding._meta.db_table} f WHERE {condition}")  # noqa: S608
        by_sql = {row[0] for row in cursor.fetchall()}
    assert by_orm == by_sql == expected
    contradictions = Finding.objects.filter(Finding.open_q(FindingKind.CONTRADICTION))
    assert set(contradictions.values_list("pk", flat=True)) == {
        one_finding_per_kind_and_state[(FindingKind.CONTRADICTION, state)].pk
        for state in (FindingState.SUGGESTED, FindingState.CONFIRMED)
    }


@pytest.mark.django_db
def test_the_counters_and_the_queue_rows_count_what_the_rule_calls_open(
    one_finding_per_kind_and_state: dict[tuple[str, str], Finding],
) -> None:
    findings = one_finding_per_kind_and_state
    hub_id = findings[(FindingKind.DUPLICATE, FindingState.SUGGESTED)].claim_low_id
    others = {pair: finding.claim_high_id for pair, finding in findings.items()}
    # when
    claim_counters_refresh(claim_ids=[hub_id, *others.values()])
    # then: the hub has two open contradictions and one open duplicate; each other claim its own
    counters = {
        pk: (c, d) for pk, c, d in Claim.objects.values_list("pk", "open_contradictions", "open_duplicates")
    }
    assert counters[hub_id] == (2, 1)
    for (kind, state), claim_id in others.items():
        is_open = (kind, state) in EXPECTED_OPEN
        expected = (int(is_open), 0) if kind == FindingKind.CONTRADICTION else (0, int(is_open))
        assert counters[claim_id] == expected, (kind, state)
    # and a queue row shows an open finding only
    rows = {
        row.claim.pk: row for row in queue_rows(claims=list(Claim.objects.filter(pk__in=others.values())))
    }
    for (kind, state), claim_id in others.items():
        top = rows[claim_id].top_finding
        assert (top is not None) == ((kind, state) in EXPECTED_OPEN), (kind, state)
