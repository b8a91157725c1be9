"""Annotators turn selections into claims in the reader: mouse, keyboard, and text far from ASCII."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from articles.textnorm import normalise_text
from claims.models import Claim, SourceKind
from tests import factories
from tests.browser.conftest import Tab, click_phrase, drag_select, select_text

DATA = Path(__file__).resolve().parents[1] / "data" / "import"

HARBOUR_TEXT = (
    "The harbour master said on Tuesday that the new breakwater had cut storm damage by a third.\n\n"
    "Fishing crews disputed the figure and said repairs still cost them thousands every winter."
)

# Astral-plane emoji, ZWJ sequences with skin tones, a flag, Devanagari and Latin combining marks, CJK.
UNICODE_TEXT = (
    "Ferry tickets 🎟️ rose to 12 € on Monday, the operator said.\n\n"
    "The choir sang नमस्ते and 你好世界 at the pier 👩🏽‍🚒👨‍👩‍👧‍👦 before the Spın̈al band played.\n\n"
    "Officials said 🇳🇴 flags flew at half mast over the quay."
)


def save_claim(page: Page, *, text: str | None = None, speaker: str = "", source: str = "") -> None:
    page.locator("#claim-popover-button").click()
    dialog = page.locator("#claim-dialog")
    expect(dialog).to_be_visible()
    if text is not None:
        page.fill("#claim-text", text)
    if speaker:
        page.fill("#claim-speaker", speaker)
    if source:
        page.fill("[name=source-url]", source)
    page.locator("#claim-save").click()
    expect(dialog).to_be_hidden()


def marks_text(page: Page, claim_id: int) -> str:
    """The text of every highlight segment of a claim, joined in document order."""
    return str(
        page.evaluate(
            """(claimId) => {
                const item = document.querySelector(`.claim-item[data-claim="${claimId}"] .claim-button`);
                item.click();
                const marks = document.querySelectorAll("#article-text mark.sel");
                return [...marks].map((m) => m.textContent).join("");
            }""",
            claim_id,
        )
    )


def test_an_annotator_makes_claims_by_mouse_and_keyboard_that_stay_highlighted(
    open_tab: Callable[[User | None], Tab], annotator: User
) -> None:
    # given
    article = factories.article(text=HARBOUR_TEXT, title="Breakwater cut storm damage")
    tab = open_tab(annotator)
    page = tab.open_reader(article.pk)
    phrase = "the new breakwater had cut storm damage by a third"
    # when: a real drag from the first to the last character
    drag_select(page, phrase)
    expect(page.locator("#claim-popover")).to_be_visible()
    page.locator("#claim-popover-button").click()
    expect(page.locator("#claim-quote")).to_have_text(phrase)
    expect(page.locator("#claim-text")).to_have_value(phrase)
    page.fill("#claim-text", "The new breakwater cut storm damage in the harbour by a third.")
    page.fill("#claim-speaker", "Harbour master")
    page.fill("[name=source-url]", "https://harbour.example/reports/storms-2026")
    page.fill("[name=source-title]", "Storm damage report")
    page.locator("#claim-save").click()
    # then: the highlight shows at once, without a reload
    highlight = page.locator("#article-text mark.hl")
    expect(highlight).to_have_text(phrase)
    expect(page.locator(".claim-item .claim-text")).to_have_text(
        "The new breakwater cut storm damage in the harbour by a third."
    )
    claim = Claim.objects.get()
    annotation = Annotation.objects.get()
    text = article.current_revision.text
    assert (annotation.start, annotation.end, annotation.exact) == (
        text.index(phrase),
        text.index(phrase) + len(phrase),
        phrase,
    )
    assert annotation.prefix == text[: annotation.start][-32:]
    assert annotation.suffix == text[annotation.end :][:32]
    assert (claim.speaker, claim.created_by) == ("Harbour master", annotator)
    assert sorted(claim.sources.values_list("kind", "url")) == [
        (SourceKind.APPEARANCE, article.url),
        (SourceKind.EVIDENCE, "https://harbour.example/reports/storms-2026"),
    ]
    # and after a reload
    page.reload()
    page.wait_for_selector("body[data-reader-ready]")
    expect(page.locator("#article-text mark.hl")).to_have_text(phrase)
    # when: a drag across the paragraph break, over the first highlight
    drag_select(page, "Tuesday that the new breakwater had cut storm damage by a third.Fishing crews")
    save_claim(page, text="Storm damage fell and fishing crews disagree.")
    # then: the quote keeps the paragraph break, and the highlight spans both paragraphs
    across = Annotation.objects.latest("id")
    expected = "Tuesday that the new breakwater had cut storm damage by a third.\n\nFishing crews"
    assert (across.start, across.exact) == (text.index(expected), expected)
    claim_across = Claim.objects.get(sources__annotation=across)
    assert marks_text(page, claim_across.pk) == expected.replace("\n\n", "")
    assert page.locator("#article-text p:has(mark.sel)").count() == 2
    # when: a word is selected by double click, the popover dismissed, and the selection extended
    # with the keyboard
    click_phrase(page, "repairs", double=True)
    popover = page.locator("#claim-popover")
    expect(popover).to_be_visible()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    for _ in range(6):
        page.keyboard.press("Shift+ArrowRight")
    # then: the popover is back for the longer selection, and Enter opens the form with it
    expect(popover).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-quote")).to_have_text("repairs still")
    page.locator("#claim-save").click()
    expect(page.locator("#claim-dialog")).to_be_hidden()
    assert Annotation.objects.latest("id").exact == "repairs still"
    assert tab.problems() == []


def test_code_point_offsets_survive_emoji_zwj_sequences_combining_marks_and_cjk(
    open_tab: Callable[[User | None], Tab], annotator: User
) -> None:
    # given: one article of our own and the importer's unicode fixture
    fixture = (DATA / "unicode.txt").read_text(encoding="utf-8").split("\n", 1)
    ours = factories.article(text=UNICODE_TEXT, title="Choir at the pier")
    theirs = factories.article(text=fixture[1], title=fixture[0])
    cases = [
        (ours, "sang नमस्ते and 你好世界 at the pier 👩🏽‍🚒👨‍👩‍👧‍👦"),
        (ours, "Spın̈al band"),
        (ours, "🇳🇴 flags flew"),
        (theirs, "Families 👩‍👩‍👧 and 👨‍👩‍👧‍👦 queued"),
        (theirs, "「港の祭り、ありがとう」"),
        (theirs, "🏳️‍🌈🐟 Organisers plan to add a third day"),
    ]
    tab = open_tab(annotator)
    for article, phrase in cases:
        phrase = normalise_text(phrase)
        page = tab.open_reader(article.pk)
        # when
        select_text(page, phrase)
        expect(page.locator("#claim-popover")).to_be_visible()
        save_claim(page)
        # then: the stored selectors are the Python (code point) slice
        text = article.current_revision.text
        annotation = Annotation.objects.filter(article=article).latest("id")
        start = text.index(phrase)
        assert (annotation.start, annotation.end, annotation.exact) == (start, start + len(phrase), phrase)
        assert text[annotation.start : annotation.end] == phrase
        assert annotation.prefix == text[max(0, start - 32) : start]
        assert annotation.suffix == text[start + len(phrase) : start + len(phrase) + 32]
        assert unicodedata.is_normalized("NFC", annotation.exact)
    # and back: code points are drawn at the right UTF-16 places after a reload
    for article, phrase in cases:
        page = tab.open_reader(article.pk)
        claim = Claim.objects.get(sources__annotation__exact=normalise_text(phrase))
        assert marks_text(page, claim.pk) == normalise_text(phrase)
    assert tab.problems() == []
