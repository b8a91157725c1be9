"""Checks on user input shared by the claim services. Each error names the field and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MAX_SOURCES = 20
MAX_SPEAKER_CHARS = 300


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""


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
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise ValidationError({"sources": ["sources must be a list of {url, title} objects."]})
    if len(raw) > MAX_SOURCES:
        raise ValidationError({"sources": [f"At most {MAX_SOURCES} sources per request."]})
    cleaned: list[SourceInput] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise ValidationError({"sources": [f"Source {position} must be an object with a url."]})
        url = clean_url(item.get("url"), field="sources")
        title = item.get("title") or ""
        if not isinstance(title, str):
            raise ValidationError({"sources": [f"The title of source {position} must be text."]})
        if url not in seen:
            seen.add(url)
            cleaned.append(SourceInput(url=url, title=" ".join(title.split())[:500]))
    return cleaned


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


def clean_speaker(value: Any) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError({"speaker": ["The speaker must be text: a person or a body."]})
    speaker = " ".join(value.split())
    if len(speaker) > MAX_SPEAKER_CHARS:
        raise ValidationError(
            {"speaker": [f"The speaker name is longer than {MAX_SPEAKER_CHARS} characters."]}
        )
    return speaker
