"""The simulator's faulty feed: one provider's records go wrong from a day on, the rest
of the city is exactly what it is without it, and the truth files say what went wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest

from socialcredit.simulate import simulate
from socialcredit.simulate.faulty_feed import FaultyFeed

SIZE: dict[str, Any] = {
    "persons": 2000,
    "enterprises": 200,
    "years": 1,
    "seed": 5,
    "end": dt.date(2026, 6, 30),
    "formats": ("parquet",),
}
START = dt.date(2026, 1, 1)


def _records(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    rows = pq.read_table(folder / "records.parquet").to_pylist()
    return {(r["provider"], r["ref"]): r for r in rows}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, Any]]:
    out = tmp_path_factory.mktemp("clean")
    simulate(out, **SIZE)
    assert "faulty_feed" not in json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return _records(out)


def test_a_flooding_feed_adds_records_about_other_subjects(
    tmp_path: Path, clean: dict[tuple[str, str], dict[str, Any]]
) -> None:
    feed = FaultyFeed("traffic_police.371002", "transport.traffic_violation", START, "volume", 3)
    simulate(tmp_path, faulty=feed, **SIZE)
    found = _records(tmp_path)
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))["faulty_feed"]
    faults = pq.read_table(tmp_path / "truth-faults.parquet").to_pylist()
    extra = {(f["provider"], f["ref"]) for f in faults if f["fault"] == "faulty_feed"}
    assert set(found) - set(clean) == extra and set(clean) <= set(found)
    assert all(found[k] == v for k, v in clean.items())  # nothing else changed
    originals = [
        r
        for r in clean.values()
        if (r["provider"], r["category"]) == (feed.provider, feed.category)
        and r["reported_at"] >= START
        and r["supersedes"] is None
    ]
    # two more for each record the feed sent as it should (not its own faults, copied or not)
    assert len(extra) == truth["records"] and len(extra) % 2 == 0
    assert 2 * len(originals) * 0.9 <= len(extra) <= 2 * len(originals)
    assert truth["first_reported"] >= START.isoformat() and truth["mode"] == "volume"
    assert len({found[k]["subject"] for k in extra}) > len(extra) // 2  # about many others


def test_a_feed_in_fen_sends_amounts_a_hundred_times_too_high(
    tmp_path: Path, clean: dict[tuple[str, str], dict[str, Any]]
) -> None:
    feed = FaultyFeed("utility.371000", "social.utility_arrears", START, "amounts", 100)
    simulate(tmp_path, faulty=feed, **SIZE)
    found = _records(tmp_path)
    assert set(found) == set(clean)
    changed = {k for k in clean if found[k] != clean[k]}
    assert changed and all(
        (clean[k]["provider"], clean[k]["category"]) == (feed.provider, feed.category)
        and clean[k]["reported_at"] >= START
        for k in changed
    )
    for k in changed:
        before = orjson.loads(clean[k]["attributes"])["amount"]
        after = orjson.loads(found[k]["attributes"])["amount"]
        assert after == pytest.approx(100 * before, rel=1e-6)


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        (dict(provider="nobody", category="social.utility_arrears"), "provider"),
        (dict(provider="utility.371000", category="social.nothing"), "category"),
    ],
)
def test_a_feed_the_city_does_not_have_is_refused(
    tmp_path: Path, feed: dict[str, str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        simulate(tmp_path, faulty=FaultyFeed(start=START, **feed), **SIZE)


def test_a_fault_must_make_things_worse() -> None:
    with pytest.raises(ValueError, match="factor"):
        FaultyFeed("p", "c", START, "volume", 1.5)
    with pytest.raises(ValueError, match="mode"):
        FaultyFeed("p", "c", START, "typos", 2)  # type: ignore[arg-type]
