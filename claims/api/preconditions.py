"""If-Match on claims: which version a writer holds the claim to.

Clients send the version number (``If-Match: "3"`` or ``3``) or the ETag of their last GET. The
version goes to the service, which compares it inside its UPDATE, so a stale writer loses whatever
the interleaving; this module only decides which version the header means.
"""

from __future__ import annotations

from rest_framework.request import Request

from accounts.numbers import whole_number_or_none
from apicore.conditional import etag_version, header_tags
from claims.models import Claim
from claims.services.claims import ClaimConflict


def has_if_match(request: Request) -> bool:
    return bool(request.headers.get("If-Match", "").strip())


def expected_version(request: Request, *, claim: Claim, etag: str) -> int | None:
    """The version If-Match holds the claim to; None without the header or with ``*``.

    A stale ETag yields its (old) version so the service reports who changed the claim. An ETag of
    the current version whose body differs (a new finding, a finished check) raises
    ``ClaimConflict`` here: the writer has not seen what changed.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    tags = header_tags(header)
    if "*" in tags:
        return None
    etag_versions: list[int] = []
    for tag in tags:
        plain = tag.removeprefix("W/").strip('"')
        version = whole_number_or_none(plain)
        if version is not None:
            return version
        if tag == etag:
            return claim.version
        version = etag_version(tag)
        if version is not None:
            etag_versions.append(version)
    stale = [version for version in etag_versions if version != claim.version]
    if stale:
        return stale[0]
    if etag_versions:
        raise ClaimConflict(
            claim,
            f"The claim's findings or check status changed since you read it (it is still at version "
            f"{claim.version}). Nothing was saved: read the claim below and submit again.",
        )
    raise ClaimConflict(
        claim,
        f"If-Match {header[:80]!r} is neither a version number nor an ETag of this claim. Nothing was "
        f'saved: send the version (If-Match: "{claim.version}") or the ETag of your last GET.',
    )
