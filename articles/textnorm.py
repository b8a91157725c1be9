"""Canonical form of article text. Pure: every offset in the product indexes text in this form."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Horizontal whitespace, including no-break and typographic spaces, collapses to one space.
_HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Control characters other than newline carry no meaning in an article and confuse offsets.
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f]")


def normalise_paragraphs(lines: list[str]) -> list[str]:
    paragraphs = []
    for line in lines:
        cleaned = _HORIZONTAL_SPACE.sub(" ", _CONTROL.sub("", line)).strip()
        if cleaned:
            paragraphs.append(cleaned)
    return paragraphs


def normalise_text(text: str) -> str:
    """NFC, one paragraph per non-empty line, paragraphs joined by a blank line, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return "\n\n".join(normalise_paragraphs(text.split("\n")))


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
