"""Reads of the review area: the queue with its facets, a claim's page, and the live-update tokens.

Visibility is the newsroom's (``claims.selectors.claims``): every authenticated user reads every
claim, anonymous users nothing. Page helpers take the claims a caller already fetched and read what
hangs off them in one query each, so a queue page costs the same number of queries for 5 rows as
for 100 (asserted in ``tests/claims/test_review_queue.py``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from annotations.models import AnchorState
from articles.models import Article, Outlet
from claims.models import (
    CheckStatus,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Finding,
    FindingState,
    Review,
    Source,
    SourceKind,
)
from claims.selectors.claims import UserLike, claim_latest_reviews
from claims.selectors.filters import MAX_QUERY_WORDS, ClaimFilters

PENDING_CHECKS = (CheckStatus.PENDING, CheckStatus.RUNNING)
# Facet lists longer than this show their most frequent values only.
FACET_LIMIT = 25
# How much of a paragraph is shown on each side of a highlight.
CONTEXT_CHARS = 260


# --- The queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to. ``status`` "" means any status; the default is the queue proper:
    claims awaiting a verdict. Dates are inclusive and compare with the day the claim was added."""

    status: str = ClaimStatus.UNREVIEWED
    check: str = ""
    contradictions: bool = False
    duplicates: bool = False
    outlet: int | None = None
    speaker: str = ""
    article: int | None = None
    added_from: date | None = None
    added_to: date | None = None
    q: str = ""
    assignee: int | None = None  # "Assigned to me" passes the user's id
    unassigned: bool = False

    def spec(self) -> ClaimFilters:
        """The claims these filters select: the queue's own parameters in the shared specification."""
        return ClaimFilters(
            status=self.status,
            check_status=self.check,
            contradictions=self.contradictions,
            duplicates=self.duplicates,
            outlet_id=self.outlet,
            speaker=self.speaker,
            article_id=self.article,
            added_from=self.added_from,
            added_to=self.added_to,
            words=tuple(self.q.split()[:MAX_QUERY_WORDS]),
            include_merged=False,
            assignee_id=self.assignee,
            unassigned=self.unassigned,
        )


def queue_claims(*, user: UserLike, filters: QueueFilters) -> QuerySet[Claim]:
    """The queue in priority order: open contradictions first, then claims reported by the most
    outlets, then the newest. Merged claims never appear (they live on in the claim they joined)."""
    if not user.is_authenticated:
        return Claim.objects.none()
    return (
        Claim.objects.filter(filters.spec().condition())
        .select_related("assignee")
        .order_by("-open_contradictions", "-outlet_count", "-created_at", "-id")
    )


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class QueueFacets:
    """Counts per filter option (each with the other filters applied) and the total of the queue."""

    total: int
    status: list[FacetOption]
    check: list[FacetOption]
    contradictions: int
    duplicates: int
    outlets: list[FacetOption]
    speakers: list[FacetOption]
    article: Article | None = None


# Facets that are columns of the claim row, counted together in one pass.
ROW_FACETS = ("status", "check_status", "contradictions", "duplicates")


def queue_facets(*, user: UserLike, filters: QueueFilters) -> QueueFacets:
    """Three aggregate queries (four with an article filter), whatever the size of the queue.

    Status, check state and the two finding flags are counted in one pass over the claims matching
    the other filters: each option's count is a conditional aggregate applying every filter but its
    own facet's. Outlets and speakers are grouped counts of their own.
    """
    if not user.is_authenticated:
        return QueueFacets(0, [], [], 0, 0, [], [])

    spec = filters.spec()

    def but(facet: str) -> Q:
        return spec.without(facet).condition(only=ROW_FACETS)

    def claims_but(*facets: str) -> QuerySet[Claim]:
        return Claim.objects.filter(spec.without(*facets).condition())

    counts: dict[str, Any] = {"total": Count("pk", filter=spec.condition(only=ROW_FACETS))}
    for value, _ in ClaimStatus.choices:
        counts[f"status_{value}"] = Count("pk", filter=Q(status=value) & but("status"))
    for value, _ in CheckStatus.choices:
        counts[f"check_{value}"] = Count("pk", filter=Q(check_status=value) & but("check_status"))
    counts["contradictions"] = Count("pk", filter=Q(open_contradictions__gt=0) & but("contradictions"))
    counts["duplicates"] = Count("pk", filter=Q(open_duplicates__gt=0) & but("duplicates"))
    totals = claims_but(*ROW_FACETS).aggregate(**counts)
    outlet_rows = (
        Source.objects.filter(
            kind=SourceKind.APPEARANCE,
            outlet__isnull=False,
            claim__in=claims_but("outlet_id"),
        )
        .values_list("outlet_id", "outlet__name")
        .annotate(n=Count("claim_id", distinct=True))
        .order_by("-n", "outlet__name")[:FACET_LIMIT]
    )
    speaker_rows = (
        claims_but("speaker")
        .exclude(speaker="")
        .order_by()
        .values_list("speaker")
        .annotate(n=Count("pk"))
        .order_by("-n", "speaker")[:FACET_LIMIT]
    )
    article = None
    if filters.article is not None:
        article = Article.objects.select_related("outlet").filter(pk=filters.article).first()
    return QueueFacets(
        total=totals["total"],
        status=[FacetOption(value, label, totals[f"status_{value}"]) for value, label in ClaimStatus.choices],
        check=[FacetOption(value, label, totals[f"check_{value}"]) for value, label in CheckStatus.choices],
        contradictions=totals["contradictions"],
        duplicates=totals["duplicates"],
        outlets=[FacetOption(str(outlet_id), name, n) for outlet_id, name, n in outlet_rows],
        speakers=[FacetOption(name, name, n) for name, n in speaker_rows],
        article=article,
    )


def outlet_name(*, outlet_id: int) -> str | None:
    return Outlet.objects.filter(pk=outlet_id).values_list("name", flat=True).first()


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue: the claim, where it appeared, its strongest open finding, its verdict."""

    claim: Claim
    outlets: list[str]
    first_article_id: int | None
    first_published_at: datetime | None
    top_finding: FindingLine | None
    latest_review: Review | None
    status_label: str
    verdict_label: str | None


@dataclass(frozen=True)
class FindingLine:
    kind: str
    score: float
    explanation: str
    other_claim_id: int


def queue_rows(*, claims: Sequence[Claim]) -> list[QueueRow]:
    """Rows for claims already read through ``queue_claims``: three queries for any number of rows."""
    ids = [claim.pk for claim in claims]
    appearances: dict[int, list[tuple[int, str | None, datetime | None]]] = defaultdict(list)
    for claim_id, article_id, outlet, published_at in (
        Source.objects.filter(claim_id__in=ids, kind=SourceKind.APPEARANCE, article__isnull=False)
        .order_by("claim_id", "article__published_at", "id")
        .values_list("claim_id", "article_id", "outlet__name", "article__published_at")
    ):
        appearances[claim_id].append((article_id, outlet, published_at))
    findings = list(
        Finding.objects.filter(Q(claim_low_id__in=ids) | Q(claim_high_id__in=ids), Finding.open_q())
        .order_by("kind", "-score", "id")  # contradictions before duplicates, then the strongest
        .values_list("kind", "score", "explanation", "claim_low_id", "claim_high_id")
    )
    # A finding with a claim merged since is settled. Reading the merged ids apart keeps both queries
    # on indexes, where a join would scan the claims table.
    ends = sorted({end for *_, low, high in findings for end in (low, high)})
    merged = set(Claim.objects.filter(pk__in=ends, merged_into__isnull=False).values_list("pk", flat=True))
    top: dict[int, FindingLine] = {}
    for kind, score, explanation, low, high in findings:
        if low in merged or high in merged:
            continue
        for claim_id, other_id in ((low, high), (high, low)):
            if claim_id in ids and claim_id not in top:
                top[claim_id] = FindingLine(kind, score, explanation, other_id)
    reviews = claim_latest_reviews(
        claim_ids=[claim.pk for claim in claims if claim.status != ClaimStatus.UNREVIEWED]
    )
    # Labels are lazy translations; resolving them once per page instead of once per row matters.
    labels = {value: str(label) for value, label in ClaimStatus.choices}
    rows = []
    for claim in claims:
        seen = appearances.get(claim.pk, [])
        review = reviews.get(claim.pk)
        dated = [published for _, _, published in seen if published is not None]
        rows.append(
            QueueRow(
                claim=claim,
                outlets=list(dict.fromkeys(outlet for _, outlet, _ in seen if outlet)),
                first_article_id=seen[0][0] if seen else None,
                first_published_at=min(dated) if dated else None,
                top_finding=top.get(claim.pk),
                latest_review=review,
                status_label=labels.get(claim.status, claim.status),
                verdict_label=labels.get(review.verdict, review.verdict) if review else None,
            )
        )
    return rows


def queue_claims_by_id(*, user: UserLike, claim_ids: Iterable[int]) -> list[Claim]:
    """Claims by id, merged ones included (a row learns that its claim was merged), in the given order."""
    if not user.is_authenticated:
        return []
    wanted = list(dict.fromkeys(claim_ids))
    found = Claim.objects.select_related("assignee").in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


# --- Live updates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveState:
    """What a page watching some claims needs to know: a token that changes whenever anything shown
    changes (so a poll answers 304 until then) and whether a check is still pending or running."""

    token: str
    pending: bool
    claims: dict[int, dict[str, Any]]


def live_state(*, user: UserLike, claim_ids: Iterable[int]) -> LiveState:
    """One query over the watched claims. Their counters move whenever a finding involving them is
    stored or decided, so they stand in for the findings themselves."""
    wanted = sorted(set(claim_ids))
    rows: list[tuple[Any, ...]] = []
    if user.is_authenticated and wanted:
        rows = list(
            Claim.objects.filter(pk__in=wanted)
            .order_by("pk")
            .values_list(
                "pk",
                "version",
                "status",
                "check_status",
                "open_contradictions",
                "open_duplicates",
                "outlet_count",
                "merged_into_id",
                "checked_at",
            )
        )
    claims = {
        row[0]: {
            "version": row[1],
            "status": row[2],
            "check_status": row[3],
            "open_contradictions": row[4],
            "open_duplicates": row[5],
            "merged_into": row[7],
        }
        for row in rows
    }
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:24]
    pending = any(row[3] in PENDING_CHECKS and row[7] is None for row in rows)
    return LiveState(token=digest, pending=pending, claims=claims)


def claim_live_token(*, user: UserLike, claim_id: int) -> LiveState:
    """The claim page's token: the claim's own state plus its findings' last change (a re-check can
    rewrite an explanation or a score without moving any counter)."""
    state = live_state(user=user, claim_ids=[claim_id])
    if not state.claims:
        return state
    findings = Finding.objects.filter(Q(claim_low_id=claim_id) | Q(claim_high_id=claim_id)).aggregate(
        n=Count("pk"), last=Max("updated_at")
    )
    digest = hashlib.sha256(f"{state.token}|{findings['n']}|{findings['last']}".encode()).hexdigest()[:24]
    return replace(state, token=digest)


# --- The claim page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppearanceContext:
    """A claim's appearance in an article with the highlight inside its paragraph: ``before`` +
    ``exact`` + ``after`` are consecutive text of the revision the highlight is anchored to."""

    claim_id: int
    article_id: int
    title: str
    url: str | None
    outlet: str | None
    published_at: datetime | None
    annotation_id: int | None
    before: str
    exact: str
    after: str
    anchor_state: str | None
    revision_number: int | None
    orphan: bool


def _trim_left(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < 40 else cut)


def _trim_right(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit - 40 else cut) + "…"


def paragraph_context(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """The paragraph around ``text[start:end]`` (paragraphs are separated by a blank line), split
    into before / highlight / after, each side trimmed to about ``limit`` characters at a word."""
    paragraph_start = text.rfind("\n\n", 0, start)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    before = " ".join(text[paragraph_start:start].split("\n"))
    after = " ".join(text[end:paragraph_end].split("\n"))
    # Keep the space that separates the highlight from its neighbours: trimming must not glue words.
    return _trim_left(before, limit), text[start:end], _trim_right(after, limit)


def appearance_contexts(*, claim_ids: Iterable[int]) -> dict[int, list[AppearanceContext]]:
    """Every appearance of each claim, earliest published first (undated last), in one query."""
    result: dict[int, list[AppearanceContext]] = defaultdict(list)
    wanted = list(set(claim_ids))
    if not wanted:
        return result
    sources = (
        Source.objects.filter(claim_id__in=wanted, kind=SourceKind.APPEARANCE, article__isnull=False)
        .select_related("article__outlet", "annotation__revision")
        .defer("article__current_revision")
        .order_by("claim_id", "id")
    )
    for source in sources:
        article = source.article
        assert article is not None  # filtered above
        annotation = source.annotation
        before = exact = after = ""
        orphan = False
        if annotation is not None:
            orphan = annotation.anchor_state == AnchorState.ORPHAN
            text = annotation.revision.text
            if not orphan and text[annotation.start : annotation.end] == annotation.exact:
                before, exact, after = paragraph_context(text, annotation.start, annotation.end)
            else:
                exact = annotation.exact
        result[source.claim_id].append(
            AppearanceContext(
                claim_id=source.claim_id,
                article_id=article.pk,
                title=article.title,
                url=article.url or source.url or None,
                outlet=article.outlet.name if article.outlet else None,
                published_at=article.published_at,
                annotation_id=annotation.pk if annotation else None,
                before=before,
                exact=exact,
                after=after,
                anchor_state=annotation.anchor_state if annotation else None,
                revision_number=annotation.revision.number if annotation else None,
                orphan=orphan,
            )
        )
    for contexts in result.values():
        contexts.sort(key=lambda item: (item.published_at is None, item.published_at or datetime.min))
    return result


@dataclass(frozen=True)
class FindingPanel:
    """A finding seen from the page's claim, with the other claim in its own article context."""

    finding: Finding
    other: Claim
    other_contexts: list[AppearanceContext]

    @property
    def is_open(self) -> bool:
        return self.finding.state == FindingState.SUGGESTED


def claim_finding_panels(*, claim: Claim) -> list[FindingPanel]:
    """The claim's findings, suggestions first, then the strongest: two queries."""
    findings = list(
        Finding.objects.filter(Q(claim_low_id=claim.pk) | Q(claim_high_id=claim.pk))
        .select_related("claim_low", "claim_high", "decided_by")
        .order_by("-score", "id")
    )
    others = {finding.other_claim_id(claim.pk) for finding in findings}
    contexts = appearance_contexts(claim_ids=others)
    panels = []
    for finding in findings:
        other = finding.claim_high if finding.claim_low_id == claim.pk else finding.claim_low
        panels.append(FindingPanel(finding=finding, other=other, other_contexts=contexts.get(other.pk, [])))
    panels.sort(key=lambda panel: (panel.finding.state != FindingState.SUGGESTED, -panel.finding.score))
    return panels


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str | None
    action: str
    summary: str
    reason: str
    claim_id: int
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ClaimPage:
    claim: Claim
    merged_into: Claim | None
    merged_from: list[Claim]
    contexts: list[AppearanceContext]
    links: list[Source]
    panels: list[FindingPanel]
    reviews: list[Review]
    history: list[HistoryEntry]

    @property
    def latest_review(self) -> Review | None:
        return self.reviews[0] if self.reviews else None

    @property
    def open_findings(self) -> int:
        return sum(1 for panel in self.panels if panel.is_open)


# Merges can chain (a claim merged into one that was later merged again); histories are gathered
# down to this depth, which no newsroom reaches by hand.
MAX_MERGE_DEPTH = 8


def claim_page_get(*, user: UserLike, claim_id: int) -> ClaimPage | None:
    """Everything the claim page shows, in a fixed number of queries (plus one per merge level).

    The history joins the claim's events with those of every claim merged into it, so a merge keeps
    both histories visible in one place; each entry says which claim it happened to.
    """
    if not user.is_authenticated:
        return None
    claim = Claim.objects.select_related("merged_into", "created_by").filter(pk=claim_id).first()
    if claim is None:
        return None
    merged_from: list[Claim] = []
    level = [claim.pk]
    for _ in range(MAX_MERGE_DEPTH):
        children = list(Claim.objects.filter(merged_into_id__in=level).order_by("pk"))
        if not children:
            break
        merged_from.extend(children)
        level = [child.pk for child in children]
    family = [claim.pk, *(child.pk for child in merged_from)]
    events = (
        ClaimEvent.objects.filter(claim_id__in=family).select_related("actor").order_by("-created_at", "-id")
    )
    reviews = list(
        Review.objects.filter(claim_id__in=family).select_related("reviewer").order_by("-created_at", "-id")
    )
    history = [
        HistoryEntry(
            at=event.created_at,
            actor=event.actor.username if event.actor else None,
            action=event.action,
            summary=event.summary,
            reason=event.reason,
            claim_id=event.claim_id,
            evidence=list(event.data.get("evidence") or []) if event.action == "reviewed" else [],
        )
        for event in events
        # A merge inside the family is told once, by the kept claim's "merged" event; the merged
        # claim's own "merged_into" record of the same merge would repeat it.
        if not (
            event.action == "merged_into" and event.claim_id != claim.pk and event.data.get("into") in family
        )
    ]
    links = list(
        Source.objects.filter(claim_id=claim.pk, kind__in=[SourceKind.EVIDENCE, SourceKind.ORIGIN])
        .select_related("created_by")
        .order_by("kind", "id")
    )
    return ClaimPage(
        claim=claim,
        merged_into=claim.merged_into,
        merged_from=merged_from,
        contexts=appearance_contexts(claim_ids=[claim.pk]).get(claim.pk, []),
        links=links,
        panels=claim_finding_panels(claim=claim),
        reviews=[review for review in reviews if review.claim_id == claim.pk],
        history=history,
    )
