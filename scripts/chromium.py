"""The one way the project starts Chromium: Debian's /usr/bin/chromium driven by Playwright's sync API
(Playwright cannot download its own browser here). Used by the browser tests' ``browser`` fixture,
``bench/reader_tti.py`` and ``scripts/screenshots.py``; ``make browser`` installs the binary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumMissing(RuntimeError):
    pass


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the ``with`` block."""
    if not Path(CHROMIUM).exists():
        raise ChromiumMissing(f"{CHROMIUM} is missing: install Debian's chromium (make browser).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
