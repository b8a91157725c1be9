"""API rate limits (DRF throttles), with rates from the settings (``REST_FRAMEWORK`` rates).

- ``user``: requests per authenticated user, whichever of their tokens or their session they use.
- ``match``: ``POST /api/v1/claims/match/`` per user, lower (each call costs ~300 ms of CPU).
- ``anon``: per client address (``accounts.client_address``), requests that end without valid
  credentials (401): it slows down token guessing and anonymous probing, and a newsroom whose
  authenticated staff share one address behind NAT is not counted under it. Checked by
  ``config.guards.ApiAnonymousThrottleMiddleware`` before authentication runs.
"""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from accounts.client_address import client_ip


class UserThrottle(SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # counted by AnonymousThrottle
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class MatchThrottle(UserThrottle):
    scope = "match"


class AnonymousThrottle(SimpleRateThrottle):
    """Counts requests that failed authentication per client address; see the module docstring."""

    scope = "anon"
    # Set by SimpleRateThrottle.__init__ from the rate (the stubs do not declare them).
    num_requests: int
    duration: int

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def _load(self, request: Any) -> None:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()

    def seconds_blocked(self, request: Any) -> int | None:
        """Seconds until this address may try again, or None while it is under its rate."""
        if self.rate is None:
            return None
        self._load(request)
        if len(self.history) < self.num_requests:
            return None
        return max(1, round(self.wait() or 1))

    def record(self, request: Any) -> None:
        if self.rate is None:
            return
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
