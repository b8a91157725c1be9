"""The "Add article" form: it parses what the browser sent; ``article_submit`` decides the rest."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ArticleForm(forms.Form):
    title = forms.CharField(required=False, max_length=500, strip=True)
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    file = forms.FileField(required=False)
    url = forms.URLField(required=False, assume_scheme="https", max_length=2000)
    outlet = forms.CharField(required=False, max_length=200, strip=True)
    byline = forms.CharField(required=False, max_length=300, strip=True)
    published_at = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data.get("text", "")
        if len(text) > settings.ARTICLE_MAX_CHARS:
            raise ValidationError(
                f"The text has {len(text):,} characters; the limit is {settings.ARTICLE_MAX_CHARS:,}."
            )
        return text.replace("\r\n", "\n")

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file has {upload.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}. "
                "Paste the text instead."
            )
        return upload

    def clean_published_at(self) -> datetime | None:
        moment: datetime | None = self.cleaned_data.get("published_at")
        # The browser's datetime-local has no zone; the newsroom's clock is UTC.
        return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        pasted = bool((data.get("text") or "").strip())
        if data.get("file") is None and not pasted and not data.get("url") and "url" not in self.errors:
            raise ValidationError(
                "Paste the article text, choose a saved web page (.html), PDF or text file, "
                "or give only its URL to fetch it."
            )
        if data.get("file") is None and pasted and not data.get("title"):
            self.add_error("title", "A title is required (it is read from the page when you upload one).")
        return data
