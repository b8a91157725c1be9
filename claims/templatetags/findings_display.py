"""How a finding reads on its card: one score (the finding's own), not the detector's inner figures."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# The detector's explanation names the cosine similarity it started from ("same wording and meaning
# (similarity 0.72): ..."); the card shows the finding's score beside it, and two numbers side by side
# read as a contradiction. The explanation keeps its words, the card keeps one number.
_INNER_FIGURE = re.compile(r"\s*\(similarity -?\d+(?:\.\d+)?\)")


@register.filter
def without_inner_scores(explanation: str) -> str:
    return _INNER_FIGURE.sub("", explanation or "")
