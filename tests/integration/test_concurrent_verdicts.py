from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connections

from claims.models import Claim, ClaimStatus, Review
from claims.services.claims import ClaimConflict
from claims.services.reviews import claim_review
from tests import factories

pytestmark = pytest.mark.postgres_only

ROUNDS = 200


def test_two_editors_on_the_same_version_200_times_exactly_one_wins_each_time(
    transactional_db: None, editor: User, second_editor: User
) -> None:
    claim = factories.claim(text="The council approved the harbour budget by 31 votes to 12.", user=editor)
    verdicts = {editor.pk: ClaimStatus.CORROBORATED, second_editor.pk: ClaimStatus.DISPUTED}
    outcomes: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def submit(reviewer: User, version: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait()
            claim_review(
                claim_id=claim.pk,
                reviewer=reviewer,
                verdict=verdicts[reviewer.pk],
                rationale=f"Round at version {version}.",
                expected_version=version,
            )
            result = "won"
        except ClaimConflict:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append((version, reviewer.pk, result))

    for _ in range(ROUNDS):
        # given both editors read the same version
        version = Claim.objects.get(pk=claim.pk).version
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=submit, args=(user, version, barrier)) for user in (editor, second_editor)
        ]
        # when both submit at once
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # then exactly one of the two is stored
        results = sorted(result for v, _, result in outcomes if v == version)
        assert results == ["refused", "won"], f"version {version}: {results}"

    assert Review.objects.filter(claim=claim).count() == ROUNDS
    assert Claim.objects.get(pk=claim.pk).version == ROUNDS + 1
    # every stored review is on its own version, and the claim shows the last winner's verdict
    assert sorted(Review.objects.values_list("claim_version", flat=True)) == list(range(1, ROUNDS + 1))
    last = Review.objects.order_by("-claim_version").first()
    assert last is not None
    assert Claim.objects.get(pk=claim.pk).status == last.verdict
