"""Checks on user input shared by the claim services. Each error names the field and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

MAX_SOURCES = 20
MAX_SPEAKER_CHARS = 300
MAX_TITLE_CHARS = 300


# A date a claim appeared may be up to a day ahead of the server's clock (time zones, a post
# dated in the poster's local time); further ahead it is a typo.
APPEARANCE_FUTURE_SLACK = timedelta(days=1)
APPEARANCE_EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
APPEARANCE_ONLY_FIELDS = ("outlet", "author", "published_at", "seen_at")
SOURCE_KINDS = ("evidence", "appearance")


@dataclass(frozen=True)
class SourceInput:
    """An evidence link, or (``kind`` appearance) where the claim was made: a URL, an outlet or both."""

    url: str
    title: str = ""
    kind: str = "evidence"
    outlet: str = ""
    author: str = ""
    published_at: datetime | None = None
    seen_at: datetime | None = None


def clean_url(value: Any, *, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({field: ["A URL is required."]})
    url = value.strip()
    if len(url) > 2000:
        raise ValidationError({field: ["The URL is longer than 2,000 characters."]})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationError(
            {field: [f"{url[:100]!r} is not a web address: use a full http:// or https:// URL."]}
        ) from error
    return url


def clean_sources(raw: Any) -> list[SourceInput]:
    """Evidence links and appearances, checked; a URL given twice for the same kind counts once."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationError({"sources": ["sources must be a list of {url, title} objects."]})
    if len(raw) > MAX_SOURCES:
        raise ValidationError({"sources": [f"At most {MAX_SOURCES} sources per request."]})
    cleaned: list[SourceInput] = []
    seen: set[tuple[str, str]] = set()
    for position, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise ValidationError({"sources": [f"Source {position} must be an object with a url."]})
        kind = item.get("kind") or "evidence"
        if kind not in SOURCE_KINDS:
            raise ValidationError(
                {
                    "sources": [
                        f"Source {position}: kind {str(kind)[:40]!r} is not one of {', '.join(SOURCE_KINDS)}."
                    ]
                }
            )
        title = item.get("title") or ""
        if not isinstance(title, str):
            raise ValidationError({"sources": [f"The title of source {position} must be text."]})
        title = " ".join(title.split())[:500]
        if kind == "appearance":
            source = _clean_appearance(item, position=position, title=title)
        else:
            given = [name for name in APPEARANCE_ONLY_FIELDS if item.get(name) not in (None, "")]
            if given:
                raise ValidationError(
                    {
                        "sources": [
                            f"Source {position}: {', '.join(given)} describe an appearance: "
                            'add "kind": "appearance".'
                        ]
                    }
                )
            source = SourceInput(url=clean_url(item.get("url"), field="sources"), title=title)
        key = (source.kind, source.url)
        if not source.url or key not in seen:
            seen.add(key)
            cleaned.append(source)
    return cleaned


def _clean_appearance(item: dict[str, Any], *, position: int, title: str) -> SourceInput:
    """Where the claim was made: a web address, an outlet (a channel, a paper) or both; who made it
    there; when it was published or, failing that, seen."""
    url = clean_url(item["url"], field="sources") if item.get("url") not in (None, "") else ""
    outlet = _clean_name(item.get("outlet"), what=f"The outlet of source {position}", limit=200)
    if not url and not outlet:
        raise ValidationError(
            {
                "sources": [
                    f"Appearance {position} needs a url, an outlet (a channel, a paper, a site) or both."
                ]
            }
        )
    author = _clean_name(item.get("author"), what=f"The author of source {position}", limit=MAX_SPEAKER_CHARS)
    published_at = _clean_moment(item.get("published_at"), what=f"published_at of source {position}")
    seen_at = _clean_moment(item.get("seen_at"), what=f"seen_at of source {position}")
    if published_at and seen_at and seen_at < published_at:
        raise ValidationError(
            {
                "sources": [
                    f"Appearance {position} was seen before it was published: check seen_at and published_at."
                ]
            }
        )
    return SourceInput(
        url=url,
        title=title,
        kind="appearance",
        outlet=outlet,
        author=author,
        published_at=published_at,
        seen_at=seen_at,
    )


def _clean_name(value: Any, *, what: str, limit: int) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError({"sources": [f"{what} must be text."]})
    name = " ".join(value.split())
    if len(name) > limit:
        raise ValidationError({"sources": [f"{what} is longer than {limit} characters."]})
    return name


def _clean_moment(value: Any, *, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = _parse_moment(value.strip())
    if not isinstance(value, datetime):
        raise ValidationError({"sources": [f"{what} must be a date or an ISO 8601 date-time."]})
    moment: datetime = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if moment > timezone.now() + APPEARANCE_FUTURE_SLACK:
        raise ValidationError(
            {"sources": [f"{what} is in the future ({moment:%Y-%m-%d}): give the date the claim appeared."]}
        )
    if moment < APPEARANCE_EARLIEST:
        raise ValidationError({"sources": [f"{what} is before 1900 ({moment:%Y-%m-%d}): check the year."]})
    return moment


def _parse_moment(text: str) -> datetime | None:
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:  # well-formed but impossible, like 2024-02-30
        return None
    return moment or (datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None)


def clean_evidence(raw: Any) -> list[str]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationError({"evidence": ["evidence must be a list of URLs."]})
    if len(raw) > MAX_SOURCES:
        raise ValidationError({"evidence": [f"At most {MAX_SOURCES} evidence links."]})
    urls: list[str] = []
    for item in raw:
        url = clean_url(item, field="evidence")
        if url not in urls:
            urls.append(url)
    return urls


def clean_claim_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError({"text": ["The claim text is required."]})
    text = " ".join(value.split())
    if not text:
        raise ValidationError({"text": ["The claim text is empty: write the statement to check."]})
    if len(text) > settings.CLAIM_MAX_CHARS:
        raise ValidationError(
            {"text": [f"The claim has {len(text):,} characters; the limit is {settings.CLAIM_MAX_CHARS:,}."]}
        )
    return text


def _one_line(value: Any, *, field: str, what: str, limit: int, too_long: str) -> str:
    """Optional single-line text: None or "" is "", whitespace runs become one space, and text
    longer than ``limit`` is refused with ``too_long`` (``{n}`` is its length)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: [f"The {field} must be text: {what}."]})
    line = " ".join(value.split())
    if len(line) > limit:
        raise ValidationError({field: [too_long.format(n=len(line), limit=limit)]})
    return line


def clean_claim_title(value: Any) -> str:
    """A claim's headline: optional, one line, at most ``MAX_TITLE_CHARS`` characters."""
    return _one_line(
        value,
        field="title",
        what="a short headline for the claim",
        limit=MAX_TITLE_CHARS,
        too_long="The title has {n} characters: shorten it to {limit} or fewer.",
    )


def clean_speaker(value: Any) -> str:
    return _one_line(
        value,
        field="speaker",
        what="a person or a body",
        limit=MAX_SPEAKER_CHARS,
        too_long="The speaker name is longer than {limit} characters.",
    )
