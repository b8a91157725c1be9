"""Assignment, discussion, following and notifications, through their services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import MailDelivery, NotificationEvent, NotificationPreference
from claims.models import Claim, ClaimEvent, ClaimFollow, MailState, Notification
from claims.services.assignments import assignee_validate, claims_assign
from claims.services.comments import claim_comment_create
from claims.services.notifications import (
    claim_follow,
    findings_notify,
    notification_digests_send,
    notification_mails_relay,
    notification_mails_send,
    notifications_mark_read,
)
from claims.services.reviews import claim_review
from claims.tasks import notification_digests_send_task, notification_mails_send_task
from tests import factories

pytestmark = pytest.mark.django_db


def _with_email(*users: User) -> None:
    for user in users:
        user.email = f"{user.username}@newsroom.test"
        user.save(update_fields=["email"])


def _events(claim: Claim) -> list[tuple[str, str]]:
    return list(ClaimEvent.objects.filter(claim=claim).order_by("id").values_list("action", "summary"))


# --- Assignment ----------------------------------------------------------------------------------


def test_assigning_records_history_follows_and_notifies_the_assignee(
    editor: User, annotator: User, django_capture_on_commit_callbacks: Any
) -> None:
    # given a claim and an annotator who wants mail for assignments (the default)
    _with_email(annotator)
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    # when the editor assigns it to the annotator
    with django_capture_on_commit_callbacks(execute=True):
        changed = claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    # then the claim is assigned, its history says so, the annotator follows it and got a mail
    claim.refresh_from_db()
    assert changed == [claim.pk]
    assert claim.assignee_id == annotator.pk
    assert _events(claim)[-1] == ("assigned", "Assigned to annie-annotator")
    assert ClaimFollow.objects.filter(claim=claim, user=annotator).exists()
    notification = Notification.objects.get(recipient=annotator)
    assert (notification.event, notification.mail_state) == (NotificationEvent.ASSIGNED, MailState.SENT)
    assert [message.to for message in mail.outbox] == [["annie-annotator@newsroom.test"]]


def test_assigning_again_to_the_same_person_changes_nothing(editor: User, annotator: User) -> None:
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    events_before = ClaimEvent.objects.count()
    # when
    changed = claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    # then
    assert changed == []
    assert ClaimEvent.objects.count() == events_before
    assert Notification.objects.filter(recipient=annotator).count() == 1


def test_unassigning_in_bulk_records_one_entry_per_claim(editor: User, annotator: User) -> None:
    claims = [factories.claim(text=f"Claim number {index} about ferries.", user=editor) for index in range(3)]
    claims_assign(claim_ids=[claim.pk for claim in claims[:2]], assignee=annotator, actor=editor)
    # when all three are unassigned
    changed = claims_assign(claim_ids=[claim.pk for claim in claims], assignee=None, actor=editor)
    # then only the two that were assigned changed
    assert changed == [claims[0].pk, claims[1].pk]
    assert Claim.objects.filter(assignee__isnull=False).count() == 0
    assert _events(claims[0])[-1] == ("unassigned", "Unassigned")
    assert ClaimEvent.objects.filter(action="unassigned").count() == 2


def test_readers_cannot_be_assigned(reader: User) -> None:
    with pytest.raises(ValidationError) as error:
        assignee_validate(username=reader.username)
    assert "readers cannot" in str(error.value)
    assert assignee_validate(username=None) is None


# --- Discussion ----------------------------------------------------------------------------------


def test_a_comment_resolves_desk_mentions_and_leaves_other_names_as_text(
    editor: User, annotator: User, reader: User
) -> None:
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    # when the editor mentions the annotator, the reader and a name nobody has
    comment = claim_comment_create(
        claim_id=claim.pk, author=editor, body=f"@{annotator.username} @{reader.username} @nobody see this"
    )
    # then only the annotator is a mention, is notified of it, and the author follows the claim
    assert [user.username for user in comment.mentions.all()] == [annotator.username]
    assert list(Notification.objects.values_list("recipient__username", "event")) == [
        (annotator.username, NotificationEvent.MENTION)
    ]
    assert ClaimFollow.objects.filter(claim=claim, user=editor).exists()
    # and the history names the comment without copying its text
    action, summary = _events(claim)[-1]
    assert (action, summary) == ("commented", f"Commented (comment #{comment.pk})")


def test_an_empty_comment_is_refused(editor: User) -> None:
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    with pytest.raises(ValidationError):
        claim_comment_create(claim_id=claim.pk, author=editor, body="   ")
    assert not ClaimEvent.objects.filter(action="commented").exists()


def test_followers_hear_of_comments_and_verdicts_but_not_of_their_own(
    editor: User, second_editor: User, annotator: User
) -> None:
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claim_follow(claim_id=claim.pk, user=annotator)
    claim_comment_create(claim_id=claim.pk, author=second_editor, body="Looks wrong.")
    # when the commenter (now a follower) records a verdict
    claim_review(claim_id=claim.pk, reviewer=second_editor, verdict="disputed", rationale="It says 300.")
    # then the annotator heard of both; the commenter of neither
    assert list(Notification.objects.order_by("id").values_list("recipient__username", "event")) == [
        (annotator.username, NotificationEvent.COMMENT),
        (annotator.username, NotificationEvent.VERDICT),
    ]


def test_new_findings_notify_the_followers_of_both_claims(editor: User, annotator: User) -> None:
    first = factories.claim(text="About 3,000 residents were evacuated.", user=editor)
    second = factories.claim(text="More than 11,000 residents were evacuated.", user=editor)
    claim_follow(claim_id=second.pk, user=annotator)
    # when the pipeline stores a new contradiction between them
    findings_notify(pairs=[(first.pk, second.pk, "contradiction")])
    # then the follower of the second claim is told, about that claim
    notification = Notification.objects.get()
    assert (notification.recipient_id, notification.claim_id, notification.event) == (
        annotator.pk,
        second.pk,
        NotificationEvent.FINDING,
    )
    assert notification.summary == f"New contradiction finding: claim #{second.pk} and claim #{first.pk}"


def test_preferences_choose_the_channel(editor: User, annotator: User) -> None:
    # given an annotator who wants verdicts by mail only, and nothing about comments
    NotificationPreference.objects.create(
        user=annotator, in_app_events=[NotificationEvent.MENTION], email_events=[NotificationEvent.VERDICT]
    )
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claim_follow(claim_id=claim.pk, user=annotator)
    claim_comment_create(claim_id=claim.pk, author=editor, body="Looks wrong.")
    claim_review(claim_id=claim.pk, reviewer=editor, verdict="corroborated")
    # then one row, for the verdict, mail only
    assert list(Notification.objects.values_list("event", "in_app", "mail_state")) == [
        (NotificationEvent.VERDICT, False, MailState.PENDING)
    ]


def test_mark_read_touches_only_the_users_own_notifications(editor: User, annotator: User) -> None:
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    claims_assign(claim_ids=[claim.pk], assignee=editor, actor=annotator)
    theirs = Notification.objects.get(recipient=editor)
    # when the annotator marks the editor's notification and then all their own read
    assert notifications_mark_read(user=annotator, notification_ids=[theirs.pk]) == 0
    assert notifications_mark_read(user=annotator) == 1
    # then the editor's is still unread
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- Mail: exactly once ----------------------------------------------------------------------------


def _pending_mail(editor: User, annotator: User) -> Notification:
    _with_email(annotator)
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)  # no on-commit: stays pending
    return Notification.objects.get(recipient=annotator)


def test_a_redelivered_mail_task_sends_the_mail_once(editor: User, annotator: User) -> None:
    notification = _pending_mail(editor, annotator)
    assert notification.mail_state == MailState.PENDING
    # when the task runs twice (a redelivery after acks_late)
    first = notification_mails_send_task.run([notification.pk])
    second = notification_mails_send_task.run([notification.pk])
    # then one mail left
    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.mail_state, notification.mail_attempts) == (MailState.SENT, 1)


def test_a_failed_send_stays_pending_and_the_relay_sends_it_later(
    editor: User, annotator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    notification = _pending_mail(editor, annotator)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("claims.services.notifications.send_mail", refuse)
    assert notification_mails_send(notification_ids=[notification.pk]) == 0
    notification.refresh_from_db()
    assert notification.mail_state == MailState.PENDING
    monkeypatch.undo()
    # when the relay runs after the grace period
    with_later = timezone.now() + timedelta(minutes=5)
    assert notification_mails_relay(now=with_later) == 1
    # then (embedded mode: the task ran in-process) it was sent once
    notification.refresh_from_db()
    assert notification.mail_state == MailState.SENT
    assert len(mail.outbox) == 1


def test_a_row_stuck_sending_goes_back_to_pending(editor: User, annotator: User) -> None:
    notification = _pending_mail(editor, annotator)
    Notification.objects.filter(pk=notification.pk).update(
        mail_state=MailState.SENDING, updated_at=timezone.now() - timedelta(hours=1)
    )
    # when the relay runs: the row goes back to pending, and the next run sends it
    notification_mails_relay()
    notification.refresh_from_db()
    assert notification.mail_state == MailState.PENDING
    notification_mails_relay(now=timezone.now() + timedelta(minutes=1))
    notification.refresh_from_db()
    assert notification.mail_state == MailState.SENT
    assert len(mail.outbox) == 1


# --- Digests -------------------------------------------------------------------------------------


def test_an_hourly_digest_gathers_notifications_into_one_mail_once_due(editor: User, annotator: User) -> None:
    # given an annotator on hourly digests with two waiting notifications
    _with_email(annotator)
    NotificationPreference.objects.create(
        user=annotator,
        email_events=[NotificationEvent.ASSIGNED, NotificationEvent.COMMENT],
        email_delivery=MailDelivery.HOURLY,
    )
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    claim_comment_create(claim_id=claim.pk, author=editor, body="Please look at the manifest.")
    assert set(Notification.objects.values_list("mail_state", flat=True)) == {MailState.DIGEST}
    # when the beat job runs before the hour is up, nothing leaves
    assert notification_digests_send() == 0
    assert mail.outbox == []
    # when it runs after the hour, twice (a redelivery)
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert notification_digests_send(now=later) == 1
    assert notification_digests_send(now=later) == 0
    # then one mail gathers both
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Corroborate] 2 notifications"
    assert "Please look at the manifest." in mail.outbox[0].body
    assert set(Notification.objects.values_list("mail_state", flat=True)) == {MailState.SENT}


def test_the_digest_task_runs_the_service(editor: User, annotator: User) -> None:
    _with_email(annotator)
    NotificationPreference.objects.create(
        user=annotator, email_events=[NotificationEvent.ASSIGNED], email_delivery=MailDelivery.DAILY
    )
    claim = factories.claim(text="The ferry carried 400 passengers.", user=editor)
    claims_assign(claim_ids=[claim.pk], assignee=annotator, actor=editor)
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert notification_digests_send_task.run() == 1
    assert notification_digests_send_task.run() == 0
    assert len(mail.outbox) == 1
