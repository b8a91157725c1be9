"""Template filters available in every template (registered as a builtin in settings.TEMPLATES)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = frozenset({"http", "https"})


@register.filter
def web_url(value: object) -> str:
    """``value`` if it is an http(s) address, else "" (so that the template shows it as text).

    The services accept only such addresses, but rows can arrive by other ways (``import_data``, the
    admin, older data); a ``javascript:`` link must never become an ``href``. Browsers drop tabs and
    newlines inside a scheme and ignore leading spaces, so those are removed before it is read.
    """
    if not isinstance(value, str):
        return ""
    cleaned = "".join(char for char in value.strip() if char not in "\t\n\r")
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return ""
    return value.strip() if scheme in WEB_SCHEMES and "\x00" not in cleaned else ""
