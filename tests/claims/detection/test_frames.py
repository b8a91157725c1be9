"""Claim frames (``claims.detection.frames``) and judging by frames, on sentences written for these
tests (invented places and events).

Similarities are fixed numbers of the order the wordllama embedder gives for such pairs."""

from __future__ import annotations

import pickle
from dataclasses import fields

import pytest

from claims.detection import (
    ClaimFeatures,
    ClaimReading,
    analyse,
    analyse_many,
    analyse_readings,
    judge,
    match_relation,
    read_many,
)
from claims.detection.alignment import date_clash
from claims.detection.merging import auto_merge, merge_frame
from claims.detection.parsing import parse_calls, reset_counters


# --- frames ----------------------------------------------------------------------------------
def test_the_frame_names_event_figure_place_and_speaker() -> None:
    frame = analyse("Nineteen people died in Tollerby on Monday, the fire service said.").frame
    assert frame.event == "die"
    assert frame.modality == "happened"
    assert frame.polarity == 1
    assert [(f.surface, f.measure) for f in frame.figures] == [("Nineteen", "killed")]
    assert (frame.figures[0].low, frame.figures[0].high) == (19.0, 19.0)
    assert frame.places == frozenset({"tollerby"})
    assert frame.speaker == "fire service"


def test_a_title_and_a_name_in_commas_are_one_subject() -> None:
    frame = analyse("Tarn's harbour master, Ines Moll, refused to reopen the quay on Friday.").frame
    assert frame.event == "refuse"
    assert {"master", "ines", "moll"} <= frame.agent
    other = judge(
        analyse("Tarn's harbour master, Ines Moll, refused to reopen the quay on Friday."),
        analyse("Tarn's port director refused to reopen the quay on Friday."),
        0.8,
        calibrated=False,
    )
    assert other.relation != "duplicate", other.explanation
    assert "different subjects" in other.explanation


def test_according_to_names_the_speaker_and_is_not_the_event() -> None:
    frame = analyse("The bridge over the Lune reopened on Sunday, according to the county engineer.").frame
    assert frame.event == "reopen"
    assert frame.speaker == "county engineer"


ATTRIBUTIONS = [
    (
        "The pier closed, a harbour spokesman told reporters.",
        "a harbour spokesman told reporters",
        "harbour spokesman",
    ),
    (
        "The pier closed, the organising unions said again on Monday.",
        "the organising unions said again on Monday",
        "union",
    ),
    (
        "The pier closed, said Elin Dahl, the operator's director.",
        "said Elin Dahl, the operator's director",
        "elin dahl",
    ),
    ("According to the harbour board, the pier closed.", "According to the harbour board", "harbour board"),
    # a figure after the verb is the claim's own: the clause ends at the verb
    ("In Tollerby, officials said 35 people died.", "officials said", "official"),
    ("The pier closed on Tuesday.", "", ""),
]


@pytest.mark.parametrize(("text", "clause", "speaker"), ATTRIBUTIONS)
def test_the_attribution_clause_covers_who_said_it_to_whom_and_when(
    text: str, clause: str, speaker: str
) -> None:
    claim = analyse(text)
    start, end = claim.attribution
    assert claim.normalised[start:end] == clause
    assert claim.frame.speaker == speaker


@pytest.mark.parametrize(
    ("text", "modality", "event"),
    [
        ("The harbour board plans to close the old ferry pier next year.", "planned", "close"),
        ("The harbour board denied that the old ferry pier had closed.", "denied", "close"),
        ("The harbour board dropped its plan to close the old ferry pier.", "denied", "close"),
        ("The old ferry pier may close next year.", "possible", "close"),
        ("The old ferry pier was allegedly closed without notice.", "reported", "close"),
        ("The old ferry pier closed on Tuesday.", "happened", "close"),
        ("Harbour fees dropped to 4 % in May.", "happened", "drop"),
    ],
)
def test_modality_of_the_main_event(text: str, modality: str, event: str) -> None:
    frame = analyse(text).frame
    assert (frame.modality, frame.event) == (modality, event)


def test_scope_places_parts_and_bodies() -> None:
    part = analyse("Twelve of the injured were firefighters, the hospital said.").frame
    assert "of:injured" in part.parts
    suburb = analyse("Power failed for 3,000 homes in the western suburbs of Pellow.").frame
    assert "in:western suburb" in suburb.parts
    chamber = analyse("The upper chamber passed the water bill by 61 votes to 40.").frame
    assert chamber.bodies == frozenset({"chamber"})
    houses = analyse("The storm flattened 14 houses in Ambry.").frame
    assert houses.bodies == frozenset()
    assert houses.places == frozenset({"ambry"})
    possessive = analyse("Ambry's council approved the budget.").frame
    assert possessive.places == frozenset({"ambry"})


def test_running_totals_and_as_of_dates() -> None:
    by_date = analyse("The death toll from the Kessring mine blast rose to 18 by 2 June.").frame
    assert by_date.cumulative
    assert by_date.as_of == (6, 2)
    assert by_date.date_surface == "by 2 June"
    once = analyse("Three climbers were rescued from Mount Aster on 4 July.").frame
    assert once.as_of == (7, 4)
    assert not once.cumulative


def test_passive_voice_swaps_agent_and_theme() -> None:
    active = analyse("The landslide buried nine cottages near Orrin.").frame
    passive = analyse("Nine cottages near Orrin were buried by the landslide.").frame
    assert active.agent == passive.agent == frozenset({"landslide"})
    assert "cottage" in active.theme
    assert "cottage" in passive.theme


def test_features_with_their_frame_survive_pickling() -> None:
    features = analyse("Police arrested 12 people at the Brackwater march on Saturday.")
    assert pickle.loads(pickle.dumps(features)) == features  # noqa: S301


def test_analyse_many_parses_each_distinct_text_once_in_one_batch() -> None:
    reset_counters()
    texts = [
        "A fire destroyed the Saltmere boathouse.",
        "The Saltmere boathouse burned down overnight.",
        "A fire destroyed the Saltmere boathouse.",
    ]
    out = analyse_many(texts)
    assert parse_calls() == (2, 1)
    assert out[0] == out[2] == analyse(texts[0])
    assert parse_calls() == (2, 1)  # the cache answered the single analyse


def test_reading_parses_nothing_and_analysing_the_readings_is_analysing_the_texts() -> None:
    texts = ["Floods cut the Kelby road for 3 days in May.", "The Kelby road reopened after floods."]
    reset_counters()
    readings = read_many(texts)
    assert parse_calls() == (0, 0)
    assert [reading.terms for reading in readings] == [analyse(text).terms for text in texts]
    assert analyse_readings(readings) == analyse_many(texts)


def test_features_keep_the_field_order_stored_pickles_were_written_in() -> None:
    # Stored features are pickles of ClaimFeatures, whose state is its field values in order:
    # reordering, inserting or removing a field would load old rows into the wrong fields. Such a
    # change needs a DETECTOR_VERSION bump (stored features are recomputed) and this list updated.
    stored_layout = [
        "text",
        "normalised",
        "tokens",
        "terms",
        "canonical",
        "concepts",
        "quantities",
        "facts",
        "polarity",
        "negations",
        "time_cues",
        "entities",
        "frame",
        "attribution",
    ]
    assert [field.name for field in fields(ClaimFeatures)] == stored_layout
    # the reading is the same fields but the two the parse adds, so a claim is also its reading
    assert [field.name for field in fields(ClaimReading)] == stored_layout[:-2]
    features = analyse("Police arrested 35 people in Valdora on Saturday, a spokesman said.")
    assert isinstance(features, ClaimReading)


# --- judging by frames -----------------------------------------------------------------------
def j(a: str, b: str, similarity: float = 0.8) -> tuple[str, str]:
    out = judge(analyse(a), analyse(b), similarity)
    assert judge(analyse(b), analyse(a), similarity) == out
    return out.relation, out.explanation


def test_two_different_lower_bounds_can_both_hold_but_are_not_one_figure() -> None:
    # "at least 22 died" ~ "at least 40 died" was shown as a duplicate with "same figures"
    relation, why = j(
        "At least 22 people died when the Marrow bridge collapsed, rescuers said.",
        "At least 40 people died when the Marrow bridge collapsed.",
        0.93,
    )
    assert relation == "consistent"
    assert why == (
        'Consistent: different figures, both can hold: "At least 22" people died vs "At least 40" people died'
    )


def test_two_towns_of_one_disaster_are_different_places_though_the_disaster_is_shared() -> None:
    # both name the storm, each names its own town: neither a conflict nor the same claim
    relation, why = j(
        "Nine people died in Ostby in the Harrow storm.",
        "At least 30 people died in Lenning in the Harrow storm.",
        0.93,
    )
    assert relation == "consistent"
    assert why == "Consistent: different places: harrow storm, lenning vs harrow storm, ostby"
    relation, why = j(
        "No arrests were made at the rally in Ostby in the Harrow valley.",
        "Police did not fire tear gas at the rally in Lenning in the Harrow valley.",
        0.9,
    )
    assert relation == "consistent"


@pytest.mark.parametrize(
    ("a", "b", "similarity"),
    [
        # the same bound worded twice
        (
            "More than 300 people were evacuated from Tarnby on Monday.",
            "Over 300 people were evacuated from Tarnby on Monday.",
            0.95,
        ),
        # a bound and a value inside it
        (
            "More than three quarters of Tarnby's nurses voted to strike.",
            "78 % of Tarnby's nurses voted to strike.",
            0.9,
        ),
        # a place named on one side only is no clash: the town and its valley may be one scope
        (
            "Nine people died in Ostby in the Harrow storm.",
            "Nine people died in Ostby, in the Harrow valley, in the storm.",
            0.93,
        ),
    ],
)
def test_one_figure_or_place_worded_twice_is_still_a_duplicate(a: str, b: str, similarity: float) -> None:
    assert j(a, b, similarity)[0] == "duplicate"


def test_a_part_is_not_a_contradiction_of_its_whole() -> None:
    relation, why = j(
        "At least 60 people died across Wendmoor province in the storms.",
        "Seven people died in Tollerby in the storms, the fire service said.",
    )
    assert relation == "consistent"
    assert why.startswith("Consistent: ")
    assert '"Seven" people died' in why
    assert '"At least 60" people died' in why


def test_a_town_within_the_disaster_is_a_part_of_its_toll_but_a_square_is_not_another_crowd() -> None:
    # the town's toll is counted within the storm's: a part, not a conflict
    relation, why = j(
        "At least 19 people died in the Harrow storm by the evening of 4 May.",
        "Four people died in Lisk in the Harrow storm.",
        0.9,
    )
    assert relation == "consistent"
    assert why.startswith("Consistent: part and whole:")
    assert '"Four" people died (harrow storm, lisk) within "At least 19" people died' in why
    # a crowd at one protest, located more precisely, is still one figure: a conflict
    relation, why = j(
        "About 2,000 people marched in the fuel protest in Tenby Square, Orland, on 3 May.",
        "More than 30,000 people marched in the fuel protest in Orland on 3 May.",
        0.9,
    )
    assert relation == "contradiction"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # "since 2 May" starts the count: it runs to an unstated day, so it cannot be put in order
        (
            "The Harrow storm has killed 30 people since 2 May.",
            "21 deaths from the Harrow storm had been confirmed by 6 May.",
        ),
        # a week's deaths are not the running total up to that week's end
        (
            "31 deaths from the Harrow storm had been confirmed by 6 May.",
            "Five people died in the week to 20 May from cholera after the Harrow storm.",
        ),
    ],
    ids=["since a date", "a week to a date"],
)
def test_a_count_over_a_window_is_not_a_running_total_that_went_down(a: str, b: str) -> None:
    relation, why = j(a, b, 0.8)
    assert relation != "contradiction", why
    assert "Running total" not in why


def test_two_chambers_named_by_their_members_are_two_bodies() -> None:
    out = judge(
        analyse("Orland's deputies approved the budget by 90 votes to 70 on 3 May."),
        analyse("Orland's Senate approved the budget by 30 votes to 21 on 6 May."),
        0.9,
    )
    assert out.relation == "consistent"
    assert out.explanation in (
        "Consistent: different bodies: chamber vs senate",
        "Consistent: different bodies: senate vs chamber",
    )
    # a title is not the body acting
    assert analyse("The deputy mayor of Orland resigned on 3 May.").frame.bodies == frozenset()


def test_a_claim_that_also_counts_other_people_says_more_and_is_no_duplicate() -> None:
    relation, why = j(
        "About 2,000 people marched through Orland on Saturday.",
        "About 2,000 people marched through Orland on Saturday and 600 more in Lisk.",
        0.93,
    )
    assert relation == "consistent"
    assert why == 'Consistent: one claim also counts people: "600"'
    # the same figures worded twice are still one claim
    assert (
        j(
            "About 2,000 people marched through Orland on Saturday.",
            "Some 2,000 people marched through Orland on Saturday.",
            0.95,
        )[0]
        == "duplicate"
    )


@pytest.mark.parametrize(
    ("a", "b", "duplicate"),
    [
        (
            "Pell Bank made a profit of 300 million euros in 2025.",
            "Pell Bank paid 300 million euros in fines in 2025.",
            False,
        ),
        (
            "Orland's budget for 2027 is 2.1 billion euros.",
            "Orland's debt stands at 2.1 billion euros.",
            False,
        ),
        # one family: a cost and its price tag, a budget and what will be spent
        (
            "The Lisk tunnel will cost 90 million euros.",
            "The Lisk tunnel carries a price tag of 90 million euros.",
            True,
        ),
    ],
    ids=["profit and fines", "budget and debt", "cost and price"],
)
def test_one_sum_of_money_named_as_two_things_is_no_duplicate(a: str, b: str, *, duplicate: bool) -> None:
    relation, why = j(a, b, 0.85)
    assert (relation == "duplicate") is duplicate, why
    if not duplicate:
        assert "different measures" in why


def test_some_of_a_group_against_all_of_it_is_a_contradiction_not_a_part() -> None:
    relation, why = j(
        "Four of the 11 climbers stranded on Mount Orr have been brought down.",
        "All 11 climbers stranded on Mount Orr have been brought down.",
        0.85,
    )
    assert relation == "contradiction"
    assert why.startswith("Part against all:")
    # a part of the group without "all" on the other side stays a part of its whole
    relation, why = j(
        "Four of the 11 climbers stranded on Mount Orr have been brought down.",
        "11 climbers were stranded on Mount Orr.",
        0.8,
    )
    assert relation != "contradiction", why


def test_none_of_a_group_against_a_share_of_it_said_of_the_same_thing_is_a_contradiction() -> None:
    relation, why = j(
        "A quarter of the town's ferries run on electricity.",
        "None of the town's ferries are electric yet.",
        0.85,
    )
    assert relation == "contradiction"
    assert why == 'None against some: "A quarter" vs "None"'
    # none of them are something else: two parts, no conflict
    relation, why = j(
        "A quarter of the town's ferries run on electricity.",
        "None of the town's ferries are older than ten years.",
        0.7,
    )
    assert relation != "contradiction", why


def test_a_named_subgroup_is_a_part_of_the_total() -> None:
    relation, why = j(
        "Forty people were injured when the Carrow stand collapsed.",
        "Twelve of the injured were children, the Carrow hospital said.",
    )
    assert relation == "consistent"
    assert "part and whole" in why or "part and total" in why


def test_parts_that_add_up_agree_with_the_total() -> None:
    relation, why = j(
        "Three people were killed and 11 injured in the crash at Morley junction.",
        "The crash at Morley junction left 14 casualties.",
    )
    assert relation == "consistent"
    assert '"Three" people killed + "11" injured = "14" casualties' in why


def test_a_running_total_that_rises_by_a_later_date_is_an_update() -> None:
    a = analyse("The death toll from the Kessring mine blast stood at 11 by 30 May.")
    b = analyse("The death toll from the Kessring mine blast rose to 18 by 2 June.")
    out = judge(a, b, 0.9)
    assert out.relation == "consistent"
    assert match_relation(out) == "related"
    assert "Update of a running total" in out.explanation
    assert '"11"' in out.explanation
    assert '"18"' in out.explanation
    assert '"by 30 May"' in out.explanation
    assert '"by 2 June"' in out.explanation


def test_a_running_total_that_falls_by_a_later_date_is_a_contradiction() -> None:
    relation, why = j(
        "The death toll from the Kessring mine blast stood at 11 by 30 May.",
        "The death toll from the Kessring mine blast was 9 by 4 June.",
        0.9,
    )
    assert relation == "contradiction"
    assert why.startswith("Running total went down:")


@pytest.mark.parametrize(
    ("a", "b", "reason", "similarity"),
    [
        (
            "The upper chamber passed the water bill by 61 votes to 40.",
            "The senate passed the water bill by 61 votes to 40.",
            "different bodies",
            0.95,
        ),
        (
            "The clinic in Fellmarsh treated 300 patients last week.",
            "The clinic in Orrisby treated 300 patients last week.",
            "different places",
            0.95,
        ),
        (
            "Police arrested 12 people at the Brackwater march on Saturday.",
            "Police fired tear gas at the Brackwater march on Saturday.",
            # the numeric reader sees it first: the arrests figure has no counterpart
            "figure in one claim only",
            0.95,
        ),
        (
            # the embedder puts this pair at 0.61; another object blocks below the paraphrase level
            "The Lindow council voted to extend the tram line.",
            "The Lindow council voted to close the public baths.",
            "different objects",
            0.85,
        ),
    ],
)
def test_another_scope_body_or_measure_blocks_a_duplicate(
    a: str, b: str, reason: str, similarity: float
) -> None:
    relation, why = j(a, b, similarity)
    assert relation != "duplicate"
    assert relation != "contradiction"
    assert reason in why


def test_a_subject_in_other_words_is_a_paraphrase_only_at_paraphrase_similarity() -> None:
    bids = "Both bids would let the company keep a minority stake in the venture."
    proposals = "Both proposals would let the company keep a minority stake in the venture."
    assert j(bids, proposals, 0.93)[0] == "duplicate"
    relation, why = j(bids, proposals, 0.85)
    assert relation == "consistent"
    assert why == 'Consistent: different subjects of "let": bid vs proposal'


def test_the_same_frame_in_other_words_is_a_duplicate_that_names_what_aligned() -> None:
    relation, why = j(
        "Fourteen cottages in Orrin were buried by the landslide on Friday.",
        "The landslide in Orrin buried 14 cottages on Friday.",
        0.93,
    )
    assert relation == "duplicate"
    assert '"Fourteen" cottages ~ "14" cottages' in why
    assert "place orrin" in why


def test_a_conflict_names_the_aligned_pieces_and_quotes_each_figure_with_its_measure() -> None:
    relation, why = j(
        "Floods forced 2,000 people in Varrow to leave their homes on Monday.",
        "Floods forced 9,000 people in Varrow to leave their homes on Monday.",
        0.97,
    )
    assert relation == "contradiction"
    assert '"2,000" people' in why
    assert '"9,000" people' in why
    assert "place varrow" in why


def test_times_of_day_are_not_read_as_figures_of_the_measure() -> None:
    relation, why = j(
        "The Tamsin dam failed at 11:40 p.m. on Sunday, flooding 200 homes.",
        "About 200 homes were flooded when the Tamsin dam failed late on Sunday.",
        0.9,
    )
    assert relation == "duplicate"
    assert '"40"' not in why


def test_merging_needs_the_same_frame() -> None:
    a = analyse("The health board confirmed 30 new cases on Monday.")
    b = analyse("The health board has confirmed 30 new cases on Monday.")
    assert merge_frame(a) == merge_frame(b)
    assert auto_merge(a, b)
    c = analyse("The health board denied 30 new cases on Monday.")
    assert merge_frame(a)[-1] != merge_frame(c)[-1]
    assert not auto_merge(a, c)


def test_figures_stated_for_different_dates_do_not_conflict() -> None:
    relation, why = j(
        "Police arrested 40 people at the Marbury dock strike on 3 April.",
        "Police arrested 5 people at the Marbury dock strike on 9 April.",
        0.95,
    )
    assert relation == "consistent"
    assert why == 'Consistent: different dates: "on 3 April" vs "on 9 April"'


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "There is no cyclist riding along the canal path.",
            "A cyclist in a yellow jacket is riding along the canal path and waving.",
        ),
        (
            "Nobody has claimed the Ostby lottery prize.",
            "A retired teacher has claimed the Ostby lottery prize.",
        ),
    ],
)
def test_nothing_of_the_kind_contradicts_an_instance_that_says_more(a: str, b: str) -> None:
    # "there is no X doing P" against "an X with more detail is doing P": the second says more, so
    # the words overlap too little for the plain negation check, and "no cyclist" names no doer.
    relation, why = j(a, b, 0.75)
    assert relation == "contradiction"
    assert why.startswith(('Negation: "There is no"', 'Negation: "Nobody"'))


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        # a hedge is a bound, not a denial: 38 is within "no more than 40"
        (
            "No more than 40 people were hurt in the Kelso depot fire.",
            "38 people were hurt in the Kelso depot fire.",
            "duplicate",
        ),
        # another place sets the claims apart
        (
            "No arrests were made in Brannoch during the march.",
            "Police made arrests in Eskhaven during the march.",
            "consistent",
        ),
    ],
)
def test_nothing_of_the_kind_needs_the_same_place_and_is_not_a_hedge(a: str, b: str, relation: str) -> None:
    assert j(a, b, 0.85)[0] == relation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Marchers in Tollan said riot police fired water cannon at the rally on Sunday.",
            "Tollan riot police denied firing water cannon at Sunday's rally.",
        ),
        (
            "The transport office denied that the Arden ferry had stopped running.",
            "The Arden ferry stopped running on Monday, the harbour master said.",
        ),
    ],
)
def test_a_denial_contradicts_the_claim_it_denies(a: str, b: str) -> None:
    relation, why = j(a, b, 0.8)
    assert relation == "contradiction"
    assert why.startswith("Denial: ")


def test_a_denial_by_one_body_does_not_answer_a_claim_about_another() -> None:
    relation, _ = j(
        "Riot police denied firing water cannon at the Tollan rally.",
        "Soldiers fired water cannon at the Tollan rally, witnesses said.",
        0.8,
    )
    assert relation != "contradiction"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "The ferry to Arden was full when it left the harbour.",
            "The ferry to Arden was empty when it left the harbour.",
        ),
        (
            "The striker is hitting the penalty in the final.",
            "The striker is missing the penalty in the final.",
        ),
    ],
)
def test_one_word_against_its_antonym_is_an_opposite_outcome(a: str, b: str) -> None:
    relation, why = j(a, b, 0.9)
    assert relation == "contradiction"
    assert why.startswith("Opposite outcomes: ")


def test_an_antonym_beside_the_same_figures_is_an_opposite_outcome_but_not_beside_others() -> None:
    relation, why = j(
        "Two ferries to Arden were full when they left the harbour on Monday.",
        "Two ferries to Arden were empty when they left the harbour on Monday.",
        0.9,
    )
    assert (relation, why.split(":")[0]) == ("contradiction", "Opposite outcomes")
    relation, _ = j(
        "Unemployment in Carrow fell to 5.2% in March.", "Youth unemployment in Carrow rose to 14% in March."
    )
    assert relation != "contradiction"


def test_an_antonym_that_tells_details_apart_is_not_an_opposite_outcome() -> None:
    relation, _ = j(
        "The first ferry to Arden left the harbour at dawn.",
        "The last ferry to Arden left the harbour at dawn.",
        0.9,
    )
    assert relation != "contradiction"


def test_nothing_of_the_kind_reads_synonyms_and_more_specific_words() -> None:
    # "car" is said by "sedan", "cutting" by "slicing": WordNet, not a word list
    relation, _ = j(
        "There is no woman cutting a car tyre in the Ostby garage.",
        "A woman is slicing a sedan tyre in the Ostby garage.",
        0.7,
    )
    assert relation == "contradiction"


def test_nothing_of_the_kind_needs_the_other_claim_to_have_what_there_is_none_of() -> None:
    # the demo's "no arrests" against "8,000 took part" in the same protest: no arrest is claimed
    relation, _ = j(
        "About 8,000 people took part in the Velsund pension march on 17 March.",
        "No arrests were made during the Velsund pension march on 17 March.",
        0.8,
    )
    assert relation != "contradiction"


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        (
            "The Dovrin sales tax rose to 21 % on 1 January.",
            "The Dovrin sales tax rose to 21 % in January.",
            False,
        ),
        ("Dovrin exports fell 3 % in 2025.", "Dovrin exports fell 3 % in March.", False),
        (
            "The Dovrin sales tax rose to 21 % on 1 January.",
            "The Dovrin sales tax rose to 21 % in March.",
            True,
        ),
        ("Dovrin exports fell 3 % in 2024.", "Dovrin exports fell 3 % in 2025.", True),
    ],
)
def test_dates_at_two_grains_clash_only_where_they_exclude_each_other(a: str, b: str, clash: bool) -> None:
    assert bool(date_clash(analyse(a), analyse(b))) is clash


def test_the_same_movement_in_opposite_directions_is_an_opposite_outcome() -> None:
    relation, why = j(
        "Two fishing boats sailed into Arden harbour at dawn.",
        "Two fishing boats sailed out of Arden harbour at dawn.",
        0.95,
    )
    assert (relation, why.split(":")[0]) == ("contradiction", "Opposite directions")


def test_a_direction_word_beside_other_words_is_not_an_opposite_direction() -> None:
    # "on" a day and "off" a coast: the rest of the claims differ, so the words are details
    relation, _ = j(
        "Two fishing boats sank on Monday near Arden.",
        "Two fishing boats sank off the Arden coast.",
        0.9,
    )
    assert relation != "contradiction"
