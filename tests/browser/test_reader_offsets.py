"""The reader's pure modules, run in Chromium and checked against Python: UTF-16 <-> code point offsets,
W3C selectors, and the segmentation of overlapping highlights."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from annotations.anchoring import codepoint_to_utf16, selectors_for
from tests.browser.conftest import serve_static

ALPHABET = [
    *"abc de.",
    "é",  # precomposed
    "n\u0308",  # combining diaeresis
    "\u00a0",
    "你好",
    "「」",
    "🎉",  # astral
    "👩🏽‍🚒",  # ZWJ sequence with a skin tone
    "🏳️‍🌈",  # variation selector and ZWJ
    "🇳🇴",  # regional indicators
    "𝔘",  # mathematical letter, astral
    "\n\n",
]


ORIGIN = "http://reader.test"


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    """A page that can import the reader's modules, served from disk: no server or database needed."""
    context = browser.new_context()
    page = context.new_page()
    page.route(f"{ORIGIN}/**", serve_static)
    page.goto(f"{ORIGIN}/")
    yield page
    context.close()


def random_text(rng: random.Random, pieces: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(pieces))


def test_offsets_and_selectors_agree_with_python(page: Page) -> None:
    rng = random.Random(20260322)
    texts = [random_text(rng, rng.randint(1, 60)) for _ in range(40)]
    spans = []
    for text in texts:
        start = rng.randint(0, len(text) - 1)
        spans.append((start, rng.randint(start + 1, len(text))))
    result = page.evaluate(
        """async ([texts, spans]) => {
            const { TextIndex } = await import("/static/reader/offsets.js");
            return texts.map((text, i) => {
                const index = new TextIndex(text);
                const toUtf16 = [];
                for (let cp = 0; cp <= index.lengthCp; cp++) toUtf16.push(index.toUtf16(cp));
                const back = toUtf16.map((u16) => index.toCodePoint(u16));
                let splitRefused = 0;
                for (let u = 0; u <= text.length; u++) {
                    if (!toUtf16.includes(u)) {
                        try { index.toCodePoint(u); } catch { splitRefused++; }
                    }
                }
                const [start, end] = spans[i];
                return { lengthCp: index.lengthCp, toUtf16, back, splitRefused,
                         selectors: index.selectors(toUtf16[start], toUtf16[end]) };
            });
        }""",
        [texts, spans],
    )
    for text, (start, end), got in zip(texts, spans, result, strict=True):
        utf16 = [codepoint_to_utf16(text, cp) for cp in range(len(text) + 1)]
        anchor = selectors_for(text, start, end)
        assert got["lengthCp"] == len(text)
        assert got["toUtf16"] == utf16
        assert got["back"] == list(range(len(text) + 1))
        assert got["splitRefused"] == len(text.encode("utf-16-le")) // 2 + 1 - len(utf16)
        assert got["selectors"] == {
            "start": start,
            "end": end,
            "exact": anchor.exact,
            "prefix": anchor.prefix,
            "suffix": anchor.suffix,
        }


def test_segments_split_at_every_boundary_with_innermost_first(page: Page) -> None:
    rng = random.Random(7)
    text_length = 120
    paragraphs = [(0, 30), (32, 70), (72, 120)]
    spans = []
    for _ in range(25):
        start = rng.randint(0, text_length - 1)
        spans.append((start, rng.randint(start + 1, min(text_length, start + 50))))
    got = page.evaluate(
        """async ([paragraphs, spans]) => {
            const { buildSegments } = await import("/static/reader/segments.js");
            return buildSegments(
                paragraphs.map(([start, end]) => ({ start, end })),
                spans.map(([start, end]) => ({ start, end })),
            );
        }""",
        [paragraphs, spans],
    )

    def cover(offset: int) -> list[int]:
        covering = [i for i, (s, e) in enumerate(spans) if s <= offset < e]
        return sorted(covering, key=lambda i: (spans[i][1] - spans[i][0], i))

    for (p_start, p_end), segments in zip(paragraphs, got, strict=True):
        # the segments tile the paragraph exactly
        assert segments[0]["start"] == p_start
        assert segments[-1]["end"] == p_end
        assert all(a["end"] == b["start"] for a, b in itertools.pairwise(segments))
        for segment in segments:
            # every character of a segment has the same cover, listed innermost first
            assert all(cover(o) == segment["cover"] for o in range(segment["start"], segment["end"]))
        # and segments are split only where the cover changes
        assert all(a["cover"] != b["cover"] for a, b in itertools.pairwise(segments))
