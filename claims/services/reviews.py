from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import NotificationEvent
from claims.models import VERDICTS, Claim, ClaimStatus, Review
from claims.services.claims import ClaimConflict
from claims.services.events import claim_event_record
from claims.services.notifications import followers_notify
from claims.services.validation import clean_evidence

RATIONALE_REQUIRED = (ClaimStatus.DISPUTED, ClaimStatus.UNRELIABLE)
MAX_RATIONALE_CHARS = 5000


def review_validate(*, verdict: Any, rationale: Any, evidence: Any) -> tuple[str, str, list[str]]:
    if verdict not in VERDICTS:
        raise ValidationError(
            {"verdict": [f"Choose a verdict: {', '.join(VERDICTS)} (got {str(verdict)[:40]!r})."]}
        )
    rationale_text = (rationale or "").strip() if isinstance(rationale, str | None) else None
    if rationale_text is None:
        raise ValidationError({"rationale": ["The rationale must be text."]})
    if verdict in RATIONALE_REQUIRED and not rationale_text:
        raise ValidationError({"rationale": [f"Say why the claim is {verdict}: a rationale is required."]})
    if verdict in RATIONALE_REQUIRED and not any(character.isalpha() for character in rationale_text):
        # "0", "-" or "..." fills the box without saying anything a reader could check.
        raise ValidationError(
            {
                "rationale": [
                    f"Say in words why the claim is {verdict}: {rationale_text[:40]!r} gives no reason."
                ]
            }
        )
    if len(rationale_text) > MAX_RATIONALE_CHARS:
        raise ValidationError(
            {"rationale": [f"The rationale is longer than {MAX_RATIONALE_CHARS:,} characters."]}
        )
    return verdict, rationale_text, clean_evidence(evidence)


@transaction.atomic
def claim_review(
    *,
    claim_id: int,
    reviewer: User,
    verdict: Any,
    rationale: Any = "",
    evidence: Any = None,
    expected_version: int | None = None,
) -> Review:
    """Record a verdict. With ``expected_version`` a stale reader gets ``ClaimConflict``.

    The version compare is part of the UPDATE (``WHERE version = expected``), so of two editors
    submitting on the same version exactly one wins, whatever the interleaving; the unique
    (claim, claim_version) key on reviews backs this up.
    """
    verdict, rationale_text, evidence_urls = review_validate(
        verdict=verdict, rationale=rationale, evidence=evidence
    )
    claim = Claim.objects.filter(pk=claim_id, merged_into__isnull=True).first()
    if claim is None:
        raise Claim.DoesNotExist(f"No claim {claim_id} (it may have been merged).")
    _contradiction_guard(claim, verdict=verdict, rationale=rationale_text)
    version = claim.version if expected_version is None else expected_version
    now = timezone.now()
    updated = Claim.objects.filter(pk=claim_id, version=version).update(
        status=verdict, version=version + 1, reviewed_at=now, updated_at=now
    )
    if not updated:
        claim.refresh_from_db()
        raise ClaimConflict(claim, _conflict_message(claim, expected=version))
    # Read after the UPDATE, which holds the row lock: the words this verdict is given on.
    reviewed_text = Claim.objects.filter(pk=claim_id).values_list("text", flat=True).get()
    try:
        with transaction.atomic():
            review = Review.objects.create(
                claim_id=claim_id,
                verdict=verdict,
                rationale=rationale_text,
                evidence=evidence_urls,
                reviewer=reviewer,
                claim_version=version,
                claim_text=reviewed_text,
                created_at=now,
            )
    except IntegrityError as error:
        claim.refresh_from_db()
        raise ClaimConflict(claim, _conflict_message(claim, expected=version)) from error
    claim_event_record(
        claim=claim_id,
        actor=reviewer,
        action="reviewed",
        summary=f"Marked {verdict} (was {claim.status})",
        reason=rationale_text,
        data={
            "verdict": verdict,
            "previous": claim.status,
            "evidence": evidence_urls,
            "version": version + 1,
        },
    )
    followers_notify(
        claim_id=claim_id,
        event=NotificationEvent.VERDICT,
        actor=reviewer,
        summary=f"Claim #{claim_id} marked {verdict}: {claim.text[:120]}",
    )
    return review


def _contradiction_guard(claim: Claim, *, verdict: str, rationale: str) -> None:
    """Corroborating a claim that open contradictions dispute needs a reason a reader can check.

    The reader asks for it in the browser; the rule lives here so that every client meets it.
    """
    if verdict != ClaimStatus.CORROBORATED or claim.open_contradictions <= 0:
        return
    if any(character.isalpha() for character in rationale):
        return
    count = claim.open_contradictions
    raise ValidationError(
        {
            "rationale": [
                f"Claim #{claim.pk} has {count} open contradiction{'s' if count != 1 else ''}: "
                "say why it is corroborated anyway, or settle the contradictions first."
            ]
        }
    )


def _conflict_message(claim: Claim, *, expected: int) -> str:
    if expected > claim.version:
        return (
            f"You sent version {expected}, but the claim is at version {claim.version}. Nothing was "
            "saved: reload the claim and send the version or ETag you read."
        )
    latest = Review.objects.filter(claim=claim).select_related("reviewer").first()
    if latest is None:
        return f"This claim changed while you were reviewing it (now version {claim.version}). Reload it."
    return (
        f"{latest.reviewer.username} recorded '{latest.verdict}' at {latest.created_at:%H:%M:%S} "
        f"(version {claim.version}) while you were reviewing. Nothing was saved: read their "
        "rationale and submit again if you still disagree."
    )


def reviews_bulk(
    *,
    claim_ids: list[int],
    reviewer: User,
    verdict: Any,
    rationale: Any = "",
    evidence: Any = None,
    expected_versions: Mapping[int, int] | None = None,
) -> tuple[list[Review], list[tuple[int, str]]]:
    """One verdict and rationale for several claims; each claim gets its own review row.

    Claims are done one by one in id order (a fixed lock order); a claim that changed or vanished
    is reported back, not overwritten. ``expected_versions`` (claim id -> version the caller saw)
    refuses a claim that changed since, as ``claim_review`` does for one claim.
    """
    review_validate(verdict=verdict, rationale=rationale, evidence=evidence)
    done: list[Review] = []
    failed: list[tuple[int, str]] = []
    for claim_id in sorted(set(claim_ids)):
        try:
            done.append(
                claim_review(
                    claim_id=claim_id,
                    reviewer=reviewer,
                    verdict=verdict,
                    rationale=rationale,
                    evidence=evidence,
                    expected_version=(expected_versions or {}).get(claim_id),
                )
            )
        except (ClaimConflict, Claim.DoesNotExist) as error:
            failed.append((claim_id, str(error)))
        except ValidationError as error:
            # The contradiction guard refuses this claim alone; the others keep their verdict.
            failed.append((claim_id, " ".join(error.messages)))
    return done, failed
