"""Issue 16, item 4: every page at desktop (1280 px) and phone (390 px) width: no horizontal overflow,
the whole header on screen, a skip link, and axe-core (pinned in package.json, installed by ``npm ci``)
reporting no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.review_fixtures import open_queue, quiet_newsroom
from tests.newsroom import Newsroom

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


def axe_serious(page: Page, *, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations of the page as it is now. The script is evaluated
    through the DevTools protocol, which the pages' Content-Security-Policy does not block."""
    if not AXE.is_file():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make lint-js does).", pytrace=False)
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ["violations"] });
          const skip = new Set(SKIP);
          return result.violations
            .filter((v) => (v.impact === "serious" || v.impact === "critical") && !skip.has(v.id))
            .map((v) => ({ id: v.id, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ")) }));
        }""".replace("SKIP", repr(list(skip)).replace("'", '"'))
    )
    return found


def pages(n: Newsroom) -> list[tuple[str, str, str | None]]:
    """(name, path, a selector that says the page's script is ready)."""
    return [
        ("articles", "/articles/", None),
        ("reader", f"/articles/{n.gazette.pk}/", "body[data-reader-ready]"),
        ("queue", "/review/", "body[data-queue-ready]"),
        ("claim", f"/claims/{n.budget_yes.pk}/", "body[data-claim-ready]"),
        ("dashboard", "/dashboard/", None),
        ("notifications", "/notifications/", None),
        ("not found", "/claims/999999/", None),
    ]


def check_page(page: Page, width: int, name: str, *, skip: tuple[str, ...] = ()) -> None:
    violations = axe_serious(page, skip=skip)
    assert violations == [], f"{name}: {violations}"
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{name}: {overflow} px wide at {width} px: {too_wide(page, width)}"


def too_wide(page: Page, width: int) -> list[str]:
    """The innermost elements that reach past the screen's right edge, to say what overflows."""
    found: list[str] = page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > width + 0.5)
          .filter((el) => ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
          .slice(0, 6)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}#${el.id}`)""",
        width,
    )
    return found


def visit_each(
    open_tab: Callable[[User | None], Tab], user: User, n: Newsroom, width: int
) -> Iterator[tuple[Tab, str]]:
    """Open every desk page of the newsroom ``n`` as ``user`` at ``width``; yields after each is ready."""
    tab = open_tab(user)
    tab.page.set_viewport_size({"width": width, "height": 800})
    for name, path, ready in pages(n):
        tab.page.goto(path)
        if ready:
            tab.page.wait_for_selector(ready, state="attached")
        yield tab, name


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen_and_passes_axe(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User, width: int
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    for tab, name in visit_each(open_tab, editor, n, width):
        page = tab.page
        check_page(page, width, name)
        # the whole header stays on screen: API and Log out included
        api, logout = (
            page.get_by_role("link", name="API", exact=True),
            page.get_by_role("button", name="Log out"),
        )
        for link in (api, logout):
            box = link.bounding_box()
            assert box is not None, name
            assert box["x"] >= 0, name
            assert box["x"] + box["width"] <= width, name
    assert [problem for problem in tab.problems() if "404" not in problem] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_login_403_and_api_docs_pass_axe(
    open_tab: Callable[[User | None], Tab], editor: User, width: int
) -> None:
    tab = open_tab(None)
    tab.page.set_viewport_size({"width": width, "height": 800})
    tab.page.goto("/accounts/login/")
    check_page(tab.page, width, "login")
    # the styled 403 of a user without a role
    tab = open_tab(User.objects.create_user("nora-norole"))
    tab.page.set_viewport_size({"width": width, "height": 800})
    assert tab.page.goto("/review/").status == 403  # type: ignore[union-attr]
    check_page(tab.page, width, "403")
    tab = open_tab(editor)
    tab.page.set_viewport_size({"width": width, "height": 800})
    tab.page.goto("/api/docs/")
    tab.page.wait_for_selector(".swagger-ui .info", state="attached")
    # Swagger UI (vendored, not ours) nests its operation buttons in a button-like summary: the one
    # rule left out, on this page only.
    check_page(tab.page, width, "api docs", skip=("nested-interactive",))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User, width: int
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    for tab, name in visit_each(open_tab, editor, n, width):
        page = tab.page
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        # the next Tab lands inside the content, past the header's links
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), name


def test_phone_queue_filters_live_in_a_drawer(
    open_tab: Callable[[User | None], Tab], editor: User, annotator: User
) -> None:
    n = quiet_newsroom(editor=editor, annotator=annotator)
    tab = open_tab(editor)
    tab.page.set_viewport_size({"width": 390, "height": 800})
    page = open_queue(tab)
    toggle = page.locator("#filters-toggle")
    # then: closed at first, the claims are the first thing under the header
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#queue-filters")).to_be_hidden()
    expect(page.locator(f"#row-{n.budget_no.pk} .q-text")).to_be_in_viewport()
    page.locator(f"#row-{n.budget_no.pk} .q-text").click(trial=True)
    # when: opened
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Duplicate suggestions")).to_be_visible()
    page.get_by_label("Duplicate suggestions").check()
    page.wait_for_url("**duplicates=1**")
    page.wait_for_selector("body[data-queue-ready]", state="attached")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, too_wide(page, 390)
    # at desktop width there is no toggle and the filters are open
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(toggle).to_be_hidden()
    expect(page.locator("#queue-filters")).to_be_visible()
    assert tab.problems() == []
