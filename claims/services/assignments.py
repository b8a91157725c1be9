"""Assigning claims to people on the desk. Every change is a history entry on the claim."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import NotificationEvent
from accounts.selectors import desk_users
from claims.models import Claim, ClaimEvent
from claims.services.notifications import claim_follow, notifications_create

MAX_BULK_ASSIGN = 200


def assignee_validate(*, username: str | None) -> User | None:
    """The user to assign to, by username: an active annotator, editor or admin (None unassigns)."""
    if username is None:
        return None
    assignee = desk_users().filter(username=username).first()
    if assignee is None:
        raise ValidationError(
            {
                "assignee": [
                    f"{username[:150]!r} is not an active annotator, editor or admin: only they can be "
                    "assigned claims (readers cannot)."
                ]
            }
        )
    return assignee


@transaction.atomic
def claims_assign(*, claim_ids: Sequence[int], assignee: User | None, actor: User) -> list[int]:
    """Assign (or with ``assignee=None`` unassign) claims; returns the ids that changed.

    Merged claims and claims already assigned so are left as they are (no history entry, no
    notification), so repeating a request changes nothing. The assignee follows the claims and is
    notified, unless they assigned themselves.
    """
    wanted = sorted(set(claim_ids))
    if len(wanted) > MAX_BULK_ASSIGN:
        raise ValidationError({"claims": [f"Assign at most {MAX_BULK_ASSIGN} claims at once."]})
    # Rows locked in id order, the order every bulk writer uses, so that two bulk assignments wait
    # for one another instead of deadlocking.
    claims = list(
        Claim.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted, merged_into__isnull=True)
        .select_related("assignee")
        .order_by("pk")
    )
    changed = [claim for claim in claims if claim.assignee_id != (assignee.pk if assignee else None)]
    if not changed:
        return []
    now = timezone.now()
    # updated_at is left alone: it orders the sync feed of claim content, which did not change.
    Claim.objects.filter(pk__in=[claim.pk for claim in changed]).update(assignee=assignee)
    ClaimEvent.objects.bulk_create(
        [
            ClaimEvent(
                claim_id=claim.pk,
                actor=actor,
                action="assigned" if assignee else "unassigned",
                summary=f"Assigned to {assignee.username}" if assignee else "Unassigned",
                data={
                    "assignee": assignee.username if assignee else None,
                    "previous": claim.assignee.username if claim.assignee else None,
                },
                created_at=now,
            )
            for claim in changed
        ]
    )
    if assignee is not None:
        for claim in changed:
            claim_follow(claim_id=claim.pk, user=assignee)
            notifications_create(
                recipients={assignee.pk: NotificationEvent.ASSIGNED},
                claim_id=claim.pk,
                actor=actor,
                summary=f"Claim #{claim.pk} was assigned to you: {claim.text[:120]}",
            )
    return [claim.pk for claim in changed]
