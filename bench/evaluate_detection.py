"""Evaluate the claim detector on public benchmarks and on the hand-written pair set.

Usage: python bench/evaluate_detection.py PATH [--tune] [--splits dev,test] [--calibration on|off|both]
                                            [--json FILE] [--no-checkthat] [--no-titles]

PATH is the folder holding ``checkthat2020/``, ``mrpc/``, ``sick/`` and ``sts-headlines/``
(read only; nothing from it is copied anywhere). Everything runs through the same code the app
uses: ``analyse`` + ``CandidateIndex.search`` + ``judge`` + the wordllama embedder; CheckThat!
goes through a database and the match endpoint's own service function.

Prints:
- CheckThat! 2020 task 2: MAP@5, MRR@5, P@1 on dev and test: the 10,389 verified claims imported
  with ``import_claims`` into a fresh database (SQLite in a temp dir, or ``--database-url``), each
  with its fact-check's headline as the claim's ``title`` (``--no-titles``: the text alone), each
  tweet looked up with ``claims.services.index.claims_match(limit=5)``, the function behind
  ``POST /api/v1/claims/match/``, so the figure is what a client gets; with ``--tune`` also the
  match weights' grid on the train and dev splits (never test);
- every labelled pair set, split by split (news, demo, seed, own-rules, desk dev, MRPC train/dev/
  test, SICK train/dev("trial")/test as ``bench/pair_sets.py`` cuts them): precision and recall of
  duplicate, contradiction and not flagged, and macro-F1, through ``bench/evaluate_pairs.py``'s
  code path (``judge`` as the worker calls it); with ``--calibration both`` once with the rules
  alone and once calibrated; ``--json`` writes these figures;
- MRPC test: F1 and accuracy of relation == duplicate;
- SICK (the whole shared file, which the calibrated step was partly trained on: see the pair-set
  figures for its held-out test split): precision and recall of relation == contradiction;
- STS headlines 2013/2014: Spearman of the judge's similarity score and of the embedding cosine;
- the hand-written set ``tests/data/detection_pairs.jsonl``: macro-F1 and confusion matrix;
- the precision of automatic merges (``claims.detection.merging.confirms``, the rule the worker
  applies) on MRPC test and train, the hand-written set and ``tests/data/merge_pairs.jsonl``;
- with ``--tune``: the F1-optimal duplicate threshold on the MRPC *training* split (how
  SUGGEST_THRESHOLD was chosen).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.evaluate_pairs import as_json, evaluate_sets  # noqa: E402
from bench.pair_sets import PUBLIC_SOURCES, SOURCES, load_all  # noqa: E402
from claims.detection import (  # noqa: E402
    CONFIRM_THRESHOLD,
    RELATIONS,
    SUGGEST_THRESHOLD,
    ClaimFeatures,
    analyse,
    judge,
    similarity_score,
)
from claims.detection.merging import confirms  # noqa: E402
from claims.embedding import Embedder, get_embedder  # noqa: E402

csv.field_size_limit(1 << 30)
PAIRS = ROOT / "tests" / "data" / "detection_pairs.jsonl"
MERGE_PAIRS = ROOT / "tests" / "data" / "merge_pairs.jsonl"


def read_tsv(path: Path, header: bool = True) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(
            csv.reader(
                f, delimiter="\t", quoting=csv.QUOTE_MINIMAL if "checkthat" in str(path) else csv.QUOTE_NONE
            )
        )
    return rows[1:] if header else rows


# ---------------------------------------------------------------- CheckThat!
def _checkthat_gold(root: Path, split: str) -> tuple[dict[str, str], dict[str, set[int]]]:
    queries = {r[0]: r[1] for r in read_tsv(root / split / "tweets.queries.tsv")}
    gold: dict[str, set[int]] = {}
    for line in (root / split / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3:
            gold.setdefault(parts[0], set()).add(int(parts[2]))
    return queries, gold


def _rank_metrics(ranked: list[int], rel: set[int]) -> tuple[float, float, float]:
    """AP@5, reciprocal rank and P@1 of one ranked list."""
    hits = 0
    ap = 0.0
    for k, cid in enumerate(ranked[:5]):
        if cid in rel:
            hits += 1
            ap += hits / (k + 1)
    first = next((k for k, cid in enumerate(ranked) if cid in rel), None)
    rr = 1.0 / (first + 1) if first is not None else 0.0
    return ap / min(len(rel), 5), rr, float(first == 0)


def _django_database(database_url: str | None) -> str:
    """Point Django at a fresh database (SQLite in a temp dir unless ``database_url``), migrate."""
    import os

    url = database_url or f"sqlite:///{tempfile.mkdtemp(prefix='checkthat-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    return url


def checkthat(
    base: Path, splits: list[str], database_url: str | None, tune: bool, titles: bool = True
) -> None:
    """CheckThat! 2020 task 2 as a client meets it: the verified claims imported through
    ``import_claims`` into a database, each tweet looked up with the match endpoint's service
    function ``claims_match(text=..., limit=5)`` (the text cleaned as the endpoint cleans it)."""
    where = _django_database(database_url)
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from claims.detection.matching import DEFAULT_MATCH_WEIGHTS, MatchWeights, match_score
    from claims.models import Claim
    from claims.services.index import claims_match, match_candidates
    from claims.services.validation import clean_claim_text

    root = base / "checkthat2020"
    docs = read_tsv(root / "verified_claims.docs.tsv")
    archive = Path(tempfile.mkdtemp(prefix="checkthat-archive-")) / "verified.jsonl"
    with archive.open("w", encoding="utf-8") as out:
        for d in docs:
            line = {"text": d[1], "external_id": f"checkthat:{d[0]}"}
            if titles and len(d) > 2 and d[2].strip():
                line["title"] = d[2][:300]
            out.write(json.dumps(line) + "\n")
    t0 = time.perf_counter()
    call_command("import_claims", str(archive), "--no-progress", verbosity=0)
    merged = Claim.objects.filter(merged_into__isnull=False).count()
    to_vclaim = {
        pk: int(external.split(":", 1)[1])
        for pk, external in Claim.objects.filter(external_id__startswith="checkthat:").values_list(
            "pk", "external_id"
        )
    }
    print(
        f"CheckThat! 2020: imported {len(to_vclaim):,} verified claims "
        f"({'with' if titles else 'without'} their titles) with import_claims into "
        f"{where.split(':', 1)[0]} in {time.perf_counter() - t0:.0f}s ({merged} merged automatically); "
        f"queries through claims.services.index.claims_match(limit=5), weights {DEFAULT_MATCH_WEIGHTS}"
    )
    if tune:
        _tune_match_weights(root, to_vclaim, match_candidates, match_score, MatchWeights)
    for split in splits:
        queries, gold = _checkthat_gold(root, split)
        qids = sorted((q for q in queries if q in gold), key=int)
        t0 = time.perf_counter()
        ap5 = mrr = p1 = 0.0
        empty = invalid = 0
        for q in qids:
            try:
                text = clean_claim_text(queries[q])
            except ValidationError:
                invalid += 1
                continue
            ranked = [to_vclaim.get(m.claim_id, -1) for m in claims_match(text=text, limit=5)]
            empty += not ranked
            ap, rr, first = _rank_metrics(ranked, gold[q])
            ap5, mrr, p1 = ap5 + ap, mrr + rr, p1 + first
        dt = time.perf_counter() - t0
        n = len(qids)
        print(
            f"  {split:<5} queries={n:4d}  MAP@5={ap5 / n:.4f}  MRR@5={mrr / n:.4f}  P@1={p1 / n:.4f}  "
            f"empty={empty} refused={invalid}  ({n / dt:,.0f} queries/s through the service)"
        )


def _tune_match_weights(root: Path, to_vclaim: dict[int, int], candidates, score, weights_type) -> None:  # type: ignore[no-untyped-def]
    """Grid of match weights and floors on the train and dev splits only (never test)."""
    pools = []
    for split in ("train", "dev"):
        queries, gold = _checkthat_gold(root, split)
        for q in sorted((q for q in queries if q in gold), key=int):
            pools.append((gold[q], candidates(text=queries[q], pool=20)))
    print(f"  tuning match weights on train+dev ({len(pools)} queries)")
    for share in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
        w = weights_type(retrieval=share, judgement=round(1.0 - share, 2))
        total = 0.0
        gold_scores = []
        for rel, pool in pools:
            scored = sorted(
                ((score(c.score, j, w), c.claim_id) for c, j in pool), key=lambda x: (-x[0], x[1])
            )
            ranked = [to_vclaim.get(cid, -1) for _, cid in scored]
            total += _rank_metrics(ranked, rel)[0]
            gold_scores += [s for s, cid in scored if to_vclaim.get(cid, -1) in rel]
        low = np.percentile(gold_scores, [1, 5]) if gold_scores else [float("nan")] * 2
        print(
            f"    retrieval={share:.1f} judgement={1 - share:.1f}: MAP@5={total / len(pools):.4f}  "
            f"gold score 1st/5th percentile {low[0]:.3f}/{low[1]:.3f}"
        )


# ---------------------------------------------------------------- pairs
def embed_pairs(emb: Embedder, a: list[str], b: list[str]) -> npt.NDArray[np.float32]:
    va, vb = emb.embed(a), emb.embed(b)
    return np.einsum("ij,ij->i", va, vb).astype(np.float32)


def analyse_pairs(a: list[str], b: list[str]) -> tuple[list[ClaimFeatures], list[ClaimFeatures]]:
    return [analyse(x) for x in a], [analyse(x) for x in b]


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=False))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=False))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=False))
    acc = sum(p == g for p, g in zip(pred, gold, strict=False)) / max(1, len(gold))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, acc


def load_mrpc(path: Path) -> tuple[list[str], list[str], list[bool]]:
    rows = [r for r in read_tsv(path) if len(r) >= 5]
    return [r[3] for r in rows], [r[4] for r in rows], [r[0] == "1" for r in rows]


def mrpc(base: Path, emb: Embedder, tune: bool, calibrated: bool = True) -> list[tuple[bool, bool]]:
    if tune:
        a, b, gold = load_mrpc(base / "mrpc" / "msr-para-train.tsv")
        fa, fb = analyse_pairs(a, b)
        sims = embed_pairs(emb, a, b)
        scores = [judge(x, y, float(s), suggest_threshold=0.0) for x, y, s in zip(fa, fb, sims, strict=False)]
        best = (0.0, 0.0)
        for th in np.arange(0.30, 0.90, 0.01):
            pred = [j.relation == "duplicate" and j.score >= th for j in scores]
            f1 = prf(pred, gold)[2]
            if f1 > best[0] + 1e-9:
                best = (f1, float(th))
        print(f"MRPC train (tuning): best duplicate threshold {best[1]:.2f} -> F1 {best[0]:.4f}")
    a, b, gold = load_mrpc(base / "mrpc" / "msr-para-test.tsv")
    t0 = time.perf_counter()
    fa, fb = analyse_pairs(a, b)
    sims = embed_pairs(emb, a, b)
    js = [judge(x, y, float(s), calibrated=calibrated) for x, y, s in zip(fa, fb, sims, strict=False)]
    dt = time.perf_counter() - t0
    pred = [j.relation == "duplicate" for j in js]
    prec, rec, f1, acc = prf(pred, gold)
    print(
        f"MRPC test: pairs={len(gold)}  duplicate F1={f1:.4f}  accuracy={acc:.4f}  precision={prec:.4f}  "
        f"recall={rec:.4f}  (always-duplicate F1={prf([True] * len(gold), gold)[2]:.4f}; "
        f"{len(gold) / dt:,.0f} pairs/s incl. analyse+embed)"
    )
    return [(confirms(x, y, j.relation), g) for x, y, j, g in zip(fa, fb, js, gold, strict=False)]


def confirm_pairs(emb: Embedder, a: list[str], b: list[str], gold: list[bool]) -> list[tuple[bool, bool]]:
    """(merged automatically, gold duplicate) per pair, with the worker's rule."""
    fa, fb = analyse_pairs(a, b)
    sims = embed_pairs(emb, a, b)
    return [
        (confirms(x, y, judge(x, y, float(s)).relation), g)
        for x, y, s, g in zip(fa, fb, sims, gold, strict=False)
    ]


def merge_pairs(emb: Embedder) -> list[tuple[bool, bool]]:
    """``tests/data/merge_pairs.jsonl``: near-identical pairs, the same claim or one word apart in
    place, figure, date, direction or outcome (written for the merge rule; not seed text)."""
    rows = [json.loads(line) for line in MERGE_PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return confirm_pairs(emb, [r["a"] for r in rows], [r["b"] for r in rows], [r["same"] for r in rows])


def sick(base: Path, emb: Embedder, calibrated: bool = True) -> None:
    rows = [r for r in read_tsv(base / "sick" / "SICK_test_annotated.txt") if len(r) >= 5]
    a, b = [r[1] for r in rows], [r[2] for r in rows]
    gold = [r[4] == "CONTRADICTION" for r in rows]
    fa, fb = analyse_pairs(a, b)
    sims = embed_pairs(emb, a, b)
    pred = [
        judge(x, y, float(s), calibrated=calibrated).relation == "contradiction"
        for x, y, s in zip(fa, fb, sims, strict=False)
    ]
    prec, rec, f1, _ = prf(pred, gold)
    print(
        f"SICK (whole file): pairs={len(gold)}  contradiction precision={prec:.4f}  recall={rec:.4f}  F1={f1:.4f}  "
        f"(flagged {sum(pred)}, gold {sum(gold)})"
    )


def _ranks(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = np.arange(len(x), dtype=np.float64)
    # average ranks of ties
    vals = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and vals[j + 1] == vals[i]:
            j += 1
        if j > i:
            ranks[order[i : j + 1]] = (i + j) / 2.0
        i = j + 1
    return ranks


def spearman(x: list[float], y: list[float]) -> float:
    rx, ry = _ranks(np.asarray(x, dtype=np.float64)), _ranks(np.asarray(y, dtype=np.float64))
    return float(np.corrcoef(rx, ry)[0, 1])


def sts(base: Path, emb: Embedder) -> None:
    for year in ("2013", "2014"):
        rows = [
            r for r in read_tsv(base / "sts-headlines" / f"headlines-{year}.tsv", header=False) if len(r) >= 3
        ]
        gold = [float(r[0]) for r in rows]
        a, b = [r[1] for r in rows], [r[2] for r in rows]
        fa, fb = analyse_pairs(a, b)
        sims = embed_pairs(emb, a, b)
        judged = [similarity_score(x, y, float(s)) for x, y, s in zip(fa, fb, sims, strict=False)]
        print(
            f"STS headlines {year}: pairs={len(gold)}  "
            f"Spearman judge similarity={spearman(judged, gold):.4f}  "
            f"embedding cosine={spearman([float(s) for s in sims], gold):.4f}"
        )


def own_set(emb: Embedder) -> list[tuple[bool, bool]]:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    a, b = [r["a"] for r in rows], [r["b"] for r in rows]
    gold = [r["label"] for r in rows]
    fa, fb = analyse_pairs(a, b)
    sims = embed_pairs(emb, a, b)
    js = [judge(x, y, float(s)) for x, y, s in zip(fa, fb, sims, strict=False)]
    labels = list(RELATIONS)
    cm = np.zeros((4, 4), dtype=int)
    for j, g in zip(js, gold, strict=False):
        cm[labels.index(g), labels.index(j.relation)] += 1
    f1s = []
    for k in range(4):
        tp = cm[k, k]
        p = tp / cm[:, k].sum() if cm[:, k].sum() else 0.0
        r = tp / cm[k].sum() if cm[k].sum() else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    print(f"Hand-written set ({PAIRS.relative_to(ROOT)}): pairs={len(rows)}  macro-F1={np.mean(f1s):.4f}")
    print("  per label F1: " + "  ".join(f"{lab}={f:.3f}" for lab, f in zip(labels, f1s, strict=False)))
    print("  confusion (rows gold, columns predicted): " + " ".join(f"{lab[:5]:>6}" for lab in labels))
    for lab, row in zip(labels, cm, strict=False):
        print(f"    {lab:<13} " + " ".join(f"{v:6d}" for v in row))
    return [
        (confirms(x, y, j.relation), g == "duplicate") for x, y, j, g in zip(fa, fb, js, gold, strict=False)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path, help="benchmark folder (read only)")
    ap.add_argument("--tune", action="store_true", help="also report the F1-optimal threshold on MRPC train")
    ap.add_argument("--splits", default="dev,test", help="CheckThat! splits to evaluate")
    ap.add_argument(
        "--database-url",
        default=None,
        help="database the verified claims are imported into (emptied first); default: SQLite in a temp dir",
    )
    ap.add_argument("--cache-dir", type=Path, default=None, help="embedder cache (default: a temp dir)")
    ap.add_argument("--only-checkthat", action="store_true", help="run the CheckThat! part alone")
    ap.add_argument(
        "--no-titles", action="store_true", help="import the CheckThat! verified claims without their titles"
    )
    ap.add_argument(
        "--no-checkthat", action="store_true", help="skip the CheckThat! part (slow: imports 10k claims)"
    )
    ap.add_argument(
        "--calibration",
        choices=("on", "off", "both"),
        default="both",
        help="pair-set figures with the calibrated judge (on, as the worker), the rules alone (off), or both",
    )
    ap.add_argument("--json", type=Path, default=None, help="write the pair-set figures to this JSON file")
    ap.add_argument("--shared", type=Path, default=None, help="shared folder with seeds/ (default: PATH/..)")
    args = ap.parse_args()
    started = time.perf_counter()
    cache = args.cache_dir or Path(tempfile.mkdtemp(prefix="wordllama-"))
    emb = get_embedder(cache)
    print(
        f"embedder {emb.model_name} dim={emb.dim}; SUGGEST_THRESHOLD={SUGGEST_THRESHOLD} "
        f"CONFIRM_THRESHOLD={CONFIRM_THRESHOLD}"
    )
    if not args.no_checkthat:
        checkthat(
            args.path,
            [s for s in args.splits.split(",") if s],
            args.database_url,
            args.tune,
            not args.no_titles,
        )
    if args.only_checkthat:
        return
    shared = args.shared or args.path.parent
    sets = load_all(shared, SOURCES + PUBLIC_SOURCES)
    figures: dict[str, object] = {}
    modes = {"on": (True,), "off": (False,), "both": (False, True)}[args.calibration]
    for calibrated in modes:
        label = "calibrated" if calibrated else "rules"
        print(f"\n===== pair sets, judge(..., calibrated={calibrated}): per split =====")
        results = evaluate_sets(sets, emb, 0, calibrated=calibrated, confusion=False)
        figures[label] = {
            name: {split: as_json(r) for split, r in by.items()} for name, by in results.items()
        }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    calibrated = args.calibration != "off"
    print(f"\n===== legacy figures, judge(..., calibrated={calibrated}) =====")
    mrpc_out = mrpc(args.path, emb, args.tune, calibrated)
    sick(args.path, emb, calibrated)
    sts(args.path, emb)
    own_out = own_set(emb)
    # The worker's own rule (claims.services.findings confirms with claims.detection.merging).
    confirm_sets = {
        "MRPC test": mrpc_out,
        "hand-written set": own_out,
        "merge pairs": merge_pairs(emb),
        "MRPC train": confirm_pairs(emb, *load_mrpc(args.path / "mrpc" / "msr-para-train.tsv")),
    }
    print("Automatic merges (claims.detection.merging.confirms: near-identical text + same frame):")
    merged_all = correct_all = 0
    for name, out in confirm_sets.items():
        merged = [g for p, g in out if p]
        merged_all, correct_all = merged_all + len(merged), correct_all + sum(merged)
        print(
            f"  {name:<17} pairs={len(out):5d}  merged automatically={len(merged):3d}  of them duplicates="
            f"{sum(merged):3d}  (gold duplicates {sum(g for _, g in out)}, the rest left as suggestions)"
        )
    prec = correct_all / merged_all if merged_all else float("nan")
    print(f"  confirm precision over all sets: {prec:.4f} ({correct_all}/{merged_all})")
    t0 = time.perf_counter()
    a = analyse("About 3,000 North Korean troops were sent to Russia.")
    b = analyse("Over 11,000 North Korean troops have been deployed to Russia.")
    for _ in range(2000):
        judge(a, b, 0.9)
    print(
        f"judge throughput: {2000 / (time.perf_counter() - t0):,.0f} pairs/s; "
        f"total time {time.perf_counter() - started:.0f}s"
    )


if __name__ == "__main__":
    main()
