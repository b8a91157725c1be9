"""Check-worthiness: which cues raise or lower a sentence, and how many sentences are marked."""

from __future__ import annotations

import pytest

from claims.detection.worthiness import MARK_THRESHOLD, cues, marks, worthiness


@pytest.mark.parametrize(
    "sentence",
    [
        "Police said no arrests were made during the march through the old town.",
        "The minister confirmed that the bridge had been closed to lorries since the spring.",
        "Officials in the port city have claimed that the new terminal was built without a permit.",
    ],
)
def test_a_reported_claim_without_a_figure_is_worth_marking(sentence: str) -> None:
    assert worthiness(sentence) >= MARK_THRESHOLD


@pytest.mark.parametrize(
    "sentence",
    [
        # an age, a time and a date: nothing counted
        "Maria Holm, 34, said she left her flat at 6 a.m. on 3 May with her dog.",
        # a dateline
        "OSTRAVA, Nordland, May 4 (NPA) - The harbour reopened to ferries on Sunday.",
        # an ordinal
        "For the third time this year, the council postponed its debate on the harbour.",
        # a call to the reader, however many figures it has
        "Subscribe to the newsletter for 50 per cent off the first three months.",
    ],
)
def test_numbers_that_count_nothing_do_not_make_a_sentence_worth_marking(sentence: str) -> None:
    assert worthiness(sentence) < MARK_THRESHOLD


def test_a_count_of_people_outranks_a_measure_of_rain() -> None:
    injured = worthiness("Twelve people were injured when the roof collapsed, the fire service said.")
    rain = worthiness("Forty millimetres of rain soaked the hills overnight, the weather service said.")

    assert injured > rain


def test_first_person_speech_loses_weight_even_when_attributed() -> None:
    quoted = worthiness('"We lost everything in the flood," the farmer said.')
    reported = worthiness('"The farm lost everything in the flood," the farmer said.')

    assert quoted < reported


def test_at_least_is_a_hedge_not_a_superlative() -> None:
    hedged = cues("At least 30 homes were damaged.")
    superlative = cues("The worst storm in a decade hit the coast.")

    assert (hedged.superlative, superlative.superlative) == (False, True)


def test_protest_and_arrest_are_not_superlatives() -> None:
    assert cues("The protest ended with an arrest near the station.").superlative is False


def test_marks_fill_the_share_down_to_the_floor() -> None:
    # given ten sentences: room for three marks (30 %), four above the floor
    scores = [0.55, 0.9, 0.1, 0.52, 0.3, 0.2, 0.51, 0.1, 0.1, 0.1]

    # when / then: the best three are marked, the fourth is left for lack of room
    assert marks(scores) == [True, True, False, True, False, False, False, False, False, False]
