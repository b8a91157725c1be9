"""The worthiness bench reads the demo newsroom's highlights as an editor made them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import triage_worthiness
from bench.triage_worthiness import DemoHighlightError, HighlightedArticle, Result, demo_articles, evaluate


def test_every_demo_highlight_is_found_in_its_article() -> None:
    articles = demo_articles()

    highlights = [json.loads(line) for line in (triage_worthiness.DEMO_DATA / "highlights.jsonl").open()]
    assert sum(len(article.highlights) for article in articles) == len(highlights)
    by_name = {article.name: article for article in articles}
    for item in highlights:
        article = by_name[item["article_url"]]
        assert any(article.text[start:end] == item["exact"] for start, end in article.highlights)


def test_a_quote_missing_from_its_article_is_an_error(tmp_path: Path) -> None:
    # given a demo folder whose highlight quotes a sentence the article does not have
    url = "https://example.test/a"
    (tmp_path / "articles.jsonl").write_text(
        json.dumps({"title": "Floods", "text": "The river rose by two metres overnight.", "url": url}) + "\n"
    )
    (tmp_path / "highlights.jsonl").write_text(
        json.dumps({"article_url": url, "exact": "The river fell.", "claim": "The river fell."}) + "\n"
    )
    # when / then
    with pytest.raises(DemoHighlightError, match=r"highlights\.jsonl:1"):
        demo_articles(tmp_path)


def test_a_highlight_is_caught_when_a_marked_sentence_overlaps_it() -> None:
    # given three sentences, one mark for them (30 % rounded down, at least one)
    text = (
        "It rained. "
        "According to the ministry, 4,000 homes lost power, the highest number since 1998. "
        "Residents gathered on the square."
    )
    caught = text.index("4,000")
    missed = text.index("Residents")
    article = HighlightedArticle("a", text, ((caught, caught + 5), (missed, missed + 9)))

    assert evaluate([article], threshold=0.0) == Result(caught=1, highlights=2, marked=1, sentences=3)
