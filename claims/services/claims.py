from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import ROLE_PERMISSIONS
from accounts.services import user_role
from annotations.models import Annotation
from annotations.services import annotation_create, annotation_validate
from articles.models import Article
from articles.services import outlet_for
from claims.models import Claim, ClaimStatus, Source, SourceKind
from claims.services.dispatch import claim_checks_relay_on_commit
from claims.services.events import claim_event_record
from claims.services.outbox import claim_checks_request
from claims.services.validation import (
    SourceInput,
    clean_claim_text,
    clean_claim_title,
    clean_sources,
    clean_speaker,
)


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


def _sources_add(*, claim: Claim, sources: list[SourceInput], user: User | None) -> list[Source]:
    """Add the evidence links and appearances the claim does not have yet (same kind and URL, or for
    an appearance without URL the same outlet, author and dates). Refreshes ``outlet_count``."""
    existing: set[tuple[Any, ...]] = set(
        Source.objects.filter(claim=claim, kind__in=[SourceKind.EVIDENCE, SourceKind.APPEARANCE]).values_list(
            "kind", "url", "outlet__name", "author", "published_at", "seen_at"
        )
    )
    known = {(kind, url) for kind, url, *_ in existing if url}
    created: list[Source] = []
    for source in sources:
        if source.url and (source.kind, source.url) in known:
            continue
        if source.kind == SourceKind.APPEARANCE:
            outlet = outlet_for(name=source.outlet or None, url=source.url or None)
            described = (source.kind, "", outlet.name if outlet else None, source.author)
            if not source.url and (*described, source.published_at, source.seen_at) in existing:
                continue
            existing.add((*described, source.published_at, source.seen_at))
            created.append(
                Source(
                    claim=claim,
                    kind=SourceKind.APPEARANCE,
                    url=source.url,
                    title=source.title,
                    outlet=outlet,
                    author=source.author,
                    published_at=source.published_at,
                    seen_at=source.seen_at,
                    created_by=user,
                )
            )
        else:
            created.append(
                Source(
                    claim=claim, kind=SourceKind.EVIDENCE, url=source.url, title=source.title, created_by=user
                )
            )
    created = Source.objects.bulk_create(created)
    if any(source.kind == SourceKind.APPEARANCE for source in created):
        claim_outlets_refresh(claim_id=claim.pk)
    return created


@transaction.atomic
def claim_create(
    *,
    user: User | None,
    text: str | None = None,
    title: str | None = None,
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
    title_clean = clean_claim_title(title)
    source_inputs = clean_sources(sources)
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
        title=title_clean,
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
    _sources_add(claim=claim, sources=source_inputs, user=user)
    claim_event_record(
        claim=claim,
        actor=user,
        action="created",
        summary=f"Claim created{' from a highlight in ' + repr(article.title) if article else ''}",
        data={"text": claim_text, "title": title_clean, "speaker": speaker_clean, "status": status},
    )
    claim_checks_relay_on_commit(request_ids=claim_checks_request(claim=claim))
    claim.refresh_from_db()
    return claim


# Who may change the words a verdict was given on: the role that gives verdicts.
VERDICT_EDIT_PERMISSION = "claims.review_claim"


def claim_edit_check(*, claim: Claim, user: User, changes: dict[str, str]) -> None:
    """Once a claim has a verdict its wording and speaker are the editors': a verdict applies to
    words, and an annotator must not be able to change what it applies to.

    Raises ``PermissionDenied`` with a message naming the role needed.
    """
    if claim.status == ClaimStatus.UNREVIEWED or not changes or user.has_perm(VERDICT_EDIT_PERMISSION):
        return
    roles = " or ".join(
        role.value for role, codenames in ROLE_PERMISSIONS.items() if VERDICT_EDIT_PERMISSION in codenames
    )
    role = user_role(user)
    held = f"has the {role.value} role" if role else "has no role"
    raise PermissionDenied(
        f"This claim is marked {claim.status}: to change the {' or '.join(sorted(changes))} of a claim "
        f"with a verdict you need the {roles} role; {user.get_username()} {held}. Ask an editor to "
        "make the change."
    )


@transaction.atomic
def claim_update(
    *,
    claim_id: int,
    user: User,
    expected_version: int | None,
    text: str | None = None,
    title: str | None = None,
    speaker: str | None = None,
    reason: str = "",
) -> Claim:
    """Edit the wording, the title or the speaker. The version compare happens in the UPDATE itself.

    A stale ``expected_version`` is a ``ClaimConflict`` before anything else, so a client that
    read an older claim learns that first. On a claim with a verdict only editors may edit
    (``claim_edit_check``), and a new wording sends the claim back to review: the verdict was
    given on the old words. Its review rows stay as the verdict history.
    """
    claim = Claim.objects.get(pk=claim_id)
    version = claim.version if expected_version is None else expected_version
    changes: dict[str, Any] = {}
    if text is not None:
        new_text = clean_claim_text(text)
        if new_text != claim.text:
            changes["text"] = new_text
    if title is not None:
        new_title = clean_claim_title(title)
        if new_title != claim.title:
            changes["title"] = new_title
    if speaker is not None:
        new_speaker = clean_speaker(speaker)
        if new_speaker != claim.speaker:
            changes["speaker"] = new_speaker
    if not changes:
        return claim
    if version != claim.version:
        raise ClaimConflict(claim, f"The claim was changed by someone else (now version {claim.version}).")
    claim_edit_check(claim=claim, user=user, changes=changes)
    reopened = "text" in changes and claim.status != ClaimStatus.UNREVIEWED
    status = {"status": ClaimStatus.UNREVIEWED} if reopened else {}
    # The status read above holds only while the version does: the UPDATE repeats the compare, so a
    # verdict recorded in between makes this edit a conflict rather than slip past the rule.
    updated = Claim.objects.filter(pk=claim_id, version=version).update(
        **changes, **status, version=F("version") + 1, updated_at=timezone.now()
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
    if reopened:
        claim_event_record(
            claim=claim_id,
            actor=user,
            action="returned_to_review",
            summary=f"Back to review: the wording changed after the verdict '{claim.status}'",
            reason=f"The verdict was given on other words: \u201c{claim.text[:400]}\u201d.",
            data={"previous": claim.status, "reviewed_text": claim.text, "version": version + 1},
        )
    claim.refresh_from_db()
    if "text" in changes or "title" in changes:
        # A new title changes what retrieval finds the claim by (its lookup vector), so the claim
        # is indexed and checked again; the judge still reads the text only.
        claim_checks_relay_on_commit(request_ids=claim_checks_request(claim=claim))
    return claim


@transaction.atomic
def claim_sources_add(*, claim: Claim, user: User, sources: Any) -> list[Source]:
    """Add evidence links and appearances; those the claim already has are skipped."""
    created = _sources_add(claim=claim, sources=clean_sources(sources), user=user)
    if created:
        Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
        appearances = sum(1 for source in created if source.kind == SourceKind.APPEARANCE)
        parts = [
            f"{count} {noun}"
            for count, noun in (
                (len(created) - appearances, "evidence link(s)"),
                (appearances, "appearance(s)"),
            )
            if count
        ]
        claim_event_record(
            claim=claim,
            actor=user,
            action="sources_added",
            summary="Added " + " and ".join(parts),
            data={"urls": [source.url for source in created]},
        )
    return created
