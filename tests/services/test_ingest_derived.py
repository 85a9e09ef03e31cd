"""A simulated city ingested week by week as `socialcredit ingest` runs (the derived
state of each batch in its transaction, only the subjects that hold or can get an
entry re-derived) ends with the same list entries, enforcement index and notices as
the same weeks ingested with every subject the lists can concern recomputed after
each week (:func:`socialcredit.services.rederive.rederive`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from benchmarks.crash_store import derived

from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import active_policy
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.services.ingest import ingestor, search_hook
from socialcredit.services.rederive import rederive
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.supervision.monitor import Monitor

END = dt.date(2025, 12, 31)
TABLES = ("list_entries", "enforcement_index", "notices")


def _weeks(city: Path) -> Iterator[tuple[dt.date, list[dict[str, Any]]]]:
    """Records by the Sunday ending the week they were reported in, in file order."""
    day: dt.date | None = None
    group: list[dict[str, Any]] = []
    for line in (city / "records.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        when = dt.date.fromisoformat(rec.get("reported_at") or rec["occurred_at"])
        when = min(when + dt.timedelta(days=6 - when.weekday()), END)
        if day is not None and when != day and group:
            yield day, group
            group = []
        day = when
        group.append(rec)
    if group and day is not None:
        yield day, group


def _store(city: Path, name: str) -> tuple[Store, FixedClock]:
    url = f"sqlite:///{city / name}"
    clock = FixedClock("2024-01-01T01:00:00")
    store = Store(url, clock=clock)
    settings = Settings(db=url)
    init_store(store, settings)
    providers = read_provider_file(city / "providers.jsonl")
    register_providers(store, providers, configured_packs(settings))
    return store, clock


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city")
    simulate(out, persons=1000, enterprises=80, years=1, seed=5, end=END, formats=("jsonl",))
    return out


def test_incremental_derivation_equals_a_full_recomputation_week_by_week(city: Path) -> None:
    incremental, inc_clock = _store(city, "incremental.db")
    full, full_clock = _store(city, "full.db")
    # small batches, so that a week's records span several transactions
    derive = ingestor(incremental, batch_size=200)
    # the same watcher (holds) and search index, and no entry derivation at ingestion
    ledger = Ingestor(full, batch_size=200, hooks=(search_hook,), watchers=(Monitor(),))
    with full.reader() as conn:
        policy = active_policy(conn)
    weeks = 0
    for day, group in _weeks(city):
        at = dt.datetime.combine(day, dt.time(2, 0))
        inc_clock.set(at)
        full_clock.set(at)
        derive.ingest_dicts(group)
        ledger.ingest_dicts(group)
        rederive(full, policy, at)  # every subject the lists can concern, recomputed
        weeks += 1
    got, want = derived(incremental.url, TABLES), derived(full.url, TABLES)
    assert weeks > 50
    # the city has listings, role measures and notices to compare
    assert len(want["list_entries"]) > 20
    assert {r[6] for r in want["enforcement_index"]} >= {"subject", "legal_representative"}
    assert len(want["notices"]) > 20
    for table in TABLES:
        assert got[table] == want[table], table
    # and recomputing the incremental store's entries changes nothing and notifies no one
    again = rederive(incremental, policy, inc_clock.now())
    assert again.notices == {}
    assert derived(incremental.url, TABLES) == got
    incremental.close()
    full.close()
