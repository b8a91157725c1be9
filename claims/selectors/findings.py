from __future__ import annotations

from claims.models import Finding
from claims.selectors.claims import UserLike


def finding_get(*, user: UserLike, finding_id: int) -> Finding | None:
    """One finding; every authenticated user may read every finding."""
    if not user.is_authenticated:
        return None
    return Finding.objects.filter(pk=finding_id).first()
