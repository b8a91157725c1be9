"""Pairwise judgement on the product issue's own examples, symmetry and explanations.

Similarities are fixed numbers of the order the wordllama embedder gives for such pairs, so the
tests need no model files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.detection import (
    CONFIRM_THRESHOLD,
    SUGGEST_THRESHOLD,
    Judgement,
    analyse,
    judge,
    match_relation,
)
from claims.detection.figures import compare_figures
from claims.detection.judgement import duplicate_features
from claims.detection.outcomes import unify_opposite_words

PAIRS = Path(__file__).resolve().parents[2] / "data" / "detection_pairs.jsonl"


def j(a: str, b: str, similarity: float = 0.7) -> Judgement:
    """The rules alone: these tests pin their reasons and scores; the calibrated last step that
    confirms, vetoes or promotes them is tested in ``test_calibration.py``."""
    return judge(analyse(a), analyse(b), similarity, calibrated=False)


# --- the examples, verbatim ---------------------------------------------------------
def test_duplicate_suicide_paraphrase() -> None:
    out = j(
        "Some of the deployed troops committed suicide rather than surrender.",
        "Some of the deployed troops took their own lives rather than surrendering.",
        0.84,
    )
    assert out.relation == "duplicate"
    assert out.score >= SUGGEST_THRESHOLD


def test_duplicate_hedged_figures_that_agree() -> None:
    out = j("an estimated 11,000 deployed", "over 11,000 engaged in combat", 0.28)
    assert out.relation == "duplicate"
    assert (
        out.explanation == 'Same claim, same figures: "an estimated 11,000" deployed ~ "over 11,000" engaged'
    )
    # figures are hedged differently, so never auto-confirmed
    assert out.score < CONFIRM_THRESHOLD


def test_conflicting_figures_for_the_same_measure() -> None:
    out = j("about 3,000 sent", "over 11,000 deployed", 0.21)
    assert out.relation == "contradiction"
    assert out.explanation == 'Figures conflict: "about 3,000" sent vs "over 11,000" deployed'


def test_conflicting_troop_figures_in_full_sentences() -> None:
    out = j(
        "About 3,000 North Korean troops were sent to Russia.",
        "Over 11,000 North Korean troops have been deployed to Russia.",
        0.9,
    )
    assert out.relation == "contradiction"
    assert out.explanation == 'Figures conflict: "About 3,000" troops sent vs "Over 11,000" troops deployed'


def test_deaths_exceeding_casualties_for_the_same_window() -> None:
    out = j("more than 1,000 died in the past week", "about 1,000 casualties in the past week", 0.59)
    assert out.relation == "contradiction"
    assert out.explanation == 'Part exceeds total: "more than 1,000" died vs "about 1,000" casualties'


def test_opposite_outcomes_approved_rejected() -> None:
    out = j(
        "The city council approved the stadium plan.", "The city council rejected the stadium plan.", 0.74
    )
    assert out.relation == "contradiction"
    assert out.explanation == 'Opposite outcomes: "approved" vs "rejected" (same body council)'


def test_no_arrests_against_35_arrested() -> None:
    out = j("no arrests", "35 arrested", 0.62)
    assert out.relation == "contradiction"
    assert out.explanation == 'Figures conflict: "35" arrested vs "no arrests"'


def test_parts_agree_with_total() -> None:
    out = j("300 killed and 2,700 injured", "at least 3,000 killed or wounded", 0.81)
    assert out.relation == "consistent"
    assert out.explanation == (
        'Consistent: figures agree: "300" killed + "2,700" injured = "at least 3,000" killed or wounded'
    )


def test_parts_that_do_not_add_up_conflict() -> None:
    out = j("300 killed and 2,700 injured", "at least 5,000 killed or wounded", 0.81)
    assert out.relation == "contradiction"
    assert out.explanation.startswith('Parts do not add up: "300" killed + "2,700" injured')


def test_weekly_figure_does_not_contradict_cumulative() -> None:
    out = j(
        "More than 1,000 North Korean soldiers were killed or wounded in the past week.",
        "North Korean troops have suffered about 3,000 casualties since they arrived in Kursk.",
        0.62,
    )
    assert out.relation == "consistent"
    assert "different time windows" in out.explanation
    assert '"More than 1,000"' in out.explanation
    assert '"about 3,000"' in out.explanation


def test_weekly_figure_above_the_total_is_a_conflict() -> None:
    out = j(
        "More than 5,000 North Korean soldiers were killed or wounded in the past week.",
        "North Korean troops have suffered about 3,000 casualties since they arrived in Kursk.",
        0.62,
    )
    assert out.relation == "contradiction"
    assert out.explanation.startswith("Shorter-window figure exceeds total")


def test_killed_and_wounded_are_different_measures() -> None:
    out = j(
        "Around 300 North Korean soldiers have been killed.",
        "Around 2,700 North Korean soldiers have been wounded.",
        0.9,
    )
    assert out.relation == "consistent"
    assert (
        out.explanation
        == 'Consistent: different measures: "Around 2,700" soldiers wounded vs "Around 300" soldiers killed'
    )


def test_different_subjects_are_not_in_conflict() -> None:
    out = j(
        "Rebel forces lost 400 fighters in the battle for Sorn.",
        "Government troops lost 150 soldiers in the battle for Sorn.",
        0.8,
    )
    assert out.relation == "consistent"
    assert "different subjects" in out.explanation
    assert j("Oil prices rose on Monday.", "Gold prices fell on Monday.", 0.8).relation == "consistent"
    assert (
        j(
            "The Unity Party won the election in Brevia.",
            "The Labour Front lost the election in Brevia.",
            0.7,
        ).relation
        == "consistent"
    )


def test_negation_of_the_same_statement() -> None:
    out = j(
        "The mayor attended the memorial ceremony on Sunday.",
        "The mayor did not attend the memorial ceremony on Sunday.",
        0.93,
    )
    assert out.relation == "contradiction"
    assert out.explanation == 'Negation: "did not attend" vs "attended" (same event "attend")'


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The ruling Unity Party won the election in Brevia.",
            "The ruling Unity Party lost the election in Brevia.",
        ),
        (
            "The ministry confirmed that the minister had met the lobbyists.",
            "The ministry denied that the minister had met the lobbyists.",
        ),
        (
            "Oil prices rose on Monday after the pipeline outage.",
            "Oil prices fell on Monday despite the pipeline outage.",
        ),
    ],
)
def test_antonyms(a: str, b: str) -> None:
    assert j(a, b, 0.85).relation == "contradiction"


def test_unrelated_claims() -> None:
    out = j(
        "The central bank kept its main interest rate unchanged at 3.5%.",
        "A rare white rhino calf was born at Kelby zoo.",
        0.05,
    )
    assert out.relation == "unrelated"
    assert match_relation(out) == "related"


def test_match_relation_maps_relations() -> None:
    assert match_relation(Judgement("duplicate", 0.9, "x")) == "duplicate"
    assert match_relation(Judgement("contradiction", 0.9, "x")) == "contradiction"
    assert match_relation(Judgement("consistent", 0.9, "x")) == "related"


def test_confirmed_duplicates_have_identical_figures() -> None:
    same = j(
        "Police arrested 35 people in Valdora on Saturday.",
        "Police arrested 35 people in Valdora on Saturday.",
        1.0,
    )
    assert same.relation == "duplicate"
    assert same.score >= CONFIRM_THRESHOLD
    hedged = j(
        "Police arrested 35 people in Valdora on Saturday.",
        "Police arrested about 35 people in Valdora on Saturday.",
        1.0,
    )
    assert hedged.relation == "duplicate"
    assert hedged.score < CONFIRM_THRESHOLD


def _dataset() -> list[dict[str, str]]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_judging_is_symmetric_and_deterministic() -> None:
    for row in _dataset():
        a, b = analyse(row["a"]), analyse(row["b"])
        for sim in (0.2, 0.6, 0.9):
            forward = judge(a, b, sim)
            assert forward == judge(b, a, sim)
            assert forward == judge(analyse(row["a"]), analyse(row["b"]), sim)
            assert 0.0 <= forward.score <= 1.0


def test_explanations_quote_figures_from_both_claims() -> None:
    for row in _dataset():
        out = judge(analyse(row["a"]), analyse(row["b"]), 0.8)
        if out.explanation.startswith(("Figures conflict", "Part exceeds", "Parts do not")):
            quoted = out.explanation.split('"')[1::2]
            assert any(q in row["a"] for q in quoted), (out, row)
            assert any(q in row["b"] for q in quoted), (out, row)


def test_handwritten_set_shape() -> None:
    rows = _dataset()
    labels = [r["label"] for r in rows]
    assert len(rows) >= 150
    assert set(labels) == {"duplicate", "contradiction", "consistent", "unrelated"}
    assert min(labels.count(x) for x in set(labels)) >= 30
    assert len({(r["a"], r["b"]) for r in rows}) == len(rows)


# --- readers feeding the judge (sentences written for these tests) ---------------------------
def test_parts_that_add_up_to_the_total_are_consistent_not_a_conflict() -> None:
    out = j(
        "Floods killed 11 people in Dravo county on Monday.",
        "Floods killed 4 people in northern Dravo county and 7 in the south on Monday.",
        0.85,
    )
    assert out.relation == "consistent", out
    assert "=" in out.explanation


def test_parts_that_do_not_add_up_still_conflict_with_the_total() -> None:
    out = j(
        "Floods killed 11 people in Dravo county on Monday.",
        "Floods killed 9 people in Dravo county on Monday.",
        0.9,
    )
    assert out.relation == "contradiction"


def test_a_part_is_never_a_contradiction_of_its_whole() -> None:
    out = j(
        "The landslide killed 12 people in Vesk valley on Friday.",
        "Three of the people killed by the landslide in Vesk valley were children.",
        0.75,
    )
    assert out.relation != "contradiction", out


def test_a_part_larger_than_its_whole_is_a_contradiction() -> None:
    out = j(
        "The landslide killed 12 people in Vesk valley on Friday.",
        "Fifteen of the people killed by the landslide in Vesk valley on Friday were children.",
        0.75,
    )
    assert out.relation == "contradiction", out


def test_units_and_fractions_read_as_one_quantity_make_duplicates() -> None:
    out = j(
        "The wildfire near Pell burned 500 hectares.", "The wildfire near Pell burned about 1,240 acres.", 0.9
    )
    assert out.relation == "duplicate", out
    out = j("Rents in Pell fell by a quarter in 2025.", "Rents in Pell fell 25 percent in 2025.", 0.9)
    assert out.relation == "duplicate", out


def test_a_figure_with_its_unit_abbreviated_makes_a_duplicate() -> None:
    out = j(
        "The Pell river peaked at 4.8 metres on Monday.", "On Monday the Pell river peaked at 4.8 m.", 0.85
    )
    assert out.relation == "duplicate", out
    out = j(
        "The Pell river peaked at 4.8 metres on Monday.", "On Monday the Pell river peaked at 3.1 m.", 0.85
    )
    assert out.relation == "contradiction", out


@pytest.mark.parametrize(
    ("count", "share"),
    [
        (
            "The Pell mill will lay off 90 of its 1,500 workers.",
            "Six percent of the Pell mill's workers will be laid off.",
        ),
        ("The Pell mill will lay off 90 of 1,500 workers.", "The Pell mill will lay off 6 % of its workers."),
        (
            "Pell council will close 30 of its 120 libraries.",
            "Pell council will close one in four of its libraries.",
        ),
        (
            "Pell council will close 30 out of 120 libraries.",
            "Pell council will close a quarter of its libraries.",
        ),
    ],
)
def test_a_count_out_of_a_total_is_the_percentage_it_makes(count: str, share: str) -> None:
    out = j(count, share, 0.75)
    assert out.relation == "duplicate", out
    assert "%" in out.explanation  # the share is quoted as the count's percentage


@pytest.mark.parametrize(
    "share",
    [
        "Twenty percent of the Pell mill's workers will be laid off.",
        "The Pell mill will lay off 2 % of its workers.",
    ],
)
def test_a_count_out_of_a_total_is_not_a_duplicate_of_another_percentage(share: str) -> None:
    out = j("The Pell mill will lay off 90 of its 1,500 workers.", share, 0.75)
    assert out.relation != "duplicate", out


def test_a_share_conflicts_only_where_two_percentages_would() -> None:
    count = "The Pell mill laid off 90 out of 1,500 workers."
    # a share of the whole ("of its workers") against another share of it: two parts, no conflict,
    # just as "6 % of its workers" / "20 % of its workers" are
    share_of_whole = "The Pell mill laid off 20 percent of its workers."
    assert j(count, share_of_whole, 0.75).relation == "consistent"
    assert j("The Pell mill laid off 6 % of its workers.", share_of_whole, 0.75).relation == "consistent"
    # a part larger than a plain percentage is a conflict, for a share as for a percentage
    plain = "The Pell mill laid off 2 percent of workers."
    assert j("The Pell mill laid off 6 % of the workers.", plain, 0.75).relation == "contradiction"
    assert j(count, plain, 0.75).relation == "contradiction"


def test_doubled_to_a_figure_is_twice_the_old_figure() -> None:
    out = j(
        "Burglaries in Pell doubled to 260 this year.",
        "Pell recorded 260 burglaries this year, twice last year's total.",
        0.7,
    )
    assert out.relation == "duplicate", out
    assert out.score < CONFIRM_THRESHOLD


def test_a_cut_by_a_third_conflicts_with_a_fall_of_a_fifth() -> None:
    out = j("Pell cut its water use by a third in 2025.", "Pell's water use fell about 20 % in 2025.", 0.8)
    assert out.relation == "contradiction", out


def test_opposite_outcome_words_conflict_without_any_negation() -> None:
    out = j(
        "A Pell jury convicted the treasurer of fraud.", "A Pell jury acquitted the treasurer of fraud.", 0.9
    )
    assert out.relation == "contradiction", out
    out = j(
        "The chemical plant fire in Pell is under control.",
        "The chemical plant fire in Pell is still out of control.",
        0.9,
    )
    assert out.relation == "contradiction", out


def test_one_event_on_two_dates_conflicts_but_a_running_count_on_two_dates_does_not() -> None:
    out = j(
        "The Pell bridge reopened on Wednesday 4 March.", "The Pell bridge reopened on Friday 6 March.", 0.95
    )
    assert out.relation == "contradiction", out
    assert "dates" in out.explanation
    out = j(
        "The Pell outbreak had infected 40 people by 4 March.",
        "The Pell outbreak had infected 52 people by 9 March.",
        0.9,
    )
    assert out.relation != "contradiction", out


def test_a_negation_answered_by_an_opposite_word_is_no_conflict() -> None:
    out = j(
        "The Pell mayor refused to resign on Friday.", "The Pell mayor said on Friday he would stay on.", 0.8
    )
    assert out.relation != "contradiction", out


def test_a_count_of_people_in_one_claim_only_is_a_detail_not_a_duplicate() -> None:
    out = j(
        "Riot police fired water cannon at the Pell march on Sunday.",
        "Twelve marchers were injured at the Pell march on Sunday.",
        0.75,
    )
    assert out.relation != "duplicate", out


def test_destroyed_and_damaged_homes_are_two_tallies_not_a_conflict() -> None:
    out = j(
        "The cyclone destroyed 120 huts on Tarra atoll.",
        "The cyclone damaged about 900 huts on Tarra atoll.",
        0.9,
    )
    assert out.relation == "consistent", out


def test_one_share_read_with_other_subject_words_still_conflicts() -> None:
    out = j(
        "About 60 % of the Pell teachers' union members backed the deal.",
        "Only one in five members of the Pell teachers' union backed the deal.",
        0.9,
    )
    assert out.relation == "contradiction", out


def test_the_highest_reading_is_the_same_measure_not_another_subject() -> None:
    out = j(
        "Temperatures in Pell reached 39 °C on Friday.",
        "Friday's highest temperature in Pell was 27 °C.",
        0.85,
    )
    assert out.relation == "contradiction", out


# --- outcome words of one kind in other words ------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "same_outcome", "other_outcome"),
    [
        # a service suspended is one cancelled, not one resumed
        (
            "Ferries to Holm were cancelled for two days because of the storm.",
            "Ferry crossings to Holm were suspended for two days after the storm.",
            "Ferry crossings to Holm resumed two days after the storm.",
        ),
        # voters who approved a charter are a charter that won the vote, not one they rejected
        (
            "The new charter won 61 % of the vote in the Tarrow referendum.",
            "Residents of Tarrow approved the new charter in a referendum, with 61 % of the vote.",
            "Residents of Tarrow rejected the new charter in a referendum.",
        ),
    ],
)
def test_kin_outcome_words_of_one_sign_are_one_outcome(
    claim: str, same_outcome: str, other_outcome: str
) -> None:
    same = j(same_outcome, claim, 0.8)
    assert same.relation == "duplicate", same.explanation
    other = j(other_outcome, claim, 0.8)
    assert other.relation != "duplicate", other.explanation
    assert other.blocked


def test_passing_through_an_airport_is_no_vote() -> None:
    assert analyse("About 2.4 million travellers passed through Holm airport last year.").polarity == ()
    assert [c.concept for c in analyse("The assembly passed the budget on Friday.").polarity] == ["approve"]


def test_one_temperature_in_two_units_is_one_word_to_the_wording_scores() -> None:
    def wording(a: str, b: str) -> tuple[float, float]:
        fa, fb = analyse(a), analyse(b)
        feats = duplicate_features(fa, fb, 0.8, compare_figures(fa, fb).unmatched)
        return feats[1], feats[2]  # token-sort ratio, token Dice

    celsius = "Temperatures in Holm reached 43 °C on Friday."
    converted = wording(celsius, "Temperatures in Holm reached about 109 °F on Friday.")
    assert converted == wording(celsius, "Temperatures in Holm reached about 43 °C on Friday.")
    # a bound is not the same figure: "at least 20" and "31" stay two words
    fuzzy, dice = wording("At least 20 people died in Holm on Friday.", "31 people died in Holm on Friday.")
    assert dice < 0.9
    assert fuzzy < 1.0


# --- a rate's change in points -------------------------------------------------------------
RATE_BOTH_ENDS = "Joblessness in Varne fell to 6.1 % in June from 6.9 % in May."


def test_a_change_in_points_is_the_gap_between_the_two_rates() -> None:
    out = j(RATE_BOTH_ENDS, "Varne's jobless rate dropped 0.8 percentage points to 6.1 % in June.", 0.8)
    assert out.relation == "duplicate", out.explanation
    assert '"0.8 percentage points" = "6.9 %" - "6.1 %"' in out.explanation


def test_another_change_in_points_to_the_same_rate_conflicts() -> None:
    out = j(RATE_BOTH_ENDS, "Varne's jobless rate dropped 1.8 points to 6.1 % in June.", 0.8)
    assert out.relation == "contradiction", out.explanation
    assert "is 0.8 points, not" in out.explanation


def test_a_road_that_shortens_a_drive_does_not_add_to_it() -> None:
    out = j(
        "The Holm bypass shortens the journey between Holm and Tarn by 12 km.",
        "The Holm bypass adds 12 km to the journey between Holm and Tarn.",
        0.95,
    )
    assert out.relation == "contradiction", out.explanation
    assert [(c.concept, c.sign) for c in analyse("She added that the bypass was late.").polarity] == []


def test_a_runway_closed_for_the_summer_is_not_one_that_stays_open() -> None:
    out = j(
        "Tarn port will close its second quay for repairs from May to July.",
        "Both of Tarn port's quays will stay open all summer.",
        0.56,
    )
    assert out.relation == "contradiction", out.explanation
    assert '"stay open" vs "close"' in out.explanation


def test_opposite_outcome_words_count_as_one_word_when_relatedness_is_weighed() -> None:
    closing = analyse("Tarn port will close its second quay for repairs.")
    closed, open_ = unify_opposite_words(closing, analyse("Tarn port's quays will stay open."))
    assert "outcome:open" in closed.concepts & open_.concepts
    assert "close" not in closed.concepts
    unchanged = analyse("Tarn port will close its second quay.")
    assert unify_opposite_words(unchanged, analyse("Tarn port will close its quays."))[0] is unchanged


def test_a_lorry_carrying_a_load_was_not_empty() -> None:
    loaded = "The lorry was carrying 18 tonnes of flour when it overturned."
    out = j(loaded, "The lorry was empty when it overturned.")
    assert out.relation == "contradiction", out.explanation
    assert analyse("Police carried out 40 raids.").polarity == ()


def test_one_tally_for_two_motions_is_no_duplicate() -> None:
    subsidy = "Tarn's assembly voted 88 to 61 to extend the bus subsidy."
    other = j(subsidy, "Tarn's assembly voted 88 to 61 to raise the harbour levy.", 0.75)
    assert other.relation != "duplicate", other.explanation
    assert "different motions" in other.explanation
    same = j(subsidy, "By 88 votes to 61, Tarn's assembly voted in favour of extending the bus subsidy.", 0.8)
    assert same.relation == "duplicate", same.explanation
