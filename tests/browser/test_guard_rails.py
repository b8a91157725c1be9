"""Issue 16, guard rails, at desktop and phone width: corroborating over open contradictions needs a
rationale and a second confirmation (queue and claim page); a refused verdict in the queue keeps the
typed rationale; the facet and header counts follow the verdicts without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.models import Claim, ClaimStatus, Finding, Review
from claims.services.reviews import claim_review
from tests import factories
from tests.browser.conftest import Tab
from tests.browser.review_fixtures import open_claim, open_queue, quiet_newsroom

TRAM = "The council voted on Wednesday, after debate to extend the tram line to the airport."
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


@pytest.mark.parametrize("width", WIDTHS)
def test_queue_corroborating_over_contradictions_asks_why_and_to_confirm(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User, width: int
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    assert Claim.objects.get(pk=n.budget_yes.pk).open_contradictions == 1
    tab = open_tab(editor)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = open_queue(tab)
    dialog = page.locator("#verdict-dialog")
    unreviewed = page.locator('[data-facet="status-unreviewed"]')
    before = int(unreviewed.inner_text())
    page.locator(f"#row-{n.budget_yes.pk}").click(position={"x": 5, "y": 5})
    # when: c then Enter, as one would without reading
    page.keyboard.press("c")
    expect(page.locator("#verdict-dialog-warning")).to_contain_text(
        f"#{n.budget_yes.pk} has 1 open contradiction"
    )
    expect(page.locator("#verdict-dialog-required")).to_be_visible()
    page.keyboard.press("Enter")
    # then: refused in the prompt, nothing saved
    expect(page.locator("#verdict-dialog-error")).to_contain_text("say why it is corroborated anyway")
    expect(dialog).to_be_visible()
    # when: a rationale, then Enter: a second press is asked for
    page.keyboard.type("The minutes show the vote.")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-dialog-submit")).to_have_text("Confirm corroborated")
    expect(page.locator("#verdict-dialog-error")).to_contain_text("Press Enter again")
    expect(dialog).to_be_visible()
    assert not Review.objects.filter(claim=n.budget_yes).exists()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#row-{n.budget_yes.pk} .q-state .badge")).to_have_text("Corroborated")
    assert list(Review.objects.filter(claim=n.budget_yes).values_list("verdict", "rationale")) == [
        ("corroborated", "The minutes show the vote.")
    ]
    # and the counts follow without a reload
    expect(unreviewed).to_have_text(str(before - 1))
    expect(page.locator('[data-facet="status-corroborated"]')).to_have_text(
        str(Claim.objects.filter(status="corroborated", merged_into__isnull=True).count())
    )
    assert tab.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_queue_a_refused_verdict_keeps_the_typed_rationale(
    open_tab: Callable[[User | None], Tab], editor: User, second_editor: User, annotator: User, width: int
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = open_queue(tab)
    page.locator(f"#row-{n.bridge.pk}").click(position={"x": 5, "y": 5})
    # given: another editor records a verdict after the page was loaded
    claim_review(
        claim_id=n.bridge.pk, reviewer=second_editor, verdict="corroborated", rationale="Press release."
    )
    # when
    page.keyboard.press("d")
    page.keyboard.type("The invoice says 6 million.")
    page.keyboard.press("Enter")
    # then: refused, said so, and the rationale waits for the next try
    status = page.locator("#queue-status")
    expect(status).to_contain_text(f"Not saved for #{n.bridge.pk}")
    expect(status).to_contain_text("Your rationale is kept")
    expect(page.locator(".q-row.current")).to_have_attribute("data-claim", str(n.bridge.pk))
    page.keyboard.press("d")
    expect(page.locator("#verdict-dialog-rationale")).to_have_value("The invoice says 6 million.")
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-dialog")).to_be_hidden()
    expect(status).to_have_text(f"Recorded disputed on #{n.bridge.pk}.")
    assert list(Review.objects.filter(claim=n.bridge).order_by("id").values_list("verdict", "rationale")) == [
        ("corroborated", "Press release."),
        ("disputed", "The invoice says 6 million."),
    ]
    assert tab.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_claim_page_corroborating_over_contradictions_asks_why_and_to_confirm(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User, width: int
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = open_claim(tab, n.budget_yes.pk)
    page.get_by_label("Corroborated").check()
    expect(page.locator("#rationale-req")).to_be_visible()
    page.click("#verdict-submit")
    error = page.locator("[data-error-for=rationale]")
    expect(error).to_contain_text("open contradictions: say why")
    page.fill("#verdict-rationale", "The minutes show the vote.")
    page.click("#verdict-submit")
    expect(error).to_contain_text("Press Record again to confirm")
    assert not Review.objects.filter(claim=n.budget_yes).exists()
    page.click("#verdict-submit")
    expect(page.locator("#current-verdict")).to_contain_text("Corroborated by")
    assert list(Review.objects.filter(claim=n.budget_yes).values_list("verdict", "rationale")) == [
        ("corroborated", "The minutes show the vote.")
    ]
    assert tab.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_finding_card_shows_one_score_and_a_merge_is_one_history_entry(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User, width: int
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    Finding.objects.filter(pk=n.duplicate.pk).update(
        score=0.56, explanation='same wording and meaning (similarity 0.72): "bridge" / "bridge"'
    )
    tab = open_tab(editor)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = open_claim(tab, n.bridge.pk)
    card = page.locator(f"#finding-{n.duplicate.pk}")
    expect(card.locator(".explanation")).to_have_text('same wording and meaning: "bridge" / "bridge"')
    assert re.findall(r"\d\.\d\d", card.locator(".finding-head").inner_text() + card.inner_text()) == [
        "0.56",
        "0.56",
    ]
    card.get_by_role("button", name="Accept and merge").click()
    expect(page.locator(".flash")).to_contain_text("Merged claim")
    merged = page.locator("#history li", has_text=f"Merged claim #{n.bridge_again.pk} into #{n.bridge.pk}")
    expect(merged).to_have_count(1)
    assert tab.problems() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_overlaps_are_visibly_distinct_and_the_chooser_is_an_aria_menu(
    open_tab: Callable[[User | None], Tab], annotator: User, width: int
) -> None:
    article = factories.article(text=TRAM, title="Tram")
    outer = factories.highlight(article=article, user=annotator, exact="voted on Wednesday, after debate")
    inner = factories.highlight(article=article, user=annotator, exact=",", status=ClaimStatus.DISPUTED)
    tab = open_tab(annotator)
    tab.page.set_viewport_size({"width": width, "height": 800})
    page = tab.open_reader(article.pk)
    comma = page.locator("#article-text mark.hl", has_text=",")
    plain = page.locator("#article-text mark.hl").first
    # then: the one-character overlap carries the outer claim's line and a pattern, not just a tint
    expect(comma).to_have_attribute("data-ov", "unreviewed")
    style = comma.evaluate(
        "(m) => { const s = getComputedStyle(m); return [s.backgroundImage, s.boxShadow]; }"
    )
    plain_style = plain.evaluate(
        "(m) => { const s = getComputedStyle(m); return [s.backgroundImage, s.boxShadow]; }"
    )
    assert "repeating-linear-gradient" in style[0]
    assert style[1].count("inset") == 2
    assert plain_style[0] == "none"
    # when: the overlap is clicked, a menu of the two claims opens; the keys follow the menu pattern
    comma.click()
    chooser = page.locator("#hl-chooser")
    items = chooser.get_by_role("menuitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("End")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("Home")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(chooser).to_be_hidden()
    expect(comma).to_be_focused()
    comma.click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(".claim-item.selected")).to_have_attribute("data-claim", str(outer.pk))
    assert inner.pk != outer.pk
    assert tab.problems() == []
