"""The automatic-merge rule: near-identical text and the same frame, nothing less."""

from __future__ import annotations

import pytest

from claims.detection import analyse
from claims.detection.merging import auto_merge, confirms, content_tokens, same_content, token_similarity


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


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # an attribution added at the end, the year left out
        (
            "The port board approved the dredging plan by 7 votes to 2 on 14 May 2026.",
            "The port board approved the dredging plan by 7 votes to 2 on 14 May, an aide told reporters.",
        ),
        # "according to" against a trailing "police said"
        (
            "According to the ministry, 35 people were arrested in Valdora on Saturday.",
            "35 people were arrested in Valdora on Saturday, police said.",
        ),
        # two speakers, one claim
        (
            "The ferry service to Skarholm will stop in June, the mayor said again on Tuesday.",
            "The ferry service to Skarholm will stop in June, said Elin Dahl, the operator's director.",
        ),
    ],
)
def test_the_same_claim_whoever_is_quoted_has_the_same_content_but_is_not_merged(
    first: str, second: str
) -> None:
    a, b = analyse(first), analyse(second)
    assert same_content(a, b)
    assert same_content(b, a)
    assert not auto_merge(a, b)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # another place, a negation, a replaced word: attributions aside, the claims differ
        (
            "35 people were arrested in Valdora on Saturday, police said.",
            "35 people were arrested in Brannoch on Saturday.",
        ),
        (
            "The ferry service to Skarholm will stop in June, the mayor said.",
            "The ferry service to Skarholm will not stop in June.",
        ),
        (
            "The strike closed every port on the east coast for two days, the union said.",
            "The strike closed every port on the west coast for two days.",
        ),
        # a denial is no attribution: it says the opposite
        (
            "The harbour board denied that the ferry pier had closed.",
            "The ferry pier had closed.",
        ),
        # words added beyond a tenth of the claim
        (
            "The ferry pier closed on Tuesday.",
            "The old wooden ferry pier closed for good on Tuesday.",
        ),
    ],
)
def test_content_that_differs_once_attributions_are_left_out_is_not_the_same(first: str, second: str) -> None:
    assert not same_content(analyse(first), analyse(second))


def test_content_tokens_leave_out_the_attribution_clause() -> None:
    said = analyse("The ferry pier closed on Tuesday, a harbour spokesman told reporters.")
    assert content_tokens(said) == ("the", "ferry", "pier", "closed", "on", "tuesday")
    plain = analyse("The ferry pier closed on Tuesday.")
    assert content_tokens(plain) == ("the", "ferry", "pier", "closed", "on", "tuesday")
