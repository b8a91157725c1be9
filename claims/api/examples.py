"""Example bodies for the OpenAPI documentation of the claims API."""

from __future__ import annotations

from typing import Any

QUOTE = "the bridge reopened on Monday after repairs costing 4 million euros"

CREATE_QUOTE: dict[str, Any] = {
    "article": 12,
    "selector": [{"type": "TextQuoteSelector", "exact": QUOTE, "prefix": "Officials said ", "suffix": "."}],
    "speaker": "City officials",
    "sources": [{"url": "https://council.example/minutes/412", "title": "Council minutes"}],
}
CREATE_POSITION: dict[str, Any] = {
    "article": 12,
    "selector": [{"type": "TextPositionSelector", "start": 15, "end": 82}],
    "text": "The bridge reopened on Monday after repairs costing 4 million euros.",
}
CREATE_STANDALONE: dict[str, Any] = {
    "text": "Unemployment in the region fell to 4.1% last year.",
    "title": "Did regional unemployment fall to 4.1%?",
    "speaker": "Regional minister",
}
CREATE_WITH_APPEARANCE: dict[str, Any] = {
    "text": "The ferry fare rose by 40 percent this year.",
    "sources": [
        {
            "kind": "appearance",
            "url": "https://social.example/@portwatch/1123",
            "outlet": "Social Example",
            "author": "Port Watch",
            "published_at": "2024-05-03",
        },
        {
            "kind": "appearance",
            "outlet": "Channel 4 Coast",
            "author": "Mayor Jane Doe",
            "seen_at": "2024-05-04",
        },
        {"url": "https://ferries.example/fares-2024", "title": "Published fares 2024"},
    ],
}
AMBIGUOUS_QUOTE = (
    "the quote 'the bridge' is ambiguous: it occurs 3 times; give a prefix or suffix, or the position "
    "(start and end)"
)

REVIEW: dict[str, Any] = {
    "id": 31,
    "claim": 7,
    "verdict": "corroborated",
    "rationale": "The council minutes confirm the date and the cost.",
    "evidence": ["https://council.example/minutes/412"],
    "reviewer": "eddie-editor",
    "claim_version": 2,
    "created_at": "2024-05-06T11:02:13Z",
}
LIST_ITEM: dict[str, Any] = {
    "id": 7,
    "text": "The bridge reopened on Monday after repairs costing 4 million euros.",
    "title": "",
    "speaker": "City officials",
    "status": "corroborated",
    "check_status": "done",
    "version": 3,
    "merged_into": None,
    "findings_count": 1,
    "open_contradictions": 1,
    "open_duplicates": 0,
    "outlet_count": 1,
    "created_at": "2024-05-06T09:20:00Z",
    "updated_at": "2024-05-06T11:02:13Z",
    "reviewed_at": "2024-05-06T11:02:13Z",
}
CLAIM_DETAIL: dict[str, Any] = {
    **LIST_ITEM,
    "sources": [
        {"url": "https://council.example/minutes/412", "title": "Council minutes", "kind": "evidence"},
    ],
    "appearances": [
        {
            "article": 12,
            "title": "Bridge reopens after repairs",
            "url": "https://harbourgazette.example/2024/05/bridge",
            "outlet": "Harbour Gazette",
            "published_at": "2024-05-06T08:00:00Z",
            "annotation": 40,
            "exact": QUOTE,
            "anchor_state": "exact",
            "author": None,
            "seen_at": None,
        },
        {
            "article": None,
            "title": "",
            "url": None,
            "outlet": "Channel 4 Coast",
            "published_at": None,
            "annotation": None,
            "exact": None,
            "anchor_state": None,
            "author": "Mayor Jane Doe",
            "seen_at": "2024-05-07T19:00:00Z",
        },
    ],
    "findings": [
        {
            "id": 5,
            "kind": "contradiction",
            "claim": 9,
            "other_text": "The bridge stayed closed on Monday.",
            "score": 0.83,
            "explanation": "Opposite outcomes for the same event and day (reopened / stayed closed).",
            "state": "suggested",
            "decided_at": None,
        }
    ],
    "review": REVIEW,
    "assignee": {"id": 4, "username": "ana-annotator"},
}
CONFLICT: dict[str, Any] = {
    "detail": (
        "erin-editor recorded 'disputed' at 11:02:13 (version 3) while you were reviewing. Nothing was "
        "saved: read their rationale and submit again if you still disagree."
    ),
    "claim": {**CLAIM_DETAIL, "status": "disputed"},
}
EVENT: dict[str, Any] = {
    "id": 102,
    "action": "reviewed",
    "summary": "Marked corroborated (was unreviewed)",
    "reason": "The council minutes confirm the date and the cost.",
    "actor": "eddie-editor",
    "data": {"verdict": "corroborated", "previous": "unreviewed", "evidence": [], "version": 3},
    "created_at": "2024-05-06T11:02:13Z",
}
MATCHES: dict[str, Any] = {
    "results": [
        {"claim": 7, "text": LIST_ITEM["text"], "score": 0.97, "relation": "duplicate"},
        {
            "claim": 9,
            "text": "The bridge stayed closed on Monday.",
            "score": 0.81,
            "relation": "contradiction",
        },
    ]
}
CLAIMREVIEW: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://corroborate.example/claims/7/",
    "claimReviewed": "The bridge reopened on Monday after repairs costing 4 million euros.",
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 3,
        "worstRating": 1,
        "alternateName": "Corroborated",
    },
    "author": {"@type": "Organization", "name": "Corroborate Newsroom", "url": "https://corroborate.example"},
    "datePublished": "2024-05-06T11:02:13Z",
    "dateModified": "2024-05-06T11:02:13Z",
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "City officials"},
        "appearance": [
            {
                "@type": "CreativeWork",
                "url": "https://harbourgazette.example/2024/05/bridge",
                "headline": "Bridge reopens after repairs",
                "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
            }
        ],
        "firstAppearance": {
            "@type": "CreativeWork",
            "url": "https://harbourgazette.example/2024/05/bridge",
            "headline": "Bridge reopens after repairs",
            "publisher": {"@type": "Organization", "name": "Harbour Gazette"},
        },
        "datePublished": "2024-05-06T08:00:00Z",
    },
}

MERGE_RECORD: dict[str, Any] = {
    "id": 3,
    "kept": 7,
    "merged": 9,
    "automatic": True,
    "moved_sources": [41, 42],
    "finding": 5,
    "reason": "Automatic: Same claim, same figures: 4 million euros",
    "created_at": "2024-05-06T12:00:00Z",
    "undone_by": "eddie-editor",
    "undone_at": "2024-05-07T09:30:00Z",
    "undo_reason": "Two different bridges.",
}
