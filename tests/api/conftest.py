"""Fixtures of the API tests: a small newsroom built through the services."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from claims.models import Claim
from claims.services.reviews import claim_review
from tests import factories
from tests.api.support import ARTICLE_TEXT, CONTRADICTION, QUOTE, Newsroom, finding_between


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Personas get passwords; the production hasher costs half a second each, per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def newsroom(editor: User, annotator: User) -> Newsroom:
    article = factories.article(
        text=ARTICLE_TEXT,
        title="Bridge reopens after repairs",
        url="https://harbourgazette.example/2024/05/bridge",
        user=editor,
        published_at=datetime(2024, 5, 6, 8, 0, tzinfo=UTC),
    )
    highlight = factories.highlight(article=article, exact=QUOTE, user=annotator, speaker="City officials")
    standalone = factories.claim(text="Unemployment in the region fell to 4.1% last year.", user=annotator)
    reviewed = factories.claim(text="The harbour handled 2 million containers in 2023.", user=annotator)
    claim_review(claim_id=reviewed.pk, reviewer=editor, verdict="corroborated", rationale="Port statistics.")
    left = factories.claim(text=CONTRADICTION[0], user=annotator)
    right = factories.claim(text=CONTRADICTION[1], user=annotator)
    finding = finding_between(left, right)
    return Newsroom(
        article=article,
        highlight=highlight,
        standalone=standalone,
        reviewed=Claim.objects.get(pk=reviewed.pk),
        finding=finding,
        editor=editor,
    )
