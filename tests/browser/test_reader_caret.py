"""Issue 16, item 4: keyboard-only annotators make claims with a caret in the reader ("Select with
keyboard": arrows move, Shift+arrows extend, Enter opens the claim form), desktop and phone width."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.models import Claim
from tests import factories
from tests.browser.conftest import Tab

TEXT = "Ferry fares rose by 12 percent on Monday, the operator said."
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_claim_made_with_the_keyboard_alone(
    open_tab: Callable[[User | None], Tab], annotator: User, width: int
) -> None:
    article = factories.article(text=TEXT, title="Ferry fares")
    tab = open_tab(annotator)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = tab.open_reader(article.pk)
    toggle = page.get_by_role("button", name="Select with keyboard")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#caret-help")).to_contain_text("Keyboard selection on")
    expect(page.locator("#article-text")).to_be_focused()
    # Enter with nothing selected says what to do
    page.keyboard.press("Enter")
    expect(page.locator("#caret-help")).to_contain_text("Nothing selected")
    # when: the caret moves by a word and a character, then Shift extends by words
    page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("ArrowRight")
    for _ in range(5):
        page.keyboard.press("Control+Shift+ArrowRight")
    expect(page.locator("#caret-help")).to_contain_text("Selected: fares rose by 12 percent")
    page.keyboard.press("Enter")
    expect(page.locator("#claim-dialog")).to_be_visible()
    expect(page.locator("#claim-quote")).to_have_text("fares rose by 12 percent")
    page.locator("#claim-save").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-dialog")).to_be_hidden()
    claim = Claim.objects.get()
    assert claim.text == "fares rose by 12 percent"
    # Escape leaves the mode and gives focus back to the toggle
    page.locator("#article-text").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_be_focused()
    assert tab.problems() == []
