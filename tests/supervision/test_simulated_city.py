"""On a small simulated city, ingested week by week as its providers reported: the
procurement red flags found are exactly those the simulator planted
(truth-officials.json), and the other indicators and the responsiveness report run on
the city's own institutions, officials and directives."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import active_policy
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.services.rederive import rederive
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.supervision.jurisdictions import jurisdictions_report
from socialcredit.supervision.officials import officials_report

from support.cities import simulated_city

END = dt.date(2025, 12, 31)
START = dt.date(2024, 1, 1)


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


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Any]]]:
    out = simulated_city(tmp_path_factory, persons=1000, enterprises=120, years=2, seed=11,
                         end=END, formats=("jsonl",))  # fmt: skip
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}"
    clock = FixedClock("2024-01-01T01:00:00")
    store = Store(url, clock=clock)
    settings = Settings(db=url)
    init_store(store, settings)
    providers = read_provider_file(out / "providers.jsonl")
    register_providers(store, providers, configured_packs(settings))
    ledger = Ingestor(store)
    for day, group in _weeks(out):
        clock.set(dt.datetime.combine(day, dt.time(2, 0)))
        ledger.ingest_dicts(group)
    clock.set(dt.datetime.combine(END, dt.time(4, 0)))
    with store.reader() as conn:
        policy = active_policy(conn)
    rederive(store, policy)  # the list entries, as ingestion with its hook would have them
    truth = json.loads((out / "truth-officials.json").read_text(encoding="utf-8"))
    yield store, truth
    store.close()


def _flags(report: dict[str, Any], indicator: str) -> list[tuple[str, dict[str, Any]]]:
    [found] = [i for i in report["indicators"] if i["id"] == indicator]
    return [(u["unit"], f) for u in found["units"]["institution"] for f in u.get("flags", [])]


@pytest.mark.slow
def test_the_planted_red_flags_and_no_others_are_found(city: tuple[Store, dict[str, Any]]) -> None:
    store, truth = city
    report = officials_report(store, since=START, until=END).to_dict()
    single = _flags(report, "single_source_repeated")
    assert sorted((unit, f["supplier"], f["first"], f["last"]) for unit, f in single) == sorted(
        (t["institution"], t["supplier"], t["awards"][0], t["awards"][-1])
        for t in truth["repeated_single_source"]
    )
    under = _flags(report, "under_threshold")
    assert sorted((unit, f["first"], f["awards"]) for unit, f in under) == sorted(
        (t["institution"], t["awards"][0], len(t["awards"])) for t in truth["under_threshold"]
    )
    listed = _flags(report, "blacklisted_supplier")
    assert sorted((unit, f["supplier"], f["awarded"]) for unit, f in listed) == sorted(
        (t["institution"], t["supplier"], t["awards"][0]) for t in truth["blacklisted_supplier"]
    )
    assert all(f["lists"] == ["serious_illegal_dishonest_enterprises"] for _, f in listed)
    assert len(single) >= 2 and len(under) >= 2 and len(listed) >= 2


@pytest.mark.slow
def test_the_citys_institutions_and_officials_are_rated(city: tuple[Store, dict[str, Any]]) -> None:
    store, _truth = city
    report = officials_report(store, since=START, until=END).to_dict()
    assert report["institutions"] > 50 and report["officials"] > 100
    overturned = next(i for i in report["indicators"] if i["id"] == "overturned_per_100")
    rated = [u for u in overturned["units"]["institution"] if u["value"] is not None]
    # the market regulators and the courts report under their own provider ids
    assert rated and all(u["denominator"] > 0 for u in rated)
    lag = next(i for i in report["indicators"] if i["id"] == "publicity_late_per_100")
    assert any(u["denominator"] for u in lag["units"]["institution"])


@pytest.mark.slow
def test_the_districts_answer_the_citys_directives(city: tuple[Store, dict[str, Any]]) -> None:
    store, _truth = city
    body = jurisdictions_report(store, since=START, until=END).to_dict()
    assert len(body["directives"]) >= 4
    assert {r["jurisdiction"] for r in body["ranking"]} == {"371002", "371003", "371082", "371083"}
    for d in body["directives"]:
        assert d["addressees"] == 4 and d["task"] == "data_reporting"
        assert d["implemented"] >= 1
