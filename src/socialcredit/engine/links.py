"""Records linked to a subject by entity resolution and not yet confirmed by a reviewer.

A record that arrived without an identifier and was linked by its match probability
(``remedy.record_linked`` with ``confirmed: false``, :mod:`socialcredit.resolution`)
counts in the subject's score, but no list entry -- and so no measure -- may rest on it
until a reviewer has confirmed the link (a ``remedy.record_linked`` with ``confirmed:
true``). :func:`unconfirmed` is the one place the engines read that from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from socialcredit.engine.model import LedgerRecord

LINKED = "remedy.record_linked"
UNLINKED = "remedy.record_unlinked"  # the link undone on the subject's objection


def unconfirmed(records: Iterable[LedgerRecord]) -> frozenset[str]:
    """Ids of the records linked by probability that no reviewer has confirmed."""
    linked: set[str] = set()
    confirmed: set[str] = set()
    for r in records:
        if r.category != LINKED:
            continue
        target = r.attributes.get("target")
        if isinstance(target, str):
            (confirmed if r.attributes.get("confirmed") is True else linked).add(target)
    return frozenset(linked - confirmed)


def linked_by_matching(records: Iterable[LedgerRecord]) -> dict[str, dict[str, Any]]:
    """Each record linked to the subject by matching (by id): the model version and
    probability of the link, how it was made and whether a reviewer confirmed it. A
    link undone on the subject's objection is no longer theirs: it is left out."""
    out: dict[str, dict[str, Any]] = {}
    for r in records:
        if r.category not in (LINKED, UNLINKED):
            continue
        if not isinstance(target := r.attributes.get("target"), str):
            continue
        if r.category == UNLINKED:
            out.pop(target, None)
            continue
        seen = out.setdefault(target, {"record_id": target, "confirmed": False})
        confirmed = r.attributes.get("confirmed") is True
        seen["model_version"] = r.attributes.get("model_version")
        seen["match_probability"] = r.attributes.get("match_probability")
        seen["linked_on"] = seen.get("linked_on") or r.occurred_at.isoformat()
        seen["confirmed"] = seen["confirmed"] or confirmed
        if confirmed:
            seen["reviewed_by"] = r.attributes.get("reviewed_by")
    return out


__all__ = ["LINKED", "UNLINKED", "linked_by_matching", "unconfirmed"]
