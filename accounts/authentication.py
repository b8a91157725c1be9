from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken
from accounts.services import TokenExpired, api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token KEY`` against hashed tokens (see ``accounts.models.ApiToken``)."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: send 'Authorization: Token <key>' with a single key."
            )
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(
                "The token contains characters that are not valid."
            ) from error
        try:
            token = api_token_authenticate(key=key)
        except TokenExpired as expired:
            moment = expired.token.expires_at
            when = moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "its expiry"
            raise exceptions.AuthenticationFailed(
                f"This token expired at {when}: ask an admin for a new one."
            ) from expired
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token: ask an admin for a new one.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "ApiTokenAuthentication()"
