from __future__ import annotations

import pytest

from articles.boilerplate import classify, clean_lines


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("- Advertisement -", "advertisement marker"),
        ("ADVERTISEMENT", "advertisement marker"),
        ("Share this article", "share prompt"),
        ("Must read", "related teaser"),
        ("Subscribe to our newsletter for the latest updates", "subscription plea"),
        ("Support independent journalism — become a member today", "subscription plea"),
        ("Read more: Council approves new car park", "related teaser"),
        ("SEE ALSO: What the minister said next", "related teaser"),
        ("© 2026 Harbour Gazette Ltd. All rights reserved.", "footer"),
        ("4.2 C", "weather header"),
        ("Thursday, January 2, 2026", "date header"),
        ("Reporter Ana Ruiz [email protected]", "reporter contact"),
        ("Main photo source: Regional Fire Service", "photo credit"),
    ],
)
def test_classify_names_the_kind_of_boilerplate(line: str, reason: str) -> None:
    assert classify(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The council said the bridge would reopen on Monday.",
        "Read the full report, the minister told reporters, before judging the plan.",
        "Subscribers to the water company will see bills rise by 4%.",
        "Advertisements for the vacant posts were withdrawn in March, officials said.",
    ],
)
def test_classify_keeps_sentences_that_merely_start_like_boilerplate(line: str) -> None:
    assert classify(line) is None


def test_clean_lines_takes_the_title_drops_header_noise_byline_teasers_and_footer() -> None:
    lines = [
        "3 °C",
        "Portwell",
        "Flood barrier on the Ness completed two years late",
        "by Mara Quint",
        "The barrier cost 41 million crowns, the agency said on Friday.",
        "Read More",
        "Mayor defends bus lane plan",
        "Work began in 2021 and was due to end in 2024.",
        "Construction",
        "Crews will test the gates every month.",
        "Share this",
        "Your trusted local",
        "news source",
    ]
    cleaned = clean_lines(lines, take_title=True)
    assert cleaned.title == "Flood barrier on the Ness completed two years late"
    assert cleaned.byline == "Mara Quint"
    assert cleaned.lines == (
        "The barrier cost 41 million crowns, the agency said on Friday.",
        "Work began in 2021 and was due to end in 2024.",
        "Construction",
        "Crews will test the gates every month.",
    )
    assert [(d.number, d.reason) for d in cleaned.dropped] == [
        (1, "weather header"),
        (2, "header noise before the title"),
        (4, "byline"),
        (6, "page furniture"),
        (7, "related teaser"),
        (11, "share prompt"),
        (12, "footer"),
        (13, "footer"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe free and get the morning briefing in your inbox.",
        "This story is part of The Harbour Weekly newsletter, sent every Sunday.",
        "If you enjoy our reporting, consider becoming a paid member today.",
        "Every coffee counts: your support helps us keep the lights on.",
    ],
)
def test_classify_drops_subscription_pleas_wherever_they_start(line: str) -> None:
    assert classify(line) == "subscription plea"


def test_a_repeated_title_and_a_byline_glued_to_the_first_sentence_are_removed() -> None:
    lines = [
        "Ferry strike halts crossings to Ostmark",
        "Ferry strike halts crossings to OstmarkFerry strike halts crossings to Ostmark",
        "by LENA TORVIK · Coastal PostAll ferry crossings to Ostmark were cancelled on Tuesday.",
        "The union said 140 crew members had walked out.",
    ]
    cleaned = clean_lines(lines, take_title=True)
    assert cleaned.title == "Ferry strike halts crossings to Ostmark"
    assert cleaned.byline == "LENA TORVIK"
    assert cleaned.lines == (
        "All ferry crossings to Ostmark were cancelled on Tuesday.",
        "The union said 140 crew members had walked out.",
    )
    assert [(d.number, d.reason) for d in cleaned.dropped] == [(2, "repeated title"), (3, "byline")]
