"""Bulk import of an archive of already-checked claims (no article): `import_claims` and the demo."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.detection import DETECTOR_VERSION
from claims.models import CheckRequest, CheckStatus, Claim, ClaimEvent, ClaimStatus, Source, SourceKind
from claims.services.dispatch import RELAY_BATCH, claim_checks_relay_on_commit
from claims.services.index import claim_vectors_store
from claims.services.statistics import planner_statistics_refresh
from claims.services.validation import clean_claim_text, clean_claim_title, clean_speaker, clean_url

ARCHIVE_FIELDS = {"text", "title", "source_url", "speaker", "external_id", "status"}


@dataclass(frozen=True)
class ArchiveLine:
    text: str
    external_id: str
    title: str = ""
    source_url: str = ""
    speaker: str = ""
    status: str = ClaimStatus.UNREVIEWED
    origin: str = ""

    @classmethod
    def from_mapping(cls, item: Any, *, origin: str = "") -> ArchiveLine:
        """Validate one JSON object; raises ValidationError naming the field to fix."""
        if not isinstance(item, dict):
            raise ValidationError("Each line must be a JSON object with at least a 'text'.")
        unknown = set(item) - ARCHIVE_FIELDS
        if unknown:
            raise ValidationError(
                f"Unknown field(s) {', '.join(sorted(unknown))}: use {', '.join(sorted(ARCHIVE_FIELDS))}."
            )
        text = clean_claim_text(item.get("text"))
        source_url = clean_url(item["source_url"], field="source_url") if item.get("source_url") else ""
        status = item.get("status") or ClaimStatus.UNREVIEWED
        if status not in ClaimStatus.values:
            raise ValidationError(f"Unknown status {status!r}: use one of {', '.join(ClaimStatus.values)}.")
        external_id = item.get("external_id")
        if external_id is not None and (
            not isinstance(external_id, str | int) or str(external_id).strip() == ""
        ):
            raise ValidationError("external_id must be a non-empty string.")
        if external_id is None:
            # Without an id of its own, a line is the same claim when its text and source are.
            external_id = "auto:" + hashlib.sha256(f"{text}\n{source_url}".encode()).hexdigest()[:32]
        return cls(
            text=text,
            external_id=str(external_id).strip()[:200],
            title=clean_claim_title(item.get("title")),
            source_url=source_url,
            speaker=clean_speaker(item.get("speaker")),
            status=status,
            origin=origin,
        )


@dataclass
class ArchiveOutcome:
    created: int = 0
    existing: int = 0
    claim_ids: list[int] = field(default_factory=list)


def _batches(lines: Iterable[ArchiveLine], size: int) -> Iterator[list[ArchiveLine]]:
    batch: list[ArchiveLine] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def _import_batch(batch: list[ArchiveLine], user: User | None) -> tuple[list[Claim], int]:
    known = set(
        Claim.objects.filter(external_id__in=[line.external_id for line in batch]).values_list(
            "external_id", flat=True
        )
    )
    fresh: dict[str, ArchiveLine] = {}
    for line in batch:
        if line.external_id not in known and line.external_id not in fresh:
            fresh[line.external_id] = line
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                text=line.text,
                title=line.title,
                speaker=line.speaker,
                status=line.status,
                check_status=CheckStatus.PENDING,
                external_id=line.external_id,
                created_by=user,
                created_at=now,
                updated_at=now,
                reviewed_at=now if line.status != ClaimStatus.UNREVIEWED else None,
            )
            for line in fresh.values()
        ]
    )
    if claims and claims[0].pk is None:  # backends without RETURNING ids
        by_external = dict(Claim.objects.filter(external_id__in=list(fresh)).values_list("external_id", "pk"))
        for claim in claims:
            claim.pk = by_external[str(claim.external_id)]
    origins = [(claim, fresh[str(claim.external_id)].source_url) for claim in claims]
    Source.objects.bulk_create(
        [
            Source(claim=claim, kind=SourceKind.ORIGIN, url=url, created_by=user)
            for claim, url in origins
            if url
        ]
    )
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                claim=claim,
                actor=user,
                action="imported",
                summary=f"Imported from an archive as {claim.status}",
                data={"external_id": claim.external_id},
                created_at=now,
            )
            for claim in claims
        ]
    )
    claim_vectors_store(claims=claims)
    CheckRequest.objects.bulk_create(
        [
            CheckRequest(claim=claim, claim_version=claim.version, detector_version=DETECTOR_VERSION)
            for claim in claims
        ],
        ignore_conflicts=True,
    )
    # Relay at least the whole batch, so that in-process checks keep up with the import.
    claim_checks_relay_on_commit(request_ids=None, limit=max(RELAY_BATCH, len(claims)))
    return claims, len(batch) - len(claims)


def claims_import_archive(
    *, lines: Iterable[ArchiveLine], user: User | None, batch_size: int = 1000
) -> ArchiveOutcome:
    """Create claims in batches with their origin links, vectors and check requests. Idempotent by
    ``external_id``: a line whose id is known is counted as existing and left alone."""
    outcome = ArchiveOutcome()
    for batch in _batches(lines, batch_size):
        planner_statistics_refresh()
        claims, existing = _import_batch(batch, user)
        outcome.created += len(claims)
        outcome.existing += existing
        outcome.claim_ids.extend(claim.pk for claim in claims)
    return outcome
