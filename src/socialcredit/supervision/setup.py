"""What a supervision report starts from: the active policy with its supervision
settings (checked against the catalogue and lists), and a snapshot of the ledger (its
records only: supervision reads no subjects or links table)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from socialcredit.engine.batch.snapshot import Snapshot, export_snapshot
from socialcredit.errors import PolicyError
from socialcredit.ledger.policy_store import active_policy
from socialcredit.policy.indicators import IndicatorSettings, check_indicators, effective_indicators
from socialcredit.policy.policy_set import PolicySet
from socialcredit.store.database import Store


def indicator_settings(policy: PolicySet) -> IndicatorSettings:
    """The supervision settings in force; ``invalid_policy`` if no active pack has any or
    they name a category or list the active packs do not have."""
    settings = effective_indicators(policy.packs)
    if settings is None:
        raise PolicyError(
            "no active pack defines supervision indicators (indicators.yaml)",
            [f"active packs: {policy.version}"],
        )
    black = {name for name, info in policy.lists.items() if info.definition.kind == "black"}
    problems = check_indicators(settings, set(policy.catalogue.names()), black)
    if problems:
        raise PolicyError("the supervision indicators name what the active packs lack", problems)
    return settings


def current_policy(store: Store) -> PolicySet:
    with store.reader() as conn:
        return active_policy(conn)


@contextmanager
def snapshot_now(
    store: Store,
    known_at: dt.datetime,
    categories: Collection[str] | None = None,
    *,
    attributes: bool = True,
) -> Iterator[Snapshot]:
    """The ledger's records as of ``known_at`` (of ``categories`` only, when given;
    without their attributes, if so asked: counts by provider and day) in a temporary
    folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="socialcredit-supervision-") as tmp:
        yield export_snapshot(
            store, tmp, known_at, categories=categories, tables=("records",), attributes=attributes
        )


__all__ = ["current_policy", "indicator_settings", "snapshot_now"]
