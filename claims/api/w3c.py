"""W3C Web Annotation Data Model documents for highlights (https://www.w3.org/TR/annotation-model/).

An annotation targets a span of one article revision through a TextQuoteSelector and a
TextPositionSelector (Unicode code points, as stored). The span indexes this app's normalised text
of that revision, not the publisher's page, so the target carries a TimeState whose ``cached`` copy
is that text. The bodies are the claim: its status (``classifying``), its wording (``describing``) and
each evidence link (``linking``).

These functions only shape data; the caller passes ``absolute`` to turn a path into an absolute IRI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.urls import reverse
from django.utils.crypto import salted_hmac

from annotations.models import Annotation
from claims.models import Claim, Source, SourceKind

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNO_PROFILE_MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

Absolute = Callable[[str], str]


def xsd_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC with a ``Z``, as the model recommends."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _claim_of(annotation: Annotation) -> Claim | None:
    source: Source | None = getattr(annotation, "source", None)
    if source is None or source.kind != SourceKind.APPEARANCE:
        return None
    return source.claim


def _evidence_of(claim: Claim) -> list[Source]:
    prefetched: list[Source] | None = getattr(claim, "evidence_list", None)
    if prefetched is not None:
        return prefetched
    return list(claim.sources.filter(kind=SourceKind.EVIDENCE).order_by("id"))


def _creator(annotation: Annotation) -> dict[str, Any] | None:
    """The annotator as an opaque id, stable on this installation, without name or username.

    The export goes to other systems and the public; who in the newsroom highlighted what is not
    theirs to know, but one annotator's highlights can still be told apart from another's.
    """
    if annotation.creator_id is None:
        return None
    digest = salted_hmac("corroborate.w3c.creator", str(annotation.creator_id)).hexdigest()[:20]
    return {"id": f"urn:corroborate:annotator:{digest}", "type": "Person"}


def annotation_target(annotation: Annotation, *, absolute: Absolute) -> dict[str, Any]:
    article, revision = annotation.article, annotation.revision
    return {
        "type": "SpecificResource",
        "source": article.url or absolute(reverse("article-read", args=[article.pk])),
        "state": {
            "type": "TimeState",
            "sourceDate": xsd_datetime(revision.created_at),
            "cached": absolute(reverse("article-revision-text", args=[article.pk, revision.number])),
        },
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
    }


def annotation_bodies(claim: Claim) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "classifying", "value": claim.status, "format": "text/plain"},
        {"type": "TextualBody", "purpose": "describing", "value": claim.text, "format": "text/plain"},
    ]
    bodies.extend(
        {"type": "SpecificResource", "source": source.url, "purpose": "linking"}
        for source in _evidence_of(claim)
        if source.url
    )
    return bodies


def annotation_document(
    annotation: Annotation, *, absolute: Absolute, with_context: bool = True
) -> dict[str, Any]:
    """One Web Annotation. Embedded in a page, it goes without its own ``@context``."""
    claim = _claim_of(annotation)
    document: dict[str, Any] = {"@context": ANNO_CONTEXT} if with_context else {}
    document["id"] = absolute(reverse("w3c-annotation-detail", args=[annotation.pk]))
    document["type"] = "Annotation"
    document["motivation"] = "classifying" if claim is not None else "highlighting"
    modified = annotation.modified_at
    if claim is not None and claim.updated_at > modified:
        modified = claim.updated_at  # a verdict changes the classifying body
    document["created"] = xsd_datetime(annotation.created_at)
    document["modified"] = xsd_datetime(modified)
    creator = _creator(annotation)
    if creator is not None:
        document["creator"] = creator
    document["generator"] = {"id": absolute("/"), "type": "Software", "name": "Corroborate"}
    if claim is not None:
        document["body"] = annotation_bodies(claim)
    document["target"] = annotation_target(annotation, absolute=absolute)
    return document


@dataclass(frozen=True)
class PageLinks:
    """Where the collection and its pages live; ``page(n)`` is the IRI of page ``n`` (1-based)."""

    collection: str
    page: Callable[[int], str]
    label: str


def collection_summary(*, links: PageLinks, total: int, page_count: int) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "id": links.collection,
        "type": "AnnotationCollection",
        "label": links.label,
        "total": total,
    }
    if total:
        summary["first"] = links.page(1)
        summary["last"] = links.page(page_count)
    return summary


def annotation_page(
    annotations: Sequence[Annotation],
    *,
    absolute: Absolute,
    links: PageLinks,
    number: int,
    page_size: int,
    total: int,
    page_count: int,
) -> dict[str, Any]:
    """An AnnotationPage with its collection embedded as ``partOf``."""
    page: dict[str, Any] = {
        "@context": ANNO_CONTEXT,
        "id": links.page(number),
        "type": "AnnotationPage",
        "partOf": collection_summary(links=links, total=total, page_count=page_count),
        "startIndex": (number - 1) * page_size,
    }
    if number > 1:
        page["prev"] = links.page(number - 1)
    if number < page_count:
        page["next"] = links.page(number + 1)
    page["items"] = [
        annotation_document(annotation, absolute=absolute, with_context=False) for annotation in annotations
    ]
    return page


def annotation_collection(*, links: PageLinks, total: int, page_count: int) -> dict[str, Any]:
    return {"@context": ANNO_CONTEXT, **collection_summary(links=links, total=total, page_count=page_count)}
