"""The API docs page works offline and under the CSP: its assets come from this server."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.browser.conftest import Tab


def test_the_docs_page_lists_the_operations_from_the_schema_without_outside_requests(
    open_tab: Callable[[User | None], Tab], reader: User
) -> None:
    tab = open_tab(reader)
    page = tab.page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(("http://localhost", "data:")) else None
        ),
    )
    # when
    page.goto("/api/docs/")
    # then Swagger UI rendered the operations of /api/schema/
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/claims/match/")).to_be_visible()
    expect(page.locator(".opblock-summary-description", has_text="List claims (sync order)")).to_be_visible()
    assert outside == []
    assert [problem for problem in tab.problems() if "Content Security Policy" in problem] == []
