"""Check-worthiness marks against what an editor highlights, on the demo newsroom and the seeds.

    .venv/bin/python bench/triage_worthiness.py --seeds ../shared/seeds [--splits demo,dev] [--sweep]

Every article is split with ``claims.detection.sentences`` and scored and marked with
``claims.detection.worthiness`` (the functions the triage worker calls). A highlight counts as
caught when a marked sentence overlaps it. Reported per split: the share of highlights caught, and
the share of sentences marked (at most 30 % by construction). Target: >= 80 % caught.

Splits:

- ``demo``: the articles of ``claims/demo_data/articles.jsonl`` as ``load_demo`` stores them
  (``record_from_mapping``), with the claims of ``highlights.jsonl`` anchored by their ``exact``
  quote, as ``claim_create`` anchors them. Tuning set.
- ``dev``: seed files 000 and 001, with ``bench/data/seed_highlights.jsonl`` (code-point offsets,
  read at run time). Tuning set.
- ``test``: seed files 002 to 004. Reported, never tuned on.

``--sweep`` prints the threshold sweep on the tuning splits (demo and dev).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from articles.extraction import record_from_mapping  # noqa: E402
from bench.pair_sets import DEMO_DATA, load_seed_highlights  # noqa: E402
from claims.detection.sentences import split_sentences  # noqa: E402
from claims.detection.worthiness import MARK_THRESHOLD, marks, worthiness  # noqa: E402

DEV_FILES = ("000_", "001_")
SPLITS = ("demo", "dev", "test")
TUNING_SPLITS = ("demo", "dev")
TARGET = 0.80


class DemoHighlightError(ValueError):
    """A demo highlight's quote is not in the text of its article."""


@dataclass(frozen=True)
class HighlightedArticle:
    name: str
    text: str
    #: Code-point spans of what an editor highlighted.
    highlights: tuple[tuple[int, int], ...]


class Result(NamedTuple):
    caught: int
    highlights: int
    marked: int
    sentences: int

    def __add__(self, other: object) -> Result:
        if not isinstance(other, Result):
            return NotImplemented
        return Result(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def demo_articles(demo_dir: Path = DEMO_DATA) -> list[HighlightedArticle]:
    """The demo articles with the sentences the demo's annotators highlighted in them."""
    texts: dict[str, str] = {}
    for number, item in enumerate(_jsonl(demo_dir / "articles.jsonl"), start=1):
        record = record_from_mapping(item, origin=f"articles.jsonl:{number}")
        texts[record.url or f"articles.jsonl:{number}"] = record.text
    spans: dict[str, list[tuple[int, int]]] = {url: [] for url in texts}
    for number, item in enumerate(_jsonl(demo_dir / "highlights.jsonl"), start=1):
        url, exact = str(item["article_url"]), str(item["exact"])
        start = texts[url].find(exact) if url in texts else -1
        if start < 0:
            raise DemoHighlightError(f"highlights.jsonl:{number}: the quote is not in {url}")
        spans[url].append((start, start + len(exact)))
    return [HighlightedArticle(url, texts[url], tuple(spans[url])) for url in texts if spans[url]]


def seed_articles(seeds: Path, files: list[str]) -> list[HighlightedArticle]:
    highlights = load_seed_highlights(seeds)
    return [
        HighlightedArticle(
            name,
            (seeds / name).read_text(encoding="utf-8"),
            tuple((h.span.start, h.span.end) for h, _ in highlights if h.span.file == name),
        )
        for name in files
    ]


def evaluate(articles: list[HighlightedArticle], threshold: float = MARK_THRESHOLD) -> Result:
    """Highlights caught by the marks, and sentences marked, over ``articles``."""
    total = Result(0, 0, 0, 0)
    for article in articles:
        sentences = split_sentences(article.text)
        marked = marks([worthiness(s.text) for s in sentences], threshold=threshold)
        spans = [(s.start, s.end) for s, is_marked in zip(sentences, marked, strict=True) if is_marked]
        caught = sum(
            any(start < high_end and high_start < end for start, end in spans)
            for high_start, high_end in article.highlights
        )
        total += Result(caught, len(article.highlights), len(spans), len(sentences))
    return total


def line(label: str, result: Result) -> str:
    share = result.caught / result.highlights if result.highlights else 0.0
    return (
        f"{label}: {result.caught}/{result.highlights} highlights among the marked ({share:.0%}); "
        f"{result.marked}/{result.sentences} sentences marked ({result.marked / max(1, result.sentences):.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=Path, required=True, help="the folder of the five seed articles")
    parser.add_argument(
        "--splits", default=",".join(SPLITS), help=f"comma-separated, of {', '.join(SPLITS)} (default: all)"
    )
    parser.add_argument("--sweep", action="store_true", help="print the threshold sweep on demo and dev")
    options = parser.parse_args()
    wanted = [name.strip() for name in options.splits.split(",") if name.strip()]
    if unknown := set(wanted) - set(SPLITS):
        parser.error(f"unknown splits: {', '.join(sorted(unknown))}")
    files = sorted(path.name for path in options.seeds.glob("*.txt"))
    splits = {
        "demo": demo_articles(),
        "dev": seed_articles(options.seeds, [name for name in files if name.startswith(DEV_FILES)]),
        "test": seed_articles(options.seeds, [name for name in files if not name.startswith(DEV_FILES)]),
    }
    if options.sweep:
        tuning = splits["demo"] + splits["dev"]
        for step in range(10):
            threshold = round(0.2 + step * 0.05, 2)
            print(line(f"demo + dev, threshold {threshold:.2f}", evaluate(tuning, threshold)))
    print(
        f"threshold {MARK_THRESHOLD} (chosen on demo + dev); "
        f"target >= {TARGET:.0%} of highlights among the marked"
    )
    for name in wanted:
        print(line(name, evaluate(splits[name])))
    if set(TUNING_SPLITS) <= set(wanted):
        print(line("demo + dev", evaluate(splits["demo"] + splits["dev"])))


if __name__ == "__main__":
    main()
