"""JSON that is safe to paste into an HTML ``<script>`` element: every JSON-LD output goes through here.

ClaimReview exists to be embedded in a publisher's page as ``<script type="application/ld+json">``.
The HTML parser ends that element at the first ``</script`` whatever the JSON around it, so a claim
text or speaker holding ``</script><script>...`` would run in the publisher's page. ``<``, ``>`` and
``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``: the same JSON value for any JSON
parser, and nothing an HTML parser acts on. Outside strings JSON never contains these characters, so
escaping the encoded bytes is exact.
"""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import JSONRenderer

_HTML_SAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))
SNIPPET_MEDIA_TYPE = "text/html"


def html_safe_json(encoded: bytes) -> bytes:
    """JSON bytes with ``<``, ``>`` and ``&`` escaped (see the module docstring)."""
    for raw, escaped in _HTML_SAFE:
        encoded = encoded.replace(raw, escaped)
    return encoded


class HtmlSafeJSONRenderer(JSONRenderer):
    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return html_safe_json(super().render(data, accepted_media_type, renderer_context))


class JsonLdRenderer(HtmlSafeJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def jsonld_script(document: Any) -> str:
    """``document`` as a ``<script type="application/ld+json">`` element, ready to paste into a page."""
    body = HtmlSafeJSONRenderer().render(document, renderer_context={"indent": 2}).decode()
    return f'<script type="application/ld+json">\n{body}\n</script>\n'


class ScriptSnippetRenderer(JSONRenderer):
    """``text/html``: the document wrapped by ``jsonld_script``. Views using it answer errors as JSON
    (see ``ClaimReviewSnippetView.finalize_response``)."""

    media_type = SNIPPET_MEDIA_TYPE
    format = "html"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return jsonld_script(data).encode()
