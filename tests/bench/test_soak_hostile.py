"""The soak's hostile mix counts each hostile request against the status it must get, and catches a
ClaimReview that carries a raw ``</script>`` (no server: the editor's HTTP calls are replaced)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.soak import HOSTILE_CASES, Editor, Tally


class Answer:
    def __init__(self, status_code: int, body: Any = None, text: str | None = None) -> None:
        self.status_code = status_code
        self.text = text if text is not None else json.dumps(body or {})
        self._body = body or {}

    def json(self) -> Any:
        return self._body


def editor_answering(answers: list[Answer]) -> tuple[Editor, Tally, list[tuple[str, str]]]:
    tally = Tally()
    editor = Editor(0, "http://127.0.0.1:9", "token", tally, until=0.0, hostile_share=0.2)
    sent: list[tuple[str, str]] = []

    def call(kind: str, method: str, path: str, **kwargs: Any) -> Answer:
        sent.append((method, path))
        answer = answers.pop(0)
        tally.record(kind, answer.status_code, 0.01, answer.text)
        return answer

    editor.call = call  # type: ignore[method-assign]
    return editor, tally, sent


def test_every_hostile_case_has_its_request() -> None:
    assert all(callable(getattr(Editor, method, None)) for method in HOSTILE_CASES.values())


@pytest.mark.parametrize(("status", "unexpected"), [(400, 0), (500, 1), (201, 1)])
def test_a_hostile_request_is_counted_against_its_expected_status(status: int, unexpected: int) -> None:
    editor, tally, sent = editor_answering([Answer(status, {"detail": "x"})])
    # when
    editor.h_numbers("numbers as text")
    # then
    assert sent == [("POST", "/api/v1/claims/")]
    assert tally.hostile == {("numbers as text", status): 1}
    assert tally.unexpected_count == unexpected


def test_a_bad_token_may_be_throttled() -> None:
    editor, tally, _ = editor_answering([Answer(401), Answer(429), Answer(403)])
    for _ in range(3):
        editor.h_bad_token("bad token")
    assert tally.unexpected_count == 1
    assert tally.unexpected[0].startswith("bad token -> 403")


@pytest.mark.parametrize(
    ("claimreview", "snippet", "unexpected"),
    [
        (
            '{"claimReviewed": "read \\u003c/script\\u003e"}',
            '<script type="application/ld+json">{}</script>',
            0,
        ),
        ('{"claimReviewed": "read </script>"}', '<script type="application/ld+json">{}</script>', 1),
        ("{}", '<script type="application/ld+json">{"a": "</script>"}</script>', 1),
    ],
    ids=["escaped", "raw in the JSON-LD", "raw in the snippet"],
)
def test_a_raw_script_end_tag_in_the_claimreview_is_caught(
    claimreview: str, snippet: str, unexpected: int
) -> None:
    editor, tally, sent = editor_answering(
        [
            Answer(201, {"id": 7, "version": 1}),
            Answer(201, {"review": {"id": 3}}),
            Answer(200, text=claimreview),
            Answer(200, text=snippet),
        ]
    )
    # when
    editor.h_script("</script> claim")
    # then
    assert [path for _, path in sent][2:] == [
        "/api/v1/claims/7/claimreview/",
        "/api/v1/claims/7/claimreview/snippet/",
    ]
    assert (tally.claims, tally.reviews) == ({7}, {3})
    assert tally.unexpected_count == unexpected


@pytest.mark.parametrize(
    ("patch", "unexpected"),
    [
        (Answer(412, {"detail": "If-Match is neither a version number nor an ETag"}), 0),
        (Answer(409, {"detail": "Claim 7 was merged into claim 3: act on claim 3."}), 0),
        (Answer(409, {"detail": "Something else"}), 1),
        (Answer(200, {"id": 7}), 1),
    ],
    ids=["412", "merged between the read and the patch", "another 409", "saved"],
)
def test_the_if_match_case_allows_only_a_merge_in_between(patch: Answer, unexpected: int) -> None:
    editor, tally, sent = editor_answering([Answer(200, {"id": 7, "merged_into": None}), patch])
    editor.claims = [7]
    # when
    editor.h_if_match('If-Match "²"')
    # then
    assert [method for method, _ in sent] == ["GET", "PATCH"]
    assert tally.unexpected_count == unexpected


def test_a_claim_already_merged_gets_no_if_match_or_unmerge_probe() -> None:
    editor, tally, sent = editor_answering([Answer(200, {"id": 7, "merged_into": 3})] * 2)
    editor.claims = [7]
    # when
    editor.h_if_match('If-Match "²"')
    editor.h_unmerge("unmerge never merged")
    # then: only the reads
    assert sent == [("GET", "/api/v1/claims/7/")] * 2
    assert not tally.hostile
