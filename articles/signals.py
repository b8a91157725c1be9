"""What the articles app tells the apps above it. ``articles`` sits below ``claims`` and
``annotations`` and may not import them, so it announces new text and they decide what follows.

``article_revision_created`` is sent inside the transaction that writes the revision (a new article
included), with ``article_id`` and ``revision_id``: a receiver that writes rows (an outbox row, say)
commits or rolls back with the revision, and must leave work that needs the committed rows to
``transaction.on_commit``.
"""

from __future__ import annotations

from django.dispatch import Signal

article_revision_created = Signal()
