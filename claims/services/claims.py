from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotations.models import Annotation
from annotations.services import annotation_create, annotation_validate
from articles.models import Article
from claims.models import Claim, ClaimStatus, Source, SourceKind
from claims.services.dispatch import claim_checks_relay_on_commit
from claims.services.events import claim_event_record
from claims.services.outbox import claim_checks_request
from claims.services.validation import SourceInput, clean_claim_text, clean_sources, clean_speaker


@dataclass(frozen=True)
class SelectorInput:
    """W3C selectors as given by a client; either is enough when it is unambiguous."""

    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None


class ClaimConflict(Exception):
    """The claim changed since the caller read it; ``claim`` is its current state."""

    def __init__(self, claim: Claim, message: str) -> None:
        super().__init__(message)
        self.claim = claim


def claim_outlets_refresh(*, claim_id: int) -> None:
    count = (
        Source.objects.filter(claim_id=claim_id, kind=SourceKind.APPEARANCE, outlet__isnull=False)
        .values("outlet_id")
        .distinct()
        .count()
    )
    Claim.objects.filter(pk=claim_id).update(outlet_count=count)


def _sources_add(*, claim: Claim, sources: list[SourceInput], user: User | None, kind: str) -> list[Source]:
    existing = set(Source.objects.filter(claim=claim, kind=kind).values_list("url", flat=True))
    created = [
        Source(claim=claim, kind=kind, url=source.url, title=source.title, created_by=user)
        for source in sources
        if source.url not in existing
    ]
    return Source.objects.bulk_create(created)


@transaction.atomic
def claim_create(
    *,
    user: User | None,
    text: str | None = None,
    speaker: str | None = None,
    sources: Any = None,
    article: Article | None = None,
    selector: SelectorInput | None = None,
    external_id: str | None = None,
    status: str = ClaimStatus.UNREVIEWED,
) -> Claim:
    """Create a claim, standalone or anchored to a highlight of the article's current revision.

    The article itself becomes the claim's appearance; ``sources`` are evidence links. A check is
    requested in the same transaction (see ``claims.services.outbox``).
    """
    speaker_clean = clean_speaker(speaker)
    evidence = clean_sources(sources)
    annotation: Annotation | None = None
    if article is not None:
        revision = article.current_revision
        if revision is None:
            raise ValidationError({"article": ["The article has no text to highlight."]})
        if selector is None:
            raise ValidationError(
                {"selector": ["A highlight needs a TextQuoteSelector or TextPositionSelector."]}
            )
        anchor = annotation_validate(
            revision=revision,
            start=selector.start,
            end=selector.end,
            exact=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
        )
        claim_text = clean_claim_text(text if text not in (None, "") else anchor.exact)
        annotation = annotation_create(revision=revision, anchor=anchor, creator=user)
    else:
        if selector is not None:
            raise ValidationError({"article": ["A selector needs the article it points into."]})
        claim_text = clean_claim_text(text)
    if status not in ClaimStatus.values:
        raise ValidationError(
            {"status": [f"Unknown status {status!r}: use one of {', '.join(ClaimStatus.values)}."]}
        )
    now = timezone.now()
    claim = Claim.objects.create(
        text=claim_text,
        speaker=speaker_clean,
        status=status,
        external_id=external_id or None,
        created_by=user,
        created_at=now,
        updated_at=now,
        reviewed_at=now if status != ClaimStatus.UNREVIEWED else None,
    )
    if article is not None and annotation is not None:
        Source.objects.create(
            claim=claim,
            kind=SourceKind.APPEARANCE,
            url=article.url or "",
            title=article.title,
            outlet=article.outlet,
            article=article,
            annotation=annotation,
            created_by=user,
        )
        claim_outlets_refresh(claim_id=claim.pk)
    _sources_add(claim=claim, sources=evidence, user=user, kind=SourceKind.EVIDENCE)
    claim_event_record(
        claim=claim,
        actor=user,
        action="created",
        summary=f"Claim created{' from a highlight in ' + repr(article.title) if article else ''}",
        data={"text": claim_text, "speaker": speaker_clean, "status": status},
    )
    claim_checks_relay_on_commit(request_ids=claim_checks_request(claim=claim))
    claim.refresh_from_db()
    return claim


@transaction.atomic
def claim_update(
    *,
    claim_id: int,
    user: User,
    expected_version: int | None,
    text: str | None = None,
    speaker: str | None = None,
    reason: str = "",
) -> Claim:
    """Edit the wording or the speaker. The version compare happens in the UPDATE itself."""
    claim = Claim.objects.get(pk=claim_id)
    version = claim.version if expected_version is None else expected_version
    changes: dict[str, Any] = {}
    if text is not None:
        new_text = clean_claim_text(text)
        if new_text != claim.text:
            changes["text"] = new_text
    if speaker is not None:
        new_speaker = clean_speaker(speaker)
        if new_speaker != claim.speaker:
            changes["speaker"] = new_speaker
    if not changes:
        return claim
    updated = Claim.objects.filter(pk=claim_id, version=version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        claim.refresh_from_db()
        raise ClaimConflict(claim, f"The claim was changed by someone else (now version {claim.version}).")
    claim_event_record(
        claim=claim_id,
        actor=user,
        action="edited",
        summary="Edited " + " and ".join(sorted(changes)),
        reason=reason,
        data={"before": {key: getattr(claim, key) for key in changes}, "after": changes},
    )
    claim.refresh_from_db()
    if "text" in changes:
        claim_checks_relay_on_commit(request_ids=claim_checks_request(claim=claim))
    return claim


@transaction.atomic
def claim_sources_add(*, claim: Claim, user: User, sources: Any) -> list[Source]:
    created = _sources_add(claim=claim, sources=clean_sources(sources), user=user, kind=SourceKind.EVIDENCE)
    if created:
        Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
        claim_event_record(
            claim=claim,
            actor=user,
            action="sources_added",
            summary=f"Added {len(created)} evidence link(s)",
            data={"urls": [source.url for source in created]},
        )
    return created
