"""A simulated city whose district court's feed goes wrong, ingested week by week as the
demo does: the hold catches the feed within two weekly uploads of its first faulty
record, no healthy feed is held, and no subject is listed on a faulty record -- before
the reviewer decides, and after (the faulty records rejected, the rest released)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from socialcredit.clock import FixedClock
from socialcredit.demo import _by_week
from socialcredit.enforcement.model import ListEntry
from socialcredit.ledger import sources
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.record import record_id
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.services.holds import reject, release
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.simulate.faulty_feed import FaultyFeed
from socialcredit.store.database import Store
from socialcredit.store.tables import list_entries
from socialcredit.supervision.holds import HoldView, held_records, list_holds

FEED = FaultyFeed(
    provider="court.371002",
    category="judicial.judgment_default",
    start=dt.date(2025, 9, 1),
    mode="volume",
    factor=20,
)
END = dt.date(2026, 6, 30)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, list[dt.date]]]:
    """The city simulated and ingested week by week; the days of its weekly uploads."""
    root = tmp_path_factory.mktemp("faulty")
    simulate(root / "city", persons=5000, enterprises=500, years=2, seed=3, end=END,
             formats=("parquet",), faulty=FEED)  # fmt: skip
    settings = Settings(db=f"sqlite:///{root / 'store.db'}")
    clock = FixedClock(dt.datetime(2024, 6, 30, 1))
    store = Store(settings.db, clock=clock)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(root / "city" / "providers.jsonl"), configured_packs(settings)
    )
    ledger = ingestor(store, batch_size=settings.ingest_batch)
    uploads = []
    for day, group in _by_week(sources.read(root / "city" / "records.parquet")):
        clock.set(dt.datetime.combine(day, dt.time(2, 0)))
        result = ledger.ingest_items(group)
        assert result.accepted > 0
        uploads.append(day)
    yield store, root / "city", uploads
    store.close()


def _truth(city: Path) -> tuple[dict[str, Any], set[str]]:
    truth = json.loads((city / "truth.json").read_text(encoding="utf-8"))
    faults = pq.read_table(city / "truth-faults.parquet").to_pylist()
    faulty = {record_id(f["provider"], f["ref"]) for f in faults if f["fault"] == "faulty_feed"}
    return truth["faulty_feed"], faulty


def _grounds(store: Store) -> set[str]:
    """The records every list entry rests on (ground and supporting records)."""
    with store.reader() as conn:
        rows = conn.execute(select(list_entries.c.status_basis)).scalars().all()
    out: set[str] = set()
    for text in rows:
        entry = ListEntry.load(text, dt.date(2026, 6, 30))
        out.update(r for r in (entry.ground_record, *entry.supporting_records) if r)
    return out


def _only_hold(store: Store) -> HoldView:
    with store.reader() as conn:
        holds = list_holds(conn, everything=True)
    assert [(h.provider, h.category) for h in holds] == [(FEED.provider, FEED.category)]
    return holds[0]


def test_the_hold_catches_the_faulty_feed_within_two_weekly_uploads(
    city: tuple[Store, Path, list[dt.date]],
) -> None:
    store, folder, uploads = city
    described, faulty = _truth(folder)
    assert described["records"] == len(faulty) > 100
    hold = _only_hold(store)  # and no healthy feed of the city
    first = dt.date.fromisoformat(described["first_reported"])
    faulty_uploads = [day for day in uploads if day >= first]
    assert hold.placed_at.date() <= faulty_uploads[1]
    assert hold.signals[0]["signal"] == "volume"
    with store.reader() as conn:
        held = {r.id for r in held_records(conn, [hold.id])}
    assert faulty <= held  # every faulty record quarantined
    assert not faulty & _grounds(store)  # no subject listed on a faulty record


def test_after_the_review_the_genuine_records_count_and_the_faulty_never(
    city: tuple[Store, Path, list[dt.date]],
) -> None:
    store, folder, _uploads = city
    _described, faulty = _truth(folder)
    hold = _only_hold(store)
    with store.reader() as conn:
        held = held_records(conn, [hold.id])
    genuine = [r.id for r in held if r.id not in faulty]
    assert genuine  # the court's real cases of those weeks were held with the rest
    reject(store, hold.id, by="reviewer", reason="the court's export joined the wrong parties",
           records=[r.id for r in held if r.id in faulty])  # fmt: skip
    release(store, hold.id, by="reviewer")
    grounds = _grounds(store)
    assert not faulty & grounds
    assert set(genuine) & grounds  # the released cases list their debtors, from now on
