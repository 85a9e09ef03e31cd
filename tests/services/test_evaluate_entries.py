"""An evaluation of the present re-derives every record-based list entry and the
enforcement index, with the notices ingestion gives; and it agrees with the
incremental derivation done at ingestion, entry for entry and row for row."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from socialcredit.clock import FixedClock
from socialcredit.enforcement.service import Enforcement
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.notices.model import notices_for
from socialcredit.services.evaluate import evaluate_now
from socialcredit.services.ingest import ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import enforcement_index, list_entries

from support.cities import simulated_city
from support.factories import judgment_default, person_id

DEBTOR = person_id(seq=61)
END = dt.date(2026, 2, 27)


def test_records_appended_without_the_hook_are_listed_by_the_evaluation(store: Store) -> None:
    clock = store.clock
    assert isinstance(clock, FixedClock)
    now = clock.now()
    clock.set("2026-01-05T02:00:00")
    default = judgment_default(
        ref="c-61",
        subject=DEBTOR,
        occurred_at="2026-01-05",
        attributes={"case_no": "c-61", "ground": "evades_enforcement"},
    )
    assert Ingestor(store).ingest_dicts([default]).accepted == 1  # a bulk load: no hook
    clock.set(now)
    with store.reader() as conn:
        assert conn.execute(select(list_entries.c.id)).all() == []
    _result, _published, rederived = evaluate_now(store)
    assert rederived is not None and rederived.entries == 1
    assert rederived.notices == {"listing_effective": 1}
    service = Enforcement(store)
    try:
        decision = service.check(DEBTOR, "transport.air.ticket")
    finally:
        service.close()
    assert decision.outcome == "deny" and decision.entries[0].status == "active"
    with store.reader() as conn:
        assert [n.kind for n in notices_for(conn, DEBTOR)] == ["listing_effective"]
    # evaluating again changes nothing and tells nobody twice
    _result, _published, again = evaluate_now(store)
    assert again is not None and again.notices == {} and again.entries == 1


# -- the two derivations agree, on a simulated city ----------------------------------------


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulated_city(tmp_path_factory, persons=1000, enterprises=120, years=2, seed=11,
                          end=END, formats=("jsonl",))  # fmt: skip


def _weeks(city: Path) -> Iterator[tuple[dt.date, list[dict[str, Any]]]]:
    """Records by the Sunday ending the week they were reported in, in file order."""
    day: dt.date | None = None
    group: list[dict[str, Any]] = []
    for line in (city / "records.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        raw = rec.get("reported_at") or rec.get("occurred_at")
        when = dt.date.fromisoformat(raw) if isinstance(raw, str) else END
        when = min(when + dt.timedelta(days=6 - when.weekday()), END)
        if day is not None and when != day and group:
            yield day, group
            group = []
        day = when
        group.append(rec)
    if group and day is not None:
        yield day, group


def _store(path: Path, city: Path, hooked: bool) -> Store:
    url = f"sqlite:///{path}"
    clock = FixedClock("2024-01-01T01:00:00")
    store = Store(url, clock=clock)
    settings = Settings(db=url)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    loader = ingestor(store) if hooked else Ingestor(store)
    for day, group in _weeks(city):
        clock.set(dt.datetime.combine(day, dt.time(2, 0)))
        loader.ingest_dicts(group)
    clock.set(dt.datetime.combine(END, dt.time(4, 0)))
    return store


def _state(store: Store) -> tuple[dict[str, str], list[tuple[Any, ...]]]:
    ix = enforcement_index.c
    with store.reader() as conn:
        entries = {r.id: r.status_basis for r in conn.execute(select(list_entries))}
        rows = sorted(
            tuple(str(v) for v in r)
            for r in conn.execute(
                select(
                    ix.subject,
                    ix.action,
                    ix.effect,
                    ix.measure,
                    ix.entry,
                    ix.owner,
                    ix.target,
                    ix.valid_from,
                    ix.valid_to,
                ).where(ix.target != "marker")
            )
        )
    return entries, rows


@pytest.mark.slow
def test_evaluation_and_ingestion_derive_the_same_entries(city: Path, tmp_path: Path) -> None:
    incremental = _store(tmp_path / "a.db", city, hooked=True)
    batch = _store(tmp_path / "b.db", city, hooked=False)
    try:
        before = _state(incremental)
        assert len(before[0]) > 50  # the city has listings of several kinds
        assert {e.split(":")[0] for e in before[0]} >= {"court_defaulters", "tax_a_grade"}
        _r, _p, again = evaluate_now(incremental)
        assert again is not None and again.notices == {}  # nothing was stale
        _r, _p, fresh = evaluate_now(batch)
        assert fresh is not None and fresh.notices  # every listing told, now
        after, derived = _state(incremental), _state(batch)
        assert after == before  # re-deriving changed nothing ingestion had derived
        assert derived[0].keys() == after[0].keys()
        for entry_id, stored in after[0].items():
            assert json.loads(derived[0][entry_id]) == json.loads(stored), entry_id
        assert derived[1] == after[1]
    finally:
        incremental.close()
        batch.close()
