"""``claims_match`` judges only the candidates that could still be among its results; what it
returns is what judging every retrieved candidate and ranking them all returns."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from claims.detection.matching import MATCH_FLOOR, match_label, match_score
from claims.detection.parsing import parse_calls, reset_counters
from claims.services.index import (
    MATCH_POOL_FACTOR,
    MATCH_POOL_MIN,
    claim_vectors_store,
    claims_match,
    claims_match_many,
    match_candidates,
)
from tests import factories

STORED = [
    "The council approved the budget on Monday.",
    "The council rejected the budget on Monday.",
    "The bridge reopened on Monday after repairs costing 9 million euros.",
    "The bridge reopened on Monday after repairs costing 4 million euros.",
    "About 300 people were evacuated from Corran as the river rose.",
    "Nearly 3,000 people were evacuated from Corran after the river burst its banks.",
    "Unemployment in Dunmore fell to 5.2% in March.",
    "Unemployment in Dunmore rose to 6.1% in March.",
    "The mayor of Elsby resigned after the audit.",
    "The mayor of Elsby refused to resign after the audit.",
    "A new library opened in Farrow with 40,000 books.",
    "The Farrow library closed its doors for lack of funds.",
]
STATEMENTS = [
    "After repairs that cost 4 million euros, the bridge reopened on Monday.",
    "The council voted the budget through on Monday.",
    "Around 300 Corran residents left their homes as the river rose.",
    "Dunmore's jobless rate dropped to 5.2% in March.",
    "Elsby's mayor stepped down after the audit, officials said.",
    "A heatwave pushed temperatures in the capital past 41 degrees.",
]


def _judging_everything(text: str, limit: int, min_score: float | None) -> list[tuple[int, float, str]]:
    """The ranking as it was before judging stopped early: every live candidate judged and scored."""
    floor = MATCH_FLOOR if min_score is None else min_score
    pool = max(limit * MATCH_POOL_FACTOR, MATCH_POOL_MIN)
    scored = [
        (match_score(candidate.score, judgement), candidate.claim_id, match_label(judgement))
        for candidate, judgement in match_candidates(text=text, pool=pool)
    ]
    ranked = sorted((item for item in scored if item[0] >= floor), key=lambda item: (-item[0], item[1]))
    return [(claim_id, score, relation) for score, claim_id, relation in ranked[:limit]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limit", "min_score"), [(1, None), (2, None), (5, None), (5, 0.0), (3, 0.5), (5, 0.85)]
)
def test_matching_returns_what_judging_every_candidate_returns(
    annotator: User, limit: int, min_score: float | None
) -> None:
    # given
    claim_vectors_store(claims=[factories.claim(text=text, user=annotator) for text in STORED])
    # when
    matched = [claims_match(text=text, limit=limit, min_score=min_score) for text in STATEMENTS]
    batched = claims_match_many(texts=STATEMENTS, limit=limit, min_score=min_score)
    # then
    expected = [_judging_everything(text, limit, min_score) for text in STATEMENTS]
    assert [[(m.claim_id, m.score, m.relation) for m in found] for found in matched] == expected
    assert batched == matched
    assert any(expected), "some statement must match something for the comparison to mean anything"


@pytest.mark.django_db
def test_only_statements_with_a_candidate_that_can_reach_the_floor_are_parsed(annotator: User) -> None:
    # given
    claims = [factories.claim(text=text, user=annotator) for text in STORED]
    claim_vectors_store(claims=claims)
    repeat = "The bridge reopened on Monday after repairs that cost 4 million euros."
    unrelated = "A heatwave pushed temperatures in Glenmoor past 41 degrees on Sunday."
    reset_counters()
    # when
    found = claims_match_many(texts=[repeat, unrelated], min_score=0.85)
    # then: the repeat is found, and only its sentence went through the parser
    assert [(match.claim_id, match.relation) for match in found[0]] == [
        (claims[3].pk, "duplicate"),
        (claims[2].pk, "contradiction"),
    ]
    assert found[1] == []
    assert parse_calls() == (1, 1)
