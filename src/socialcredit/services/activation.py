"""Two officers activate packs, and the safeguards audit vets the candidate both times.

The proposal (``policy activate``) and the approval (``policy approve``) of
:mod:`socialcredit.ledger.approval`, each refused (``invalid_policy``) when
the lint finds a problem and (``unsafe_policy``) when the safeguards audit of
the packs that would be active finds a violation
(:func:`socialcredit.safeguards.candidate.refuse_unsafe`).
"""

from __future__ import annotations

from collections.abc import Sequence

from socialcredit.access.keys import ApiKey
from socialcredit.ledger.approval import approve, propose
from socialcredit.policy.pack import Pack
from socialcredit.safeguards.candidate import refuse_unsafe
from socialcredit.store.database import Store


def propose_packs(
    store: Store, packs: Sequence[Pack], officer: ApiKey, note: str | None = None
) -> str:
    """Propose pack versions; returns the proposal id."""
    return propose(store, packs, officer, note=note, vet=refuse_unsafe)


def approve_proposal(
    store: Store, proposal: str, officer: ApiKey, note: str | None = None
) -> list[str]:
    """A second officer's approval: the packs are active from now on."""
    return approve(store, proposal, officer, note=note, vet=refuse_unsafe)
