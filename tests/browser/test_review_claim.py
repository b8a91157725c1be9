"""The claim page in Chromium: two editors on one claim, a duplicate merged by accepting it, and
findings arriving from a real check while the page is open."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.models import Claim, Finding, Review
from claims.services.pipeline import claim_checks_run
from tests import factories
from tests.browser.conftest import Tab
from tests.browser.review_fixtures import checks_deferred, open_claim, quiet_newsroom

# The detector judges this pair a contradiction deterministically (opposite outcomes, same event).
APPROVED = "The council approved the harbour budget on Monday."
REJECTED = "The council rejected the harbour budget on Monday."


def test_the_second_editor_is_refused_and_sees_the_first_verdict(
    open_tab: Callable[[User | None], Tab], editor: User, second_editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    eddie, erin = open_tab(editor), open_tab(second_editor)
    # given: both editors have the claim open
    eddie_page, erin_page = open_claim(eddie, n.bridge.pk), open_claim(erin, n.bridge.pk)
    # when: erin records first
    erin_page.get_by_label("Corroborated").check()
    erin_page.fill("#verdict-rationale", "The city's press release confirms the figure.")
    erin_page.click("#verdict-submit")
    expect(erin_page.locator("#current-verdict")).to_contain_text("Corroborated by erin-editor")
    # and eddie submits the verdict he was writing on the version he read
    eddie_page.get_by_label("Disputed").check()
    expect(eddie_page.locator("#rationale-req")).to_be_visible()
    eddie_page.fill("#verdict-rationale", "The invoice says 6 million.")
    eddie_page.click("#verdict-submit")
    # then: refused, with who recorded what and why; his draft is still there
    conflict = eddie_page.locator("#verdict-conflict")
    expect(conflict).to_contain_text("Your verdict was not saved. erin-editor recorded 'corroborated' at ")
    expect(conflict).to_contain_text("The city's press release confirms the figure.")
    expect(eddie_page.locator("#verdict-rationale")).to_have_value("The invoice says 6 million.")
    expect(eddie_page.locator("#current-verdict")).to_contain_text("Corroborated by erin-editor")
    assert list(Review.objects.filter(claim=n.bridge).values_list("verdict", "reviewer__username")) == [
        ("corroborated", "erin-editor")
    ]
    # the refusal is an HTTP 409, which the browser logs; nothing else went wrong
    assert [problem for problem in eddie.problems() if "status of 409" not in problem] == []
    assert erin.problems() == []


def test_the_rationale_is_asked_for_before_a_disputed_verdict_is_sent(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    page = open_claim(tab, n.bridge.pk)
    page.get_by_label("Unreliable").check()
    page.click("#verdict-submit")
    expect(page.locator("[data-error-for=rationale]")).to_have_text(
        "Say why the claim is unreliable: a rationale is required."
    )
    expect(page.locator("#verdict-rationale")).to_be_focused()
    assert Review.objects.filter(claim=n.bridge).count() == 0
    assert tab.problems() == []


def test_accepting_a_duplicate_merges_the_claims(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    page = open_claim(tab, n.bridge.pk)
    finding = page.locator(f"#finding-{n.duplicate.pk}")
    expect(finding.locator(".other-side .context mark")).to_have_text(
        "the bridge reopened on Monday following repairs of 4 million euros"
    )
    # when
    finding.get_by_label("Note").fill("Same bridge, same day.")
    finding.get_by_role("button", name="Accept and merge").click()
    # then: this claim now has both appearances, and the merged one points here
    expect(page.locator(".flash")).to_contain_text(f"Merged claim #{n.bridge_again.pk} into this claim")
    expect(page.locator("#appearances-heading .count")).to_have_text("2")
    expect(page.locator("#history")).to_contain_text(f"Merged claim #{n.bridge_again.pk} into #{n.bridge.pk}")
    page.get_by_role("link", name=f"#{n.bridge_again.pk}").first.click()
    expect(page.locator("#merged-banner")).to_contain_text(f"This claim was merged into claim #{n.bridge.pk}")
    page.locator("#merged-banner").get_by_role("link", name=f"claim #{n.bridge.pk}").click()
    page.wait_for_url(f"**/claims/{n.bridge.pk}/")
    assert Claim.objects.get(pk=n.bridge_again.pk).merged_into_id == n.bridge.pk
    assert tab.problems() == []


def test_findings_of_a_check_that_finishes_while_the_page_is_open_appear_without_a_reload(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    # given: one claim checked already, and a second whose check is still waiting for a worker
    approved = factories.claim(text=APPROVED, user=annotator, speaker="Council press office")
    assert Claim.objects.get(pk=approved.pk).check_status == "done"
    with checks_deferred():
        rejected = factories.claim(text=REJECTED, user=annotator, speaker="Opposition leader")
    tab = open_tab(editor)
    page = open_claim(tab, rejected.pk)
    expect(page.locator("#claim-check")).to_have_text("Check pending")
    expect(page.locator("#findings-empty")).to_contain_text("findings will appear here without a reload")
    page.evaluate("window.__sameDocument = true")
    # when: the worker runs the check
    assert claim_checks_run(claim_id=rejected.pk) == "done"
    # then: the open page shows the finding and the finished check
    finding = page.locator(".finding.kind-contradiction")
    expect(finding).to_have_count(1)
    expect(finding.locator(".explanation")).to_have_text(Finding.objects.get().explanation)
    expect(finding.locator(".other-side h3 a")).to_have_text(f"Claim #{approved.pk}")
    expect(page.locator("#claim-check")).to_have_text("Checked")
    expect(finding.get_by_role("button", name="Confirm contradiction")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert tab.problems() == []
