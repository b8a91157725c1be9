"""Issue 16, guard rails: closing the claim form while the claim is saving neither hides the saved claim
nor leaves an invisible error, and no second save can start until the first one is answered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Route, expect

from claims.models import Claim
from tests import factories
from tests.browser.conftest import Tab, select_text

TEXT = "The harbour master said on Tuesday that the new breakwater had cut storm damage by a third."
PHRASE = "the new breakwater had cut storm damage by a third"
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("outcome", ["saved", "failed"])
def test_cancel_while_saving_shows_the_outcome(
    open_tab: Callable[[User | None], Tab], annotator: User, width: int, outcome: str
) -> None:
    article = factories.article(text=TEXT, title="Breakwater")
    tab = open_tab(annotator)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = tab.open_reader(article.pk)
    held: list[Route] = []
    page.route(
        "**/api/v1/claims/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    select_text(page, PHRASE)
    page.locator("#claim-popover-button").click()
    page.locator("#claim-save").click()
    page.wait_for_selector("#claim-dialog[data-saving]", state="attached")
    # when: Cancel while the request is on its way
    page.locator("#claim-cancel").click()
    expect(page.locator("#claim-dialog")).to_be_hidden()
    # and a second try cannot start before the first is answered
    select_text(page, PHRASE)
    page.locator("#claim-popover-button").click()
    expect(page.locator("#claim-save")).to_be_disabled()
    page.keyboard.press("Escape")
    assert len(held) == 1
    if outcome == "saved":
        held[0].continue_()
        notice = page.locator("#reader-notice")
        expect(notice).to_contain_text("was saved before the form closed: it is highlighted.")
        claim = Claim.objects.get()
        expect(page.locator(f'.claim-item[data-claim="{claim.pk}"]')).to_be_visible()
        expect(page.locator("#article-text mark").first).to_be_visible()
    else:
        held[0].fulfill(status=400, content_type="application/json", body='{"text": ["Too vague to check."]}')
        expect(page.locator("#reader-notice")).to_have_text("The claim was not saved: Too vague to check.")
        assert not Claim.objects.exists()
    # then: a new save is possible again, and makes exactly one more claim
    select_text(page, PHRASE)
    page.locator("#claim-popover-button").click()
    expect(page.locator("#claim-save")).to_be_enabled()
    assert [p for p in tab.problems() if "status of 400" not in p] == []
