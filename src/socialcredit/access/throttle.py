"""Login throttling: after ``limit`` failed logins of one account (or from one client
address) within ``window`` seconds, further attempts are refused with
``rate_limited`` until the oldest failure leaves the window -- whether or not
the password is then right, so that guessing gains nothing."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from socialcredit.access.rates import RateLimited


class LoginThrottle:
    def __init__(
        self,
        limit: int = 5,
        window: float = 900.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._now = now
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Refuse an attempt for any of ``keys`` (account, address) over the limit."""
        with self._lock:
            now = self._now()
            for key in keys:
                seen = self._failures.get(key)
                if seen is None:
                    continue
                while seen and now - seen[0] > self.window:
                    seen.popleft()
                if len(seen) >= self.limit:
                    wait = self.window - (now - seen[0])
                    raise RateLimited(
                        f"too many failed logins: try again in {wait:.0f} s", retry_after=wait
                    )

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self._now()
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=self.limit * 4)).append(now)
            if len(self._failures) > 100_000:  # bounded memory under a spray of names
                self._failures.clear()

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(account, None)
