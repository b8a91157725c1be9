"""Hostile text is inert on every page that shows user data and in every export.

Markup, scripts, event attributes and script links go into an article (title, text, outlet, address),
two claims (text, speaker, sources), a verdict (rationale, evidence) and a finding. Links that the
services would refuse (``javascript:``) are written straight into the rows, as a crafted export file
loaded with ``import_data`` would. The pages are opened with the CSP bypassed: escaping is what has
to hold; the CSP is the second line. A dialog handler and a ``window`` flag catch anything that runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, expect

from annotations.models import Annotation
from articles.models import Article
from claims.models import Claim, ClaimStatus, Finding, FindingKind, Review, Source, SourceKind
from claims.services.claims import claim_sources_add
from claims.services.reviews import claim_review
from tests import factories
from tests.browser.conftest import TIMEOUT_MS, VIEWPORT, session_cookie
from tests.browser.review_fixtures import checks_deferred

# Every payload calls pwned(label): the label says which field let it through.
FLAG_JS = "window.__pwned = []; window.pwned = (label) => window.__pwned.push(String(label));"


def payload(label: str) -> str:
    return (
        f"<img src=x onerror=pwned('{label}')><svg onload=pwned('{label}')></svg>"
        f"</script><script>pwned('{label}')</script>\" onmouseover=\"pwned('{label}')\" x=\""
        f"<a href=\"javascript:pwned('{label}')\">{label}</a><img src=y onerror=alert('{label}')>"
    )


ARTICLE_TEXT = (
    "Seven people died in the Corran Dam flood, the mayor said.\n\n"
    f"A reader wrote {payload('article text')} in the comments.\n\n"
    "Officials praised the rescue crews. {{ 7|add:7 }} {% now 'Y' %}"
)
OTHER_TEXT = "At least 40 people died in the Corran Dam flood."


@dataclass
class Hostile:
    article: Article
    claim: Claim  # highlighted, reviewed, with sources
    other: Claim  # contradicts ``claim``: a figure in dispute
    annotation: Annotation


def store_contradiction(first: Claim, second: Claim, explanation: str) -> Finding:
    low, high = sorted((first.pk, second.pk))
    finding = Finding.objects.create(
        claim_low_id=low,
        claim_high_id=high,
        kind=FindingKind.CONTRADICTION,
        score=0.9,
        explanation=explanation,
        detector_version="test",
    )
    # The counters the queue sorts by, as the detector's refresh would set them.
    Claim.objects.filter(pk__in=[low, high]).update(open_contradictions=1)
    return finding


@pytest.fixture
def hostile(transactional_db: Any, editor: User, annotator: User) -> Hostile:
    with checks_deferred():
        article = factories.article(
            text=ARTICLE_TEXT,
            title="Flood " + payload("title"),
            outlet="Gazette <img src=x onerror=pwned('outlet')>",
            url="https://gazette.example/flood?q=\"><img/src=x/onerror=pwned('article-url')>",
            user=editor,
        )
        claim = factories.highlight(
            article=article,
            exact="Seven people died in the Corran Dam flood",
            user=annotator,
            text="Seven people died in the Corran Dam flood " + payload("claim text"),
            speaker="Mayor <script>pwned('speaker')</script><img src=x onerror=pwned('speaker')>",
        )
        other_article = factories.article(
            text=OTHER_TEXT, outlet="Ledger <svg onload=pwned('outlet 2')>", user=editor
        )
        other = factories.highlight(
            article=other_article,
            exact="At least 40 people died in the Corran Dam flood",
            user=annotator,
            speaker="Ledger desk \" onmouseover=\"pwned('speaker 2')",
        )
        claim_sources_add(
            claim=claim,
            user=annotator,
            sources=[
                {
                    "url": "https://council.example/minutes?\"><svg/onload=pwned('source-url')>",
                    "title": payload("source title"),
                }
            ],
        )
        claim_review(
            claim_id=claim.pk,
            reviewer=editor,
            verdict=ClaimStatus.DISPUTED,
            rationale=payload("rationale"),
            evidence=["https://hospital.example/list?<script>pwned('evidence')</script>"],
        )
    store_contradiction(claim, other, "Seven vs at least 40 " + payload("explanation"))
    # Script links that only a crafted import could store: the pages must not make links of them.
    Article.objects.filter(pk=article.pk).update(url="javascript:pwned('article url js')")
    Source.objects.create(
        claim=claim, kind=SourceKind.EVIDENCE, url="javascript:pwned('source js')", title="Council minutes"
    )
    Source.objects.create(claim=claim, kind=SourceKind.EVIDENCE, url=" JaVaScRiPt:pwned('source js 2')")
    Review.objects.filter(claim=claim).update(
        evidence=["https://hospital.example/list", "javascript:pwned('evidence js')", "data:text/html,x"]
    )
    annotation = Annotation.objects.get(source__claim=claim)
    return Hostile(article=article, claim=Claim.objects.get(pk=claim.pk), other=other, annotation=annotation)


@dataclass
class Recorder:
    page: Page
    dialogs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def console(recorder: Recorder, message: Any) -> None:
    # failed loads are reported with their address by ``failed``
    if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
        recorder.problems.append(f"{message.type}: {message.text}")


def failed(recorder: Recorder, response: Any) -> None:
    # a browser shown a JSON document asks for /favicon.ico, which this app does not serve
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        recorder.problems.append(f"{response.status} {response.url}")


@pytest.fixture
def csp_off(browser: Browser, live_server: Any) -> Iterator[Callable[[User], Recorder]]:
    contexts: list[BrowserContext] = []

    def open_as(user: User) -> Recorder:
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, bypass_csp=True)
        contexts.append(context)
        context.add_init_script(FLAG_JS)
        cookie: Any = {
            "name": settings.SESSION_COOKIE_NAME,
            "value": session_cookie(user),
            "url": live_server.url,
        }
        context.add_cookies([cookie])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        recorder = Recorder(page)

        def on_dialog(dialog: Any) -> None:
            recorder.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: recorder.problems.append(f"pageerror: {error}"))
        page.on("console", lambda message: console(recorder, message))
        # an <img src=x> that became an element would ask the server for /x
        page.on("response", lambda response: failed(recorder, response))
        return recorder

    yield open_as
    for context in contexts:
        context.close()


# What the page's DOM would hold if any payload had become markup.
INJECTED_JS = """
() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(`${element.tagName} ${attribute.name}`);
    }
  }
  for (const element of document.querySelectorAll("[href], [src], [action], [formaction]")) {
    for (const name of ["href", "src", "action", "formaction"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      const protocol = new URL(value, document.baseURI).protocol;
      const harmless = protocol === "http:" || protocol === "https:"
        || (protocol === "data:" && element.matches("link[rel=icon]"));
      if (!harmless) found.push(`${element.tagName} ${name}=${value}`);
    }
  }
  for (const element of document.querySelectorAll("iframe, object, embed, svg:not([class])")) {
    found.push(element.outerHTML.slice(0, 120));
  }
  for (const script of document.querySelectorAll("script")) {
    if (!script.src && script.type !== "application/json") found.push(script.outerHTML.slice(0, 120));
  }
  for (const image of document.querySelectorAll("img")) found.push(image.outerHTML.slice(0, 120));
  return found;
}
"""


def assert_inert(recorder: Recorder, where: str) -> None:
    page = recorder.page
    assert page.evaluate("() => window.__pwned") == [], where
    assert recorder.dialogs == [], where
    assert page.evaluate(INJECTED_JS) == [], where
    assert recorder.problems == [], where


def open_page(recorder: Recorder, path: str, ready: str | None) -> Page:
    page = recorder.page
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, path
    if ready:
        page.wait_for_selector(f"body[{ready}]", state="attached")
    return page


def test_hostile_text_is_shown_as_text_and_never_runs_on_any_page(
    csp_off: Callable[[User], Recorder], hostile: Hostile, editor: User
) -> None:
    recorder = csp_off(editor)
    body_text = recorder.page.locator("body")
    # the reader: article, highlight, claim panel
    page = open_page(recorder, f"/articles/{hostile.article.pk}/", "data-reader-ready")
    expect(page.locator("#article-text")).to_contain_text(payload("article text"))
    expect(page.locator("#article-title")).to_contain_text(payload("title"))
    page.locator("#article-text mark.hl").first.click()
    expect(page.locator(".claims-panel")).to_contain_text("<script>pwned('speaker')</script>")
    expect(page.locator("#article-text")).to_contain_text("{{ 7|add:7 }} {% now 'Y' %}")
    expect(page.locator("a.original")).to_have_count(0)
    assert_inert(recorder, "reader")
    # the article list
    open_page(recorder, "/articles/", None)
    expect(body_text).to_contain_text(payload("title"))
    assert_inert(recorder, "article list")
    # the review queue
    page = open_page(recorder, "/review/?status=any", "data-queue-ready")
    expect(body_text).to_contain_text(payload("claim text"))
    expect(body_text).to_contain_text(payload("explanation"))
    page.locator("#queue-list .q-row").first.hover()
    assert_inert(recorder, "queue")
    # the claim page: sources, verdict, history, findings
    page = open_page(recorder, f"/claims/{hostile.claim.pk}/", "data-claim-ready")
    for label in ("claim text", "rationale", "explanation"):
        expect(body_text).to_contain_text(payload(label))
    # long link titles are cut short on the page
    expect(body_text).to_contain_text("<img src=x onerror=pwned('source title')><svg")
    expect(body_text).to_contain_text("javascript:pwned('source js')")
    expect(body_text).to_contain_text("javascript:pwned('evidence js')")
    assert_inert(recorder, "claim page")
    open_page(recorder, f"/claims/{hostile.other.pk}/", "data-claim-ready")
    expect(body_text).to_contain_text("Ledger desk \" onmouseover=\"pwned('speaker 2')")
    assert_inert(recorder, "other claim page")
    # the dashboard: outlets and speakers in its charts, the figures in dispute
    page = open_page(recorder, "/dashboard/", "data-dashboard-ready")
    expect(body_text).to_contain_text("Gazette <img src=x onerror=pwned('outlet')>")
    labels = page.evaluate("() => Chart.getChart('chart-outlets').data.labels")
    assert "Gazette <img src=x onerror=pwned('outlet')>" in labels
    assert_inert(recorder, "dashboard")
    # revisions
    open_page(recorder, f"/articles/{hostile.article.pk}/revisions/1/", None)
    expect(body_text).to_contain_text(payload("article text"))
    assert_inert(recorder, "revision")


EXPORTS: list[tuple[str, Callable[[Hostile], str], str]] = [
    ("api claim", lambda h: f"/api/v1/claims/{h.claim.pk}/", "application/json"),
    ("api claims", lambda h: "/api/v1/claims/", "application/json"),
    ("api article", lambda h: f"/api/v1/articles/{h.article.pk}/", "application/json"),
    ("api reviews", lambda h: f"/api/v1/claims/{h.claim.pk}/reviews/", "application/json"),
    ("api history", lambda h: f"/api/v1/claims/{h.claim.pk}/history/", "application/json"),
    ("w3c annotations", lambda h: f"/api/v1/annotations/?article={h.article.pk}", "application/ld+json"),
    ("w3c annotation", lambda h: f"/api/v1/annotations/{h.annotation.pk}/", "application/ld+json"),
    ("claimreview", lambda h: f"/api/v1/claims/{h.claim.pk}/claimreview/", "application/ld+json"),
    ("claimreview feed", lambda h: "/api/v1/claimreviews/", "application/ld+json"),
]


def test_every_export_is_inert_json_that_keeps_the_text_as_written(
    csp_off: Callable[[User], Recorder], hostile: Hostile, editor: User
) -> None:
    recorder = csp_off(editor)
    for name, path_of, media_type in EXPORTS:
        # when: a browser is sent to the export (a link in a mail, say)
        response = recorder.page.goto(path_of(hostile))
        # then: it is shown as data, and the data is the text exactly as typed
        assert response is not None
        assert response.status == 200, name
        assert response.headers["content-type"].startswith(media_type), name
        assert response.headers["x-content-type-options"] == "nosniff", name
        exported = json.dumps(response.json())
        assert "pwned(" in exported, name
        for label in ("claim text", "title", "rationale"):
            if json.dumps(payload(label))[1:-1] in exported:
                break
        else:
            raise AssertionError(f"{name}: no payload came through as written")
        assert_inert(recorder, name)
