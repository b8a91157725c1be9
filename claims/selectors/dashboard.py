"""Reads of the dashboard: verdict counts per outlet and per speaker, and the figures in dispute.

"Figures in dispute" are found in three steps: contradiction findings that are still open (suggested
or confirmed) link claims into groups (connected components); each claim's figures come from the
detector's ``analyse`` (pure and deterministic, so it is cached by text); within a group, the figures
of one measure (people killed, arrests, ...) and one scope (the places, bodies or people named with the
figure: a town, its province) are shown together when a contradiction links two claims that both
report that measure and the figures differ. A town's toll is never drawn on its province's line.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q

from claims import detection
from claims.models import VERDICTS, Claim, ClaimStatus, Finding, FindingKind, Source, SourceKind
from claims.selectors.claims import UserLike

STATUS_ORDER = (*VERDICTS, ClaimStatus.UNREVIEWED)
VERDICT_STATUSES = frozenset(VERDICTS)
# Contradiction graphs larger than this are cut (the biggest groups come first); the dashboard stays
# quick on a large archive.
MAX_DISPUTE_CLAIMS = 1500
MAX_DISPUTE_EDGES = 20000

MEASURE_TITLES = {
    "killed": "People killed",
    "injured": "People injured",
    "casualties": "Casualties",
    "arrests": "People arrested",
    "displaced": "People displaced or evacuated",
    "captured": "People captured",
    "troops": "Troops",
    "votes": "Votes",
    "percent": "Percentage",
    "tally": "Tally",
    "money": "Amount of money",
}


@dataclass(frozen=True)
class VerdictCounts:
    """Claims per label (an outlet or a speaker) and status, ``counts[status][i]`` for ``labels[i]``."""

    labels: list[str]
    counts: dict[str, list[int]]

    def as_json(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "series": [
                {"status": status.value, "label": status.label, "counts": self.counts[status]}
                for status in STATUS_ORDER
            ],
        }

    def rows(self) -> list[tuple[str, list[int]]]:
        """Per label, the counts in ``STATUS_ORDER`` (for the tables beside the charts)."""
        return [
            (label, [self.counts[status][index] for status in STATUS_ORDER])
            for index, label in enumerate(self.labels)
        ]


def _verdict_counts(rows: list[tuple[str, str, int]], limit: int) -> VerdictCounts:
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    for label, status, count in rows:
        by_label[label][status] += count

    def rank(label: str) -> tuple[int, int, str]:
        counts = by_label[label]
        verdicts = sum(counts[status] for status in VERDICT_STATUSES)
        return (-verdicts, -sum(counts.values()), label.lower())

    labels = sorted(by_label, key=rank)[:limit]
    return VerdictCounts(
        labels=labels,
        counts={status: [by_label[label][status] for label in labels] for status in STATUS_ORDER},
    )


def verdicts_by_outlet(*, user: UserLike, limit: int = 12) -> VerdictCounts:
    """Claims reported by each outlet, by status; a claim reported by two outlets counts for both."""
    if not user.is_authenticated:
        return VerdictCounts([], {status: [] for status in STATUS_ORDER})
    rows = (
        Source.objects.filter(
            kind=SourceKind.APPEARANCE, outlet__isnull=False, claim__merged_into__isnull=True
        )
        .values_list("outlet__name", "claim__status")
        .annotate(n=Count("claim_id", distinct=True))
        .order_by()
    )
    return _verdict_counts(list(rows), limit)


def verdicts_by_speaker(*, user: UserLike, limit: int = 12) -> VerdictCounts:
    if not user.is_authenticated:
        return VerdictCounts([], {status: [] for status in STATUS_ORDER})
    rows = (
        Claim.objects.filter(merged_into__isnull=True)
        .exclude(speaker="")
        .values_list("speaker", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _verdict_counts(list(rows), limit)


def status_totals(*, user: UserLike) -> dict[str, int]:
    """Claims by status, and how many carry an open contradiction (unmerged claims only)."""
    if not user.is_authenticated:
        return {}
    claims = Claim.objects.filter(merged_into__isnull=True)
    totals = claims.aggregate(
        total=Count("pk"),
        contradicted=Count("pk", filter=Q(open_contradictions__gt=0)),
        **{status.value: Count("pk", filter=Q(status=status)) for status in STATUS_ORDER},
    )
    return {key: int(value) for key, value in totals.items()}


# --- Figures in dispute ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure as a claim reported it, with what the figure plot needs to place and label it."""

    claim_id: int
    claim_text: str
    status: str
    speaker: str
    outlet: str | None
    date: datetime
    surface: str
    value: float
    low: float
    high: float | None  # None: open upwards ("more than 150")
    hedge: str
    unit: str

    def as_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim_id,
            "text": self.claim_text,
            "status": self.status,
            "speaker": self.speaker,
            "outlet": self.outlet,
            "date": self.date.date().isoformat(),
            "surface": self.surface,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "hedge": self.hedge,
            "unit": self.unit,
        }


@dataclass(frozen=True)
class FigureGroup:
    title: str
    topic: str
    measure: str
    figures: list[Figure]

    @property
    def claim_count(self) -> int:
        return len({figure.claim_id for figure in self.figures})

    @property
    def spread(self) -> float:
        """Largest figure over the smallest (the ratio the plot makes visible)."""
        values = [figure.value for figure in self.figures if figure.value > 0]
        return max(values) / min(values) if values else 1.0

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "topic": self.topic,
            "measure": self.measure,
            "claims": self.claim_count,
            "figures": [figure.as_json() for figure in self.figures],
        }


@dataclass(frozen=True)
class _ClaimFact:
    measure: str
    phrase: str
    quantity: detection.Quantity
    entities: frozenset[str]


@lru_cache(maxsize=20_000)
def _facts(text: str) -> tuple[_ClaimFact, ...]:
    """The figures of a claim text. ``analyse`` is pure, so the text is a complete cache key."""
    return tuple(
        _ClaimFact(fact.measure, fact.phrase, fact.quantity, fact.entities)
        for fact in detection.analyse(text).facts
        if math.isfinite(fact.quantity.value)
    )


def _components(edges: list[tuple[int, int]]) -> list[set[int]]:
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for low, high in edges:
        parent[root(low)] = root(high)
    groups: dict[int, set[int]] = defaultdict(set)
    for node in list(parent):
        groups[root(node)].add(node)
    return sorted(groups.values(), key=lambda group: (-len(group), min(group)))


def _title(measure: str, phrases: Counter[str]) -> str:
    if measure in MEASURE_TITLES:
        return MEASURE_TITLES[measure]
    kind, _, what = measure.partition(":")
    if kind == "money":
        return f"Amount of money ({what})"
    common = phrases.most_common(1)[0][0] if phrases else what
    return f"Number of {common}" if common else measure


# A figure with the names of its clause and its measure words.
_Found = tuple[Figure, frozenset[str], str]

# The row of figures that name no place when the group's figures name several.
NO_SCOPE = "place not named"


def _by_scope(found: list[_Found]) -> list[tuple[str, list[_Found]]]:
    """Split one measure's figures into rows of one scope each (a town, its province, a body), so
    that a town's toll is never drawn on the province's line.

    The scope of a figure is the set of places, bodies and people named in its clause. Figures
    naming the same set share a row. A set that is part of exactly one larger row's set joins it
    when what the larger adds is named elsewhere too, so is the event rather than a narrower place
    ("12 died in Renwick" joins "7 died in Renwick as the Corran Dam failed", the dam being named
    with the province too; "40,000 in Velsund" does not join "8,000 in Halvard Square, Velsund").
    A set that is part of several rows ("the Corran Dam", named with the town and with the province
    alike) keeps a row of its own, as do figures that name nothing (``NO_SCOPE``) unless there is
    only one row to join.
    Returns (label, figures) rows; the label names what sets the row apart from the others.
    """
    by_names: dict[frozenset[str], list[_Found]] = {}
    for item in found:
        by_names.setdefault(item[1], []).append(item)
    keys = sorted(by_names, key=lambda names: (-len(names), sorted(names)))
    mentions = Counter(name for names in keys for name in names)
    recurring = {name for name, count in mentions.items() if count > 1}
    root: dict[frozenset[str], frozenset[str]] = {}
    for names in keys:  # larger sets first, so every superset's row is known
        rows_above = {root[other] for other in keys if names < other and other - names <= recurring}
        root[names] = rows_above.pop() if len(rows_above) == 1 else names
    rows: dict[frozenset[str], list[_Found]] = {}
    for names in keys:
        rows.setdefault(root[names], []).extend(by_names[names])
    named = [names for names in rows if names]
    shared = frozenset.intersection(*named) if len(named) > 1 else frozenset()
    return [(_scope_label(names, shared), members) for names, members in rows.items()]


def _scope_label(names: frozenset[str], shared: frozenset[str]) -> str:
    if not names:
        return NO_SCOPE
    apart = sorted(names - shared) or sorted(names)
    return " · ".join(name.title() for name in apart[:2])


def figures_in_dispute(*, user: UserLike, limit: int = 10) -> list[FigureGroup]:
    """Groups of contradicting claims with the figures each reported, most claims first.

    Four queries: the open contradictions, their claims, and the claims' first appearances; the
    figures are read from the claim texts by the detector.
    """
    if not user.is_authenticated:
        return []
    edges = list(
        Finding.objects.filter(
            Finding.open_q(FindingKind.CONTRADICTION),
            claim_low__merged_into__isnull=True,
            claim_high__merged_into__isnull=True,
        )
        .order_by("id")
        .values_list("claim_low_id", "claim_high_id")[:MAX_DISPUTE_EDGES]
    )
    components: list[set[int]] = []
    budget = MAX_DISPUTE_CLAIMS
    for component in _components(edges):
        if len(component) > budget:
            continue
        components.append(component)
        budget -= len(component)
    wanted = set().union(*components) if components else set()
    claims = Claim.objects.in_bulk(list(wanted))
    first_seen: dict[int, tuple[str | None, datetime | None]] = {}
    for seen_id, seen_outlet, seen_at in (
        Source.objects.filter(claim_id__in=list(wanted), kind=SourceKind.APPEARANCE)
        .order_by("claim_id", "article__published_at", "id")
        .values_list("claim_id", "outlet__name", "article__published_at")
    ):
        # Databases disagree on where NULL sorts: a dated appearance wins over an undated one.
        if seen_id not in first_seen or (first_seen[seen_id][1] is None and seen_at is not None):
            first_seen[seen_id] = (seen_outlet, seen_at)
    edges_in: dict[int, list[tuple[int, int]]] = defaultdict(list)
    membership = {claim_id: index for index, component in enumerate(components) for claim_id in component}
    for low, high in edges:
        if low in membership:
            edges_in[membership[low]].append((low, high))
    groups: list[FigureGroup] = []
    for index, component in enumerate(components):
        facts = {claim_id: _facts(claims[claim_id].text) for claim_id in component if claim_id in claims}
        measures_of = {claim_id: {fact.measure for fact in items} for claim_id, items in facts.items()}
        disputed = {
            measure
            for low, high in edges_in[index]
            for measure in measures_of.get(low, set()) & measures_of.get(high, set())
        }
        for measure in sorted(disputed):
            found: list[_Found] = []
            for claim_id in sorted(component):
                claim = claims.get(claim_id)
                if claim is None:
                    continue
                outlet, published_at = first_seen.get(claim_id, (None, None))
                for fact in facts[claim_id]:
                    if fact.measure != measure:
                        continue
                    quantity = fact.quantity
                    figure = Figure(
                        claim_id=claim_id,
                        claim_text=claim.text,
                        status=claim.status,
                        speaker=claim.speaker,
                        outlet=outlet,
                        date=published_at or claim.created_at,
                        surface=quantity.surface,
                        value=quantity.value,
                        low=quantity.low,
                        high=quantity.high if math.isfinite(quantity.high) else None,
                        hedge=quantity.hedge,
                        unit=quantity.unit,
                    )
                    found.append((figure, fact.entities, fact.phrase))
            for scope, members in _by_scope(found):
                figures = [figure for figure, _, _ in members]
                if len({(figure.low, figure.high) for figure in figures}) < 2:
                    continue  # the same figure everywhere: the contradiction is about something else
                figures.sort(key=lambda figure: (figure.date, figure.claim_id))
                phrases = Counter(phrase for _, _, phrase in members)
                groups.append(FigureGroup(_title(measure, phrases), scope, measure, figures))
    groups.sort(key=lambda group: (-group.claim_count, -group.spread, group.title))
    return groups[:limit]
