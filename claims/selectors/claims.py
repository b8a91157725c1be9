"""Reads of claims and what hangs off them, for the API and the review UI.

Visibility: every authenticated user reads every claim (the newsroom shares one archive); anonymous
users read nothing. Functions that take ``user`` apply that rule; the ``claim_ids`` helpers read
related rows for claims the caller already fetched through one of them, in one query each, so a
page costs the same number of queries whatever its length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_datetime

from claims.models import Claim, ClaimEvent, Finding, Review, Source, SourceKind
from claims.selectors.filters import ClaimFilters

UserLike = AbstractBaseUser | AnonymousUser
NO_FILTERS = ClaimFilters()
FINDING_FIELDS = (
    "id", "kind", "score", "explanation", "state", "decided_at",
    "claim_low", "claim_low__text", "claim_high", "claim_high__text",
)  # fmt: skip


@dataclass(frozen=True)
class FindingView:
    """A finding seen from one of its two claims (``claim_id``); ``other_*`` describe the other."""

    id: int
    kind: str
    claim_id: int
    other_claim_id: int
    other_text: str
    score: float
    explanation: str
    state: str
    decided_at: datetime | None


@dataclass(frozen=True)
class AppearanceView:
    """Where a claim appears: an article, and the highlight in it when there is one; or (no
    ``article_id``) a page, post or broadcast recorded with the claim, with who made it there."""

    article_id: int | None
    title: str
    url: str | None
    outlet: str | None
    published_at: datetime | None
    annotation_id: int | None
    exact: str | None
    anchor_state: str | None
    author: str | None = None
    seen_at: datetime | None = None

    @property
    def appeared_at(self) -> datetime | None:
        """The earliest the claim is known to have been made here."""
        return self.published_at or self.seen_at


def _findings_count() -> CombinedExpression:
    def count_by(field: str) -> Subquery:
        return Subquery(
            Finding.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(total=Count("pk"))
            .values("total"),
            output_field=IntegerField(),
        )

    # A pair is stored once, lower id first, so a claim's findings are those where it is either end.
    return Coalesce(count_by("claim_low"), Value(0)) + Coalesce(count_by("claim_high"), Value(0))


def claim_list(*, user: UserLike, filters: ClaimFilters = NO_FILTERS) -> QuerySet[Claim]:
    """Claims the user may read that match ``filters``, each annotated with ``findings_count``.

    ``ClaimFilters`` says what each filter means (merged claims are included by default so that a
    syncing client learns of the merge). Unordered: callers order (the API by updated_at, id).
    """
    if not user.is_authenticated:
        return Claim.objects.none()
    return Claim.objects.filter(filters.condition()).annotate(findings_count=_findings_count())


SYNC_COLUMNS = (
    "id", "text", "title", "speaker", "status", "check_status", "version", "merged_into_id", "findings_count",
    "open_contradictions", "open_duplicates", "outlet_count", "created_at", "updated_at", "reviewed_at",
)  # fmt: skip
_SYNC_TIMESTAMPS = ("created_at", "updated_at", "reviewed_at")


def claim_sync_page(
    *, user: UserLike, after: tuple[datetime, int] | None, limit: int, filters: ClaimFilters = NO_FILTERS
) -> list[dict[str, Any]]:
    """Up to ``limit`` rows of ``claim_list(...)`` with the same filters, in (updated_at, id) order
    strictly after the position ``after``, as dicts of ``SYNC_COLUMNS`` (timestamps aware, in UTC).

    Written as SQL because it is the API's hottest read (clients syncing a million claims): the
    ORM's query compilation and Django's Python timestamp loader cost 3 ms a page, more than the
    rest of the request. tests/api/test_claims_list.py holds it to ``claim_list``.
    """
    if not user.is_authenticated:
        return []
    claim, finding = Claim._meta.db_table, Finding._meta.db_table
    where: list[str] = []
    params: list[Any] = []
    if after is not None:
        # (updated_at, id) > after; the redundant ">=" gives the index scan its starting point.
        moment = connection.ops.adapt_datetimefield_value(after[0])
        where.append("c.updated_at >= %s AND (c.updated_at > %s OR (c.updated_at = %s AND c.id > %s))")
        params += [moment, moment, moment, after[1]]
    conditions, values = filters.sql(alias="c")
    where += conditions
    params += values
    sql = f"""
        SELECT c.id, c.text, c.title, c.speaker, c.status, c.check_status, c.version, c.merged_into_id,
            (SELECT COUNT(*) FROM {finding} f WHERE f.claim_low_id = c.id)
            + (SELECT COUNT(*) FROM {finding} f WHERE f.claim_high_id = c.id),
            c.open_contradictions, c.open_duplicates, c.outlet_count,
            c.created_at, c.updated_at, c.reviewed_at
        FROM {claim} c
        {"WHERE " + " AND ".join(where) if where else ""}
        ORDER BY c.updated_at, c.id
        LIMIT %s
    """  # noqa: S608 (table names from model metadata; every value is a parameter)
    params.append(limit)
    with connection.cursor() as cursor:
        _use_native_timestamps(cursor)
        cursor.execute(sql, params)
        rows = [dict(zip(SYNC_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    if connection.vendor != "postgresql":
        for row in rows:
            for name in _SYNC_TIMESTAMPS:
                row[name] = _aware(row[name])
    return rows


def _use_native_timestamps(cursor: Any) -> None:
    """Load timestamptz with psycopg's own (C) loader on this cursor rather than Django's Python one.

    Both give aware datetimes in the session's time zone, which Django sets to UTC; Django's
    subclass exists to honour a non-UTC connection time zone, which this project does not use.
    """
    raw = getattr(cursor, "cursor", None)
    if connection.vendor != "postgresql" or raw is None or connection.timezone_name != "UTC":
        return
    import psycopg
    from psycopg import postgres, pq

    oid = postgres.types["timestamptz"].oid
    raw.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, pq.Format.TEXT))


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        raise ValueError(f"not a timestamp: {value!r}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def claim_get(*, user: UserLike, claim_id: int) -> Claim | None:
    """One claim the user may read (merged ones too: they point to the claim they live on in)."""
    if not user.is_authenticated:
        return None
    return Claim.objects.filter(pk=claim_id).first()


@dataclass(frozen=True)
class ClaimDetail:
    """A claim with everything its detail view shows. Other attributes are the claim's own, so a
    serializer of claims (``findings_count`` included) reads a ``ClaimDetail`` as it reads a claim."""

    claim: Claim
    link_list: list[Source]
    appearance_list: list[AppearanceView]
    finding_list: list[FindingView]
    latest_review: Review | None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.claim, name)


def claim_detail_get(*, user: UserLike, claim_id: int) -> ClaimDetail | None:
    """The claim with its links, appearances, findings and latest verdict, in five queries."""
    claim = claim_list(user=user).filter(pk=claim_id).select_related("assignee").first()
    if claim is None:
        return None
    ids = [claim.pk]
    return ClaimDetail(
        claim=claim,
        link_list=claim_links(claim_ids=ids)[claim.pk],
        appearance_list=claim_appearances(claim_ids=ids)[claim.pk],
        finding_list=claim_findings(claim_ids=ids)[claim.pk],
        latest_review=claim_latest_reviews(claim_ids=ids).get(claim.pk),
    )


def claim_findings(*, claim_ids: Iterable[int]) -> dict[int, list[FindingView]]:
    """Every finding of each claim, in any state, best score first. A finding between two of the
    given claims appears under both."""
    wanted = set(claim_ids)
    result: dict[int, list[FindingView]] = defaultdict(list)
    if not wanted:
        return result
    rows = (
        Finding.objects.filter(Q(claim_low_id__in=wanted) | Q(claim_high_id__in=wanted))
        .select_related("claim_low", "claim_high")
        .only(*FINDING_FIELDS)
        .order_by("-score", "id")
    )
    for finding in rows:
        for this, other in ((finding.claim_low, finding.claim_high), (finding.claim_high, finding.claim_low)):
            if this.pk in wanted:
                result[this.pk].append(
                    FindingView(
                        id=finding.pk,
                        kind=finding.kind,
                        claim_id=this.pk,
                        other_claim_id=other.pk,
                        other_text=other.text,
                        score=finding.score,
                        explanation=finding.explanation,
                        state=finding.state,
                        decided_at=finding.decided_at,
                    )
                )
    return result


def claim_appearances(*, claim_ids: Iterable[int]) -> dict[int, list[AppearanceView]]:
    """Where each claim appears, earliest first (by publication date, else the date it was seen;
    undated last): articles with the highlight, then recorded appearances elsewhere."""
    result: dict[int, list[AppearanceView]] = defaultdict(list)
    rows = (
        Source.objects.filter(claim_id__in=list(claim_ids), kind=SourceKind.APPEARANCE)
        .select_related("article__outlet", "annotation", "outlet")
        .defer("article__current_revision")
        .order_by("claim_id", "article__published_at", "id")
    )
    for source in rows:
        article = source.article
        if article is None:
            result[source.claim_id].append(
                AppearanceView(
                    article_id=None,
                    title=source.title,
                    url=source.url or None,
                    outlet=source.outlet.name if source.outlet else None,
                    published_at=source.published_at,
                    annotation_id=None,
                    exact=None,
                    anchor_state=None,
                    author=source.author or None,
                    seen_at=source.seen_at,
                )
            )
            continue
        annotation = source.annotation
        result[source.claim_id].append(
            AppearanceView(
                article_id=article.pk,
                title=article.title,
                url=article.url or source.url or None,
                outlet=article.outlet.name if article.outlet else None,
                published_at=article.published_at,
                annotation_id=annotation.pk if annotation else None,
                exact=annotation.exact if annotation else None,
                anchor_state=annotation.anchor_state if annotation else None,
            )
        )
    for appearances in result.values():
        # Databases disagree on where NULL sorts; undated appearances go last everywhere. The sort
        # is stable: articles before recorded appearances of the same date, as the query gave them.
        appearances.sort(key=lambda item: (item.appeared_at is None, item.appeared_at or datetime.min))
    return result


def claim_links(*, claim_ids: Iterable[int]) -> dict[int, list[Source]]:
    """Evidence and origin links of each claim (appearances are in ``claim_appearances``)."""
    result: dict[int, list[Source]] = defaultdict(list)
    rows = Source.objects.filter(
        claim_id__in=list(claim_ids), kind__in=[SourceKind.EVIDENCE, SourceKind.ORIGIN]
    ).order_by("claim_id", "kind", "id")
    for source in rows:
        result[source.claim_id].append(source)
    return result


def claim_latest_reviews(*, claim_ids: Iterable[int]) -> dict[int, Review]:
    """The newest verdict of each claim that has one."""
    result: dict[int, Review] = {}
    rows = (
        Review.objects.filter(claim_id__in=list(claim_ids))
        .select_related("reviewer")
        .order_by("claim_id", "-created_at", "-id")
    )
    for review in rows:
        result.setdefault(review.claim_id, review)
    return result


def claim_events(*, user: UserLike, claim_id: int) -> QuerySet[ClaimEvent]:
    """The claim's history (who, when, what, why). Unordered: callers order by (created_at, id)."""
    if not user.is_authenticated:
        return ClaimEvent.objects.none()
    return ClaimEvent.objects.filter(claim_id=claim_id).select_related("actor")


def speaker_suggestions(*, user: UserLike, q: str = "", limit: int = 10) -> list[tuple[str, int]]:
    """Speaker names already used whose name contains ``q``, most used first, with their claim count."""
    if not user.is_authenticated:
        return []
    names = Claim.objects.exclude(speaker="")
    if q:
        names = names.filter(speaker__icontains=q)
    rows = names.values("speaker").annotate(claims=Count("pk")).order_by("-claims", "speaker")[:limit]
    return [(row["speaker"], row["claims"]) for row in rows]
