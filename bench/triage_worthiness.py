"""Check-worthiness marks against what an editor highlights, on the five seed articles.

    .venv/bin/python bench/triage_worthiness.py --seeds ../shared/seeds [--sweep]

Each seed file is split with ``claims.detection.sentences`` and scored and marked with
``claims.detection.worthiness`` (the functions the triage worker calls). A highlight of
``bench/data/seed_highlights.jsonl`` (code-point offsets, read at run time) counts as caught when a
marked sentence overlaps it. Reported per split: the share of highlights caught, and the share of
sentences marked (at most 30 % by construction). Dev is files 000 and 001 (where MARK_THRESHOLD was
chosen, ``--sweep`` prints the sweep), test files 002 to 004. Target: >= 80 % caught.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pair_sets import load_seed_highlights  # noqa: E402
from claims.detection.sentences import split_sentences  # noqa: E402
from claims.detection.worthiness import MARK_THRESHOLD, marks, worthiness  # noqa: E402

DEV_FILES = ("000_", "001_")
TARGET = 0.80


def evaluate(seeds: Path, files: list[str], threshold: float) -> tuple[int, int, int, int]:
    """(highlights caught, highlights, sentences marked, sentences) over ``files``."""
    highlights = load_seed_highlights(seeds)
    caught = total = marked_count = sentences_count = 0
    for name in files:
        text = (seeds / name).read_text(encoding="utf-8")
        sentences = split_sentences(text)
        marked = marks([worthiness(s.text) for s in sentences], threshold=threshold)
        spans = [(s.start, s.end) for s, is_marked in zip(sentences, marked, strict=True) if is_marked]
        marked_count += len(spans)
        sentences_count += len(sentences)
        for highlight, _ in highlights:
            if highlight.span.file != name:
                continue
            total += 1
            caught += any(start < highlight.span.end and highlight.span.start < end for start, end in spans)
    return caught, total, marked_count, sentences_count


def line(label: str, result: tuple[int, int, int, int]) -> str:
    caught, total, marked, sentences = result
    share = caught / total if total else 0.0
    return (
        f"{label}: {caught}/{total} highlights among the marked ({share:.0%}); "
        f"{marked}/{sentences} sentences marked ({marked / max(1, sentences):.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=Path, required=True, help="the folder of the five seed articles")
    parser.add_argument("--sweep", action="store_true", help="print the threshold sweep on dev")
    options = parser.parse_args()
    files = sorted(path.name for path in options.seeds.glob("*.txt"))
    dev = [name for name in files if name.startswith(DEV_FILES)]
    test = [name for name in files if not name.startswith(DEV_FILES)]
    if options.sweep:
        for step in range(0, 10):
            threshold = round(0.3 + step * 0.05, 2)
            print(line(f"dev, threshold {threshold:.2f}", evaluate(options.seeds, dev, threshold)))
    print(
        f"threshold {MARK_THRESHOLD} (chosen on dev); target >= {TARGET:.0%} of highlights among the marked"
    )
    for label, names in (("dev", dev), ("test", test), ("all", files)):
        print(line(label, evaluate(options.seeds, names, MARK_THRESHOLD)))


if __name__ == "__main__":
    main()
