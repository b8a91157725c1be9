"""Every page takes its CSRF token from one module, static/shared/csrf.js: the cookie first (it holds
the current secret), the form field rendered into the page when there is no cookie."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import STATIC, serve_static

ORIGIN = "http://csrf.test"
CAPTURED: list[str] = []


def serve(route: Route) -> None:
    if urlsplit(route.request.url).path in ("/post", "/api"):
        CAPTURED.append(route.request.headers.get("x-csrftoken", ""))
        route.fulfill(body="{}", content_type="application/json", status=201)
    else:
        serve_static(route)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    CAPTURED.clear()
    yield page
    context.close()


def set_state(page: Page, *, cookie: str | None, field: str | None) -> None:
    page.evaluate(
        """([cookie, field]) => {
            document.cookie = cookie === null ? "csrftoken=; max-age=0" : `csrftoken=${cookie}`;
            const form =
                document.querySelector("form") || document.body.appendChild(document.createElement("form"));
            form.innerHTML = field === null ? ""
                : `<input type="hidden" name="csrfmiddlewaretoken" value="${field}">`;
        }""",
        [cookie, field],
    )


@pytest.mark.parametrize(
    ("cookie", "field", "expected"),
    [("fresh", "stale", "fresh"), (None, "from-form", "from-form"), (None, None, "")],
)
def test_the_cookie_wins_and_the_form_field_is_the_fallback(
    page: Page, cookie: str | None, field: str | None, expected: str
) -> None:
    set_state(page, cookie=cookie, field=field)
    token = page.evaluate("async () => (await import('/static/shared/csrf.js')).csrfToken()")
    assert token == expected


def test_the_review_pages_and_the_reader_send_the_same_token(page: Page) -> None:
    # given: a cookie and a stale form field, as after a log-in in another tab
    set_state(page, cookie="fresh", field="stale")
    # when: the review pages' helper and the reader's API client each POST
    page.evaluate(
        """async () => {
            const http = await import('/static/review/http.js');
            const api = await import('/static/reader/api.js');
            await http.postForm('/post', new URLSearchParams());
            await api.postJson('/api', {});
        }"""
    )
    # then
    assert CAPTURED == ["fresh", "fresh"]


def test_no_module_but_the_shared_one_defines_a_csrf_helper() -> None:
    definitions = [
        path.relative_to(STATIC).as_posix()
        for path in STATIC.rglob("*.js")
        if "vendor" not in path.parts and re.search(r"function\s+csrfToken\b", path.read_text("utf-8"))
    ]
    assert definitions == ["shared/csrf.js"]
