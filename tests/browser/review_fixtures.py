"""Helpers of the review-area browser tests: a newsroom whose checks are held back, so the pages show
exactly the findings a test stored (the real detector would add its own and could auto-merge)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.contrib.auth.models import User
from playwright.sync_api import Page

from claims.models import CheckStatus, Claim
from tests.browser.conftest import Tab
from tests.newsroom import Newsroom, build_newsroom


@contextmanager
def checks_deferred() -> Iterator[None]:
    """Claims saved inside keep their check request pending, as when no worker has picked it up yet:
    the relay that would hand it to the (in-process) worker after commit does nothing."""
    with mock.patch("claims.services.dispatch.claim_checks_relay", return_value=0):
        yield


def quiet_newsroom(*, editor: User, annotator: User) -> Newsroom:
    with checks_deferred():
        newsroom = build_newsroom(editor=editor, annotator=annotator)
    Claim.objects.update(check_status=CheckStatus.DONE)
    newsroom.refresh()
    return newsroom


def open_queue(tab: Tab, query: str = "") -> Page:
    tab.page.goto(f"/review/{query}")
    tab.page.wait_for_selector("body[data-queue-ready]", state="attached")
    return tab.page


def open_claim(tab: Tab, claim_id: int) -> Page:
    tab.page.goto(f"/claims/{claim_id}/")
    tab.page.wait_for_selector("body[data-claim-ready]", state="attached")
    return tab.page


def row_ids(page: Page) -> list[int]:
    ids = page.locator("#queue-list .q-row").evaluate_all("rows => rows.map((row) => row.dataset.claim)")
    return [int(value) for value in ids]
