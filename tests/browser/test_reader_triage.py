"""Triage in the reader: repeats of reviewed claims and worth-checking marks, accepted and dismissed
in one step from the keyboard, and the marks turned off for good."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.models import Claim, ClaimStatus, Source, SourceKind, TriageDismissal, TriagePreference
from tests import factories
from tests.api.support import run_checks
from tests.browser.conftest import Tab
from tests.claims.test_triage import ARTICLE, DISPUTED


def _triaged_article(editor: User) -> tuple[Claim, int]:
    claim = factories.claim(text=DISPUTED, user=editor, status=ClaimStatus.DISPUTED)
    run_checks(claim)
    # Created outside a transaction: triage runs on commit (in-process, no broker in tests).
    article = factories.article(text=ARTICLE, user=editor, outlet="Velmora Post")
    return claim, article.pk


def test_an_annotator_accepts_a_repeat_from_the_keyboard(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    claim, article_id = _triaged_article(editor)
    tab = open_tab(annotator)
    page = tab.open_reader(article_id)
    flag = page.locator("#article-text a.triage-flag.repeat")
    expect(flag).to_have_count(1)
    assert flag.get_attribute("data-label") == f"repeats claim #{claim.pk} · disputed"
    assert flag.get_attribute("href") == f"/claims/{claim.pk}/"
    # when: Tab to the Accept button of the repeat in the panel and press Enter
    accept = page.get_by_role(
        "button", name=f"Accept: record this sentence as an appearance of claim #{claim.pk}"
    )
    accept.focus()
    page.keyboard.press("Enter")
    # then: the sentence is a highlight of the existing claim, and the repeat is gone
    expect(page.locator("#article-text mark.hl.st-disputed")).to_have_count(1)
    expect(page.locator("#article-text a.triage-flag.repeat")).to_have_count(0)
    assert page.locator("#article-text mark.hl").all_text_contents() == [
        "The Velmora dam let out 40 million cubic metres of water on Tuesday night, officials said."
    ]
    source = Source.objects.get(claim=claim, kind=SourceKind.APPEARANCE, article_id=article_id)
    assert (source.created_by, Claim.objects.count()) == (annotator, 1)
    assert tab.problems() == []


def test_a_dismissed_mark_does_not_come_back_and_marks_can_be_turned_off(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    _, article_id = _triaged_article(editor)
    tab = open_tab(editor)
    page = tab.open_reader(article_id)
    worth = page.locator("#article-text button.triage-flag.worth")
    expect(worth).to_have_count(1)
    # when: the mark's "Make a claim" opens the claim form on the sentence, speaker filled
    worth.click()
    expect(page.locator("#claim-dialog")).to_be_visible()
    assert page.locator("#claim-speaker").input_value() == "the municipality"
    assert page.locator("#claim-quote").text_content() == (
        "According to the municipality, more than 3,000 homes lost power, the highest number since 1998."
    )
    page.keyboard.press("Escape")
    # when: the mark is dismissed
    page.get_by_role("button", name="Not worth checking", exact=False).click()
    expect(worth).to_have_count(0)
    assert TriageDismissal.objects.filter(article_id=article_id, claim__isnull=True).count() == 1
    page.reload()
    page.wait_for_selector("body[data-reader-ready]")
    expect(page.locator("#article-text .triage-flag.worth")).to_have_count(0)
    # when: another user turns the marks off, it is remembered for them
    tab2 = open_tab(annotator)
    page2 = tab2.open_reader(article_id)
    with page2.expect_response("**/api/v1/triage/preferences/"):
        page2.get_by_label("Show sentences worth checking").uncheck()
    expect(page2.locator("#article-text .triage-flag.repeat")).to_have_count(1)
    page2.wait_for_function("() => !document.querySelector('#article-text .triage-flag.worth')")
    page2.reload()
    page2.wait_for_selector("body[data-reader-ready]")
    expect(page2.get_by_label("Show sentences worth checking")).not_to_be_checked()
    assert TriagePreference.objects.get(user=annotator).show_marks is False
    assert (tab.problems(), tab2.problems()) == ([], [])
