"""The desk's discussion of a claim: comments with @mentions."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import NotificationEvent
from accounts.selectors import desk_users_by_username
from claims.mentions import mention_names
from claims.models import Claim, ClaimComment, ClaimFollow
from claims.services.events import claim_event_record
from claims.services.notifications import claim_follow, notifications_create

MAX_COMMENT_CHARS = 5000


def comment_validate(*, body: object) -> str:
    text = body.replace("\r\n", "\n").strip() if isinstance(body, str) else None
    if not text:
        raise ValidationError({"body": ["Write a comment: the text is empty."]})
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError({"body": [f"A comment is at most {MAX_COMMENT_CHARS:,} characters."]})
    return text


@transaction.atomic
def claim_comment_create(*, claim_id: int, author: User, body: object) -> ClaimComment:
    """Add a comment. @names that are desk users become mentions (others stay plain text); the
    author follows the claim; followers are told of the comment and the mentioned of the mention.

    The history entry names the comment but does not copy it: the history is readable by readers,
    the discussion is not.
    """
    text = comment_validate(body=body)
    claim = Claim.objects.filter(pk=claim_id, merged_into__isnull=True).first()
    if claim is None:
        raise Claim.DoesNotExist(f"No claim {claim_id} to comment on (it may have been merged).")
    mentioned = desk_users_by_username(usernames=mention_names(text))
    comment = ClaimComment.objects.create(claim=claim, author=author, body=text)
    if mentioned:
        comment.mentions.set(list(mentioned.values()))
    claim_follow(claim_id=claim.pk, user=author)
    claim_event_record(
        claim=claim.pk,
        actor=author,
        action="commented",
        summary=f"Commented (comment #{comment.pk})",
        data={"comment": comment.pk, "mentions": sorted(mentioned)},
    )
    excerpt = text if len(text) <= 140 else text[:139] + "…"
    mentioned_ids = {user.pk for user in mentioned.values()}
    followers = ClaimFollow.objects.filter(claim_id=claim.pk).values_list("user_id", flat=True)
    # A mentioned follower hears of the mention only: one notification per person and comment.
    notifications_create(
        recipients={
            user_id: NotificationEvent.COMMENT for user_id in followers if user_id not in mentioned_ids
        },
        claim_id=claim.pk,
        actor=author,
        summary=f"New comment on claim #{claim.pk}: {excerpt}",
        comment=comment,
    )
    notifications_create(
        recipients=dict.fromkeys(mentioned_ids, NotificationEvent.MENTION),
        claim_id=claim.pk,
        actor=author,
        summary=f"You were mentioned on claim #{claim.pk}: {excerpt}",
        comment=comment,
    )
    return comment
