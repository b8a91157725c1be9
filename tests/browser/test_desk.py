"""The desk's workflow in Chromium: assigning from the queue, a comment with a mention, and the
bell's count moving for the person mentioned; also at phone width (390 px)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.models import Claim, ClaimComment
from tests.browser.conftest import Tab
from tests.browser.review_fixtures import open_claim, open_queue, quiet_newsroom


def test_an_editor_assigns_two_claims_from_the_queue_and_the_assignee_finds_them(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    eddie, annie = open_tab(editor), open_tab(annotator)
    # given the annotator's bell shows nothing
    annie.page.goto("/notifications/")
    expect(annie.page.locator("#bell-count")).to_have_text("0")
    # when the editor selects two rows and assigns them to the annotator
    page = open_queue(eddie)
    page.check(f"#select-{n.bridge.pk}")
    page.check(f"#select-{n.budget_yes.pk}")
    page.select_option("#bulk-assignee", annotator.username)
    page.click("#bulk-assign")
    # then the queue says so, on the rows too
    expect(page.locator(".flash")).to_contain_text("Assigned 2 claims to annie-annotator.")
    expect(page.locator(f"#row-{n.bridge.pk} .q-assignee")).to_have_text("assigned to annie-annotator")
    # and the annotator's bell counts two, and "Assigned to me" lists exactly those claims
    annie.page.reload()
    expect(annie.page.locator("#bell-count")).to_have_text("2")
    mine = open_queue(annie, "?assigned=me&status=any")
    expect(mine.locator("#queue-list .q-row")).to_have_count(2)
    assert set(Claim.objects.filter(assignee=annotator).values_list("pk", flat=True)) == {
        n.bridge.pk,
        n.budget_yes.pk,
    }
    assert eddie.problems() == []
    assert annie.problems() == []


def test_a_mention_moves_the_bell_and_the_notification_leads_to_the_comment(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    annie, eddie = open_tab(annotator), open_tab(editor)
    eddie.page.goto("/notifications/")
    expect(eddie.page.locator("#bell-count")).to_have_text("0")
    # when the annotator comments on the claim page, mentioning the editor, with markup in the text
    page = open_claim(annie, n.bridge.pk)
    page.get_by_label("Add a comment").fill("@eddie-editor is <b>this</b> the same bridge?")
    page.get_by_role("button", name="Comment").click()
    # then the comment shows, escaped, with the mention marked
    comment = page.locator("#comments .comment-body")
    expect(comment).to_have_text("@eddie-editor is <b>this</b> the same bridge?")
    expect(comment.locator(".mention")).to_have_text("@eddie-editor")
    # and the editor's bell moves to 1; the notifications page leads to the comment; all read: 0
    eddie.page.reload()
    expect(eddie.page.locator("#bell-count")).to_have_text("1")
    item = eddie.page.locator("#notification-list .notification").first
    expect(item).to_contain_text("I am mentioned in a comment")
    eddie.page.click("#mark-all-read")
    expect(eddie.page.locator("#bell-count")).to_have_text("0")
    item.get_by_role("link").click()
    comment_id = ClaimComment.objects.get().pk
    expect(eddie.page.locator(f"#comment-{comment_id}")).to_be_visible()
    assert annie.problems() == []
    assert eddie.problems() == []


def test_the_discussion_and_assignment_work_at_phone_width(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    eddie = open_tab(editor)
    eddie.page.set_viewport_size({"width": 390, "height": 844})
    page = open_claim(eddie, n.budget_no.pk)
    # the assignment form and the comment box fit the screen
    for selector in ("#assignee-select", "#comment-body"):
        box = page.locator(selector).bounding_box()
        assert box is not None, selector
        assert 0 <= box["x"] <= box["x"] + box["width"] <= 390, selector
    page.select_option("#assignee-select", annotator.username)
    page.get_by_role("button", name="Save assignment").click()
    expect(page.locator("#assignee")).to_have_text("Assigned to annie-annotator")
    # the editor assigned it but does not follow it; the button changes that
    page.get_by_role("button", name="Follow", exact=True).click()
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    assert eddie.problems() == []
