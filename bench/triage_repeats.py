"""Repeats of reviewed claims found on arrival: the five seed articles imported one after the other.

    .venv/bin/python bench/triage_repeats.py --seeds ../shared/seeds        # the seed figure (test)
    .venv/bin/python bench/triage_repeats.py --dev --benchmarks ../shared/benchmarks   # the sweep

Seeds: in a scratch SQLite database (embedded mode: checks and triage run in-process, as without a
broker), the seeds are created in file order with ``article_create`` (the triage hook runs on
commit). After each article arrives, the claims of its highlights (``bench/data/seed_highlights.jsonl``)
are made with ``claim_create`` and given a verdict, so every later article is read against the
reviewed claims of the earlier ones. A sentence of a later article is predicted to repeat when triage
lists a repeat for it; it is a gold repeat when it overlaps a span of
``bench/data/triage_seed_repeats.jsonl`` (file names and code-point offsets into the seeds, read at run
time: the later side of each duplicate pair between outlets of ``seed_pairs.jsonl``, whose earlier
side is a highlight of an earlier article). Precision and recall over those sentences; target >= 0.90.
The seed pairs are all ``test``: the threshold was not chosen on them.

Dev (``--dev``; train and dev splits only): rows are the results of ``claims_match_many`` (what triage
calls), each judged by ``claims.detection.repeats.repeat_relation`` (what triage keeps):

- news pairs: side a stored as a reviewed claim, side b matched; b repeats a when the pair is a
  duplicate;
- the demo newsroom: every demo claim stored, each highlight's sentence matched; a result repeats
  when ``demo_pairs.jsonl`` labels it a duplicate of the highlight's claim (unlabelled results are
  left out): one story told by several outlets, as the seeds are;
- with ``--benchmarks``, CheckThat! 2020: the verified claims imported, each tweet's three best
  results; a result repeats when it is one of the tweet's fact-checked claims.

It prints precision and recall of the rule before ``contains`` (duplicates alone), then per set and
pooled for a grid of the ``contains`` thresholds, and the one with the highest pooled recall at a
pooled precision of at least 0.90: the shipped thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "bench" / "data" / "triage_seed_repeats.jsonl"
TARGET = 0.90


def django_setup() -> None:
    os.environ["CORROBORATE_VAR_DIR"] = tempfile.mkdtemp(prefix="corroborate-triage-bench-")
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def run_seeds(seeds: Path) -> None:
    from articles.textnorm import normalise_text
    from bench.pair_sets import SeedSpan, load_seed_highlights
    from claims.detection.repeats import CONTAINS_MIN_COVERAGE, CONTAINS_MIN_SCORE, DUPLICATE_MIN_SCORE
    from claims.models import ClaimStatus, TriageRun
    from claims.selectors.triage import article_triage
    from claims.services.claims import SelectorInput, claim_create
    from tests.factories import article as make_article

    highlights = load_seed_highlights(seeds)
    gold: dict[str, list[str]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        span = SeedSpan(row["file"], row["start"], row["end"], row["sha1"])
        gold.setdefault(row["file"], []).append(normalise_text(span.read(seeds)))
    files = sorted(path.name for path in seeds.glob("*.txt"))
    tp = fp = fn = 0
    for position, name in enumerate(files):
        raw = (seeds / name).read_text(encoding="utf-8")
        article = make_article(text=raw, title=name, url=f"https://seeds.example/{name}", outlet=name[:3])
        revision = article.current_revision
        assert revision is not None
        run = TriageRun.objects.get(revision=revision)
        assert run.state == "done", run.state
        text = revision.text
        if position > 0:
            gold_spans = []
            for quote in gold.get(name, []):
                at = text.find(quote)
                if at < 0:
                    raise SystemExit(f"a gold span of {name} is not in its normalised text")
                gold_spans.append((at, at + len(quote)))
            for sentence in article_triage(article=article).sentences:
                predicted = bool(sentence["repeats"])
                actual = any(s < sentence["end"] and sentence["start"] < e for s, e in gold_spans)
                tp += predicted and actual
                fp += predicted and not actual
                fn += actual and not predicted
                if predicted != actual:
                    kind = "false repeat" if predicted else "missed repeat"
                    print(f"  {kind}: {name}[{sentence['start']}:{sentence['end']}] {sentence['repeats']}")
        # The desk reviews the claims of this article before the next one arrives.
        for highlight, quote in highlights:
            if highlight.span.file != name:
                continue
            claim_create(
                user=None,
                article=article,
                selector=SelectorInput(exact=normalise_text(quote)),
                status=ClaimStatus.DISPUTED,
            )
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    verdict = "met" if precision >= TARGET and recall >= TARGET else "NOT met"
    print(
        f"seed (test), duplicate >= {DUPLICATE_MIN_SCORE}, contains >= {CONTAINS_MIN_SCORE} at "
        f"coverage >= {CONTAINS_MIN_COVERAGE}: {tp} found, {fp} false, {fn} missed; "
        f"precision {precision:.2f}, recall {recall:.2f}; target >= {TARGET:.2f} both: {verdict}"
    )


@dataclass(frozen=True)
class DevRow:
    """One (statement, stored claim) result of ``claims_match_many`` on a dev set, with the inputs
    of ``repeat_relation`` and whether the statement repeats the claim."""

    name: str
    split: str
    repeats: bool
    score: float
    judgement: Any
    coverage: float
    sentence: str
    claim: str


def _dev_news(ids: dict[str, int]) -> list[DevRow]:
    """news_pairs train and dev: side b against its side a (a stored claim); b repeats a when the
    pair is a duplicate. A pair whose a is not among b's results counts as not found."""
    from bench.pair_sets import load_news
    from claims.services.index import claims_match_many

    pairs = [pair for pair in load_news() if pair.split in ("train", "dev")]
    results = claims_match_many(texts=[pair.b for pair in pairs], limit=3, min_score=0.0)
    rows = []
    for pair, matches in zip(pairs, results, strict=True):
        match = next((m for m in matches if m.claim_id == ids[pair.a]), None)
        if match is None:
            rows.append(DevRow("news", pair.split, pair.label == "duplicate", 0.0, None, 0.0, pair.b, pair.a))
            continue
        rows.append(
            DevRow(
                "news",
                pair.split,
                pair.label == "duplicate",
                match.score,
                match.judgement,
                match.coverage,
                pair.b,
                match.text,
            )
        )
    return rows


def _dev_demo(ids: dict[str, int]) -> list[DevRow]:
    """The demo newsroom, train and dev: the sentence of each highlight against the other demo
    claims (every one stored); a result repeats when ``demo_pairs.jsonl`` labels the highlight's
    claim and it a duplicate, and does not under any other label (results of unlabelled pairs and
    of test pairs are left out). One story told by several outlets, as the seeds are: the
    precision check that CheckThat! (one claim per tweet) cannot give."""
    from bench.pair_sets import DEMO_DATA, load_demo
    from claims.detection.sentences import split_sentences
    from claims.services.index import claims_match_many

    labels = {
        frozenset((pair.a, pair.b)): pair.label == "duplicate"
        for pair in load_demo()
        if pair.split in ("train", "dev")
    }
    splits = {frozenset((pair.a, pair.b)): pair.split for pair in load_demo()}
    texts = {}
    for line in (DEMO_DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["url"]] = row["text"]
    queries: list[tuple[str, str]] = []  # (sentence, the highlight's claim)
    for line in (DEMO_DATA / "highlights.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = texts[row["article_url"]]
        at = text.find(row["exact"])
        sentence = next((s.text for s in split_sentences(text) if s.start <= at < s.end), row["exact"])
        queries.append((sentence, row["claim"]))
    results = claims_match_many(texts=[sentence for sentence, _ in queries], limit=4, min_score=0.0)
    rows = []
    for (sentence, own), matches in zip(queries, results, strict=True):
        for match in matches:
            key = frozenset((own, match.text))
            if match.claim_id == ids.get(own) or key not in labels:
                continue
            rows.append(
                DevRow(
                    "demo",
                    splits[key],
                    labels[key],
                    match.score,
                    match.judgement,
                    match.coverage,
                    sentence,
                    match.text,
                )
            )
    return rows


def _dev_checkthat(benchmarks: Path, to_vclaim: dict[int, int]) -> list[DevRow]:
    """CheckThat! 2020 train and dev: each tweet's three best results; a result repeats when it is
    one of the tweet's fact-checked claims."""
    from django.core.exceptions import ValidationError

    from bench.evaluate_detection import _checkthat_gold
    from claims.services.index import claims_match_many
    from claims.services.validation import clean_claim_text

    rows = []
    for split in ("train", "dev"):
        queries, gold = _checkthat_gold(benchmarks / "checkthat2020", split)
        texts = []
        for qid in sorted((q for q in queries if q in gold), key=int):
            try:
                texts.append((qid, clean_claim_text(queries[qid])))
            except ValidationError:
                continue
        results = claims_match_many(texts=[text for _, text in texts], limit=3, min_score=0.0)
        for (qid, text), matches in zip(texts, results, strict=True):
            rows.extend(
                DevRow(
                    "checkthat",
                    split,
                    to_vclaim.get(m.claim_id) in gold[qid],
                    m.score,
                    m.judgement,
                    m.coverage,
                    text,
                    m.text,
                )
                for m in matches
            )
    return rows


def run_dev(benchmarks: Path | None) -> None:
    from claims import detection
    from claims.detection.repeats import (
        CONTAINS_MIN_COVERAGE,
        CONTAINS_MIN_SCORE,
        DUPLICATE_MIN_SCORE,
        repeat_relation,
    )
    from claims.models import Claim, ClaimStatus
    from claims.services.claims import claim_create

    to_vclaim: dict[int, int] = {}
    if benchmarks is not None:
        from django.core.management import call_command

        from bench.evaluate_detection import read_tsv

        archive = Path(tempfile.mkdtemp(prefix="triage-dev-")) / "verified.jsonl"
        with archive.open("w", encoding="utf-8") as out:
            for doc in read_tsv(benchmarks / "checkthat2020" / "verified_claims.docs.tsv"):
                line = {"text": doc[1], "external_id": f"checkthat:{doc[0]}"}
                if len(doc) > 2 and doc[2].strip():
                    line["title"] = doc[2][:300]
                out.write(json.dumps(line) + "\n")
        call_command("import_claims", str(archive), "--no-progress", verbosity=0)
        to_vclaim = {
            pk: int(external.split(":", 1)[1])
            for pk, external in Claim.objects.filter(external_id__startswith="checkthat:").values_list(
                "pk", "external_id"
            )
        }
    from bench.pair_sets import demo_claim_texts, load_news

    ids: dict[str, int] = {}
    for pair in load_news():
        if pair.split in ("train", "dev") and pair.a not in ids:
            ids[pair.a] = claim_create(user=None, text=pair.a, status=ClaimStatus.DISPUTED).pk
    for text in sorted(demo_claim_texts()):
        if text not in ids:
            ids[text] = claim_create(user=None, text=text, status=ClaimStatus.DISPUTED).pk
    rows = _dev_news(ids) + _dev_demo(ids)
    if benchmarks is not None:
        rows += _dev_checkthat(benchmarks, to_vclaim)
    texts = sorted({row.sentence for row in rows} | {row.claim for row in rows})
    features = dict(zip(texts, detection.analyse_many(texts), strict=True))
    groups = sorted({(row.name, row.split) for row in rows})
    # A CheckThat! tweet counts once however many of its results are right; a news pair once.
    wanted = {
        group: len({row.sentence for row in rows if (row.name, row.split) == group and row.repeats})
        for group in groups
    }

    def predicted(row: DevRow, min_score: float, min_coverage: float, contains: bool = True) -> bool:
        if row.judgement is None:
            return False
        relation = repeat_relation(
            score=row.score,
            judgement=row.judgement,
            sentence=features[row.sentence],
            claim=features[row.claim],
            coverage=row.coverage,
            min_score=min_score if contains else 2.0,
            min_coverage=min_coverage,
        )
        return relation is not None

    def report(
        label: str, min_score: float, min_coverage: float, contains: bool = True
    ) -> tuple[float, float]:
        found = false = 0
        parts = []
        for group in groups:
            part = [row for row in rows if (row.name, row.split) == group]
            tp = sum(1 for row in part if row.repeats and predicted(row, min_score, min_coverage, contains))
            fp = sum(
                1 for row in part if not row.repeats and predicted(row, min_score, min_coverage, contains)
            )
            found, false = found + tp, false + fp
            parts.append(
                f"{group[0]} {group[1]} P {_ratio(tp, tp + fp):.2f} R {_ratio(tp, wanted[group]):.2f}"
            )
        precision, recall = _ratio(found, found + false), _ratio(found, sum(wanted.values()))
        print(f"  {label}: precision {precision:.3f}, recall {recall:.3f}  ({'; '.join(parts)})")
        return precision, recall

    print(
        f"dev: {len(rows)} results of {sum(wanted.values())} repeating statements ({', '.join(f'{n} {s}' for n, s in groups)})"
    )
    report(
        f"duplicates at {DUPLICATE_MIN_SCORE} alone (the rule before 'contains')", 0.0, 0.0, contains=False
    )
    best: tuple[float, float, float] | None = None
    for min_score in (0.45, 0.5, 0.55, 0.6, 0.65):
        for min_coverage in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6):
            precision, recall = report(
                f"contains at score >= {min_score}, coverage >= {min_coverage}", min_score, min_coverage
            )
            if precision >= TARGET and (best is None or recall > best[0]):
                best = (recall, min_score, min_coverage)
    if best is not None:
        print(f"highest recall at precision >= {TARGET}: score >= {best[1]}, coverage >= {best[2]}")
    report(
        f"shipped: score >= {CONTAINS_MIN_SCORE}, coverage >= {CONTAINS_MIN_COVERAGE}",
        CONTAINS_MIN_SCORE,
        CONTAINS_MIN_COVERAGE,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=Path, help="the folder of the five seed articles")
    parser.add_argument("--dev", action="store_true", help="the threshold sweep on train and dev")
    parser.add_argument(
        "--benchmarks",
        type=Path,
        help="with --dev: the benchmarks folder, to add CheckThat! 2020 train and dev",
    )
    options: Any = parser.parse_args()
    if not options.dev and options.seeds is None:
        parser.error("give --seeds DIR or --dev")
    django_setup()
    if options.dev:
        run_dev(options.benchmarks)
    else:
        run_seeds(options.seeds)


if __name__ == "__main__":
    main()
