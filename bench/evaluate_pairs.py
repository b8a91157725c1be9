"""Score the duplicate and contradiction checks on every labelled pair set, split by split.

Usage:
    python bench/evaluate_pairs.py [--shared PATH] [--sets news,own-rules,demo,seed,desk]
                                   [--cache-dir DIR] [--errors N] [--demo-findings]
                                   [--calibration on|off|both] [--json PATH]

``--sets`` may also name ``mrpc`` and ``sick`` (the public sets as pairs, see ``pair_sets``).
``--calibration``: the worker's judge (on), the rules alone (off), or both, one after the other.

Runs the detector the app runs (``claims.detection.analyse`` + ``judge`` on the wordllama cosine,
as ``bench/evaluate_detection.py`` builds them) over each pair set of ``bench/pair_sets.py`` and
prints, per set and split, precision and recall of ``duplicate``, ``contradiction`` and
``not-flagged``, their macro-F1 and a confusion matrix (rows: the four gold labels; columns: what
the app would show). A pair is flagged as the app flags it: a contradiction whenever ``judge``
says so, a duplicate when ``judge`` says so with a score at least ``SUGGEST_THRESHOLD``.

``--demo-findings`` loads the demo newsroom into a fresh SQLite database (``manage.py migrate``
then ``load_demo`` in a subprocess, so this script imports no Django) and scores the Finding rows
it stores against ``bench/data/demo_pairs.jsonl``: the share of findings a careful editor agrees
with, the findings no gold pair covers, and every automatic merge.

The ``test`` splits are for reporting: never tune on them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pair_sets import PUBLIC_SOURCES, SCORED, SOURCES, Pair, default_shared, load_all  # noqa: E402
from claims.detection import SUGGEST_THRESHOLD, ClaimFeatures, Judgement, analyse, judge  # noqa: E402
from claims.embedding import Embedder, get_embedder  # noqa: E402

GOLD_ROWS = ("duplicate", "contradiction", "consistent", "unrelated")


def flagged(j: Judgement) -> str:
    """What the app shows for a judged pair (see ``claims.services.findings._drafts``)."""
    if j.relation == "contradiction":
        return "contradiction"
    if j.relation == "duplicate" and j.score >= SUGGEST_THRESHOLD:
        return "duplicate"
    return "not-flagged"


@dataclass(frozen=True)
class Scored:
    pair: Pair
    judgement: Judgement
    predicted: str


def judge_pairs(pairs: Sequence[Pair], emb: Embedder, *, calibrated: bool = True) -> list[Scored]:
    """Each pair through ``judge`` as the worker calls it (``calibrated=False``: the rules alone)."""
    if not pairs:
        return []
    va = emb.embed([p.a for p in pairs])
    vb = emb.embed([p.b for p in pairs])
    sims = np.einsum("ij,ij->i", va, vb)
    out = []
    cache: dict[str, ClaimFeatures] = {}
    for pair, sim in zip(pairs, sims, strict=True):
        fa = cache.get(pair.a) or cache.setdefault(pair.a, analyse(pair.a))
        fb = cache.get(pair.b) or cache.setdefault(pair.b, analyse(pair.b))
        j = judge(fa, fb, float(sim), calibrated=calibrated)
        out.append(Scored(pair, j, flagged(j)))
    return out


@dataclass(frozen=True)
class Report:
    n: int
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    macro_f1: float
    confusion: dict[str, Counter[str]]


def report(scored: Sequence[Scored]) -> Report:
    confusion: dict[str, Counter[str]] = {g: Counter() for g in GOLD_ROWS}
    for s in scored:
        confusion[s.pair.label][s.predicted] += 1
    precision, recall, f1 = {}, {}, {}
    for cls in SCORED:
        tp = sum(1 for s in scored if s.predicted == cls and s.pair.scored_label == cls)
        predicted = sum(1 for s in scored if s.predicted == cls)
        gold = sum(1 for s in scored if s.pair.scored_label == cls)
        precision[cls] = tp / predicted if predicted else 0.0
        recall[cls] = tp / gold if gold else 0.0
        p, r = precision[cls], recall[cls]
        f1[cls] = 2 * p * r / (p + r) if p + r else 0.0
    present = [cls for cls in SCORED if any(s.pair.scored_label == cls for s in scored)]
    macro = float(np.mean([f1[c] for c in present])) if present else 0.0
    return Report(len(scored), precision, recall, f1, macro, confusion)


def as_json(r: Report) -> dict[str, object]:
    return {
        "n": r.n,
        "macro_f1": round(r.macro_f1, 4),
        "precision": {k: round(v, 4) for k, v in r.precision.items()},
        "recall": {k: round(v, 4) for k, v in r.recall.items()},
        "confusion": {gold: dict(row) for gold, row in r.confusion.items()},
    }


def print_report(title: str, r: Report) -> None:
    print(
        f"  {title:<14} n={r.n:<4} macro-F1={r.macro_f1:.3f}   "
        + "  ".join(f"{cls[:6]} P={r.precision[cls]:.2f} R={r.recall[cls]:.2f}" for cls in SCORED)
    )


def print_confusion(r: Report) -> None:
    print("      gold \\ shown      " + " ".join(f"{c:>13}" for c in SCORED))
    for gold in GOLD_ROWS:
        row = r.confusion[gold]
        if sum(row.values()):
            print(f"      {gold:<18}" + " ".join(f"{row[c]:>13d}" for c in SCORED))


def print_errors(scored: Sequence[Scored], limit: int) -> None:
    wrong = [s for s in scored if s.predicted != s.pair.scored_label]
    for s in wrong[:limit]:
        print(
            f"      [{s.pair.id}] gold={s.pair.label} shown={s.predicted} ({s.judgement.relation} {s.judgement.score:.2f})"
        )
        print(f"        a: {s.pair.a[:150]}")
        print(f"        b: {s.pair.b[:150]}")
        print(f"        why: {s.judgement.explanation[:200]}")


def print_between_outlets(scored: Sequence[Scored]) -> None:
    """Issue 14's seed figure: the marks an editor makes between outlets, found or not."""
    between = [s for s in scored if "within_article" not in s.pair.kinds]
    parts = []
    for cls in ("duplicate", "contradiction"):
        gold = [s for s in between if s.pair.label == cls]
        parts.append(f"{cls}s found {sum(s.predicted == cls for s in gold)}/{len(gold)}")
    wrong = sum(1 for s in between if s.predicted != "not-flagged" and s.predicted != s.pair.scored_label)
    print(f"  between outlets: {', '.join(parts)}; wrong flags {wrong}")


def evaluate_sets(
    sets: dict[str, list[Pair]],
    emb: Embedder,
    errors: int,
    *,
    calibrated: bool = True,
    confusion: bool = True,
) -> dict[str, dict[str, Report]]:
    """Per set and split: precision and recall of each scored class, macro-F1 (and confusion)."""
    results: dict[str, dict[str, Report]] = {}
    for name, pairs in sets.items():
        t0 = time.perf_counter()
        scored = judge_pairs(pairs, emb, calibrated=calibrated)
        kinds = Counter(p.label for p in pairs)
        print(
            f"\n{name}: {len(pairs)} pairs ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
            f"{time.perf_counter() - t0:.1f}s"
        )
        results[name] = {}
        for split in ("train", "dev", "test", "all"):
            part = [s for s in scored if split == "all" or s.pair.split == split]
            if not part or (split == "all" and len({s.pair.split for s in scored}) == 1):
                continue
            r = report(part)
            results[name][split] = r
            print_report(split, r)
            if confusion:
                print_confusion(r)
        if name == "seed":
            print_between_outlets(scored)
        if errors:
            print(f"    first {errors} errors:")
            print_errors(scored, errors)
    return results


# ---------------------------------------------------------------- demo findings
_DUMP = """
import json
from claims.models import Claim, Finding
out = {"findings": [], "merges": []}
for f in Finding.objects.select_related("claim_low", "claim_high").order_by("id"):
    out["findings"].append({"kind": f.kind, "state": f.state, "score": f.score, "explanation": f.explanation,
                            "a": f.claim_low.text, "b": f.claim_high.text})
for c in Claim.objects.filter(merged_into__isnull=False).select_related("merged_into").order_by("id"):
    out["merges"].append({"merged": c.text, "into": c.merged_into.text})
print("@@JSON@@" + json.dumps(out))
"""


def demo_findings_dump() -> dict[str, list[dict[str, object]]]:
    """Load the demo into a fresh SQLite database and return its findings and merges."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="corroborate-demo-") as var:
        env["CORROBORATE_VAR_DIR"] = var
        for args in (["migrate", "--no-input", "-v", "0"], ["load_demo", "--quiet"]):
            subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)
        done = subprocess.run(
            [python, "manage.py", "shell", "-c", _DUMP],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    line = next(x for x in done.stdout.splitlines() if x.startswith("@@JSON@@"))
    data: dict[str, list[dict[str, object]]] = json.loads(line.removeprefix("@@JSON@@"))
    return data


@dataclass(frozen=True)
class Finding:
    kind: str
    state: str
    score: float
    explanation: str
    a: str
    b: str


@dataclass(frozen=True)
class Merge:
    merged: str
    into: str


@dataclass(frozen=True)
class FindingsScore:
    """Stored findings held against the gold pairs: what an editor agrees with."""

    agreed: list[Finding]
    rejected: list[tuple[Finding, Pair]]
    unlabelled: list[Finding]
    merges: list[tuple[Merge, str]]  # each automatic merge with its gold label (or "unlabelled")
    gold_found: dict[str, tuple[int, int]]  # kind -> (gold pairs found, gold pairs)

    def precision(self, kind: str | None = None) -> float | None:
        """Share of labelled findings (of ``kind``) an editor agrees with; None when there are none."""
        agreed = sum(1 for f in self.agreed if kind in (None, f.kind))
        judged = agreed + sum(1 for f, _ in self.rejected if kind in (None, f.kind))
        return agreed / judged if judged else None


def score_findings(
    findings: Sequence[Finding], merges: Sequence[Merge], gold_pairs: Sequence[Pair]
) -> FindingsScore:
    gold = {frozenset((p.a, p.b)): p for p in gold_pairs}
    agreed, rejected, unlabelled = [], [], []
    for f in findings:
        pair = gold.get(frozenset((f.a, f.b)))
        if pair is None:
            unlabelled.append(f)
        elif pair.label == f.kind:
            agreed.append(f)
        else:
            rejected.append((f, pair))
    found = {frozenset((f.a, f.b)) for f in agreed}
    gold_found = {}
    for kind in ("duplicate", "contradiction"):
        wanted = [p for p in gold_pairs if p.label == kind]
        gold_found[kind] = (sum(1 for p in wanted if frozenset((p.a, p.b)) in found), len(wanted))
    labelled_merges = []
    for m in merges:
        pair = gold.get(frozenset((m.merged, m.into)))
        labelled_merges.append((m, pair.label if pair else "unlabelled"))
    return FindingsScore(agreed, rejected, unlabelled, labelled_merges, gold_found)


def score_demo_findings(gold_pairs: Sequence[Pair]) -> FindingsScore:
    dump = demo_findings_dump()
    findings = [
        Finding(
            kind=str(f["kind"]),
            state=str(f["state"]),
            score=float(str(f["score"])),
            explanation=str(f["explanation"]),
            a=str(f["a"]),
            b=str(f["b"]),
        )
        for f in dump["findings"]
    ]
    merges = [Merge(merged=str(m["merged"]), into=str(m["into"])) for m in dump["merges"]]
    result = score_findings(findings, merges, gold_pairs)
    kinds = Counter(f.kind for f in findings)
    print(
        f"\nDemo newsroom findings: {len(findings)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})"
    )
    overall = result.precision()
    if overall is not None:
        judged = len(result.agreed) + len(result.rejected)
        print(
            f"  an editor agrees with {len(result.agreed)}/{judged} labelled findings: precision {overall:.3f}"
        )
    for kind in ("duplicate", "contradiction"):
        p = result.precision(kind)
        if p is not None:
            print(f"    {kind}: {p:.3f}")
    for kind, (hit, total) in result.gold_found.items():
        print(f"  gold {kind}s found: {hit}/{total}")
    print(f"  findings with no gold pair (label them in demo_pairs.jsonl): {len(result.unlabelled)}")
    for f in result.unlabelled:
        print(f"    ? {f.kind} {f.score:.2f}: {f.a}  <>  {f.b}")
    print("  findings an editor rejects:")
    for f, pair in result.rejected:
        print(f"    x {f.kind} ({f.state}, {f.score:.2f}) gold={pair.label} [{pair.id}]")
        print(f"        {f.a}\n        {f.b}\n        why: {f.explanation}")
    print(f"  automatic merges: {len(result.merges)}")
    for m, label in result.merges:
        print(f"    merged ({label}): {m.merged}  ->  {m.into}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=None, help="the shared folder (seeds/, benchmarks/)")
    ap.add_argument("--sets", default=",".join(SOURCES), help="comma-separated sets to score")
    ap.add_argument("--cache-dir", type=Path, default=None, help="embedder cache (default: a temp dir)")
    ap.add_argument("--errors", type=int, default=0, help="print the first N wrongly shown pairs of each set")
    ap.add_argument("--demo-findings", action="store_true", help="also score the demo's stored findings")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    ap.add_argument(
        "--calibration",
        choices=("on", "off", "both"),
        default="both",
        help="judge with the calibrated last step (on, as the worker does), the rules alone (off), or both",
    )
    args = ap.parse_args()
    shared = args.shared or default_shared()
    wanted = [s for s in args.sets.split(",") if s]
    unknown = set(wanted) - set(SOURCES) - set(PUBLIC_SOURCES)
    if unknown:
        ap.error(f"unknown sets {sorted(unknown)}; choose from {', '.join(SOURCES + PUBLIC_SOURCES)}")
    sets = load_all(shared, wanted)
    missing = [s for s in wanted if s not in sets]
    if missing:
        print(f"not loaded (need --shared or the data file): {', '.join(missing)}")
    emb = get_embedder(args.cache_dir or Path(tempfile.mkdtemp(prefix="wordllama-")))
    print(f"embedder {emb.model_name}; SUGGEST_THRESHOLD={SUGGEST_THRESHOLD}; shared={shared}")
    modes = {"on": (True,), "off": (False,), "both": (False, True)}[args.calibration]
    figures: dict[str, object] = {}
    for calibrated in modes:
        label = "calibrated" if calibrated else "rules"
        print(f"\n===== {label}: judge(..., calibrated={calibrated}) =====")
        results = evaluate_sets(
            {k: sets[k] for k in wanted if k in sets}, emb, args.errors, calibrated=calibrated
        )
        figures[label] = {
            name: {split: as_json(r) for split, r in by.items()} for name, by in results.items()
        }
    if args.demo_findings:
        found = score_demo_findings(sets.get("demo") or load_all(shared, ["demo"])["demo"])
        figures["demo_findings"] = {
            "findings": len(found.agreed) + len(found.rejected) + len(found.unlabelled),
            "precision": found.precision(),
            "precision_duplicate": found.precision("duplicate"),
            "precision_contradiction": found.precision("contradiction"),
            "unlabelled": len(found.unlabelled),
            "gold_found": {kind: list(v) for kind, v in found.gold_found.items()},
            "merges": [{"merged": m.merged, "into": m.into, "gold": label} for m, label in found.merges],
        }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
