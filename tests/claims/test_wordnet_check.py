"""The app reads WordNet from the configured folder and refuses to start without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from claims.detection import wordnet


def test_the_app_reads_wordnet_from_the_configured_folder() -> None:
    assert wordnet.wordnet_dir() == Path(settings.WORDNET_DIR)
    call_command("check")  # passes with the database in place


def test_the_system_check_names_the_package_to_install_when_wordnet_is_missing(tmp_path: Path) -> None:
    before = wordnet.wordnet_dir()
    wordnet.use(tmp_path)
    try:
        with pytest.raises(SystemCheckError, match=r"claims\.E001.*wordnet-base"):
            call_command("check")
    finally:
        wordnet.use(before)
