"""Request rate limits per API key: a token bucket per key, in each process.

A key may make ``rate`` requests a second on average, with bursts of up to one
second's worth (at least one request). A request over the limit is refused with
``rate_limited`` (HTTP 429) and says when to try again (``Retry-After``). Each
server process keeps its own buckets, so with N workers a key's limit applies
per worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from socialcredit.errors import SocialCreditError


class RateLimited(SocialCreditError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message, field="key")
        self.retry_after = retry_after

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds to wait, as the ``Retry-After`` header states them (at least 1)."""
        return max(1, math.ceil(self.retry_after))


class RateLimiter:
    """Token buckets by key id; ``take`` refuses a request over the key's rate."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, as of)
        self._lock = threading.Lock()

    def take(self, key: str, rate: float) -> None:
        """Spend one request of ``key`` at ``rate`` requests a second, or raise."""
        capacity = max(1.0, rate)
        with self._lock:
            now = self._now()
            tokens, then = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - then) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / rate
                raise RateLimited(
                    f"key {key} is limited to {rate:g} requests a second; retry in {wait:.2f} s",
                    wait,
                )
            self._buckets[key] = (tokens - 1.0, now)


__all__ = ["RateLimited", "RateLimiter"]
