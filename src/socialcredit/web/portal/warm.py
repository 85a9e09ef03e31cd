"""Readying a server process before its first request.

A fresh worker compiles the policy in force into its plan, each language's
templates and the chart renderer's engine on first use: about a second in all,
which the first visitors would wait for, and every request queued behind them
too. A served app does it once at start-up instead.
"""

from __future__ import annotations

import vl_convert as vlc

from socialcredit.engine.plan import plan_for
from socialcredit.ledger.policy_store import policy_at
from socialcredit.store.database import Store
from socialcredit.web.portal.i18n import LANGUAGES
from socialcredit.web.portal.render import environment

_TINY_CHART = (
    '{"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x", '
    '"type": "quantitative"}}}'
)


def warm(store: Store) -> None:
    """Compile what the pages use: the policy's plan, the templates, the chart engine."""
    with store.reader() as conn:
        policy, _note = policy_at(conn, store.clock.now())
    plan_for(policy)
    for tag in LANGUAGES:
        env = environment(tag)
        for name in env.list_templates(extensions=["html"]):
            env.get_template(name)
    vlc.vegalite_to_svg(_TINY_CHART)


__all__ = ["warm"]
