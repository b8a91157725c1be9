"""Pure tests of annotations.anchoring: no database, no Django.

Run alone with: .venv/bin/python -m pytest tests/annotations/test_anchoring.py -q -p no:django --noconftest
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import (
    ACCEPT_THRESHOLD,
    CONTEXT_LENGTH,
    REVIEW_THRESHOLD,
    Anchor,
    AnchorError,
    AnchorResult,
    codepoint_to_utf16,
    reanchor,
    selectors_for,
    utf16_to_codepoint,
    validate_selection,
)

P1 = "Flooding closed the northern bridge in Varnholt on Monday, the regional water board said."
P2 = (
    "The army said 300 soldiers were killed on Monday near the river crossing at Kessel Bay. "
    "Officials confirmed the toll later in the evening, citing hospital records."
)
P3 = "The goverment said the ceasefire would hold until the talks resume in Orinth next week."
P4 = "Residents were not warned before the dam opened, according to three witnesses."
TEXT = "\n\n".join([P1, P2, P3, P4])

KILLED = "300 soldiers were killed on Monday"
CEASEFIRE = "The goverment said the ceasefire would hold"
WARNED = "were not warned before the dam opened"


def anchor_of(quote: str, text: str = TEXT, nth: int = 0) -> Anchor:
    at = -1
    for _ in range(nth + 1):
        at = text.index(quote, at + 1)
    return selectors_for(text, at, at + len(quote))


def span(result: AnchorResult) -> tuple[int, int, str] | None:
    return None if result.anchor is None else (result.anchor.start, result.anchor.end, result.anchor.exact)


# --------------------------------------------------------------------------------------------------
# Selectors


def test_selectors_for_takes_32_characters_of_context_and_less_at_the_edges() -> None:
    anchor = anchor_of(KILLED)
    assert anchor == Anchor(
        start=105,
        end=139,
        exact=KILLED,
        prefix="ater board said.\n\nThe army said ",
        suffix=" near the river crossing at Kess",
    )
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT_LENGTH
    first = selectors_for(TEXT, 0, 8)
    assert (first.exact, first.prefix, first.suffix) == ("Flooding", "", " closed the northern bridge in V")
    last = selectors_for(TEXT, len(TEXT) - 10, len(TEXT))
    assert (last.exact, last.prefix, last.suffix) == ("witnesses.", " dam opened, according to three ", "")
    assert selectors_for(TEXT, 10, 20, context=3).prefix == "g c"


def test_anchor_rejects_inconsistent_selectors() -> None:
    with pytest.raises(AnchorError, match="0 <= start < end"):
        Anchor(start=5, end=5, exact="")
    with pytest.raises(AnchorError, match="quote is 3 characters long but the span 0-4 is 4"):
        Anchor(start=0, end=4, exact="abc")
    with pytest.raises(AnchorError, match=r"not a non-empty range within the text \(4 characters\)"):
        selectors_for("abcd", 2, 9)


def test_result_invariants() -> None:
    anchor = anchor_of(KILLED)
    with pytest.raises(ValueError, match="orphan has no anchor"):
        AnchorResult("orphan", 0.1, anchor)
    with pytest.raises(ValueError, match="orphan has no anchor"):
        AnchorResult("needs_review", 0.6, None)
    with pytest.raises(ValueError, match=r"exact anchor has score 1\.0"):
        AnchorResult("exact", 0.99, anchor)
    with pytest.raises(ValueError, match="fuzzy anchor scores at least"):
        AnchorResult("fuzzy", ACCEPT_THRESHOLD - 0.01, anchor)
    with pytest.raises(ValueError, match="needs_review anchor scores below"):
        AnchorResult("needs_review", ACCEPT_THRESHOLD, anchor)
    assert 0 < REVIEW_THRESHOLD < ACCEPT_THRESHOLD < 1


# --------------------------------------------------------------------------------------------------
# Stage 1 and 2: exact position, exact quote


def test_unchanged_text_is_exact_at_the_same_place() -> None:
    anchor = anchor_of(KILLED)
    result = reanchor(anchor, TEXT)
    assert result == AnchorResult("exact", 1.0, anchor, "the quote is unchanged at its position")
    assert result.accepted


def test_text_inserted_before_the_quote_shifts_it() -> None:
    inserted = "Correction appended on Tuesday. "
    result = reanchor(anchor_of(KILLED), inserted + TEXT)
    assert (result.state, result.score, span(result)) == ("exact", 1.0, (137, 171, KILLED))
    assert result.anchor == selectors_for(inserted + TEXT, 137, 171)
    assert result.reason == "the quote moved"


def test_text_removed_before_the_quote_shifts_it() -> None:
    result = reanchor(anchor_of(WARNED), TEXT.replace(P1 + "\n\n", ""))
    assert (result.state, span(result)) == ("exact", (264, 301, WARNED))


def test_edit_right_next_to_the_quote_keeps_it_when_the_other_neighbour_is_intact() -> None:
    new = TEXT.replace("near the river crossing", "close to the river crossing")
    assert reanchor(anchor_of(KILLED), new) == AnchorResult(
        "exact", 1.0, selectors_for(new, 105, 139), "the quote is unchanged at its position"
    )


def test_quote_at_its_old_place_with_both_neighbours_changed_goes_to_review() -> None:
    quote = "soldiers were killed"
    new = TEXT.replace(
        "The army said 300 soldiers were killed on Monday", "The navy said 300 soldiers were killed on Sunday"
    )
    result = reanchor(anchor_of(quote), new)
    assert (result.state, span(result)) == ("needs_review", (109, 129, quote))
    # The same sentence with different neighbours (it stayed, the paragraphs around it changed) is kept.
    whole = "The army said 300 soldiers were killed on Monday near the river crossing at Kessel Bay."
    new = TEXT.replace("water board said.", "water board says.").replace(
        "Officials confirmed", "Officials estimated"
    )
    kept = reanchor(anchor_of(whole), new)
    assert (kept.state, span(kept), kept.reason) == (
        "exact",
        (91, 178, whole),
        "the quote is unchanged at its position",
    )


def test_moved_sentence_is_found_exactly() -> None:
    moved = "\n\n".join([P1, P4, P2, P3])
    whole = reanchor(anchor_of(P4), moved)
    assert (whole.state, span(whole)) == ("exact", (91, 169, P4))
    part = reanchor(anchor_of(WARNED), moved)
    assert (part.state, span(part)) == ("exact", (101, 138, WARNED))


def test_context_decides_between_copies_of_the_quote() -> None:
    text = "The mayor said the bridge was safe. Engineers said the bridge was safe, but a report disagreed."
    anchor = anchor_of("the bridge was safe", text, nth=1)
    new = "Update at noon. " + text
    result = reanchor(anchor, new)
    assert (result.state, span(result)) == ("exact", (67, 86, "the bridge was safe"))
    assert [new.index("the bridge was safe"), new.rindex("the bridge was safe")] == [31, 67]


def test_old_position_is_kept_when_an_identical_copy_appears_elsewhere() -> None:
    anchor = anchor_of(KILLED)
    result = reanchor(anchor, TEXT + "\n\nRepeated from above: " + P2)
    assert (result.state, span(result)) == ("exact", (105, 139, KILLED))


def test_copy_appended_after_the_last_sentence_takes_over_its_end_of_text_neighbour() -> None:
    # The last sentence had the end of the text after it; a copy appended after it now has that, the
    # original keeps its prefix: nothing tells them apart.
    result = reanchor(anchor_of(P4), TEXT + "\n\nRepeated from above: " + P4)
    assert result.state == "needs_review"
    assert span(result) == (345, 423, P4)  # the best guess is the original, nearer the old position
    assert result.reason == (
        "the quote occurs twice, and the copies at 345 and 446 fit its old context about equally well"
    )


def test_ambiguous_duplicates_go_to_review_with_the_nearest_copy_as_best_guess() -> None:
    quote = "the talks resume in Orinth"
    anchor = anchor_of(quote)
    new = "\n\n".join([P3, P1, P2, P3, P4])  # the paragraph now appears twice, both copies moved
    result = reanchor(anchor, new)
    assert result.state == "needs_review"
    assert (anchor.start, new.index(quote), new.rindex(quote)) == (306, 50, 395)
    assert span(result) == (395, 421, quote)  # the copy nearer the old position
    assert result.reason == (
        "the quote occurs twice, and the copies at 395 and 50 fit its old context about equally well"
    )
    assert result.score == 0.84


def test_lookalike_inserted_right_after_the_original_is_not_taken_for_it() -> None:
    # The lookalike sentence takes over the original's old neighbour after the quote, while the original
    # keeps the one before: only a reviewer can tell them apart.
    quote = "soldiers were killed on Monday near the river crossing at Kessel Bay."
    lookalike = " The navy said 300 soldiers were killed on Monday near the river crossing at Kessel Bay."
    new = "Live updates. " + TEXT.replace("Kessel Bay.", "Kessel Bay." + lookalike, 1)
    result = reanchor(anchor_of(quote), new)
    assert result.state == "needs_review"
    assert [new.index(quote), new.rindex(quote)] == [123, 211]
    assert span(result) == (211, 280, quote)  # the guess: the lookalike, whose context agrees a bit more
    unshifted = reanchor(anchor_of(quote), TEXT.replace("Kessel Bay.", "Kessel Bay." + lookalike, 1))
    assert unshifted.state == "needs_review"


def test_copy_with_a_changed_figure_next_to_the_quote_is_not_chosen() -> None:
    quote = "soldiers were killed on Monday"
    copy = "The army said 3,000 soldiers were killed on Monday near the river crossing at Kessel Bay. "
    new = "Live updates. " + TEXT.replace("Officials confirmed", copy + "Officials confirmed")
    result = reanchor(anchor_of(quote), new)
    assert (result.state, span(result)) == ("exact", (123, 153, quote))


# --------------------------------------------------------------------------------------------------
# Lookalikes: changed figures and negations are never accepted


@pytest.mark.parametrize(
    ("old", "new", "expected_span", "reason"),
    [
        ("300 soldiers", "3,000 soldiers", (105, 141), "figures changed: 300 → 3,000"),
        ("300 soldiers", "11,000 soldiers", (105, 142), "figures changed: 300 → 11,000"),
        ("Monday", "Tuesday", (105, 140), "words changed: “Monday” → “Tuesday”"),
        ("were killed", "were not killed", (105, 143), "negation changed: none → not"),
        ("were killed", "weren't killed", (105, 142), "negation changed: none → weren't"),
        ("killed", "wounded", (105, 140), "words changed: “killed” → “wounded”"),
    ],
)
def test_changed_meaning_inside_the_quote_goes_to_review(
    old: str, new: str, expected_span: tuple[int, int], reason: str
) -> None:
    new_text = TEXT.replace(KILLED, KILLED.replace(old, new))
    result = reanchor(anchor_of(KILLED), new_text)
    assert result.state == "needs_review"
    assert span(result) == (*expected_span, KILLED.replace(old, new))
    assert result.reason == reason
    assert REVIEW_THRESHOLD <= result.score < ACCEPT_THRESHOLD


def test_figure_change_scores_exactly() -> None:
    result = reanchor(anchor_of(KILLED), TEXT.replace("300", "3,000"))
    assert (result.state, result.score, span(result)) == (
        "needs_review",
        0.7567,
        (105, 141, "3,000 soldiers were killed on Monday"),
    )


def test_negation_flip_in_either_direction_goes_to_review() -> None:
    removed = reanchor(anchor_of(WARNED), TEXT.replace("were not warned", "were warned"))
    assert (removed.state, removed.reason) == ("needs_review", "negation changed: not → none")
    assert span(removed) == (355, 388, "were warned before the dam opened")
    never = reanchor(anchor_of(WARNED), TEXT.replace("not warned", "never warned"))
    assert (never.state, never.reason) == ("needs_review", "negation changed: not → never")
    quote = "the ceasefire would hold"
    prefixed = reanchor(anchor_of(quote), TEXT.replace("would hold", "would unlikely hold"))
    assert prefixed.state == "needs_review"
    negated_word = reanchor(
        anchor_of("hospital records"), TEXT.replace("hospital records", "nonhospital records")
    )
    assert negated_word.state == "needs_review"


def test_negation_by_affix_is_critical() -> None:
    text = "The minister said the plan was likely to pass before the summer recess in the capital."
    quote = "the plan was likely to pass"
    result = reanchor(anchor_of(quote, text), text.replace("likely", "unlikely"))
    assert (result.state, result.reason) == ("needs_review", "negation changed: “likely” → “unlikely”")


def test_figure_changed_just_outside_the_quote_goes_to_review() -> None:
    quote = "soldiers were killed on Monday"
    result = reanchor(anchor_of(quote), "Update. " + TEXT.replace("300", "3,000"))
    assert result.state == "needs_review"
    assert span(result) == (119, 149, quote)
    assert result.reason == "a figure or negation changed just before the quote: 300 → 3,000"


def test_number_that_now_continues_into_the_quote_is_a_changed_figure() -> None:
    result = reanchor(anchor_of("300 soldiers"), TEXT.replace("300 soldiers", "1,300 soldiers"))
    assert (result.state, span(result)) == ("needs_review", (105, 119, "1,300 soldiers"))
    assert result.reason == "figures changed: 300 → 1,300"


def test_lookalike_sentence_elsewhere_is_never_accepted_when_the_original_is_gone() -> None:
    lookalike = "The army said 300 soldiers were wounded on Monday near the river crossing at Kessel Bay."
    new = TEXT.replace(P2, "Officials confirmed the toll later.") + "\n\n" + lookalike
    result = reanchor(anchor_of(KILLED), new)
    assert result.state == "needs_review"
    assert span(result) == (
        new.index("300 soldiers were wounded"),
        new.index(" near the river"),
        KILLED.replace("killed", "wounded"),
    )
    assert result.reason == "words changed: “killed” → “wounded”"


def test_quote_edited_in_place_while_its_old_wording_survives_elsewhere_goes_to_review() -> None:
    old_sentence = "The army said 300 soldiers were killed on Monday near the river crossing at Kessel Bay."
    new = TEXT.replace("killed", "wounded") + "\n\n" + old_sentence
    result = reanchor(anchor_of(KILLED), new)
    assert (result.state, span(result)) == ("needs_review", (105, 140, "300 soldiers were wounded on Monday"))
    assert result.reason == (
        "the quote was edited where it stood (“killed” → “wounded”), and its old wording is found "
        "elsewhere (at 440)"
    )
    assert new.index(KILLED) == 440


def test_quote_found_only_in_a_different_sentence_is_not_accepted() -> None:
    quote = "were killed on Monday"
    new = TEXT.replace(P2, "Two guards were killed on Monday in a separate incident, police said.")
    result = reanchor(anchor_of(quote), new)
    assert (result.state, span(result)) == ("needs_review", (102, 123, quote))
    assert result.reason == "the quote is found elsewhere, but the sentence around it reads differently"


def test_lookalike_sharing_the_start_of_the_sentence_is_not_accepted() -> None:
    quote = "were killed on Monday"
    lookalike = "The army said 300 soldiers were killed on Monday in a separate incident, police said."
    new = "Update. " + TEXT.replace(P2, lookalike)
    result = reanchor(anchor_of(quote), new)
    assert (result.state, span(result)) == ("needs_review", (126, 147, quote))
    assert result.reason == "the quote is found elsewhere, but the sentence around it reads differently"
    # Where nothing before it moved, the old position with one old neighbour is taken as the same place.
    in_place = reanchor(anchor_of(quote), TEXT.replace(P2, lookalike))
    assert (in_place.state, span(in_place)) == ("exact", (118, 139, quote))


def test_quote_that_became_part_of_a_longer_word_goes_to_review() -> None:
    quote = "crossing at Kessel Bay"
    result = reanchor(anchor_of(quote), TEXT.replace("Kessel Bay.", "Kessel Bayside."))
    assert (result.state, span(result)) == ("needs_review", (155, 177, quote))
    assert result.reason.startswith("words changed: the end of the quote is now joined to a different word")


def test_old_text_reveals_a_twin_that_survived() -> None:
    twin = "Officials confirmed the toll later in the evening, citing hospital records."
    old = TEXT + "\n\n" + twin
    anchor = anchor_of(twin, old)  # the first copy, inside P2
    new = old.replace(P2 + "\n\n", "")  # the paragraph with the annotated copy is deleted
    without = reanchor(anchor, new)
    assert (without.state, span(without)) == ("exact", (new.index(twin), len(new), twin))
    with_old = reanchor(anchor, new, old)
    assert with_old.state == "needs_review"
    assert with_old.reason == "the old text had this passage twice; it cannot tell which of the two this was"
    assert reanchor(anchor, new, "unrelated text") == without  # a text the anchor was not made on is ignored


# --------------------------------------------------------------------------------------------------
# Stage 3: approximate matches


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("goverment", "government", "The government said the ceasefire would hold"),
        ("ceasefire", "cease-fire", "The goverment said the cease-fire would hold"),
        ("ceasefire", "cease fire", "The goverment said the cease fire would hold"),
        ("said the", "said, the", "The goverment said, the ceasefire would hold"),
        ("said the ceasefire", "said the the ceasefire", "The goverment said the the ceasefire would hold"),
        ("The goverment said", "The Goverment said", "The Goverment said the ceasefire would hold"),
    ],
)
def test_small_edit_inside_the_quote_is_fuzzy_with_the_new_span(old: str, new: str, expected: str) -> None:
    new_text = TEXT.replace(old, new, 1)
    result = reanchor(anchor_of(CEASEFIRE), new_text)
    assert result.state == "fuzzy"
    assert span(result) == (256, 256 + len(expected), expected)
    assert result.score >= ACCEPT_THRESHOLD
    assert result.reason == "the quote was lightly edited"


def test_small_edit_and_text_inserted_before() -> None:
    new_text = "Update: talks stalled. " + TEXT.replace("goverment", "government")
    result = reanchor(anchor_of(CEASEFIRE), new_text)
    expected = "The government said the ceasefire would hold"
    assert (result.state, result.score, span(result)) == ("fuzzy", 0.9812, (279, 323, expected))
    assert new_text.index(expected) == 279


def test_typo_fix_inside_a_moved_sentence_is_left_for_review_with_the_right_guess() -> None:
    new_text = "\n\n".join([P3.replace("goverment", "government"), P1, P2, P4])
    result = reanchor(anchor_of(CEASEFIRE), new_text)
    assert (result.state, result.score, result.reason) == (
        "needs_review",
        0.776,
        "the passage changed around the quote",
    )
    assert span(result) == (0, 44, "The government said the ceasefire would hold")


def test_long_quote_over_two_paragraphs() -> None:
    quote = P2 + "\n\n" + P3  # longer than the search probes: found by its start, middle and end
    anchor = anchor_of(quote)
    edited = TEXT.replace("goverment", "government").replace("Officials confirmed", "Oficials confirmed")
    new = "Update: the toll rose. " + edited
    result = reanchor(anchor, new)
    expected = quote.replace("goverment", "government").replace("Officials", "Oficials")
    assert (result.state, result.score, span(result)) == ("fuzzy", 0.9901, (114, 366, expected))
    changed = reanchor(anchor, new.replace("300", "3,000"))
    assert (changed.state, changed.reason) == ("needs_review", "figures changed: 300 → 3,000")
    assert span(changed) == (114, 368, expected.replace("300", "3,000"))
    assert reanchor(anchor, TEXT.replace(quote + "\n\n", "")).state == "orphan"


def test_short_word_changes_are_not_typo_fixes() -> None:
    text = "The council said the port would rise its fees by a tenth in the coming months, officials said."
    quote = "the port would rise its fees"
    result = reanchor(anchor_of(quote, text), text.replace("rise", "rose"))
    assert (result.state, result.reason) == ("needs_review", "words changed: “rise” → “rose”")


def test_article_dropped_at_the_edge_of_the_quote_is_not_light() -> None:
    quote = "the ceasefire would hold"
    result = reanchor(anchor_of(quote), TEXT.replace("said the ceasefire", "said our ceasefire"))
    assert result.state == "needs_review"
    assert span(result) == (275, 299, "our ceasefire would hold")
    assert result.reason == "words changed: “the” → “our”"


def test_deleted_passage_is_an_orphan() -> None:
    result = reanchor(anchor_of(CEASEFIRE), TEXT.replace(P3 + "\n\n", ""))
    assert result == AnchorResult("orphan", 0.2341, None, "no passage resembles the quote closely enough")


def test_everything_deleted_is_an_orphan() -> None:
    assert reanchor(anchor_of(CEASEFIRE), "") == AnchorResult(
        "orphan", 0.0, None, "no passage resembling the quote was found"
    )


def test_quote_longer_than_the_new_text() -> None:
    result = reanchor(anchor_of(P2), "The army said 300 soldiers were killed.")
    assert result.state in {"needs_review", "orphan"}


def test_deterministic() -> None:
    new_text = "Update. " + TEXT.replace("goverment", "government").replace("300", "3,000")
    anchors = [anchor_of(q) for q in (KILLED, CEASEFIRE, WARNED, P1)]
    assert [reanchor(a, new_text) for a in anchors] == [reanchor(a, new_text) for a in anchors]


# --------------------------------------------------------------------------------------------------
# Unicode: code point offsets, emoji, combining marks, CJK, UTF-16 at the API edge

EMOJI_TEXT = "Fans 🎉 cheered. The mayor 👩‍👩‍👧 said the bridge reopens on Friday, to applause 👏🏽."
COMBINING_TEXT = "The village of Q\u0307arn said the weir held. Officials in Q\u0307arn disagreed strongly."
CJK_TEXT = "東浜の市長は、橋は金曜日に再開すると述べた。住民は歓迎した。"


def test_offsets_are_code_points_with_astral_emoji() -> None:
    quote = "said the bridge reopens on Friday"
    anchor = anchor_of(quote, EMOJI_TEXT)
    assert (anchor.start, anchor.end) == (32, 65)
    assert codepoint_to_utf16(EMOJI_TEXT, anchor.start) == 36  # 🎉 and three in the family: 4 surrogate pairs
    assert anchor.prefix == "Fans 🎉 cheered. The mayor 👩\u200d👩\u200d👧 "  # 32 code points
    new = "🚨🚨 " + EMOJI_TEXT
    result = reanchor(anchor, new)
    assert (result.state, span(result)) == ("exact", (35, 68, quote))
    assert new[35:68] == quote


def test_offsets_are_code_points_with_combining_marks() -> None:
    quote = "Q\u0307arn said the weir held"
    anchor = anchor_of(quote, COMBINING_TEXT)
    assert (anchor.start, anchor.end, len(quote)) == (15, 39, 24)
    new = "Q\u0307uick note. " + COMBINING_TEXT
    result = reanchor(anchor, new)
    assert (result.state, span(result)) == ("exact", (28, 52, quote))


def test_offsets_in_cjk_text() -> None:
    quote = "橋は金曜日に再開する"
    anchor = anchor_of(quote, CJK_TEXT)
    assert (anchor.start, anchor.end) == (7, 17)
    result = reanchor(anchor, "速報。" + CJK_TEXT)
    assert (result.state, span(result)) == ("exact", (10, 20, quote))
    edited = reanchor(anchor, CJK_TEXT.replace("金曜日", "土曜日"))  # Friday -> Saturday: one character
    assert (edited.state, edited.reason) == ("needs_review", "words changed: “金” → “土”")
    assert span(edited) == (7, 17, "橋は土曜日に再開する")


def test_utf16_conversion_exact_values() -> None:
    # 🎉 is code point 5 (two UTF-16 units); the family emoji starts at 26: 👩 ZWJ 👩 ZWJ 👧.
    assert [codepoint_to_utf16(EMOJI_TEXT, i) for i in (0, 5, 6, 7, 26, 27, 32)] == [0, 5, 7, 8, 27, 29, 36]
    assert [utf16_to_codepoint(EMOJI_TEXT, u) for u in (0, 5, 7, 8, 27, 29, 36)] == [0, 5, 6, 7, 26, 27, 32]
    assert codepoint_to_utf16(EMOJI_TEXT, len(EMOJI_TEXT)) == len(EMOJI_TEXT.encode("utf-16-le")) // 2
    assert codepoint_to_utf16(CJK_TEXT, 10) == 10
    assert codepoint_to_utf16(COMBINING_TEXT, 17) == 17


@pytest.mark.parametrize("text", [EMOJI_TEXT, COMBINING_TEXT, CJK_TEXT, "", "a\U0001f600"])
def test_utf16_conversion_round_trips(text: str) -> None:
    for index in range(len(text) + 1):
        assert utf16_to_codepoint(text, codepoint_to_utf16(text, index)) == index
    units = len(text.encode("utf-16-le")) // 2
    inside_pairs = {codepoint_to_utf16(text, i) + 1 for i, ch in enumerate(text) if ord(ch) > 0xFFFF}
    for unit in set(range(units + 1)) - inside_pairs:
        assert codepoint_to_utf16(text, utf16_to_codepoint(text, unit)) == unit


def test_utf16_errors() -> None:
    with pytest.raises(AnchorError, match="between the two halves of a surrogate pair"):
        utf16_to_codepoint(EMOJI_TEXT, 6)
    with pytest.raises(
        AnchorError, match="UTF-16 offset 99 is out of range: the text has 88 UTF-16 code units"
    ):
        utf16_to_codepoint(EMOJI_TEXT, 99)
    with pytest.raises(AnchorError, match="offset -1 is out of range: the text has 82 characters"):
        codepoint_to_utf16(EMOJI_TEXT, -1)
    with pytest.raises(AnchorError, match="offset 83 is out of range"):
        codepoint_to_utf16(EMOJI_TEXT, 83)


# --------------------------------------------------------------------------------------------------
# Validation of a client's selection


def validate(**kwargs: object) -> Anchor:
    values: dict[str, object] = {"start": None, "end": None, "exact": None, "prefix": None, "suffix": None}
    values.update(kwargs)
    return validate_selection(TEXT, max_length=200, **values)  # type: ignore[arg-type]


def test_validation_accepts_either_selector_and_both_when_they_agree() -> None:
    expected = anchor_of(KILLED)
    assert validate(start=105, end=139) == expected
    assert validate(exact=KILLED) == expected
    assert validate(start=105, end=139, exact=KILLED, prefix="The army said ", suffix=" near") == expected
    assert validate(exact="the", prefix="bridge in Varnholt on Monday, ") == selectors_for(TEXT, 59, 62)
    assert validate(exact="the", suffix=" talks") == selectors_for(TEXT, 306, 309)
    assert validate(exact="the", prefix="said ", suffix=" ceasefire") == selectors_for(TEXT, 275, 278)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"start": 105, "end": 139, "exact": "300 soldiers were wounded"},
            "position 105-139 does not match the quote: the text there is "
            "“300 soldiers were killed on Monday” but the quote is “300 soldiers were wounded”",
        ),
        ({"start": 40, "end": 40}, "the selection 40-40 is empty: select at least one character"),
        ({"exact": ""}, "the quote is empty: select at least one character"),
        ({"start": 40, "end": 30}, "position 40-30 ends before it starts"),
        (
            {"start": 10, "end": 999},
            "position 10-999 is out of range: the text has 423 characters (valid offsets are 0 to 423)",
        ),
        (
            {"start": -1, "end": 5},
            "position -1-5 is out of range: the text has 423 characters (valid offsets are 0 to 423)",
        ),
        ({"start": 3}, "the position needs both start and end; end is missing"),
        ({"end": 3}, "the position needs both start and end; start is missing"),
        ({}, "give the position (start and end) or the quoted text (exact) of the selection"),
        (
            {"exact": "soldiers were slain"},
            "the quote “soldiers were slain” occurs nowhere in the text (it must match the article text "
            "character for character)",
        ),
        (
            {"exact": "on Monday"},
            "the quote “on Monday” is ambiguous: it occurs twice; give a prefix or suffix, or the position "
            "(start and end)",
        ),
        (
            {"exact": "the"},
            "the quote “the” is ambiguous: it occurs 9 times; give a prefix or suffix, or the position "
            "(start and end)",
        ),
        (
            {"exact": "the", "prefix": "ed "},
            "the quote “the” occurs 9 times and still twice with the given prefix and suffix: give a "
            "longer prefix or suffix, or the position (start and end)",
        ),
        (
            {"exact": "the", "prefix": "zebra "},
            "the quote “the” occurs 9 times but never with the given prefix and suffix",
        ),
        (
            {"start": 105, "end": 139, "prefix": "The navy said "},
            "the prefix does not match the text before position 105: the text there is “The army said ” but "
            "the prefix is “The navy said ”",
        ),
        (
            {"start": 105, "end": 139, "suffix": " far from"},
            "the suffix does not match the text after position 139: the text there is “ near the” but the "
            "suffix is “ far from”",
        ),
        ({"start": 0, "end": 201}, "the selection is 201 characters long; the maximum is 200"),
        ({"exact": P2}, "the selection is 163 characters long; the maximum is 100"),
    ],
)
def test_validation_errors(kwargs: dict[str, object], message: str) -> None:
    if kwargs == {"exact": P2}:
        with pytest.raises(AnchorError) as error:
            validate_selection(TEXT, start=None, end=None, exact=P2, prefix=None, suffix=None, max_length=100)
        assert str(error.value) == message
        return
    with pytest.raises(AnchorError) as error:
        validate(**kwargs)
    assert str(error.value) == message


def test_validation_rejects_a_boundary_inside_a_character() -> None:
    start = COMBINING_TEXT.index("\u0307")  # between Q and its combining dot
    with pytest.raises(AnchorError) as error:
        validate_selection(
            COMBINING_TEXT, start=start, end=start + 4, exact=None, prefix=None, suffix=None, max_length=50
        )
    assert str(error.value) == (
        f"offset {start} falls inside a character (between a letter or emoji and the mark or joiner that "
        "belongs to it): move the selection boundary"
    )
    family = EMOJI_TEXT.index("\u200d")
    with pytest.raises(AnchorError, match="falls inside a character"):
        validate_selection(
            EMOJI_TEXT, start=family, end=family + 3, exact=None, prefix=None, suffix=None, max_length=50
        )


def test_validation_shortens_a_long_quote_in_messages() -> None:
    long_quote = "x" * 200
    with pytest.raises(AnchorError) as error:
        validate(exact=long_quote)
    assert str(error.value).startswith("the quote “" + "x" * 79 + "…” occurs nowhere")


# --------------------------------------------------------------------------------------------------
# Properties

WORDS = st.text(alphabet="abcdefgé中😀", min_size=1, max_size=7)
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "\n\n"])


@st.composite
def texts_with_quote(draw: st.DrawFn) -> tuple[str, int, int]:
    words = draw(st.lists(WORDS, min_size=8, max_size=60))
    seps = draw(st.lists(SEPARATORS, min_size=len(words) - 1, max_size=len(words) - 1))
    pieces = [words[0]]
    for sep, word in zip(seps, words[1:], strict=True):
        pieces.extend([sep, word])
    text = "".join(pieces)
    first = draw(st.integers(0, len(words) - 1))
    last = draw(st.integers(first, min(len(words) - 1, first + 6)))
    start = sum(len(p) for p in pieces[: 2 * first])
    end = sum(len(p) for p in pieces[: 2 * last + 1])
    return text, start, end


EDIT = st.tuples(
    st.sampled_from(["insert", "delete"]),
    st.booleans(),  # before the quote, or after it
    st.floats(0, 1),  # where in that region
    st.text(alphabet="xyz 19", min_size=1, max_size=12),  # what is inserted (between spaces)
    st.integers(1, 15),  # how much is deleted
)


def apply_edits(
    text: str, start: int, end: int, edits: list[tuple[str, bool, float, str, int]], margin: int
) -> tuple[str, int]:
    """Apply edits that keep ``margin`` characters either side of text[start:end] intact; return the new
    text and how far the quote shifted."""
    shift = 0
    for kind, before, where, payload, length in edits:
        if before:
            low, high = 0, start + shift - margin  # the edit must end at or before ``high``
        else:
            low, high = end + shift + margin, len(text)
        if high < low:
            continue
        at = low + round(where * (high - low))
        if kind == "insert":
            text = text[:at] + " " + payload + " " + text[at:]
            delta = len(payload) + 2
        else:
            cut = min(length, high - at)
            if cut <= 0:
                continue
            text = text[:at] + text[at + cut :]
            delta = -cut
        if before:
            shift += delta
    return text, shift


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_quote(), st.lists(EDIT, min_size=1, max_size=6))
def test_edits_outside_the_quote_and_its_context_give_an_exact_shifted_span(
    case: tuple[str, int, int], edits: list[tuple[str, bool, float, str, int]]
) -> None:
    text, start, end = case
    quote = text[start:end]
    new_text, shift = apply_edits(text, start, end, edits, margin=CONTEXT_LENGTH + 1)
    assume(text.count(quote) == 1 and new_text.count(quote) == 1)
    assert new_text[start + shift : end + shift] == quote
    anchor = selectors_for(text, start, end)
    for old in (None, text):
        result = reanchor(anchor, new_text, old)
        assert result.state == "exact", (result, new_text)
        assert span(result) == (start + shift, end + shift, quote)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(texts_with_quote(), st.lists(EDIT, min_size=1, max_size=6))
def test_edits_anywhere_outside_the_quote_never_give_a_wrong_accepted_anchor(
    case: tuple[str, int, int], edits: list[tuple[str, bool, float, str, int]]
) -> None:
    text, start, end = case
    quote = text[start:end]
    new_text, shift = apply_edits(text, start, end, edits, margin=0)
    assume(text.count(quote) == 1 and new_text.count(quote) == 1)
    assume(new_text[start + shift : end + shift] == quote)
    result = reanchor(selectors_for(text, start, end), new_text, text)
    if result.accepted:
        assert span(result) == (start + shift, end + shift, quote)
    assert result.state != "orphan"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(min_size=0, max_size=40), st.integers(0, 45))
def test_utf16_round_trip_property(text: str, index: int) -> None:
    assume(not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text))
    index = min(index, len(text))
    assert utf16_to_codepoint(text, codepoint_to_utf16(text, index)) == index


def test_anchor_is_frozen() -> None:
    anchor = anchor_of(KILLED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        anchor.start = 3  # type: ignore[misc]
