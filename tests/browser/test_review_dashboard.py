"""The dashboard in Chromium: the vendored Chart.js draws under the CSP, and each figure in dispute is a
row of its group's strip plot, placed on one value axis."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.services.reviews import claim_review
from tests.browser.conftest import Tab
from tests.browser.review_fixtures import checks_deferred
from tests.newsroom import flood_claims, store_finding


def test_charts_and_figures_in_dispute_are_drawn(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    # given: three reports of one death toll, contradicting each other
    with checks_deferred():
        seven, forty, range_ = flood_claims(annotator)
    store_finding(seven, forty)
    store_finding(forty, range_)
    claim_review(claim_id=seven.pk, reviewer=editor, verdict="disputed", rationale="Hospital lists 31.")
    tab = open_tab(editor)
    page = tab.page
    # when
    page.goto("/dashboard/")
    page.wait_for_selector("body[data-dashboard-ready]", state="attached")
    # then: Chart.js drew both charts
    assert page.evaluate(
        "() => ['chart-outlets', 'chart-speakers'].map((id) => Boolean(Chart.getChart(id)))"
    ) == [
        True,
        True,
    ]
    assert page.evaluate("() => Chart.getChart('chart-outlets').data.labels") == [
        "Gazette",
        "Clarion",
        "Ledger",
    ]
    # and the group's strip plot has one row per figure, in date order, each linking to its claim
    rows = page.locator(".figure-group .strip-svg a.fig-row")
    expect(rows).to_have_count(3)
    assert rows.evaluate_all("(rows) => rows.map((row) => row.getAttribute('href'))") == [
        f"/claims/{seven.pk}/",
        f"/claims/{range_.pk}/",
        f"/claims/{forty.pk}/",
    ]
    assert rows.locator(".value-label").all_text_contents() == ["Seven", "30 and 35", "At least 40"]
    expect(page.locator(".figure-group figcaption .group-title")).to_have_text("People killed")
    # the open bound runs to the plot's edge with an arrow; the exact figure is a dot left of the range
    assert rows.nth(2).locator("line.open-bound").count() == 1
    dot_x = float(rows.nth(0).locator("circle").get_attribute("cx") or 0)
    range_x = float(rows.nth(1).locator("rect:not(.band)").get_attribute("x") or 0)
    assert dot_x < range_x
    assert tab.problems() == []
