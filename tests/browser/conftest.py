"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

One browser for the session and a pool of contexts reused from test to test (reset in between); a
test logs its personas in with a session cookie made by ``force_login``, so no test pays for the login
form and its password hashing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Route, ViewportSize

from scripts.chromium import ChromiumMissing, chromium

# Playwright's sync API runs an event loop in the test thread; Django would then refuse ORM calls
# made from that thread, although they are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# An in-memory SQLite test database is one connection that the live server's request threads and the
# test thread all share, and it cannot run two statements at once ("database table is locked" when a
# speaker suggestion or a poll meets a save). A file, like the real one, gives every thread its own
# connection with WAL and a busy timeout. Set before the test database is created (at the first test
# that needs it); one file per process, as several test runs may share a machine.
_database = connections["default"].settings_dict
if _database["ENGINE"] == "django.db.backends.sqlite3" and not _database["TEST"].get("NAME"):
    _database["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / f"corroborate-test-{os.getpid()}.sqlite3")


TIMEOUT_MS = 10_000
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        with chromium() as browser:
            yield browser
    except ChromiumMissing as missing:
        pytest.fail(str(missing), pytrace=False)


STATIC = Path(__file__).resolve().parents[2] / "static"


def serve_static(route: Route) -> None:
    """A Playwright route handler for tests of the front end's modules without a server or database:
    a blank page at ``/`` and the files of ``static/`` under ``/static/``."""
    path = urlsplit(route.request.url).path
    if path == "/":
        route.fulfill(body="<!doctype html><title>modules</title>", content_type="text/html")
    elif path.startswith("/static/") and (STATIC / path.removeprefix("/static/")).is_file():
        route.fulfill(path=STATIC / path.removeprefix("/static/"), content_type="text/javascript")
    else:
        route.fulfill(status=404)


@dataclass
class Tab:
    """A page with everything it reported: console messages, uncaught errors and dialogs."""

    page: Page
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open_reader(self, article_id: int) -> Page:
        self.page.goto(f"/articles/{article_id}/")
        self.page.wait_for_selector("body[data-reader-ready]")
        return self.page

    def problems(self) -> list[str]:
        return [*self.errors, *self.dialogs, *(m for m in self.console if m.startswith(("error", "warning")))]


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="session")
def _contexts(browser: Browser, live_server: Any) -> Iterator[list[BrowserContext]]:
    """Browser contexts kept for the session, each with one page, which tests take in order.

    Reusing them spares a renderer start and a cold HTTP cache per test. What a test can leave behind
    is reset between tests (see ``open_tab``): cookies, permissions, routes, the viewport, web storage,
    listeners, and the page itself (about:blank).
    """
    contexts: list[BrowserContext] = []
    yield contexts
    for context in contexts:
        context.close()


@pytest.fixture
def open_tab(
    browser: Browser, live_server: Any, transactional_db: Any, _contexts: list[BrowserContext]
) -> Iterator[Callable[[User | None], Tab]]:
    """``open_tab(user)`` gives a page logged in as ``user`` (None: anonymous), recording what it reports."""
    used: list[tuple[Page, list[tuple[str, Any]]]] = []

    def open_as(user: User | None) -> Tab:
        if len(used) == len(_contexts):
            # Reduced motion: no smooth scrolling, so what a test measures on screen stays put.
            context = browser.new_context(
                base_url=live_server.url, viewport=VIEWPORT, reduced_motion="reduce"
            )
            context.new_page()
            _contexts.append(context)
        context = _contexts[len(used)]
        context.clear_cookies()
        context.clear_permissions()
        if user is not None:
            cookie: Any = {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_cookie(user),
                "url": live_server.url,
            }
            context.add_cookies([cookie])
        page = context.pages[0]
        page.set_viewport_size(VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        tab = Tab(page)

        def on_dialog(dialog: Any) -> None:
            tab.dialogs.append(f"dialog {dialog.type}: {dialog.message}")
            dialog.dismiss()

        listeners: list[tuple[str, Any]] = [
            ("console", lambda message: tab.console.append(f"{message.type}: {message.text}")),
            ("pageerror", lambda error: tab.errors.append(f"pageerror: {error}")),
            ("dialog", on_dialog),
        ]
        for event, listener in listeners:
            page.on(event, listener)  # type: ignore[call-overload]
        used.append((page, listeners))
        return tab

    yield open_as
    for page, listeners in used:
        for event, listener in listeners:
            page.remove_listener(event, listener)
        page.unroute_all(behavior="ignoreErrors")
        page.context.unroute_all(behavior="ignoreErrors")
        # Web storage of the app's origin, then a blank page: no timer of the app outlives the test.
        page.goto("/static/css/app.css")
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.goto("about:blank")


# JavaScript run in the page by the tests, independent of the reader's own code: it finds a phrase in
# the rendered text by walking its Text nodes and works in DOM (UTF-16) offsets.
LOCATE_JS = """
([selector, phrase, occurrence]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push({ node: walker.currentNode, base: text.length });
    text += walker.currentNode.data;
  }
  let at = -1;
  for (let i = 0; i <= (occurrence || 0); i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) throw new Error(`phrase not found: ${phrase}`);
  const point = (offset, isEnd) => {
    const hit = nodes.find(({ node, base }) => {
      const end = base + node.data.length;
      return isEnd ? base < offset && offset <= end : base <= offset && offset < end;
    });
    return [hit.node, offset - hit.base];
  };
  const [startNode, startOffset] = point(at, false);
  const [endNode, endOffset] = point(at + phrase.length, true);
  const lastWidth = /[\\udc00-\\udfff]/.test(endNode.data[endOffset - 1]) ? 2 : 1;
  const rect = (node, from, to) => {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const box = range.getClientRects()[0];
    return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
  };
  window.__located = { startNode, startOffset, endNode, endOffset };
  return {
    first: rect(startNode, startOffset, startOffset + 1),
    last: rect(endNode, endOffset - lastWidth, endOffset),
  };
}
"""

SELECT_LOCATED_JS = """
() => {
  const { startNode, startOffset, endNode, endOffset } = window.__located;
  window.getSelection().setBaseAndExtent(startNode, startOffset, endNode, endOffset);
}
"""


def locate(page: Page, phrase: str, occurrence: int = 0) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = page.evaluate(LOCATE_JS, ["#article-text", phrase, occurrence])
    return result


def drag_select(page: Page, phrase: str) -> None:
    """Select ``phrase`` with a real mouse drag: from the left edge of its first character to the right
    edge of its last one."""
    boxes = locate(page, phrase)
    first, last = boxes["first"], boxes["last"]
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=8)
    page.mouse.up()


def select_text(page: Page, phrase: str, occurrence: int = 0) -> None:
    """Select ``phrase`` through the Selection API (exact DOM offsets, as a user's selection would be)."""
    locate(page, phrase, occurrence)
    page.evaluate(SELECT_LOCATED_JS)


def click_phrase(page: Page, phrase: str, occurrence: int = 0, double: bool = False) -> None:
    """Click (or double-click) in the middle of the first character of ``phrase``."""
    first = locate(page, phrase, occurrence)["first"]
    x, y = (first["left"] + first["right"]) / 2, (first["top"] + first["bottom"]) / 2
    if double:
        page.mouse.dblclick(x, y)
    else:
        page.mouse.click(x, y)
