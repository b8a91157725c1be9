"""@mentions in discussion text. Pure: no Django, no I/O.

A mention is ``@`` followed by a username (letters, digits and ``. + - _``, as Django allows) that
does not follow a word character, so e-mail addresses (``ana@example.org``) are not mentions. A
trailing full stop or hyphen ends the sentence rather than the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
TRAILING = ".-+"
MAX_MENTIONS = 20  # more names than this in one comment is a broadcast, not a mention


@dataclass(frozen=True)
class Mention:
    start: int  # of the "@", in code points
    end: int
    name: str


def mentions_find(text: str) -> list[Mention]:
    """Every mention in ``text``, in order (the same name may appear more than once)."""
    found = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(TRAILING)
        if name:
            found.append(Mention(match.start(), match.start() + 1 + len(name), name))
    return found


def mention_names(text: str) -> list[str]:
    """The distinct names mentioned, in order of first appearance, at most MAX_MENTIONS."""
    return list(dict.fromkeys(mention.name for mention in mentions_find(text)))[:MAX_MENTIONS]
