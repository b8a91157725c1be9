"""The automatic-merge rule: near-identical text and the same frame, nothing less."""

from __future__ import annotations

import pytest

from claims.detection import analyse
from claims.detection.merging import auto_merge, confirms, token_similarity


def test_token_similarity_is_one_minus_the_token_edit_distance_over_the_longer_length() -> None:
    assert token_similarity(["a", "b", "c", "d"], ["a", "b", "c", "d"]) == 1.0
    assert token_similarity(["a", "b", "c", "d"], ["a", "x", "c", "d"]) == 0.75
    assert token_similarity(["a", "b", "c", "d"], ["a", "b", "c"]) == 0.75
    assert token_similarity([], []) == 1.0
    assert token_similarity(["a"], []) == 0.0


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the same statement, punctuation and case aside
        (
            "No arrests were made during the pension march in Brannoch on 17 March 2026.",
            "No arrests were made during the pension march in Brannoch on 17 March 2026",
        ),
        (
            "The council approved the budget of 4 million euros on Monday after a long debate.",
            "The council approved the budget of 4 million euros on Monday, after a long debate.",
        ),
        # a filler word, a curly apostrophe, a hyphen
        (
            "The health ministry confirmed 42 deaths from the dam collapse.",
            "The health ministry has confirmed 42 deaths from the dam collapse.",
        ),
        (
            "The mayor’s office said the cross-border rail link would open on 3 April.",
            "The mayor's office said the cross border rail link would open on 3 April.",
        ),
    ],
)
def test_near_identical_claims_with_the_same_frame_merge(first: str, second: str) -> None:
    assert auto_merge(analyse(first), analyse(second))
    assert confirms(analyse(first), analyse(second), "duplicate")
    assert not confirms(analyse(first), analyse(second), "consistent")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # another place: one word in thirteen, similar enough, but the frame differs
        (
            "No arrests were made during the pension march in Brannoch on 17 March 2026.",
            "No arrests were made during the pension march in Eskhaven on 17 March 2026.",
        ),
        # another figure
        (
            "At least 22 people died in the Corran Dam flood in Aldmoor Province.",
            "At least 40 people died in the Corran Dam flood in Aldmoor Province.",
        ),
        # another date
        (
            "The bridge over the River Vell reopened to traffic on Monday after repairs.",
            "The bridge over the River Vell reopened to traffic on Tuesday after repairs.",
        ),
        # a negation
        (
            "The water authority said a defect was reported at the Corran Dam before the collapse.",
            "The water authority said no defect was reported at the Corran Dam before the collapse.",
        ),
        # one word replaced, whatever it is: a direction, a non-entity place word, a year
        (
            "The airline cancelled 120 flights from Velsund because of the storm.",
            "The airline cancelled 120 flights to Velsund because of the storm.",
        ),
        (
            "The strike closed every port on the east coast for two days.",
            "The strike closed every port on the west coast for two days.",
        ),
        (
            "The mayor said the bridge would reopen in April 2026.",
            "The mayor said the bridge would reopen in April 2027.",
        ),
        # the same frame, but not near-identical wording
        (
            "The bridge reopened on Monday after repairs costing 4 million euros.",
            "Officials said the bridge reopened Monday following repairs of 4 million euros.",
        ),
    ],
)
def test_anything_else_stays_a_suggestion(first: str, second: str) -> None:
    assert not auto_merge(analyse(first), analyse(second))
