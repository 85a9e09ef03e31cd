"""Which action codes a check may ask about.

A check about an action no measure can touch would always answer ``allow``:
a mistyped code (``transport.air.tiket``) would silently let a listed subject
through. So every check (single, bulk, over HTTP, in process and on the
command line) first refuses an action that is neither in the national
catalogue of actions (``policy/law/actions.yaml``) nor named by a measure of
the active packs, with ``unknown_action``.
"""

from __future__ import annotations

import difflib

from socialcredit.errors import SocialCreditError
from socialcredit.policy.policy_set import PolicySet

SHOWN = 80  # characters of a refused code quoted back


class UnknownAction(SocialCreditError):
    """The action is not in the active policy's catalogue of actions."""

    code = "unknown_action"
    status = 400


def require_known(policy: PolicySet, action: str, field: str = "action") -> None:
    """Refuse ``action`` unless the policy knows it; suggest the nearest known codes."""
    if action in policy.actions:
        return
    shown = action if len(action) <= SHOWN else action[:SHOWN] + "…"
    near = difflib.get_close_matches(action[:SHOWN], sorted(policy.actions), n=2, cutoff=0.8)
    hint = f"; did you mean {' or '.join(near)}?" if near else ""
    raise UnknownAction(
        f"action {shown!r} is not in the catalogue of actions of policy {policy.version}{hint}",
        field=field,
    )
