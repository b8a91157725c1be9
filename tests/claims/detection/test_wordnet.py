"""The WordNet reader: antonyms, synonyms and more specific words, read from Debian's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.detection import wordnet


@pytest.mark.parametrize(
    ("x", "y"),
    [("hitting", "missing"), ("filled", "emptied"), ("full", "empty"), ("won", "lost"), ("opened", "closes")],
)
def test_antonyms_are_found_in_any_inflection(x: str, y: str) -> None:
    assert wordnet.antonyms(x, y)
    assert wordnet.antonyms(y, x)


def test_nouns_are_not_antonyms_by_default_and_unrelated_words_never_are() -> None:
    assert not wordnet.antonyms("woman", "man")
    assert wordnet.antonyms("woman", "man", parts="n")
    assert not wordnet.antonyms("hitting", "eating")


@pytest.mark.parametrize(
    ("general", "specific"),
    [("car", "sedans"), ("hit", "whacking"), ("performing", "played"), ("cut", "slicing")],
)
def test_a_word_is_covered_by_a_synonym_or_something_more_specific(general: str, specific: str) -> None:
    assert wordnet.covers(general, specific)


def test_something_more_general_does_not_cover_the_specific_word() -> None:
    assert not wordnet.covers("sedan", "car")
    assert not wordnet.covers("car", "banana")


def test_a_missing_database_is_a_clear_error_not_a_silent_fallback(tmp_path: Path) -> None:
    before = wordnet.wordnet_dir()
    wordnet.use(tmp_path)
    try:
        assert "wordnet-base" in wordnet.missing()
        with pytest.raises(wordnet.WordNetMissing, match="CORROBORATE_WORDNET_DIR"):
            wordnet.antonyms("hit", "miss")
    finally:
        wordnet.use(before)
    assert wordnet.missing() == ""
    assert wordnet.antonyms("hit", "miss")
