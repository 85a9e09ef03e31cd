"""Answers kept until the next write: shared while nothing changes, fresh after a write
or when the minute turns, and never across stores."""

from __future__ import annotations

from collections.abc import Callable

from socialcredit.clock import FixedClock
from socialcredit.services.kept import kept
from socialcredit.store.database import Store

from support.factories import ingest_on, judgment_default
from support.remedies import DEBTOR


def _counter() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_an_answer_is_computed_once_while_nothing_is_written(store: Store) -> None:
    calls, compute = _counter()
    assert kept(store, ("k", 1), compute) == 1
    assert kept(store, ("k", 1), compute) == 1
    assert kept(store, ("k", 2), compute) == 2  # another key
    assert len(calls) == 2


def test_a_write_makes_the_next_answer_fresh(store: Store) -> None:
    _calls, compute = _counter()
    kept(store, "after-write", compute)
    ingest_on(store, "2026-03-02", judgment_default(subject=DEBTOR, occurred_at="2026-03-01"))
    assert kept(store, "after-write", compute) == 2


def test_the_next_minute_makes_the_next_answer_fresh(store: Store, clock: FixedClock) -> None:
    calls, compute = _counter()
    kept(store, "minute", compute)
    clock.advance(seconds=30)
    kept(store, "minute", compute)
    clock.advance(seconds=31)
    assert kept(store, "minute", compute) == 2
    assert len(calls) == 2


def test_a_served_app_starts_with_its_pages_compiled(store: Store) -> None:
    from socialcredit.web.portal.render import environment
    from socialcredit.web.portal.warm import warm

    warm(store)
    for tag in ("zh-CN", "en"):
        cached = {t.name for t in environment(tag).cache.values()}  # type: ignore[union-attr]
        assert {"me.html", "subject.html", "search.html"} <= cached
