"""Reading: overlapping highlights, hostile text, roles, and what revisions do to highlights."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import expect

from annotations.models import AnchorState, Annotation
from claims.models import ClaimStatus
from tests import factories
from tests.browser.conftest import Tab, click_phrase, drag_select

DATA = Path(__file__).resolve().parents[1] / "data" / "import"

TRAM_TEXT = (
    "The city council voted on Wednesday to extend the tram line to the airport by 2029, at a cost of "
    "420 million crowns.\n\n"
    "Opposition members said the estimate left out the depot and would rise."
)


def test_overlapping_and_nested_highlights_are_each_clickable(
    open_tab: Callable[[User | None], Tab], annotator: User
) -> None:
    # given: A holds B nested inside it, and C overlaps A's end
    article = factories.article(text=TRAM_TEXT, title="Tram line to reach the airport")
    outer = factories.highlight(
        article=article, user=annotator, exact="voted on Wednesday to extend the tram line to the airport"
    )
    nested = factories.highlight(
        article=article, user=annotator, exact="extend the tram line", status=ClaimStatus.DISPUTED
    )
    overlapping = factories.highlight(
        article=article, user=annotator, exact="the airport by 2029, at a cost of 420 million crowns"
    )
    tab = open_tab(annotator)
    page = tab.open_reader(article.pk)
    selected = page.locator(".claim-item.selected")
    chooser = page.locator("#hl-chooser")
    # then: segments split at every boundary, deeper overlaps marked darker
    segments = page.locator("#article-text mark.hl")
    assert segments.all_text_contents() == [
        "voted on Wednesday to ",
        "extend the tram line",
        " to ",
        "the airport",
        " by 2029, at a cost of 420 million crowns",
    ]
    assert [m.get_attribute("class") for m in segments.all()] == [
        "hl st-unreviewed",
        "hl st-disputed d2",
        "hl st-unreviewed",
        "hl st-unreviewed d2",
        "hl st-unreviewed",
    ]
    # when: a place covered by one claim is clicked, that claim is selected in the panel
    click_phrase(page, "voted")
    expect(selected).to_have_attribute("data-claim", str(outer.pk))
    expect(chooser).to_be_hidden()
    click_phrase(page, "420 million")
    expect(selected).to_have_attribute("data-claim", str(overlapping.pk))
    # when: a place covered by two claims is clicked, both are offered, innermost first
    click_phrase(page, "tram line")
    expect(chooser).to_be_visible()
    options = chooser.locator("button[data-claim]")
    assert [o.get_attribute("data-claim") for o in options.all()] == [str(nested.pk), str(outer.pk)]
    options.first.click()
    expect(selected).to_have_attribute("data-claim", str(nested.pk))
    expect(chooser).to_be_hidden()
    click_phrase(page, "the airport")
    assert [o.get_attribute("data-claim") for o in options.all()] == [str(overlapping.pk), str(outer.pk)]
    options.last.click()
    expect(selected).to_have_attribute("data-claim", str(outer.pk))
    # when: a claim is clicked in the panel, its highlight is selected and scrolled to
    page.locator(f'.claim-item[data-claim="{nested.pk}"] .claim-button').click()
    expect(page.locator("#article-text mark.sel")).to_have_text("extend the tram line")
    expect(page.locator("#article-text mark.sel")).to_be_in_viewport()
    assert tab.problems() == []


def test_hostile_article_and_claim_text_is_shown_as_text_and_never_executed(
    open_tab: Callable[[User | None], Tab], annotator: User
) -> None:
    # given: the importer's hostile fixture plus payloads of our own in the text, claim and speaker
    title, body = (DATA / "hostile.txt").read_text(encoding="utf-8").split("\n", 1)
    body += (
        '\n\nA reply said " onmouseover="alert(4)" x=" and <b onclick=alert(5)>bold</b> then '
        "</script><script>alert(6)</script>."
    )
    article = factories.article(text=body, title=title + " <img src=x onerror=alert(7)>")
    factories.highlight(
        article=article,
        user=annotator,
        exact="<img src=x onerror=alert(1)>",
        text="A comment contained <img src=x onerror=alert(8)> and <svg onload=alert(9)>.",
        speaker="<script>alert(10)</script>",
    )
    tab = open_tab(annotator)
    page = tab.open_reader(article.pk)
    text = page.locator("#article-text")
    # when: the visitor moves over and clicks the payloads
    page.locator("#article-text mark.hl").click()
    page.locator(".claim-item .claim-button").click()
    click_phrase(page, "onmouseover")
    click_phrase(page, "<b onclick")
    drag_select(page, "<script>alert('xss')</script>")
    expect(page.locator("#claim-popover")).to_be_visible()
    # then: every payload is visible as typed
    expect(page.locator("#article-title")).to_have_text(title + " <img src=x onerror=alert(7)>")
    for payload in [
        "<script>alert('xss')</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(2)>',
        "javascript:alert(3)",
        "&lt;b&gt;bold&lt;/b&gt;",
        "{{ template }}",
        "{% tag %}",
        '" onmouseover="alert(4)" x="',
        "<b onclick=alert(5)>bold</b>",
        "</script><script>alert(6)</script>",
    ]:
        expect(text).to_contain_text(payload)
    panel = page.locator(".claims-panel")
    expect(panel).to_contain_text(
        "A comment contained <img src=x onerror=alert(8)> and <svg onload=alert(9)>."
    )
    expect(panel).to_contain_text("<script>alert(10)</script>")
    # and nothing became markup, ran, or was refused by the CSP (which would log an error)
    # (triage's margin flags are the reader's own elements, with no text of their own)
    assert page.locator("#article-text :not(p):not(mark):not(.triage-flag)").count() == 0
    assert page.locator("#article-text .triage-flag").all_text_contents() == [
        "" for _ in range(page.locator("#article-text .triage-flag").count())
    ]
    assert page.locator(".claims-panel :is(script, img, svg, b), main h1 *").count() == 0
    assert tab.dialogs == []
    assert tab.problems() == []


def test_a_reader_reads_highlights_but_gets_no_claim_popover_and_a_visitor_must_log_in(
    open_tab: Callable[[User | None], Tab], reader: User, annotator: User
) -> None:
    # given
    article = factories.article(text=TRAM_TEXT, title="Tram line to reach the airport")
    claim = factories.highlight(article=article, user=annotator, exact="420 million crowns")
    tab = open_tab(reader)
    page = tab.open_reader(article.pk)
    # when
    drag_select(page, "extend the tram line")
    # then: the selection is there, but nothing offers to make a claim of it
    assert page.evaluate("() => window.getSelection().toString()") == "extend the tram line"
    assert page.locator("#claim-popover, #claim-dialog").count() == 0
    expect(page.get_by_role("button", name="Claim", exact=True)).to_have_count(0)
    # and highlights still work for reading
    click_phrase(page, "420 million")
    expect(page.locator(".claim-item.selected")).to_have_attribute("data-claim", str(claim.pk))
    assert tab.problems() == []
    # and an anonymous visitor is sent to the login page
    visitor = open_tab(None).page
    visitor.goto(f"/articles/{article.pk}/")
    expect(visitor).to_have_url(re.compile(rf"/accounts/login/\?next=/articles/{article.pk}/$"))
    expect(visitor.locator("#article-text")).to_have_count(0)


def test_editing_the_text_reanchors_highlights_lists_orphans_and_dashes_anchors_to_review(
    open_tab: Callable[[User | None], Tab], annotator: User, editor: User
) -> None:
    # given: three claims on the first revision
    article = factories.article(text=TRAM_TEXT, title="Tram line to reach the airport")
    kept = factories.highlight(article=article, user=annotator, exact="The city council voted on Wednesday")
    changed = factories.highlight(article=article, user=annotator, exact="at a cost of 420 million crowns")
    removed = factories.highlight(
        article=article,
        user=annotator,
        exact="Opposition members said the estimate left out the depot and would rise.",
        text="The tram estimate leaves out the depot.",
    )
    tab = open_tab(editor)
    page = tab.open_reader(article.pk)
    # when: an editor rewrites the text through the "Edit text" page (re-anchoring runs in-process)
    page.get_by_role("link", name="Edit text").click()
    page.fill(
        "#article-text-input",
        "The city council voted on Wednesday to extend the tram line to the airport by 2029, at a cost of "
        "510 million crowns.\n\nThe mayor welcomed the vote.",
    )
    page.get_by_role("button", name="Save as a new revision").click()
    page.wait_for_selector("body[data-reader-ready]")
    # then: the reader shows revision 2 and lists both revisions
    expect(page.locator("#revision-summary")).to_contain_text("Revision 2 of 2")
    expect(page.locator(".revision-list li")).to_have_count(2)
    states = dict(Annotation.objects.values_list("source__claim", "anchor_state"))
    assert states == {
        kept.pk: AnchorState.EXACT,
        changed.pk: AnchorState.NEEDS_REVIEW,
        removed.pk: AnchorState.ORPHAN,
    }
    # the kept claim is highlighted as before, the changed figure's anchor is dashed with its score
    expect(page.locator("#article-text mark.hl:not(.rv)")).to_have_text("The city council voted on Wednesday")
    review_mark = page.locator("#article-text mark.hl.rv")
    expect(review_mark).to_have_text("at a cost of 510 million crowns")
    score = Annotation.objects.get(source__claim=changed).anchor_score
    expect(page.locator(f'.claim-item[data-claim="{changed.pk}"] .anchor-note.rv')).to_have_text(
        f"Anchor needs review · score {score:.2f}"
    )
    # and the claim whose sentence is gone is listed under Orphans
    orphans = page.locator("#orphans")
    expect(orphans).to_be_visible()
    expect(orphans.locator(".claim-item")).to_have_count(1)
    expect(orphans.locator(".claim-text")).to_have_text("The tram estimate leaves out the depot.")
    expect(orphans.locator(".orphan-quote")).to_have_text(
        "Opposition members said the estimate left out the depot and would rise."
    )
    assert tab.problems() == []
