"""analyse never raises and judge stays symmetric on arbitrary text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from claims.detection import analyse, judge

NEWSY = st.lists(
    st.sampled_from(
        [
            "about",
            "over",
            "3,000",
            "1.2",
            "billion",
            "no",
            "not",
            "killed",
            "wounded",
            "in",
            "the",
            "past",
            "week",
            "since",
            "October",
            "approved",
            "rejected",
            "$",
            "€",
            "%",
            "-",
            "half",
            "dozens",
            "of",
            "thirty-five",
            "a",
            "dozen",
            "61-39",
            "North",
            "Korean",
            "troops",
            "said",
            ",",
            ".",
            "#Tag",
            "@Handle",
        ]
    ),
    max_size=25,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
@example("N'T")  # a bare "n't" once made an empty token
def test_analyse_never_raises_on_any_text(text: str) -> None:
    feats = analyse(text)
    assert feats.text == text
    assert analyse(text) == feats


@settings(max_examples=150, deadline=None)
@given(NEWSY, NEWSY, st.floats(min_value=-1.0, max_value=1.0))
def test_judge_is_symmetric_and_bounded(a: str, b: str, similarity: float) -> None:
    fa, fb = analyse(a), analyse(b)
    out = judge(fa, fb, similarity)
    assert out == judge(fb, fa, similarity)
    assert out.relation in ("duplicate", "contradiction", "consistent", "unrelated")
    assert 0.0 <= out.score <= 1.0
    assert out.explanation
