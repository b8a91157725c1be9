"""Fetch one object for a request, or refuse: the one place that says 404 and what a user may act on.

API views and web views both call these. They raise rather than return None, so an entry point
cannot forget the check: ``Http404`` is a 404 page on the web and a JSON 404 in the API (DRF turns
it into ``NotFound`` with the same message); ``ClaimMerged`` is a 409 in the API.

Kind-level permissions (may this role decide findings at all?) are checked by the entry point
before it fetches (``permission_required`` on the web, ``required_permissions`` in the API). The
object-level rule is here: every authenticated user reads every claim and finding (the newsroom
shares one archive), anonymous users none; writes go to live claims, not to ones merged away.
A finer rule (per desk, per outlet) goes in these functions.
"""

from __future__ import annotations

from django.http import Http404

from apicore.exceptions import Conflict
from claims.models import Claim, Finding
from claims.selectors.claims import UserLike, claim_get
from claims.selectors.findings import finding_get


class ClaimMerged(Conflict):
    """A write to a claim that was merged into another: it lives on in ``claim.merged_into``."""

    def __init__(self, claim: Claim) -> None:
        into = claim.merged_into_id
        super().__init__(f"Claim {claim.pk} was merged into claim {into}: act on claim {into}.")
        self.claim = claim


def access_claim(*, user: UserLike, claim_id: int, for_write: bool = False) -> Claim:
    """The claim ``user`` may read, else Http404. ``for_write``: a merged claim is ClaimMerged."""
    claim = claim_get(user=user, claim_id=claim_id)
    if claim is None:
        raise Http404(f"No claim {claim_id}.")
    if for_write and claim.merged_into_id is not None:
        raise ClaimMerged(claim)
    return claim


def access_finding(*, user: UserLike, finding_id: int) -> Finding:
    """The finding ``user`` may read, else Http404 (findings go when their claims are re-checked)."""
    finding = finding_get(user=user, finding_id=finding_id)
    if finding is None:
        raise Http404(f"No finding {finding_id}: it may have gone when its claims were re-checked.")
    return finding
