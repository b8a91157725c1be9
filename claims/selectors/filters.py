"""Which claims a list shows: one specification, applied by the ORM and by raw SQL alike.

The API's claim list (``claim_list``, and ``claim_sync_page``, its SQL twin for syncing clients) and
the review queue narrow claims with the same ``ClaimFilters``. Each entry point parses its own
query string (the API strictly, with a 400 per bad parameter; the queue leniently, ignoring what
makes no sense) into one; what a filter means is written here once, as an ORM condition and as SQL,
and ``tests/claims/test_claim_filters.py`` holds the two to the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from articles.models import Outlet
from claims.models import CheckStatus, ClaimStatus, Source, SourceKind

MAX_SPEAKER_CHARS = 300
MAX_OUTLET_CHARS = 200
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class ClaimFilters:
    """Claims matching every filter that is set (a field at its default filters nothing).

    Text matches are case-insensitive: ``speaker`` and ``outlet`` (an outlet's name) exactly, ``q``
    as a substring of the text, and each of ``words`` as a substring of the text or the speaker.
    ``updated_since`` is inclusive. ``added_from`` and ``added_to`` are inclusive days of
    ``created_at`` in the current time zone. Merged claims are included unless ``include_merged``
    is off (a syncing client must learn of a merge; the review queue never shows one).
    """

    status: str = ""
    check_status: str = ""
    updated_since: datetime | None = None
    article_id: int | None = None
    outlet: str = ""
    outlet_id: int | None = None
    speaker: str = ""
    q: str = ""
    words: tuple[str, ...] = ()
    added_from: date | None = None
    added_to: date | None = None
    contradictions: bool = False  # only claims with an open contradiction
    duplicates: bool = False  # only claims with an open duplicate suggestion
    include_merged: bool = True
    assignee_id: int | None = None  # claims assigned to this user
    unassigned: bool = False  # claims assigned to nobody

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        if self.status and self.status not in ClaimStatus.values:
            errors["status"] = f"Unknown status {self.status}: use one of {', '.join(ClaimStatus.values)}."
        if self.check_status and self.check_status not in CheckStatus.values:
            errors["check_status"] = (
                f"Unknown check_status {self.check_status}: use one of {', '.join(CheckStatus.values)}."
            )
        for name in ("article_id", "outlet_id", "assignee_id"):
            value = getattr(self, name)
            if value is not None and value < 1:
                errors[name] = f"{name} must be a positive id."
        for name, limit in (
            ("speaker", MAX_SPEAKER_CHARS),
            ("outlet", MAX_OUTLET_CHARS),
            ("q", MAX_QUERY_CHARS),
        ):
            if len(getattr(self, name)) > limit:
                errors[name] = f"{name} is longer than {limit} characters."
        if len(self.words) > MAX_QUERY_WORDS or any(len(word) > MAX_QUERY_CHARS for word in self.words):
            errors["words"] = f"At most {MAX_QUERY_WORDS} words of at most {MAX_QUERY_CHARS} characters."
        if errors:
            raise ValidationError({name: [message] for name, message in errors.items()})

    def without(self, *names: str) -> ClaimFilters:
        """The same filters with those named left out (a facet's count leaves out its own)."""
        defaults: dict[str, Any] = {
            field.name: field.default for field in fields(self) if field.name in names
        }
        return replace(self, **defaults)

    def _set(self, only: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        wanted = None if only is None else set(only)
        for field in fields(self):
            value = getattr(self, field.name)
            if value != field.default and (wanted is None or field.name in wanted):
                yield field.name, value

    def condition(self, *, only: Iterable[str] | None = None) -> Q:
        """The filters as one ORM condition on claims (those named in ``only``, when given)."""
        condition = Q()
        for name, value in self._set(only):
            condition &= _ORM[name](value)
        return condition

    def sql(self, *, alias: str) -> tuple[list[str], list[Any]]:
        """The filters as SQL conditions on the claim table aliased ``alias``, to be joined with AND,
        and their parameters in order."""
        where: list[str] = []
        params: list[Any] = []
        for name, value in self._set(None):
            condition, values = _SQL[name](alias, value)
            where.append(condition)
            params += values
        return where, params


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _appearing_in_outlet(**outlet: Any) -> Q:
    return Q(pk__in=Source.objects.filter(kind=SourceKind.APPEARANCE, **outlet).values("claim_id"))


_ORM: dict[str, Callable[[Any], Q]] = {
    "status": lambda value: Q(status=value),
    "check_status": lambda value: Q(check_status=value),
    "updated_since": lambda value: Q(updated_at__gte=value),
    "article_id": lambda value: Q(pk__in=Source.objects.filter(article_id=value).values("claim_id")),
    "outlet": lambda value: _appearing_in_outlet(outlet__name__iexact=value),
    "outlet_id": lambda value: _appearing_in_outlet(outlet_id=value),
    "speaker": lambda value: Q(speaker__iexact=value),
    "q": lambda value: Q(text__icontains=value),
    "words": lambda value: Q(*(Q(text__icontains=word) | Q(speaker__icontains=word) for word in value)),
    "added_from": lambda value: Q(created_at__gte=_day_start(value)),
    "added_to": lambda value: Q(created_at__lt=_day_start(value + timedelta(days=1))),
    "contradictions": lambda value: Q(open_contradictions__gt=0),
    "duplicates": lambda value: Q(open_duplicates__gt=0),
    "include_merged": lambda value: Q(merged_into__isnull=True),
    "assignee_id": lambda value: Q(assignee_id=value),
    "unassigned": lambda value: Q(assignee__isnull=True),
}


def _moment(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, its wildcards escaped (ESCAPE '\\')."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _sql_words(alias: str, words: tuple[str, ...]) -> tuple[str, list[Any]]:
    one = (
        f"(UPPER({alias}.text) LIKE UPPER(%s) ESCAPE '\\' "
        f"OR UPPER({alias}.speaker) LIKE UPPER(%s) ESCAPE '\\')"
    )
    return " AND ".join([one] * len(words)), [pattern for word in words for pattern in (_like(word),) * 2]


_SOURCE, _OUTLET = Source._meta.db_table, Outlet._meta.db_table
_SQL: dict[str, Callable[[str, Any], tuple[str, list[Any]]]] = {
    "status": lambda alias, value: (f"{alias}.status = %s", [value]),
    "check_status": lambda alias, value: (f"{alias}.check_status = %s", [value]),
    "updated_since": lambda alias, value: (f"{alias}.updated_at >= %s", [_moment(value)]),
    "article_id": lambda alias, value: (
        f"{alias}.id IN (SELECT claim_id FROM {_SOURCE} WHERE article_id = %s)",  # noqa: S608
        [value],
    ),
    "outlet": lambda alias, value: (
        f"{alias}.id IN (SELECT s.claim_id FROM {_SOURCE} s JOIN {_OUTLET} o "  # noqa: S608
        "ON o.id = s.outlet_id WHERE s.kind = %s AND UPPER(o.name) = UPPER(%s))",
        [SourceKind.APPEARANCE.value, value],
    ),
    "outlet_id": lambda alias, value: (
        f"{alias}.id IN (SELECT claim_id FROM {_SOURCE} WHERE kind = %s AND outlet_id = %s)",  # noqa: S608
        [SourceKind.APPEARANCE.value, value],
    ),
    "speaker": lambda alias, value: (f"UPPER({alias}.speaker) = UPPER(%s)", [value]),
    "q": lambda alias, value: (f"UPPER({alias}.text) LIKE UPPER(%s) ESCAPE '\\'", [_like(value)]),
    "words": _sql_words,
    "added_from": lambda alias, value: (f"{alias}.created_at >= %s", [_moment(_day_start(value))]),
    "added_to": lambda alias, value: (
        f"{alias}.created_at < %s",
        [_moment(_day_start(value + timedelta(days=1)))],
    ),
    "contradictions": lambda alias, value: (f"{alias}.open_contradictions > 0", []),
    "duplicates": lambda alias, value: (f"{alias}.open_duplicates > 0", []),
    "include_merged": lambda alias, value: (f"{alias}.merged_into_id IS NULL", []),
    "assignee_id": lambda alias, value: (f"{alias}.assignee_id = %s", [value]),
    "unassigned": lambda alias, value: (f"{alias}.assignee_id IS NULL", []),
}
