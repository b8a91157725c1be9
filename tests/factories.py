"""Builders for test data that go through the services, so tests see what users would create."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import User

from articles.models import Article
from articles.services import article_create
from claims.models import Claim
from claims.services.claims import SelectorInput, claim_create

_sequence = itertools.count(1)


def article(
    *,
    text: str = "Officials said the bridge reopened on Monday after repairs costing 4 million euros.",
    title: str | None = None,
    outlet: str | None = "Harbour Gazette",
    url: str | None = None,
    user: User | None = None,
    **extra: Any,
) -> Article:
    number = next(_sequence)
    return article_create(
        title=title or f"Test article {number}",
        text=text,
        url=url if url is not None else f"https://harbourgazette.example/test/{number}",
        outlet_name=outlet,
        created_by=user,
        **extra,
    )


def highlight(*, article: Article, exact: str, user: User | None, **extra: Any) -> Claim:
    return claim_create(user=user, article=article, selector=SelectorInput(exact=exact), **extra)


def claim(*, text: str, user: User | None = None, **extra: Any) -> Claim:
    return claim_create(user=user, text=text, **extra)
