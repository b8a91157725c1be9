from __future__ import annotations

import operator
from functools import reduce
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import NotificationEvent
from annotations.models import Annotation
from articles.models import Article, ArticleRevision, Outlet


class ClaimStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    CORROBORATED = "corroborated", "Corroborated"
    DISPUTED = "disputed", "Disputed"
    UNRELIABLE = "unreliable", "Unreliable"


# The statuses an editor's verdict can give a claim: every status but the one it starts with.
VERDICTS = (ClaimStatus.CORROBORATED, ClaimStatus.DISPUTED, ClaimStatus.UNRELIABLE)


class CheckStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Claim(models.Model):
    """A checkable statement. ``version`` grows with every change and guards against lost updates:
    writers compare it inside their UPDATE (see ``claims.services.reviews``)."""

    # Few indexes, each with a query behind it: counters and check status change many times per
    # claim during a bulk check, and each such update writes every index of the table (an indexed
    # column changes, so PostgreSQL cannot update in place). Speakers are matched with iexact and
    # icontains, which no B-tree serves; status is the head of claim_status_sync_idx.
    text = models.TextField()
    # A short headline for the claim, as fact-checkers title their checks ("Did 122 released
    # detainees return to the battlefield?"). Searched by the match endpoint beside the text; the
    # judge reads the text only. The database default covers rows written without the column
    # (bulk COPY, a worker of the previous release during a rolling deploy).
    title = models.CharField(max_length=300, blank=True, default="", db_default="")
    speaker = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNREVIEWED)
    check_status = models.CharField(max_length=16, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    version = models.PositiveIntegerField(default=1)
    external_id = models.CharField(max_length=200, null=True, blank=True, unique=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_claims"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # the head of claim_sync_idx
    reviewed_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Who on the desk is working on it. The FK's index serves the "Assigned to me" and
    # "Unassigned" queue filters; it changes rarely, unlike the counters below.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # Counters kept by the services that change what they count, so the review queue can sort
    # and filter without aggregating findings and sources per row.
    open_contradictions = models.PositiveIntegerField(default=0)
    open_duplicates = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("review_claim", "Can record a verdict on a claim"),
            ("assign_claim", "Can assign a claim to someone on the desk"),
        ]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="claim_sync_idx"),
            models.Index(fields=["status", "updated_at", "id"], name="claim_status_sync_idx"),
            models.Index(
                F("open_contradictions").desc(), F("outlet_count").desc(), "id", name="claim_priority_idx"
            ),
            # A Meta index, not db_index: no second, LIKE-only copy (varchar_pattern_ops) of it.
            models.Index(fields=["check_status"], name="claim_check_status_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class SourceKind(models.TextChoices):
    # Where the claim was made or reported: an article here, or a page, post or broadcast elsewhere.
    APPEARANCE = "appearance", "Appearance"
    EVIDENCE = "evidence", "Evidence"  # a link that supports or refutes it
    ORIGIN = "origin", "Origin"  # where an imported, already-checked claim came from


class Source(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=16, choices=SourceKind.choices)
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="claim_sources"
    )
    annotation = models.OneToOneField(
        Annotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="source"
    )
    # For an appearance outside the articles here (a post, a broadcast): who made the claim there,
    # when it was published, and when someone saw it when the publication date is unknown.
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["claim_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind", "url"], condition=~Q(url=""), name="source_unique_url_per_claim"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title or self.url}"


class FindingKind(models.TextChoices):
    DUPLICATE = "duplicate", "Duplicate"
    CONTRADICTION = "contradiction", "Contradiction"


class FindingState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Finding(models.Model):
    """A relation between two claims. The pair is stored once, lower id first, so both claims see
    the same row and a redelivered check cannot store it twice (unique pair and kind)."""

    # No index of their own: the unique (low, high, kind) key serves lookups by the lower claim and
    # the (high, kind, state) index those by the higher one; two more B-trees to update on every
    # one of a bulk check's million inserts would serve nothing.
    claim_low = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="findings_as_low", db_index=False
    )
    claim_high = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="findings_as_high", db_index=False
    )
    kind = models.CharField(max_length=16, choices=FindingKind.choices)
    score = models.FloatField()
    explanation = models.CharField(max_length=500)
    state = models.CharField(max_length=16, choices=FindingState.choices, default=FindingState.SUGGESTED)
    detector_version = models.CharField(max_length=32)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        permissions = [("decide_finding", "Can accept or reject a finding")]
        constraints = [
            models.UniqueConstraint(fields=["claim_low", "claim_high", "kind"], name="finding_unique_pair"),
            models.CheckConstraint(condition=Q(claim_low__lt=F("claim_high")), name="finding_ordered_pair"),
        ]
        indexes = [
            models.Index(fields=["claim_high", "kind", "state"]),
            models.Index(fields=["kind", "state"]),
        ]

    # The states in which a finding is open, per kind: what the review queue's counters count
    # (``Claim.open_contradictions`` and ``open_duplicates``) and what its rows show. A contradiction
    # stays open once confirmed (the dispute is there until a verdict settles it); a duplicate is
    # open while it awaits a decision (accepting it merges the claims). A finding one of whose
    # claims was merged away is settled whatever its state: callers leave those out.
    OPEN_STATES: ClassVar[dict[str, tuple[str, ...]]] = {
        FindingKind.CONTRADICTION: (FindingState.SUGGESTED, FindingState.CONFIRMED),
        FindingKind.DUPLICATE: (FindingState.SUGGESTED,),
    }

    def __str__(self) -> str:
        return f"{self.kind} {self.claim_low_id}-{self.claim_high_id} ({self.state})"

    @classmethod
    def is_open(cls, kind: str, state: str) -> bool:
        """``OPEN_STATES`` for one (kind, state), as rows read from the database carry them."""
        return state in cls.OPEN_STATES.get(kind, ())

    @classmethod
    def open_q(cls, *kinds: str) -> Q:
        """``OPEN_STATES`` as an ORM condition on findings, for the given kinds (default: all)."""
        return reduce(
            operator.or_, (Q(kind=kind, state__in=cls.OPEN_STATES[kind]) for kind in kinds or cls.OPEN_STATES)
        )

    @classmethod
    def open_sql(cls, kind: str, *, alias: str) -> str:
        """``OPEN_STATES`` of one kind as a SQL condition on the finding table aliased ``alias``. The
        values are the choices' own literals, never input, so they are written inline."""
        states = ", ".join(f"'{state}'" for state in cls.OPEN_STATES[kind])
        return f"({alias}.kind = '{FindingKind(kind).value}' AND {alias}.state IN ({states}))"

    def other_claim_id(self, claim_id: int) -> int:
        return self.claim_high_id if self.claim_low_id == claim_id else self.claim_low_id


class Review(models.Model):
    """One verdict, as given. Rows are never updated or deleted: together they are the audit trail."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    verdict = models.CharField(max_length=16, choices=ClaimStatus.choices)
    rationale = models.TextField(blank=True)
    evidence = models.JSONField(default=list, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    claim_version = models.PositiveIntegerField()
    # The wording the verdict was given on: a verdict is published only while the claim still says
    # this (a new wording sends the claim back to review, see ``claims.services.claims``).
    claim_text = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A verdict is given on one version; a second one on the same version lost the race.
            models.UniqueConstraint(fields=["claim", "claim_version"], name="review_unique_claim_version"),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on {self.claim_id} by {self.reviewer_id}"


class ClaimEvent(models.Model):
    """History of a claim: who did what, when and why. Append-only."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    summary = models.CharField(max_length=500, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["claim", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.claim_id}"


class CheckRequestState(models.TextChoices):
    PENDING = "pending", "Pending"  # written with the claim; not yet handed to the broker
    ENQUEUED = "enqueued", "Enqueued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    SUPERSEDED = "superseded", "Superseded"  # a newer version of the claim was saved meanwhile


class CheckRequest(models.Model):
    """Transactional outbox for background checks, keyed by claim version and detector version.

    The row is written in the same transaction as the claim change, so a crash or a broker outage
    loses no check: the relay hands pending rows to Celery, and the sweeper re-enqueues rows stuck
    in enqueued or running.

    A running request is leased: ``lease_owner`` names the worker process that took it and
    ``lease_until`` is when another may take it over. The worker renews the lease while the check
    runs, so a live worker's check is never taken from it and a killed worker's is taken over
    once its lease runs out.
    """

    # The unique (claim, version, detector) key serves lookups by claim.
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="check_requests", db_index=False)
    claim_version = models.PositiveIntegerField()
    detector_version = models.CharField(max_length=32)
    state = models.CharField(
        max_length=16, choices=CheckRequestState.choices, default=CheckRequestState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # A database default too: processes still on the previous code insert rows without it.
    lease_owner = models.CharField(max_length=100, blank=True, default="", db_default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "claim_version", "detector_version"], name="checkrequest_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"check {self.claim_id}v{self.claim_version} {self.state}"


class ClaimVector(models.Model):
    """The claim's embedding and analysed features: the system of record from which every
    process's retrieval index is built, so no process re-analyses stored claims.

    ``features`` is a pickle of ``detection.ClaimFeatures`` written by this application only;
    it is ignored (and recomputed) when ``detector_version`` differs from the running detector.
    ``lookup_vector`` embeds the text with the claim's title, for retrieval only (null without a
    title: retrieval then uses ``vector``, the text's, which the judge compares).
    """

    claim = models.OneToOneField(Claim, primary_key=True, on_delete=models.CASCADE, related_name="vector")
    model_name = models.CharField(max_length=64)
    claim_version = models.PositiveIntegerField()
    vector = models.BinaryField()
    lookup_vector = models.BinaryField(null=True, blank=True)
    detector_version = models.CharField(max_length=32, blank=True)
    features = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"vector {self.claim_id} ({self.model_name})"


class ClaimComment(models.Model):
    """A message in a claim's discussion, for the desk only: never part of a public export."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    # The @names of the body that resolved to desk users when the comment was written.
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"])]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.claim_id}"


class ClaimFollow(models.Model):
    """A user wants to hear about a claim. Assignees and commenters follow automatically."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="follows", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "user"], name="claimfollow_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.claim_id}"


class MailState(models.TextChoices):
    NONE = "none", "No mail"  # the recipient does not want mail for this event
    PENDING = "pending", "Pending"  # one mail, to be sent after commit (the outbox row)
    DIGEST = "digest", "Waiting for the digest"
    SENDING = "sending", "Sending"  # claimed by one sender
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One event for one recipient: the in-app entry and the outbox row of its mail.

    Written in the transaction of the event itself, so a notification exists exactly when the event
    does; mail leaves after commit and each row is claimed by a conditional UPDATE before sending.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=16, choices=NotificationEvent.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    comment = models.ForeignKey(
        ClaimComment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    in_app = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mail_state = models.CharField(max_length=16, choices=MailState.choices, default=MailState.NONE)
    mail_attempts = models.PositiveIntegerField(default=0)
    digest_batch = models.CharField(max_length=32, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["mail_state", "updated_at"], name="notification_mail_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} on {self.claim_id} for {self.recipient_id}"


class MergeRecord(models.Model):
    """What one merge moved, so that it can be undone: written by the merge, closed by the unmerge.

    ``moved_sources`` are the ids of the merged claim's sources (appearances with their
    highlights, evidence links) that went to the kept claim; the sources the kept claim already
    had a link to stayed on the merged claim and are not listed. ``finding`` is the pair's
    duplicate finding, confirmed by the merge. Reviews, events and findings with other claims never
    move, so they need no record.
    """

    kept = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="merges_kept")
    merged = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="merges_undergone")
    moved_sources = models.JSONField(default=list, blank=True)
    finding = models.ForeignKey(
        "Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="merge_records"
    )
    automatic = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["merged", "created_at"])]

    def __str__(self) -> str:
        return f"merge of {self.merged_id} into {self.kept_id}"


class TriageState(models.TextChoices):
    PENDING = "pending", "Pending"  # written with the revision; not yet run
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class TriageRun(models.Model):
    """The triage of one article revision: its sentences, matched against the stored claims and
    scored for check-worthiness. Keyed by revision and detector version, so a redelivered task finds
    the run done and a new detector redoes it.

    Written pending in the transaction that creates the revision (the outbox row), taken by a worker
    with a lease like a check request, and completed with its sentences in one transaction.
    """

    revision = models.ForeignKey(ArticleRevision, on_delete=models.CASCADE, related_name="+", db_index=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    detector_version = models.CharField(max_length=32)
    state = models.CharField(max_length=16, choices=TriageState.choices, default=TriageState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    lease_owner = models.CharField(max_length=100, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    # Milliseconds per step of the last run ({"split", "worthiness", "match", "store", "total"}).
    timings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "detector_version"], name="triagerun_unique_key"),
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="triagerun_state_idx")]

    def __str__(self) -> str:
        return f"triage of revision {self.revision_id} ({self.state})"


class TriageSentence(models.Model):
    """One sentence of a triaged revision: a span in code points of the revision's text, how worth
    checking it is, and the stored claims it repeats (``repeats``: [{claim, relation, score}], best
    first, reviewed claims before unreviewed ones)."""

    run = models.ForeignKey(TriageRun, on_delete=models.CASCADE, related_name="sentences", db_index=False)
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # sha1 of the sentence's text: what a dismissal is keyed by, so it holds on later revisions.
    text_sha = models.CharField(max_length=40)
    worthiness = models.FloatField()
    marked = models.BooleanField(default=False)
    speaker = models.CharField(max_length=300, blank=True)
    repeats = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["run_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="triagesentence_unique_position"),
        ]

    def __str__(self) -> str:
        return f"sentence {self.position} of run {self.run_id}"


class TriageDismissal(models.Model):
    """A person said "no" to a suggestion for a sentence of an article: that it repeats ``claim``
    or, without a claim, that it is worth checking. Keyed by the sentence's text, so the suggestion
    does not come back on a redelivered run or a new revision that leaves the sentence as it was.
    Deleting the row undoes the dismissal."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    text_sha = models.CharField(max_length=40)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "text_sha", "claim"],
                condition=Q(claim__isnull=False),
                name="triagedismissal_unique_repeat",
            ),
            models.UniqueConstraint(
                fields=["article", "text_sha"],
                condition=Q(claim__isnull=True),
                name="triagedismissal_unique_mark",
            ),
        ]

    def __str__(self) -> str:
        return f"dismissed {self.claim_id or 'mark'} in {self.article_id}"


class TriagePreference(models.Model):
    """Whether the reader shows a user the worth-checking marks (repeats are always shown)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="triage_preference"
    )
    show_marks = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"triage preferences of {self.user_id}"
