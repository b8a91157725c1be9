"""Following claims and notifying people: the in-app entries and the mail outbox.

A notification row is written in the same transaction as its event (a verdict, a finding, a
comment, an assignment), so it exists exactly when the event does. Its mail leaves after commit:
``notification_mails_send`` claims each row with a conditional UPDATE (pending -> sending) before
sending, so a redelivered task, a second worker or the periodic relay never sends it twice. Digest
rows wait in ``digest`` until the beat job gathers them, claimed the same way, into one mail.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone

from accounts.models import MailDelivery, NotificationEvent
from accounts.selectors import Preferences, notification_preferences
from claims.models import ClaimComment, ClaimFollow, MailState, Notification
from claims.services.dispatch import notification_mails_dispatch

logger = logging.getLogger(__name__)

# A pending mail older than this was probably never handed to the broker (a crash after commit, a
# broker outage): the periodic relay sends it.
PENDING_GRACE = timedelta(seconds=30)
# A row left "sending" this long belongs to a sender that died; it goes back to pending. A mail
# that did leave before the crash is then sent again: a rare duplicate rather than a lost mail.
SENDING_STUCK_AFTER = timedelta(minutes=10)
MAX_MAIL_ATTEMPTS = 5
DIGEST_PERIODS = {MailDelivery.HOURLY: timedelta(hours=1), MailDelivery.DAILY: timedelta(days=1)}


# --- Following -----------------------------------------------------------------------------------


def claim_follow(*, claim_id: int, user: User) -> bool:
    """Follow a claim. Idempotent; True when the user did not follow it yet."""
    _, created = ClaimFollow.objects.get_or_create(claim_id=claim_id, user=user)
    return created


def claim_unfollow(*, claim_id: int, user: User) -> bool:
    deleted, _ = ClaimFollow.objects.filter(claim_id=claim_id, user=user).delete()
    return bool(deleted)


# --- Writing notifications -----------------------------------------------------------------------


def _mail_state(event: str, preferences: Preferences) -> str:
    if event not in preferences.email_events:
        return MailState.NONE
    return MailState.PENDING if preferences.email_delivery == MailDelivery.IMMEDIATE else MailState.DIGEST


def notifications_create(
    *,
    recipients: dict[int, str],
    claim_id: int,
    actor: User | None,
    summary: str,
    comment: ClaimComment | None = None,
) -> list[Notification]:
    """Notify each recipient (user id -> event) as their preferences say; never the actor.

    Must run inside the event's transaction. Pending mails are relayed after commit.
    """
    if actor is not None:
        recipients.pop(actor.pk, None)
    if not recipients:
        return []
    preferences = notification_preferences(user_ids=recipients)
    now = timezone.now()
    rows = []
    for user_id, event in sorted(recipients.items()):
        wanted = preferences[user_id]
        in_app = event in wanted.in_app_events
        mail_state = _mail_state(event, wanted)
        if not in_app and mail_state == MailState.NONE:
            continue
        rows.append(
            Notification(
                recipient_id=user_id,
                claim_id=claim_id,
                event=event,
                actor=actor,
                summary=summary[:300],
                comment=comment,
                in_app=in_app,
                mail_state=mail_state,
                created_at=now,
                updated_at=now,
            )
        )
    created = Notification.objects.bulk_create(rows)
    pending = [row.pk for row in created if row.mail_state == MailState.PENDING]
    if pending:
        transaction.on_commit(lambda: _relay(pending))
    return created


def followers_notify(
    *, claim_id: int, event: str, actor: User | None, summary: str, comment: ClaimComment | None = None
) -> list[Notification]:
    followers = ClaimFollow.objects.filter(claim_id=claim_id).values_list("user_id", flat=True)
    return notifications_create(
        recipients=dict.fromkeys(followers, event),
        claim_id=claim_id,
        actor=actor,
        summary=summary,
        comment=comment,
    )


def findings_notify(*, pairs: Sequence[tuple[int, int, str]]) -> None:
    """Tell the followers of both claims of each new finding (lower id, higher id, kind).

    Called by the check pipeline inside its transaction: one query when nobody follows the claims
    (the ids go as one array parameter on PostgreSQL: a batch of checks touches thousands).
    """
    if not pairs:
        return
    claim_ids = {claim_id for low, high, _ in pairs for claim_id in (low, high)}
    followers: dict[int, list[int]] = defaultdict(list)
    for claim_id, user_id in ClaimFollow.objects.filter(claim_id__any_of=sorted(claim_ids)).values_list(
        "claim_id", "user_id"
    ):
        followers[claim_id].append(user_id)
    for low, high, kind in pairs:
        for claim_id, other_id in ((low, high), (high, low)):
            if followers.get(claim_id):
                notifications_create(
                    recipients=dict.fromkeys(followers[claim_id], NotificationEvent.FINDING),
                    claim_id=claim_id,
                    actor=None,
                    summary=f"New {kind} finding: claim #{claim_id} and claim #{other_id}",
                )


# --- Reading and marking -------------------------------------------------------------------------


def notifications_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them without ``notification_ids``)."""
    unread = Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


# --- Mail ----------------------------------------------------------------------------------------


def _relay(notification_ids: list[int]) -> None:
    """Hand pending mails to Celery (in-process in the embedded mode). A broker that cannot be
    reached leaves them pending for the periodic relay."""
    try:
        notification_mails_dispatch(notification_ids=notification_ids)
    except Exception as error:  # kombu raises several unrelated types for a broker that is down
        logger.warning("broker unavailable, %d mail(s) stay pending: %s", len(notification_ids), error)


def _claim_url(claim_id: int) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("claim-detail", args=[claim_id])


def _mail_line(notification: Notification) -> str:
    who = f"{notification.actor.username}: " if notification.actor else ""
    return f"{who}{notification.summary}\n{_claim_url(notification.claim_id)}"


def _mail(recipient: User, subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], fail_silently=False)


def notification_mails_send(*, notification_ids: Sequence[int]) -> int:
    """Send the mails of pending notifications, each at most once. Returns how many went out.

    Safe to run twice with the same ids: the UPDATE claims a row only while it is pending, so a
    redelivery finds it sent (or being sent by someone else) and leaves it. A failed send puts the
    row back to pending (failed after MAX_MAIL_ATTEMPTS) for the relay to try later.
    """
    sent = 0
    for notification_id in sorted(set(notification_ids)):
        claimed = Notification.objects.filter(pk=notification_id, mail_state=MailState.PENDING).update(
            mail_state=MailState.SENDING, mail_attempts=F("mail_attempts") + 1, updated_at=timezone.now()
        )
        if not claimed:
            continue
        notification = Notification.objects.select_related("recipient", "actor").get(pk=notification_id)
        sent += _deliver([notification], subject=f"[Corroborate] {notification.summary}"[:150])
    return sent


def _deliver(notifications: list[Notification], *, subject: str) -> int:
    """Send one mail for rows this caller claimed (state sending) and record the outcome."""
    recipient = notifications[0].recipient
    ids = [notification.pk for notification in notifications]
    now = timezone.now()
    if not recipient.email or not recipient.is_active:
        Notification.objects.filter(pk__in=ids).update(mail_state=MailState.NONE, updated_at=now)
        return 0
    try:
        _mail(recipient, subject, "\n\n".join(_mail_line(notification) for notification in notifications))
    except Exception:
        logger.exception("mail to %s failed", recipient.pk)
        retry = MailState.PENDING if len(ids) == 1 else MailState.DIGEST
        Notification.objects.filter(pk__in=ids, mail_attempts__lt=MAX_MAIL_ATTEMPTS).update(
            mail_state=retry, updated_at=now
        )
        Notification.objects.filter(pk__in=ids, mail_state=MailState.SENDING).update(
            mail_state=MailState.FAILED, updated_at=now
        )
        return 0
    Notification.objects.filter(pk__in=ids, mail_state=MailState.SENDING).update(
        mail_state=MailState.SENT, mailed_at=now, updated_at=now
    )
    return 1


def notification_mails_relay(*, now: datetime | None = None) -> int:
    """The periodic relay: pending mails nobody sent (broker down, crash) and rows stuck sending."""
    now = now or timezone.now()
    stuck = Notification.objects.filter(
        mail_state=MailState.SENDING, updated_at__lt=now - SENDING_STUCK_AFTER
    )
    stuck.filter(digest_batch="").update(mail_state=MailState.PENDING, updated_at=now)
    stuck.exclude(digest_batch="").update(mail_state=MailState.DIGEST, updated_at=now)
    ids = list(
        Notification.objects.filter(mail_state=MailState.PENDING, updated_at__lt=now - PENDING_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    if ids:
        _relay(ids)
    return len(ids)


def notification_digests_send(*, now: datetime | None = None) -> int:
    """Send each digest that is due: one mail gathering a user's waiting notifications once the
    oldest has waited a full period (an hour or a day). Returns the number of mails sent.

    Rows are claimed by one UPDATE (digest -> sending, stamped with a batch key), so two runs at
    once, or a redelivered run, put each row in one mail only.
    """
    now = now or timezone.now()
    waiting = (
        Notification.objects.filter(mail_state=MailState.DIGEST)
        .values("recipient_id")
        .annotate(oldest=Min("created_at"))
        .order_by("recipient_id")
    )
    oldest = {row["recipient_id"]: row["oldest"] for row in waiting}
    preferences = notification_preferences(user_ids=oldest)
    sent = 0
    for user_id, since in oldest.items():
        period = DIGEST_PERIODS.get(MailDelivery(preferences[user_id].email_delivery))
        if period is not None and now - since < period:
            continue
        batch = uuid.uuid4().hex
        claimed = Notification.objects.filter(recipient_id=user_id, mail_state=MailState.DIGEST).update(
            mail_state=MailState.SENDING,
            digest_batch=batch,
            mail_attempts=F("mail_attempts") + 1,
            updated_at=now,
        )
        if not claimed:
            continue
        rows = list(
            Notification.objects.filter(digest_batch=batch)
            .select_related("recipient", "actor")
            .order_by("created_at", "id")
        )
        subject = f"[Corroborate] {len(rows)} notification{'s' if len(rows) != 1 else ''}"
        sent += _deliver(rows, subject=subject)
    return sent
