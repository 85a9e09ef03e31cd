"""Signed sessions expire and cannot be forged; failed logins are throttled."""

from __future__ import annotations

import time

import pytest

from socialcredit.access.rates import RateLimited
from socialcredit.access.sessions import SessionCodec
from socialcredit.access.throttle import LoginThrottle

SECRET = "a-test-secret-that-is-long-enough-000"


def test_a_session_names_its_account_and_role_and_carries_a_form_token() -> None:
    codec = SessionCodec(SECRET, max_age_seconds=60)
    cookie = codec.issue("zhang", "Zhang Wei", "subject", "110101199003074477", None)
    principal = codec.read(cookie)
    assert principal is not None and principal.roles == {"subject"}
    assert principal.subject == "110101199003074477" and principal.csrf
    assert codec.read(codec.issue("zhang", "Zhang Wei", "subject", None, None)).csrf != (  # type: ignore[union-attr]
        principal.csrf
    )


def test_a_forged_tampered_or_foreign_cookie_is_no_session() -> None:
    codec = SessionCodec(SECRET, max_age_seconds=60)
    cookie = codec.issue("li", "Li", "reviewer", None, None)
    other = SessionCodec("another-secret-that-is-long-enough-11", max_age_seconds=60)
    assert other.read(cookie) is None
    assert codec.read(cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")) is None
    assert codec.read("") is None and codec.read(None) is None and codec.read("x.y.z") is None


def test_a_session_expires() -> None:
    codec = SessionCodec(SECRET, max_age_seconds=1)
    cookie = codec.issue("li", "Li", "reviewer", None, None)
    assert codec.read(cookie) is not None
    time.sleep(2.1)
    assert codec.read(cookie) is None


def test_failed_logins_lock_the_account_and_the_address_for_the_window() -> None:
    now = [1000.0]
    throttle = LoginThrottle(limit=3, window=60, now=lambda: now[0])
    for _ in range(3):
        throttle.check("account:li", "ip:1.2.3.4")
        throttle.failed("account:li", "ip:1.2.3.4")
    with pytest.raises(RateLimited) as err:
        throttle.check("account:li", "ip:9.9.9.9")  # the account, from anywhere
    assert err.value.retry_after_seconds == 60
    with pytest.raises(RateLimited):
        throttle.check("account:wang", "ip:1.2.3.4")  # any account, from that address
    now[0] += 61
    throttle.check("account:li", "ip:1.2.3.4")  # the window has passed
