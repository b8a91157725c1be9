"""The review queue in Chromium: filters, keyboard navigation and verdicts, the selection's bulk verdict."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.models import Claim, Review
from claims.services.pipeline import claim_checks_run
from tests import factories
from tests.browser.conftest import Tab
from tests.browser.review_fixtures import checks_deferred, open_queue, quiet_newsroom, row_ids


def test_filters_narrow_the_queue_and_show_their_counts(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    page = open_queue(tab)
    assert row_ids(page) == [n.budget_no.pk, n.budget_yes.pk, n.bridge_again.pk, n.bridge.pk, n.standalone.pk]
    expect(page.locator("#queue-total")).to_have_text("5")
    # when: ticking a facet applies it at once
    page.get_by_label("Duplicate suggestions").check()
    page.wait_for_url(re.compile(r"duplicates=1"))
    page.wait_for_selector("body[data-queue-ready]", state="attached")
    # then
    assert row_ids(page) == [n.bridge_again.pk, n.bridge.pk]
    expect(page.locator("#queue-total")).to_have_text("2")
    # when: an outlet, from the select with its counts
    page.select_option("#filter-outlet", label="KPB News (1)")
    page.wait_for_url(re.compile(r"outlet="))
    page.wait_for_selector("body[data-queue-ready]", state="attached")
    assert row_ids(page) == [n.bridge_again.pk]
    # when: a search, which keeps the filters
    page.fill("#queue-search", "nothing like this")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=nothing"))
    expect(page.locator(".queue-empty")).to_contain_text("No claim matches these filters.")
    page.get_by_role("link", name="Clear all").click()
    page.wait_for_selector("body[data-queue-ready]", state="attached")
    assert len(row_ids(page)) == 5
    assert tab.problems() == []


def test_keyboard_moves_through_the_queue_and_records_verdicts(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    page = open_queue(tab)
    dialog = page.locator("#verdict-dialog")
    current = page.locator(".q-row.current")
    # j / k move the current row
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-claim", str(n.budget_no.pk))
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(current).to_have_attribute("data-claim", str(n.budget_yes.pk))
    # c: corroborated; this claim has an open contradiction, so it needs a rationale and a second Enter
    # (issue 16: corroborating over open contradictions is guarded; see test_queue_guard_rails.py)
    page.keyboard.press("c")
    expect(dialog).to_be_visible()
    expect(page.locator("#verdict-dialog-target")).to_contain_text(f"Claim #{n.budget_yes.pk}")
    expect(page.locator("#verdict-dialog-required")).to_be_visible()
    page.keyboard.type("Checked the minutes.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#row-{n.budget_yes.pk} .q-state .badge")).to_have_text("Corroborated")
    expect(page.locator("#queue-status")).to_have_text(f"Recorded corroborated on #{n.budget_yes.pk}.")
    expect(current).to_have_attribute("data-claim", str(n.bridge_again.pk))
    # d: disputed needs a rationale; Enter without one is refused in the prompt
    page.keyboard.press("d")
    expect(page.locator("#verdict-dialog-required")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#verdict-dialog-error")).to_have_text(
        "Say why the claim is disputed: a rationale is required."
    )
    page.keyboard.type("The KPB report gives no figure.")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Asked the council.")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#row-{n.bridge_again.pk} .q-state .badge")).to_have_text("Disputed")
    # u then Esc: nothing recorded
    page.keyboard.press("u")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # then
    assert list(Review.objects.order_by("id").values_list("claim_id", "verdict", "rationale"))[1:] == [
        (n.budget_yes.pk, "corroborated", "Checked the minutes."),
        (n.bridge_again.pk, "disputed", "The KPB report gives no figure.\nAsked the council."),
    ]
    assert Claim.objects.get(pk=n.bridge.pk).status == "unreviewed"
    # typing in the search box is typing, not shortcuts
    page.locator("#queue-search").click()
    page.keyboard.type("cdujkx?")
    expect(dialog).to_be_hidden()
    expect(page.locator("#shortcuts-dialog")).to_be_hidden()
    expect(page.locator("#queue-search")).to_have_value("cdujkx?")
    # ? lists the shortcuts; Enter on a row opens the claim
    page.locator(f"#row-{n.bridge.pk}").click(position={"x": 700, "y": 10})
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/claims/{n.bridge.pk}/")
    assert tab.problems() == []


def test_one_verdict_for_a_selection_gives_each_claim_its_own_review(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    page = open_queue(tab)
    # when: x on the first two rows, then u
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    page.keyboard.press("u")
    expect(page.locator("#verdict-dialog-target")).to_have_text(
        "2 selected claims: each gets its own review with this rationale."
    )
    page.keyboard.type("Both rest on one anonymous post.")
    page.keyboard.press("Enter")
    expect(page.locator("#queue-status")).to_have_text("Recorded unreliable on 2 claims.")
    expect(page.locator("#selected-count")).to_have_text("0 selected")
    # then
    assert sorted(
        Review.objects.filter(verdict="unreliable").values_list("claim_id", "rationale", "claim_version")
    ) == sorted(
        [
            (n.budget_yes.pk, "Both rest on one anonymous post.", 1),
            (n.budget_no.pk, "Both rest on one anonymous post.", 1),
        ]
    )
    assert tab.problems() == []


def test_readers_get_no_verdict_keys(
    open_tab: Callable[[User | None], Tab], reader: User, editor: User, annotator: User
) -> None:
    quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(reader)
    page = open_queue(tab)
    page.keyboard.press("j")
    page.keyboard.press("d")
    expect(page.locator(".q-row.current")).to_have_count(1)
    expect(page.locator("#verdict-dialog")).to_have_count(0)
    expect(page.locator(".q-select")).to_have_count(0)
    assert Review.objects.count() == 1
    assert tab.problems() == []


def test_a_finished_check_updates_its_row_without_a_reload(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    # given: a checked claim, and a contradicting one whose check waits for a worker
    approved = factories.claim(text="The council approved the harbour budget on Monday.", user=annotator)
    with checks_deferred():
        rejected = factories.claim(text="The council rejected the harbour budget on Monday.", user=annotator)
    tab = open_tab(editor)
    page = open_queue(tab)
    row = page.locator(f"#row-{rejected.pk}")
    expect(row.locator(".check")).to_have_text("Check pending")
    expect(row.locator(".q-finding")).to_have_count(0)
    # when
    assert claim_checks_run(claim_id=rejected.pk) == "done"
    # then: both rows show the contradiction
    expect(row.locator(".q-finding .kind-tag")).to_have_text(f"Contradicts #{approved.pk}")
    expect(row.locator(".check")).to_have_text("Checked")
    expect(page.locator(f"#row-{approved.pk} .sig-contradictions .sig-n")).to_have_text("1")
    assert tab.problems() == []
