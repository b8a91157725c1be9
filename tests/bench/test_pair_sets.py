"""The labelled pair sets load as typed rows, keep their splits apart and detect drift."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench import pair_sets
from bench.pair_sets import LABELS, SPLITS, PairSetError, SeedSpan, SeedSpanError, span_sha1


def test_news_pairs_are_well_formed_and_split_by_topic() -> None:
    pairs = pair_sets.load_news()

    assert len(pairs) >= 100
    assert len({p.id for p in pairs}) == len(pairs)
    assert {p.label for p in pairs} == set(LABELS)
    assert all(p.split in SPLITS and p.topic and p.kinds for p in pairs)
    # one topic never spans two splits (the test split must stay unseen)
    splits_of_topic: dict[str, set[str]] = {}
    for p in pairs:
        splits_of_topic.setdefault(p.topic, set()).add(p.split)
    assert all(len(s) == 1 for s in splits_of_topic.values())
    # the test split holds every label
    assert set(Counter(p.label for p in pairs if p.split == "test")) == set(LABELS)


def test_news_pairs_share_no_sentence_with_the_own_rules_set() -> None:
    news = {s for p in pair_sets.load_news() for s in (p.a, p.b)}
    own = {s for p in pair_sets.load_own_rules() for s in (p.a, p.b)}

    assert news & own == set()


def test_own_rules_rows_are_training_rows() -> None:
    pairs = pair_sets.load_own_rules()

    assert len(pairs) == 162
    assert {p.split for p in pairs} == {"train"}
    assert {p.source for p in pairs} == {"own-rules"}


def test_scored_label_folds_consistent_and_unrelated() -> None:
    pair = pair_sets.load_news()[0]
    labels = {p.label: p.scored_label for p in pair_sets.load_news()}

    assert labels == {
        "duplicate": "duplicate",
        "contradiction": "contradiction",
        "consistent": "not-flagged",
        "unrelated": "not-flagged",
    }
    assert pair.scored_label in pair_sets.SCORED


def test_a_bad_label_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    row = {"id": "x", "a": "A", "b": "B", "label": "same", "kinds": [], "split": "dev"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")

    with pytest.raises(PairSetError, match=r"p.jsonl:1: label 'same'"):
        pair_sets.load_news(path)


def test_seed_span_reads_its_text_and_detects_a_changed_file(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Zoë said: 12 died.\n", encoding="utf-8")
    span = SeedSpan(file="s.txt", start=10, end=18, sha1=span_sha1("12 died."))

    assert span.read(tmp_path) == "12 died."  # offsets are code points, not bytes

    (tmp_path / "s.txt").write_text("Zoë said: 13 died.\n", encoding="utf-8")
    with pytest.raises(SeedSpanError, match="no longer matches"):
        span.read(tmp_path)


def test_seed_span_outside_the_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("short", encoding="utf-8")

    with pytest.raises(SeedSpanError, match="outside the file"):
        SeedSpan(file="s.txt", start=2, end=40, sha1="0").read(tmp_path)


def test_demo_pairs_name_demo_claims_and_keep_the_hard_cases() -> None:
    pairs = pair_sets.load_demo()
    labels = {frozenset((p.a, p.b)): p.label for p in pairs}

    assert len(pairs) >= 90
    assert sum(p.split == "test" for p in pairs) >= 0.4 * len(pairs)
    # a town's toll is a part of the province's, not a contradiction of it
    assert (
        labels[
            frozenset(
                (
                    "Seven people died in Renwick in the Corran Dam flood.",
                    "At least 40 people had died in the Corran Dam flood by 12 March 2026.",
                )
            )
        ]
        == "consistent"
    )
    # "cut by a third" and "fell about 21 %" cannot both hold
    assert [p.label for p in pairs if "by a third" in p.a and "about 21%" in p.b] == ["contradiction"]


def test_a_demo_pair_naming_an_unknown_claim_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    row = {"id": "d", "a": "No such claim.", "b": "Nor this.", "label": "unrelated", "split": "dev"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")

    with pytest.raises(PairSetError, match="the demo does not have"):
        pair_sets.load_demo(path)


@pytest.mark.skipif(pair_sets.default_shared() is None, reason="needs the shared folder")
def test_every_set_loads_from_the_shared_folder() -> None:
    sets = pair_sets.load_all()

    assert {"news", "own-rules", "desk", "seed"} <= sets.keys()
    assert len(sets["desk"]) == 50
    assert {p.split for p in sets["desk"]} == {"dev"}
    # every seed span still reads the sentence it was written for (checked by sha1)
    assert len(sets["seed"]) >= 60
    assert all(p.a and p.b and p.a != p.b for p in sets["seed"])


@pytest.mark.skipif(pair_sets.default_shared() is None, reason="needs the shared folder")
def test_seed_highlights_resolve_to_whole_sentences() -> None:
    shared = pair_sets.default_shared()
    assert shared is not None

    highlights = pair_sets.load_seed_highlights(shared / "seeds")

    assert len(highlights) >= 50
    assert len({h.id for h, _ in highlights}) == len(highlights)
    assert all(text == text.strip() and len(text) > 20 for _, text in highlights)
