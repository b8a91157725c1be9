"""Mention parsing is pure: no database."""

from __future__ import annotations

import pytest

from claims.mentions import MAX_MENTIONS, Mention, mention_names, mentions_find


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@erin-editor please check", ["erin-editor"]),
        ("ask @ana.b, then @erin.", ["ana.b", "erin"]),
        ("mail ana@example.org about it", []),
        ("@a @b @a", ["a", "b"]),
        ("(@eddie_editor)", ["eddie_editor"]),
        ("an @ alone and @@twice", []),
        ("", []),
    ],
)
def test_mention_names(text: str, names: list[str]) -> None:
    assert mention_names(text) == names


def test_mentions_carry_code_point_offsets_of_the_at_sign_and_name() -> None:
    # given text with a character outside the BMP before the mention
    text = "🙂 @erin!"
    # when / then
    assert mentions_find(text) == [Mention(2, 7, "erin")]


def test_at_most_max_mentions_names_are_kept() -> None:
    text = " ".join(f"@user{index}" for index in range(MAX_MENTIONS + 5))
    assert mention_names(text) == [f"user{index}" for index in range(MAX_MENTIONS)]
