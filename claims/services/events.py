from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from claims.models import Claim, ClaimEvent


def claim_event_record(
    *,
    claim: Claim | int,
    actor: User | None,
    action: str,
    summary: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> ClaimEvent:
    claim_id = claim if isinstance(claim, int) else claim.pk
    return ClaimEvent.objects.create(
        claim_id=claim_id, actor=actor, action=action, summary=summary[:500], reason=reason, data=data or {}
    )
