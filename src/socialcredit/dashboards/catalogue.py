"""The dashboards by name, each computed from the store in one read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection

from socialcredit.clock import today
from socialcredit.dashboards import denials, grades, lists, objections
from socialcredit.dashboards.model import Dashboard
from socialcredit.errors import NotFound
from socialcredit.ledger.policy_store import policy_at
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store

Builder = Callable[[Connection, PolicySet, dt.date], Dashboard]
BUILDERS: dict[str, Builder] = {
    grades.NAME: grades.build,
    lists.NAME: lists.build,
    denials.NAME: denials.build,
    objections.NAME: objections.build,
}
NAMES = tuple(BUILDERS)


def dashboards(store: Store, names: tuple[str, ...] = NAMES) -> list[Dashboard]:
    """The dashboards named, as of the store's clock (404 ``not_found`` for an unknown
    name)."""
    for name in names:
        if name not in BUILDERS:
            raise NotFound(f"no dashboard {name!r}; there are {', '.join(NAMES)}", field="name")
    day = today(store.clock)
    with store.reader() as conn:
        policy, _note = policy_at(conn, store.clock.now())
        return [BUILDERS[name](conn, policy, day) for name in names]


def dashboard(store: Store, name: str) -> Dashboard:
    return dashboards(store, (name,))[0]


__all__ = ["BUILDERS", "NAMES", "dashboard", "dashboards"]
