"""Every labelled pair set of the project, loaded as typed rows.

Pure Python (no Django): ``bench/evaluate_pairs.py``, the tuner and the tests share it.

Sets (``Pair.source``):

- ``news``: ``bench/data/news_pairs.jsonl``, hand-written statements about invented places, split
  by topic into train / dev / test. The test split is for reporting only: never tune on it.
- ``own-rules``: ``tests/data/detection_pairs.jsonl``, written beside the detection rules it
  scores, so a figure on it says how well the rules fit their own examples. Its rows count as
  ``train`` (no held-out part).
- ``demo``: ``bench/data/demo_pairs.jsonl``, pairs of claims of the demo newsroom
  (``claims/demo_data/``) named by their exact text; every text is checked against the demo data.
- ``seed``: ``bench/data/seed_pairs.jsonl``, pairs of highlighted sentences of the five seed
  articles, stored as file name + code-point offsets + a short sha1 of the span. The text is read
  from ``<shared>/seeds`` at run time (no seed sentence is copied into the project); a changed
  file raises ``SeedSpanError``.
- ``desk``: ``<shared>/benchmarks/desk-pairs/dev.jsonl``, the news desk's development pairs
  (``dev`` split).

Labels are ``duplicate``, ``contradiction``, ``consistent`` and ``unrelated``; a detector is scored
on three classes: duplicate, contradiction and not flagged (consistent + unrelated).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
NEWS_PAIRS = DATA / "news_pairs.jsonl"
DEMO_PAIRS = DATA / "demo_pairs.jsonl"
SEED_PAIRS = DATA / "seed_pairs.jsonl"
SEED_HIGHLIGHTS = DATA / "seed_highlights.jsonl"
OWN_RULES_PAIRS = ROOT / "tests" / "data" / "detection_pairs.jsonl"
DEMO_DATA = ROOT / "claims" / "demo_data"

LABELS = ("duplicate", "contradiction", "consistent", "unrelated")
SPLITS = ("train", "dev", "test")
#: The three classes a detector is scored on.
SCORED = ("duplicate", "contradiction", "not-flagged")
SOURCES = ("news", "own-rules", "demo", "seed", "desk")
#: Public benchmark sets as pairs (``load_mrpc``, ``load_sick``), from ``<shared>/benchmarks``.
PUBLIC_SOURCES = ("mrpc", "sick")


class PairSetError(ValueError):
    """A pair file is malformed or points at text that is not there."""


class SeedSpanError(PairSetError):
    """A seed span no longer reads the text it was written for (the seed file changed)."""


@dataclass(frozen=True)
class SeedSpan:
    file: str
    start: int
    end: int
    sha1: str

    def read(self, seeds_dir: Path) -> str:
        """The span's text, checked against its stored sha1."""
        path = seeds_dir / self.file
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise SeedSpanError(f"seed file {self.file} is not in {seeds_dir}") from exc
        if not 0 <= self.start < self.end <= len(text):
            raise SeedSpanError(
                f"{self.file}[{self.start}:{self.end}] is outside the file ({len(text)} chars)"
            )
        span = text[self.start : self.end]
        if span_sha1(span) != self.sha1:
            raise SeedSpanError(
                f"{self.file}[{self.start}:{self.end}] no longer matches its sha1 {self.sha1}: the seed changed"
            )
        return span


@dataclass(frozen=True)
class Pair:
    source: str
    id: str
    a: str
    b: str
    label: str
    kinds: tuple[str, ...]
    split: str
    topic: str = ""

    @property
    def scored_label(self) -> str:
        """The label on the three scored classes (consistent and unrelated are not flagged)."""
        return self.label if self.label in ("duplicate", "contradiction") else "not-flagged"


@dataclass(frozen=True)
class SeedHighlight:
    id: str
    span: SeedSpan
    note: str = ""


def span_sha1(text: str) -> str:
    """The short hash stored beside a seed span (first 12 hex digits of sha1 over UTF-8)."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def default_shared() -> Path | None:
    """``$CORROBORATE_SHARED``, else the first ``shared/`` folder beside the checkout or above it."""
    env = os.environ.get("CORROBORATE_SHARED")
    if env:
        return Path(env)
    for parent in ROOT.parents:
        candidate = parent / "shared"
        if (candidate / "seeds").is_dir() or (candidate / "benchmarks").is_dir():
            return candidate
    return None


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PairSetError(f"{path.name}:{number}: not JSON ({exc})") from exc
            if not isinstance(row, dict):
                raise PairSetError(f"{path.name}:{number}: expected an object")
            yield number, row


def _check(path: Path, number: int, row: dict[str, Any], *, split_required: bool = True) -> None:
    if row.get("label") not in LABELS:
        raise PairSetError(f"{path.name}:{number}: label {row.get('label')!r} is not one of {LABELS}")
    if split_required and row.get("split") not in SPLITS:
        raise PairSetError(f"{path.name}:{number}: split {row.get('split')!r} is not one of {SPLITS}")


def _text_pairs(path: Path, source: str) -> list[Pair]:
    pairs = []
    for number, row in _read_jsonl(path):
        _check(path, number, row)
        pairs.append(
            Pair(
                source=source,
                id=str(row["id"]),
                a=str(row["a"]),
                b=str(row["b"]),
                label=row["label"],
                kinds=tuple(row.get("kinds", ())),
                split=row["split"],
                topic=str(row.get("topic", "")),
            )
        )
    return pairs


def load_news(path: Path = NEWS_PAIRS) -> list[Pair]:
    return _text_pairs(path, "news")


def _fixed_split_pairs(path: Path, *, source: str, prefix: str, split: str) -> list[Pair]:
    """Pairs of a set that has no splits of its own: every row goes to ``split``."""
    pairs = []
    for number, row in _read_jsonl(path):
        _check(path, number, row, split_required=False)
        pairs.append(
            Pair(
                source=source,
                id=f"{prefix}-{number:03d}",
                a=row["a"],
                b=row["b"],
                label=row["label"],
                kinds=(row["note"],) if row.get("note") else (),
                split=split,
            )
        )
    return pairs


def load_own_rules(path: Path = OWN_RULES_PAIRS) -> list[Pair]:
    return _fixed_split_pairs(path, source="own-rules", prefix="own", split="train")


def demo_claim_texts(demo_dir: Path = DEMO_DATA) -> set[str]:
    """Every claim text the demo newsroom creates (highlighted claims and the archive)."""
    texts: set[str] = set()
    for _, row in _read_jsonl(demo_dir / "highlights.jsonl"):
        texts.add(row["claim"])
    for _, row in _read_jsonl(demo_dir / "claim_archive.jsonl"):
        texts.add(row["text"])
    return texts


def load_demo(path: Path = DEMO_PAIRS, demo_dir: Path = DEMO_DATA) -> list[Pair]:
    """Demo pairs; each side must be the exact text of a demo claim."""
    known = demo_claim_texts(demo_dir)
    pairs = _text_pairs(path, "demo")
    for pair in pairs:
        for side in (pair.a, pair.b):
            if side not in known:
                raise PairSetError(f"{path.name}: {pair.id} names a claim the demo does not have: {side!r}")
    return pairs


def _seed_span(raw: Any, where: str) -> SeedSpan:
    if not isinstance(raw, dict) or not {"file", "start", "end", "sha1"} <= raw.keys():
        raise PairSetError(f"{where}: a seed side needs file, start, end and sha1")
    return SeedSpan(
        file=str(raw["file"]), start=int(raw["start"]), end=int(raw["end"]), sha1=str(raw["sha1"])
    )


def load_seed(seeds_dir: Path, path: Path = SEED_PAIRS) -> list[Pair]:
    """Seed pairs with their text read from ``seeds_dir`` (raises ``SeedSpanError`` on drift)."""
    pairs = []
    for number, row in _read_jsonl(path):
        _check(path, number, row)
        where = f"{path.name}:{number}"
        a = _seed_span(row["a"], where).read(seeds_dir)
        b = _seed_span(row["b"], where).read(seeds_dir)
        pairs.append(
            Pair(
                source="seed",
                id=str(row["id"]),
                a=a,
                b=b,
                label=row["label"],
                kinds=tuple(row.get("kinds", ())),
                split=row["split"],
                topic=str(row.get("topic", "")),
            )
        )
    return pairs


def load_seed_highlights(seeds_dir: Path, path: Path = SEED_HIGHLIGHTS) -> list[tuple[SeedHighlight, str]]:
    """Every highlight an editor would make in the seeds, with its text read at run time."""
    out = []
    for number, row in _read_jsonl(path):
        span = _seed_span(row, f"{path.name}:{number}")
        out.append(
            (SeedHighlight(id=str(row["id"]), span=span, note=str(row.get("note", ""))), span.read(seeds_dir))
        )
    return out


def load_desk(benchmarks_dir: Path) -> list[Pair]:
    """The news desk's development pairs (``desk-pairs/dev.jsonl``), all in the ``dev`` split."""
    return _fixed_split_pairs(
        benchmarks_dir / "desk-pairs" / "dev.jsonl", source="desk", prefix="desk", split="dev"
    )


def load_all(shared: Path | None = None, sources: Iterable[str] = SOURCES) -> dict[str, list[Pair]]:
    """Every set that can be loaded; seed, desk, MRPC and SICK need ``shared`` (or a found default).
    ``sources`` may name ``PUBLIC_SOURCES`` too (not loaded by default: they are large)."""
    shared = shared if shared is not None else default_shared()
    wanted = set(sources)
    out: dict[str, list[Pair]] = {}
    if "news" in wanted and NEWS_PAIRS.exists():
        out["news"] = load_news()
    if "own-rules" in wanted:
        out["own-rules"] = load_own_rules()
    if "demo" in wanted and DEMO_PAIRS.exists():
        out["demo"] = load_demo()
    if shared is not None:
        if "mrpc" in wanted and (shared / "benchmarks" / "mrpc").is_dir():
            out["mrpc"] = load_mrpc(shared / "benchmarks")
        if "sick" in wanted and (shared / "benchmarks" / "sick").is_dir():
            out["sick"] = load_sick(shared / "benchmarks")
        if "seed" in wanted and SEED_PAIRS.exists() and (shared / "seeds").is_dir():
            out["seed"] = load_seed(shared / "seeds")
        if "desk" in wanted and (shared / "benchmarks" / "desk-pairs" / "dev.jsonl").exists():
            out["desk"] = load_desk(shared / "benchmarks")
    return out


def by_split(pairs: Iterable[Pair]) -> dict[str, list[Pair]]:
    out: dict[str, list[Pair]] = {}
    for pair in pairs:
        out.setdefault(pair.split, []).append(pair)
    return out


# ---------------------------------------------------------------- public sets as pairs
# MRPC and SICK as labelled pairs on the same three scored classes, in train / dev / test splits
# fixed by a hash (no randomness, no state): the calibrated judge is trained on ``train``, its
# thresholds chosen on ``dev``, and ``test`` is only reported.
#
# - MRPC: ``msr-para-test.tsv`` is the test split; 10 % of ``msr-para-train.tsv`` (by the sha1 of
#   the two sentence ids) is carved out as dev. Paraphrase -> duplicate, else consistent (MRPC's
#   negatives are sentences of one news story that say different things).
# - SICK: only the 2014 *test* file is shared, so it is cut into train / dev ("trial") / test by
#   the sha1 of each group of pairs that share a sentence (no sentence is in two splits): 6 / 1 / 3
#   tenths. CONTRADICTION -> contradiction; ENTAILMENT with relatedness >= 4.5 -> duplicate (the
#   two sentences say the same thing); NEUTRAL -> consistent (relatedness >= 3) or unrelated.
#   ENTAILMENT below 4.5 is one sentence saying less than the other ("a man plays a guitar" /
#   "a man plays an instrument"): neither our duplicate nor clearly not one, so it is left out of
#   training and scoring (``SICK_AMBIGUOUS`` counts them).
SICK_DUPLICATE_RELATEDNESS = 4.5
MRPC_DEV_TENTHS = 1


def _hash_tenth(key: str) -> int:
    return int(hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:8], 16) % 10


def _tsv(path: Path) -> list[list[str]]:
    import csv

    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def load_mrpc(benchmarks_dir: Path) -> list[Pair]:
    """MRPC train (less a hashed tenth: dev) and test, as pairs."""
    pairs = []
    for name, split in (("msr-para-train.tsv", "train"), ("msr-para-test.tsv", "test")):
        for row in _tsv(benchmarks_dir / "mrpc" / name):
            if len(row) < 5:
                continue
            key = f"{row[1]}-{row[2]}"
            part = split
            if split == "train" and _hash_tenth(key) < MRPC_DEV_TENTHS:
                part = "dev"
            pairs.append(
                Pair(
                    source="mrpc",
                    id=f"mrpc-{key}",
                    a=row[3],
                    b=row[4],
                    label="duplicate" if row[0] == "1" else "consistent",
                    kinds=(),
                    split=part,
                )
            )
    return pairs


SICK_AMBIGUOUS: dict[str, int] = {}


def load_sick(benchmarks_dir: Path) -> list[Pair]:
    """SICK 2014 test file cut into train / dev / test by sentence group (see above)."""
    rows = [r for r in _tsv(benchmarks_dir / "sick" / "SICK_test_annotated.txt") if len(r) >= 5]
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        ra, rb = root(r[1]), root(r[2])
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    pairs = []
    SICK_AMBIGUOUS.clear()
    for r in rows:
        tenth = _hash_tenth(root(r[1]))
        split = "train" if tenth < 6 else "dev" if tenth < 7 else "test"
        relatedness, judgment = float(r[3]), r[4]
        if judgment == "CONTRADICTION":
            label = "contradiction"
        elif judgment == "ENTAILMENT":
            if relatedness < SICK_DUPLICATE_RELATEDNESS:
                SICK_AMBIGUOUS[split] = SICK_AMBIGUOUS.get(split, 0) + 1
                continue
            label = "duplicate"
        else:
            label = "consistent" if relatedness >= 3.0 else "unrelated"
        pairs.append(
            Pair(source="sick", id=f"sick-{r[0]}", a=r[1], b=r[2], label=label, kinds=(), split=split)
        )
    return pairs
