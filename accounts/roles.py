"""Roles are Django groups with a fixed set of permissions; this module is their single definition."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    READER = "reader"
    ANNOTATOR = "annotator"
    EDITOR = "editor"
    ADMIN = "admin"


# Permission codenames as "app_label.codename". Each role includes the ones before it.
READER_PERMISSIONS = (
    "articles.view_article",
    "annotations.view_annotation",
    "claims.view_claim",
    "claims.view_finding",
    "claims.view_review",
)
ANNOTATOR_PERMISSIONS = (
    *READER_PERMISSIONS,
    "annotations.add_annotation",
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_source",
    # The desk's discussion: readers neither read nor write it.
    "claims.view_claimcomment",
    "claims.add_claimcomment",
)
EDITOR_PERMISSIONS = (
    *ANNOTATOR_PERMISSIONS,
    "articles.add_article",
    "articles.change_article",
    "claims.review_claim",
    "claims.decide_finding",
    "claims.assign_claim",
)

ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.READER: READER_PERMISSIONS,
    Role.ANNOTATOR: ANNOTATOR_PERMISSIONS,
    Role.EDITOR: EDITOR_PERMISSIONS,
    Role.ADMIN: EDITOR_PERMISSIONS,
}
