"""The W3C Web Annotation test suite (vendored under web-annotation-tests/) run against real exports.

Each assertion file is a draft-04 JSON schema with an ``expectedResult``: an assertion passes when the
document validates (or fails to validate) as expected. The annotation must pass the 54 MUSTs of
``annotations/annotationMusts.test`` and the page the 15 of ``collections/pages/pageMusts.test``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from claims.services.claims import SelectorInput, claim_create
from tests import factories
from tests.conftest import api_client_for

SUITE = Path(__file__).resolve().parent / "web-annotation-tests"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"
LD_JSON = "application/ld+json"

TEXT = (
    "The ferry operator said on Friday that crossings to the outer islands would resume next week.\n\n"
    "A spokesperson said repairs to the north pier had cost 310,000 crowns, half the first estimate.\n\n"
    "Passengers told the paper that the timetable ⛴️ had changed three times since March."
)


@dataclass(frozen=True)
class Outcome:
    assertion: str
    passed: bool
    expected: str
    errors: list[str]


def _require_suite() -> None:
    missing = [
        name
        for name in ("license.md", "definitions", ANNOTATION_MUSTS, PAGE_MUSTS)
        if not (SUITE / name).exists()
    ]
    if missing:
        pytest.fail(
            f"The vendored W3C Web Annotation test suite is incomplete under {SUITE}: missing {missing}. "
            "Copy it from github.com/w3c/web-annotation-tests (license.md, README.md, definitions/, "
            "annotations/, collections/).",
            pytrace=False,
        )


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)))
    if not resources:
        pytest.fail(f"No schema definitions found in {SUITE / 'definitions'}", pytrace=False)
    return Registry().with_resources(resources)


def run_suite(test_file: str, document: dict[str, Any]) -> list[Outcome]:
    _require_suite()
    listing = json.loads((SUITE / test_file).read_text(encoding="utf-8"))
    outcomes = []
    for assertion in listing["assertions"]:
        schema = json.loads((SUITE / assertion).read_text(encoding="utf-8"))
        validator = Draft4Validator(
            schema, registry=_registry(), format_checker=Draft4Validator.FORMAT_CHECKER
        )
        errors = [error.message for error in validator.iter_errors(document)]
        expected = schema.get("expectedResult", "valid")
        passed = (not errors) == (expected == "valid")
        outcomes.append(Outcome(assertion, passed, expected, errors[:3]))
    return outcomes


def report(label: str, outcomes: list[Outcome]) -> str:
    passed = sum(outcome.passed for outcome in outcomes)
    lines = [f"{label}: {passed}/{len(outcomes)} passed"]
    lines += [f"  FAILED {o.assertion} (expected {o.expected}): {o.errors}" for o in outcomes if not o.passed]
    summary = "\n".join(lines)
    print(summary)
    return summary


@pytest.fixture
def exports(annotator: User, editor: User) -> dict[str, Any]:
    """An annotation with evidence sources and a middle page (prev and next), from the real views."""
    article = factories.article(text=TEXT, title="Ferry crossings to resume", user=editor)
    claim = claim_create(
        user=annotator,
        article=article,
        selector=SelectorInput(exact="repairs to the north pier had cost 310,000 crowns"),
        text="Repairs to the north pier cost 310,000 crowns.",
        speaker="Ferry operator spokesperson",
        sources=[
            {"url": "https://ferries.example/notices/north-pier", "title": "Notice"},
            {"url": "https://council.example/minutes/2026-03", "title": "Council minutes"},
        ],
    )
    factories.highlight(article=article, exact="crossings to the outer islands would resume", user=annotator)
    factories.highlight(article=article, exact="the timetable ⛴️ had changed three times", user=annotator)
    annotation_id = claim.sources.get(kind="appearance").annotation_id
    client = api_client_for(annotator)
    annotation = client.get(f"/api/v1/annotations/{annotation_id}/", HTTP_ACCEPT=LD_JSON)
    page = client.get(f"/api/v1/annotations/?article={article.pk}&page_size=1&page=2", HTTP_ACCEPT=LD_JSON)
    assert annotation.status_code == 200, annotation.content
    assert page.status_code == 200, page.content
    return {"annotation": json.loads(annotation.content), "page": json.loads(page.content)}


@pytest.mark.django_db
def test_suite_lists_54_annotation_musts_and_15_page_musts() -> None:
    _require_suite()
    annotation_musts = json.loads((SUITE / ANNOTATION_MUSTS).read_text())["assertions"]
    page_musts = json.loads((SUITE / PAGE_MUSTS).read_text())["assertions"]
    assert (len(annotation_musts), len(page_musts)) == (54, 15)
    assert all((SUITE / path).is_file() for path in annotation_musts + page_musts)


@pytest.mark.django_db
def test_exported_annotation_passes_all_54_annotation_musts(exports: dict[str, Any]) -> None:
    document = exports["annotation"]
    assert [body["purpose"] for body in document["body"]] == [
        "classifying",
        "describing",
        "linking",
        "linking",
    ]
    outcomes = run_suite(ANNOTATION_MUSTS, document)
    summary = report("annotation MUSTs", outcomes)
    assert sum(o.passed for o in outcomes) == len(outcomes) == 54, summary


@pytest.mark.django_db
def test_exported_page_passes_all_15_page_musts(exports: dict[str, Any]) -> None:
    document = exports["page"]
    assert {"prev", "next", "partOf", "startIndex"} <= set(document)
    assert {"first", "last", "total"} <= set(document["partOf"])
    outcomes = run_suite(PAGE_MUSTS, document)
    summary = report("page MUSTs", outcomes)
    assert sum(o.passed for o in outcomes) == len(outcomes) == 15, summary


BREAKAGES = {
    "no-context": (
        ANNOTATION_MUSTS,
        "annotation",
        lambda d: d.pop("@context"),
        "3.1-annotationContextValidated",
    ),
    "bad-created": (
        ANNOTATION_MUSTS,
        "annotation",
        lambda d: d.update(created="22 March"),
        "3.3.1-annotationCreated",
    ),
    "valueless-body": (
        ANNOTATION_MUSTS,
        "annotation",
        lambda d: d.update(body=[{"type": "TextualBody"}]),
        "3.2-bodyObjectsRecognized",
    ),
    "bad-next": (PAGE_MUSTS, "page", lambda d: d.update(next="not a uri"), "5.2-pageNextValidated"),
    "negative-start": (PAGE_MUSTS, "page", lambda d: d.update(startIndex=-1), "5.2-pageStartIndexValidated"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("test_file", "kind", "break_it", "failing"), BREAKAGES.values(), ids=BREAKAGES.keys()
)
def test_the_harness_catches_a_broken_document(
    exports: dict[str, Any], test_file: str, kind: str, break_it: Any, failing: str
) -> None:
    """The suite is not vacuous here: breaking a MUST makes the matching assertion fail."""
    document = copy.deepcopy(exports[kind])
    break_it(document)
    failed = [o.assertion for o in run_suite(test_file, document) if not o.passed]
    assert any(failing in name for name in failed), failed
