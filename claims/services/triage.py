"""Triage on arrival: every new article revision is read against the stored claims, and the
sentences worth checking are pointed out.

1. ``triage_request`` writes a pending ``TriageRun`` in the transaction that creates the revision
   (the ``articles.signals.article_revision_created`` hook), and sends it to a worker after commit.
2. ``triage_run`` (the worker) takes the run with a lease, splits the text into sentences, scores
   their check-worthiness, matches them against the stored claims with ``claims_match``'s ranking
   (``claims_match_many``), and stores the sentences and marks the run done in one transaction,
   conditional on still holding the lease: a redelivered task finds the run done and does nothing.
3. ``triage_sweep`` re-sends runs that were lost or failed, and backfills runs for articles whose
   current revision has none for the running detector (older articles, a new detector version).
4. People act on the suggestions: ``triage_repeat_accept`` (the sentence becomes a highlight and a
   new appearance of the existing claim), ``triage_suggestion_dismiss`` and its undo.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from annotations.services import annotation_create, annotation_validate
from articles.models import Article, ArticleRevision
from claims.detection.repeats import REPEAT_MIN_SCORE
from claims.detection.sentences import split_sentences
from claims.detection.worthiness import attribution, marks, worthiness
from claims.models import (
    VERDICTS,
    Claim,
    Source,
    SourceKind,
    TriageDismissal,
    TriagePreference,
    TriageRun,
    TriageSentence,
    TriageState,
)
from claims.selectors.triage import TRIAGE_VERSION
from claims.services.claims import claim_outlets_refresh
from claims.services.dispatch import triage_runs_send, triage_runs_send_on_commit
from claims.services.events import claim_event_record
from claims.services.index import claims_match_many

logger = logging.getLogger(__name__)

# Which matches make a sentence a repeat of a stored claim: ``claims.detection.repeats`` (the same
# claim, or the sentence makes the claim and says more; its thresholds were chosen on the train and
# dev splits of CheckThat! 2020, news_pairs and the demo newsroom, ``bench/triage_repeats.py --dev``).
# A contradiction of a stored claim is not a repeat; the match endpoint offers those.
REPEATS_PER_SENTENCE = 3
# Sentences shorter than this say too little to match a claim (datelines, credits, "Read more").
MIN_MATCH_WORDS = 5
# Sentences per ``claims_match_many`` call: bounds the memory of one batch of embeddings.
MATCH_BATCH = 256
# A failed run is tried again by the sweeper after this long, up to MAX_ATTEMPTS takes.
FAILED_RETRY_AFTER = timedelta(seconds=30)
PENDING_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
BACKFILL_BATCH = 100


def sentence_sha(text: str) -> str:
    """What a dismissal is keyed by: the sentence's text, so it outlives revisions that keep it."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


# -- 1. Requests -------------------------------------------------------------------------------


def triage_request(*, revision_id: int, article_id: int) -> int | None:
    """Record that the revision needs triage, and send it to a worker after commit. Returns the
    run's id, or None when it is already done or running. Idempotent (unique revision, detector)."""
    TriageRun.objects.bulk_create(
        [TriageRun(revision_id=revision_id, article_id=article_id, detector_version=TRIAGE_VERSION)],
        ignore_conflicts=True,
    )
    run = (
        TriageRun.objects.filter(revision_id=revision_id, detector_version=TRIAGE_VERSION)
        .values_list("pk", "state")
        .first()
    )
    if run is None or run[1] != TriageState.PENDING:
        return None
    triage_runs_send_on_commit(run_ids=[run[0]])
    return run[0]


def triage_on_revision_created(*, article_id: int, revision_id: int, **_: Any) -> None:
    """The receiver of ``articles.signals.article_revision_created``: every way an article arrives
    (the browser, the API, ``import_articles``, ``load_demo``) goes through it."""
    if not settings.TRIAGE_ON_ARRIVAL:
        return
    triage_request(revision_id=revision_id, article_id=article_id)


# -- 2. Running --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceTriage:
    start: int
    end: int
    text_sha: str
    worthiness: float
    marked: bool
    speaker: str
    repeats: list[dict[str, Any]]


def _lease_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def _triage_take(run_id: int, owner: str) -> bool:
    """Move the run to running, leased to ``owner`` for the task's hard time limit (a run takes
    seconds, so no renewal: a killed worker's run is taken over once the limit has passed). A run
    that is done, or running under a lease that has not run out (a duplicate delivery), is not
    taken. The UPDATE carries the conditions,
    so of two workers taking one run at once exactly one wins."""
    now = timezone.now()
    takeable = Q(state__in=[TriageState.PENDING, TriageState.FAILED]) | Q(
        state=TriageState.RUNNING, lease_until__lt=now
    )
    return bool(
        TriageRun.objects.filter(takeable, pk=run_id).update(
            state=TriageState.RUNNING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )


def _repeats(matches: list[Any], statuses: dict[int, str], dismissed: set[int]) -> list[dict[str, Any]]:
    kept = [match for match in matches if match.repeat is not None and match.claim_id not in dismissed]
    # Reviewed claims first: a repeat of a verdict is what the desk must see; then by score.
    kept.sort(key=lambda match: (statuses.get(match.claim_id) not in VERDICTS, -match.score, match.claim_id))
    return [
        {"claim": match.claim_id, "relation": match.repeat, "score": match.score}
        for match in kept[:REPEATS_PER_SENTENCE]
    ]


def triage_compute(
    *, text: str, article_id: int | None = None
) -> tuple[list[SentenceTriage], dict[str, int]]:
    """The triage of ``text`` (sentences, worthiness, marks, repeats) and milliseconds per step.
    Reads stored claims and the article's dismissals; writes nothing."""
    clock = time.perf_counter()
    timings: dict[str, int] = {}

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[step] = round((now - clock) * 1000)
        clock = now

    sentences = split_sentences(text)
    shas = [sentence_sha(sentence.text) for sentence in sentences]
    lap("split")
    dismissed_marks: set[str] = set()
    dismissed_repeats: dict[str, set[int]] = {}
    if article_id is not None:
        for sha, claim_id in TriageDismissal.objects.filter(article_id=article_id).values_list(
            "text_sha", "claim_id"
        ):
            if claim_id is None:
                dismissed_marks.add(sha)
            else:
                dismissed_repeats.setdefault(sha, set()).add(claim_id)
    scores = [worthiness(sentence.text) for sentence in sentences]
    # A dismissed mark does not come back, and leaves its place to the next best sentence.
    marked = marks(
        [-1.0 if sha in dismissed_marks else score for sha, score in zip(shas, scores, strict=True)]
    )
    lap("worthiness")
    to_match = [
        index for index, sentence in enumerate(sentences) if len(sentence.text.split()) >= MIN_MATCH_WORDS
    ]
    matches: dict[int, list[Any]] = {}
    for offset in range(0, len(to_match), MATCH_BATCH):
        batch = to_match[offset : offset + MATCH_BATCH]
        found = claims_match_many(
            texts=[sentences[index].text for index in batch],
            limit=REPEATS_PER_SENTENCE,
            min_score=REPEAT_MIN_SCORE,
        )
        matches.update(zip(batch, found, strict=True))
    lap("match")
    claim_ids = {match.claim_id for found in matches.values() for match in found}
    statuses = dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "status")) if claim_ids else {}
    result = [
        SentenceTriage(
            start=sentence.start,
            end=sentence.end,
            text_sha=sha,
            worthiness=score,
            marked=is_marked,
            speaker=attribution(sentence.text),
            repeats=_repeats(matches.get(index, []), statuses, dismissed_repeats.get(sha, set())),
        )
        for index, (sentence, sha, score, is_marked) in enumerate(
            zip(sentences, shas, scores, marked, strict=True)
        )
    ]
    return result, timings


def triage_run(*, run_id: int) -> str:
    """Triage the run's revision. Safe to run twice: returns "done", "skipped" (done already, or
    another worker holds it) or "missing" (the run or its revision is gone)."""
    run = TriageRun.objects.filter(pk=run_id).select_related("revision").first()
    if run is None:
        return "missing"
    owner = _lease_owner()
    if not _triage_take(run_id, owner):
        return "skipped"
    started = time.perf_counter()
    try:
        sentences, timings = triage_compute(text=run.revision.text, article_id=run.article_id)
        store_started = time.perf_counter()
        with transaction.atomic():
            held = TriageRun.objects.select_for_update().filter(
                pk=run_id, state=TriageState.RUNNING, lease_owner=owner
            )
            if not held.exists():
                logger.warning(
                    "lost the lease of triage run %d; leaving it to the worker that took it", run_id
                )
                return "skipped"
            TriageSentence.objects.filter(run_id=run_id).delete()
            TriageSentence.objects.bulk_create(
                [
                    TriageSentence(
                        run_id=run_id,
                        position=position,
                        start=sentence.start,
                        end=sentence.end,
                        text_sha=sentence.text_sha,
                        worthiness=sentence.worthiness,
                        marked=sentence.marked,
                        speaker=sentence.speaker,
                        repeats=sentence.repeats,
                    )
                    for position, sentence in enumerate(sentences)
                ],
                batch_size=1000,
            )
            # Older revisions' sentences are never shown again: the reader shows the current one.
            TriageSentence.objects.filter(
                run__article_id=run.article_id, run__revision__number__lt=run.revision.number
            ).delete()
            timings["store"] = round((time.perf_counter() - store_started) * 1000)
            timings["total"] = round((time.perf_counter() - started) * 1000)
            now = timezone.now()
            held.update(
                state=TriageState.DONE,
                error="",
                lease_owner="",
                lease_until=None,
                timings=timings,
                updated_at=now,
                finished_at=now,
            )
    except Exception as error:
        TriageRun.objects.filter(pk=run_id, state=TriageState.RUNNING, lease_owner=owner).update(
            state=TriageState.FAILED,
            error=repr(error)[:2000],
            lease_owner="",
            lease_until=None,
            updated_at=timezone.now(),
        )
        raise
    return "done"


def triage_retry_failed(*, run_id: int) -> None:
    """Put a run that failed on a transient error back to pending (the task retries it)."""
    TriageRun.objects.filter(pk=run_id, state=TriageState.FAILED).update(
        state=TriageState.PENDING, updated_at=timezone.now()
    )


# -- 3. Sweeping -------------------------------------------------------------------------------


def triage_sweep() -> int:
    """Send again the runs that were lost (pending past a grace, running past their lease) or failed
    fewer than MAX_ATTEMPTS times; open runs for current revisions that have none for this
    detector. Returns how many runs were sent."""
    if not settings.TRIAGE_ON_ARRIVAL:
        return 0
    now = timezone.now()
    lost = TriageRun.objects.filter(
        Q(state=TriageState.PENDING, updated_at__lt=now - PENDING_GRACE)
        | Q(state=TriageState.RUNNING, lease_until__lt=now)
        | Q(state=TriageState.FAILED, attempts__lt=MAX_ATTEMPTS, updated_at__lt=now - FAILED_RETRY_AFTER)
    )
    run_ids = list(lost.values_list("pk", flat=True)[:BACKFILL_BATCH])
    TriageRun.objects.filter(pk__in=run_ids).exclude(state=TriageState.RUNNING, lease_until__gte=now).update(
        state=TriageState.PENDING, lease_owner="", lease_until=None, updated_at=now
    )
    untriaged = (
        Article.objects.filter(current_revision__isnull=False)
        .exclude(
            current_revision_id__in=TriageRun.objects.filter(detector_version=TRIAGE_VERSION).values(
                "revision_id"
            )
        )
        .values_list("pk", "current_revision_id")[:BACKFILL_BATCH]
    )
    created = TriageRun.objects.bulk_create(
        [
            TriageRun(revision_id=revision_id, article_id=article_id, detector_version=TRIAGE_VERSION)
            for article_id, revision_id in untriaged
        ],
        ignore_conflicts=True,
    )
    if created:
        run_ids += list(
            TriageRun.objects.filter(
                revision_id__in=[run.revision_id for run in created],
                detector_version=TRIAGE_VERSION,
                state=TriageState.PENDING,
            ).values_list("pk", flat=True)
        )
    return triage_runs_send(run_ids=run_ids) if run_ids else 0


# -- 4. People's decisions ---------------------------------------------------------------------


def _current_sentence(*, article: Article, start: int, end: int) -> tuple[ArticleRevision, TriageSentence]:
    """The triaged sentence at exactly [start, end) of the article's current revision, or a
    ValidationError saying what to do."""
    revision = article.current_revision
    if revision is None:
        raise ValidationError({"article": ["The article has no text."]})
    sentence = (
        TriageSentence.objects.filter(
            run__revision=revision,
            run__detector_version=TRIAGE_VERSION,
            run__state=TriageState.DONE,
            start=start,
            end=end,
        )
        .order_by("-run_id")
        .first()
    )
    if sentence is None:
        raise ValidationError(
            {
                "start": [
                    f"No triaged sentence spans {start}-{end} of revision {revision.number}: the text "
                    "may have changed or triage is still running. Reload the article's triage and try again."
                ]
            }
        )
    return revision, sentence


def _live_claim(claim_id: int) -> Claim:
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        raise ValidationError({"claim": [f"No claim {claim_id}."]})
    # A claim merged since triage ran: its appearances belong to the claim it was merged into.
    seen = {claim.pk}
    while claim.merged_into_id is not None and claim.merged_into_id not in seen:
        seen.add(claim.merged_into_id)
        claim = Claim.objects.get(pk=claim.merged_into_id)
    return claim


@transaction.atomic
def triage_repeat_accept(*, article: Article, start: int, end: int, claim_id: int, user: User) -> Source:
    """The sentence at [start, end) repeats ``claim_id``: it becomes a highlight and a new
    appearance of that claim (no new claim). Raises ValidationError when the span is not a triaged
    sentence or the claim already appears in this article."""
    revision, sentence = _current_sentence(article=article, start=start, end=end)
    claim = _live_claim(claim_id)
    if Source.objects.filter(claim=claim, kind=SourceKind.APPEARANCE, article=article).exists():
        raise ValidationError(
            {
                "claim": [
                    f"Claim #{claim.pk} is already recorded as appearing in this article; nothing was added."
                ]
            }
        )
    anchor = annotation_validate(revision=revision, start=sentence.start, end=sentence.end, exact=None)
    annotation = annotation_create(revision=revision, anchor=anchor, creator=user)
    try:
        with transaction.atomic():
            source = Source.objects.create(
                claim=claim,
                kind=SourceKind.APPEARANCE,
                url=article.url or "",
                title=article.title,
                outlet=article.outlet,
                article=article,
                annotation=annotation,
                created_by=user,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"claim": [f"Claim #{claim.pk} already has an appearance at {article.url}; nothing was added."]}
        ) from error
    claim_outlets_refresh(claim_id=claim.pk)
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())
    claim_event_record(
        claim=claim,
        actor=user,
        action="appearance_added",
        summary=f"Appears again in {article.title!r} (a repeat found on arrival, accepted)",
        data={
            "article": article.pk,
            "start": sentence.start,
            "end": sentence.end,
            "score": _score_of(sentence, claim_id),
        },
    )
    return source


def _score_of(sentence: TriageSentence, claim_id: int) -> float | None:
    return next((repeat["score"] for repeat in sentence.repeats if repeat["claim"] == claim_id), None)


def triage_suggestion_dismiss(
    *, article: Article, start: int, end: int, claim_id: int | None, user: User
) -> bool:
    """Dismiss the repeat of ``claim_id`` (or, with None, the worth-checking mark) for the sentence
    at [start, end). It does not come back for this sentence's text in this article. Returns False
    when it was dismissed already."""
    _, sentence = _current_sentence(article=article, start=start, end=end)
    if claim_id is not None and not Claim.objects.filter(pk=claim_id).exists():
        raise ValidationError({"claim": [f"No claim {claim_id}."]})
    existing = TriageDismissal.objects.filter(article=article, text_sha=sentence.text_sha)
    existing = existing.filter(claim__isnull=True) if claim_id is None else existing.filter(claim_id=claim_id)
    if existing.exists():
        return False
    try:
        with transaction.atomic():
            TriageDismissal.objects.create(
                article=article, text_sha=sentence.text_sha, claim_id=claim_id, created_by=user
            )
    except IntegrityError:
        return False  # a second click that raced the first
    return True


def triage_suggestion_restore(*, article: Article, start: int, end: int, claim_id: int | None) -> bool:
    """Undo a dismissal: the suggestion shows again. Returns False when there was none."""
    _, sentence = _current_sentence(article=article, start=start, end=end)
    existing = TriageDismissal.objects.filter(article=article, text_sha=sentence.text_sha)
    existing = existing.filter(claim__isnull=True) if claim_id is None else existing.filter(claim_id=claim_id)
    deleted, _ = existing.delete()
    return bool(deleted)


def triage_preference_set(*, user: User, show_marks: bool) -> TriagePreference:
    preference, _ = TriagePreference.objects.update_or_create(
        user=user, defaults={"show_marks": show_marks, "updated_at": timezone.now()}
    )
    return preference
