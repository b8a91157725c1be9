"""Precision of automatic merges (issue 14, item 4), measured on every labelled pair we have.

Usage:
    python bench/evaluate_merges.py SHARED [--cache-dir DIR] [--calibration on|off|both] [--json PATH]

For each pair of each set and split (news, demo, seed, own-rules, desk dev, MRPC train/dev/test,
SICK train/dev/test, and ``tests/data/merge_pairs.jsonl``) it takes the decision the worker takes
(``claims.services.findings._drafts``): ``judge`` on the analysed pair and its wordllama cosine; a
duplicate scored at least ``SUGGEST_THRESHOLD`` becomes a finding, and that finding is merged
automatically when ``claims.detection.merging.confirms`` holds. It counts the automatic merges
and how many are right, and prints the precision with its 95 % Wilson lower bound.

A merge is right only when the gold label is ``duplicate``: by the labelling rules of
``bench/data/README.md`` (and MRPC's "same meaning", SICK's entailment both ways) a duplicate
already has the same place, body and date; ``merge_pairs.jsonl`` labels one-word changes of
place, figure, date or outcome ``same=false``. A lower bound of 0.99 needs about 380 right merges
and none wrong, so on these sets the bound says how much evidence there is, and the point
precision whether any merge was wrong.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pair_sets import PUBLIC_SOURCES, SOURCES, Pair, load_all  # noqa: E402
from claims.detection import SUGGEST_THRESHOLD, ClaimFeatures, analyse, judge  # noqa: E402
from claims.detection.merging import confirms  # noqa: E402
from claims.embedding import Embedder, get_embedder  # noqa: E402

MERGE_PAIRS = ROOT / "tests" / "data" / "merge_pairs.jsonl"


def wilson_lower(right: int, n: int, z: float = 1.96) -> float:
    """95 % Wilson score lower bound of a proportion (0 when nothing was measured)."""
    if n == 0:
        return 0.0
    p = right / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


def auto_merged(a: ClaimFeatures, b: ClaimFeatures, similarity: float, *, calibrated: bool) -> bool:
    """The worker's decision (``claims.services.findings._drafts`` with ``_confirms``)."""
    j = judge(a, b, similarity, calibrated=calibrated)
    return j.relation == "duplicate" and j.score >= SUGGEST_THRESHOLD and confirms(a, b, j.relation)


def merges(pairs: Sequence[Pair], emb: Embedder, *, calibrated: bool) -> list[tuple[Pair, bool]]:
    if not pairs:
        return []
    va = emb.embed([p.a for p in pairs])
    vb = emb.embed([p.b for p in pairs])
    sims = np.einsum("ij,ij->i", va, vb)
    return [
        (p, auto_merged(analyse(p.a), analyse(p.b), float(s), calibrated=calibrated))
        for p, s in zip(pairs, sims, strict=True)
    ]


def merge_pairs() -> list[Pair]:
    rows = [json.loads(x) for x in MERGE_PAIRS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [
        Pair(
            source="merge-pairs",
            id=f"merge-{k:03d}",
            a=r["a"],
            b=r["b"],
            label="duplicate" if r["same"] else "unrelated",
            kinds=(),
            split="test",
        )
        for k, r in enumerate(rows, 1)
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shared", type=Path, help="the shared folder (seeds/, benchmarks/)")
    ap.add_argument("--cache-dir", type=Path, default=None, help="embedder cache (default: a temp dir)")
    ap.add_argument("--calibration", choices=("on", "off", "both"), default="on")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = ap.parse_args()
    sets = load_all(args.shared, SOURCES + PUBLIC_SOURCES)
    sets["merge-pairs"] = merge_pairs()
    emb = get_embedder(args.cache_dir or Path(tempfile.mkdtemp(prefix="wordllama-")))
    figures: dict[str, object] = {}
    for calibrated in {"on": (True,), "off": (False,), "both": (False, True)}[args.calibration]:
        label = "calibrated" if calibrated else "rules"
        print(f"\n===== automatic merges, judge(..., calibrated={calibrated}) =====")
        total_n = total_right = 0
        out: dict[str, dict[str, object]] = {}
        wrong: list[Pair] = []
        for name, pairs in sets.items():
            for split in ("train", "dev", "test"):
                part = [p for p in pairs if p.split == split]
                if not part:
                    continue
                merged = [p for p, m in merges(part, emb, calibrated=calibrated) if m]
                right = sum(1 for p in merged if p.label == "duplicate")
                wrong += [p for p in merged if p.label != "duplicate"]
                total_n, total_right = total_n + len(merged), total_right + right
                gold = sum(1 for p in part if p.label == "duplicate")
                prec = right / len(merged) if merged else None
                out[f"{name}/{split}"] = {
                    "pairs": len(part),
                    "gold_duplicates": gold,
                    "merged": len(merged),
                    "right": right,
                    "precision": prec,
                    "wilson_lower": round(wilson_lower(right, len(merged)), 4),
                }
                shown = f"{prec:.3f}" if prec is not None else "  -  "
                print(
                    f"  {name + ' ' + split:<20} pairs={len(part):5d} gold dup={gold:5d}  merged={len(merged):4d} "
                    f"right={right:4d}  precision={shown}  Wilson 95% lower={wilson_lower(right, len(merged)):.3f}"
                )
        prec_all = total_right / total_n if total_n else float("nan")
        print(
            f"  ALL: merged {total_n}, right {total_right}: precision {prec_all:.4f}, "
            f"Wilson 95% lower bound {wilson_lower(total_right, total_n):.4f}"
        )
        for p in wrong:
            print(f"    WRONG [{p.id}] gold={p.label}\n      a: {p.a}\n      b: {p.b}")
        figures[label] = {
            "sets": out,
            "merged": total_n,
            "right": total_right,
            "precision": prec_all if total_n else None,
            "wilson_lower": round(wilson_lower(total_right, total_n), 4),
            "wrong": [p.id for p in wrong],
        }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
