"""The simulator's records without identifiers: a share of the hinted categories'
records rewritten with a subject hint as people write names, the true subject of each in
``truth-hinted.parquet``; both record files alike; a city without the option unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow.parquet as pq
import pytest

from socialcredit.ledger.record import record_id
from socialcredit.resolution.features import pinyin, simplified
from socialcredit.simulate import simulate
from socialcredit.simulate.hinted import TRUTH_FILE, VARIATIONS, Facts, hinted_categories, variant

END = dt.date(2026, 6, 30)
SIZE: dict[str, Any] = {"persons": 1000, "enterprises": 50, "years": 1, "end": END}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hinted")
    simulate(out, seed=3, hinted=0.6, **SIZE)
    return out


def test_hinted_records_carry_a_hint_and_their_truth(city: Path) -> None:
    lines = [orjson.loads(x) for x in (city / "records.jsonl").read_bytes().splitlines()]
    hinted = {record_id(r["provider"], r["ref"]): r for r in lines if "subject_hint" in r}
    truth = {t["id"]: t for t in pq.read_table(city / TRUTH_FILE).to_pylist()}
    assert hinted and set(hinted) == set(truth)
    assert all("subject" not in r and r["category"] in hinted_categories()
               for r in hinted.values())  # fmt: skip
    assert {t["variation"] for t in truth.values()} == {k for k, _ in VARIATIONS}
    names = {r["subject"]: r["attributes"]["name"] for r in lines
             if r.get("category") == "registry.person"}  # fmt: skip
    for rid, t in truth.items():
        written, real = hinted[rid]["subject_hint"]["name"], names[t["subject"]]
        if t["variation"] in ("exact", "moved", "birth_typo"):
            assert written == real
        elif t["variation"] == "pinyin":
            assert pinyin(written) == pinyin(real) and written.isascii()
        elif t["variation"] == "traditional":
            assert simplified(written) == real


def test_parquet_holds_the_same_hints(city: Path) -> None:
    table = pq.read_table(city / "records.parquet").to_pylist()
    in_parquet = {r["ref"]: orjson.loads(r["subject_hint"]) for r in table if r["subject_hint"]}
    lines = [orjson.loads(x) for x in (city / "records.jsonl").read_bytes().splitlines()]
    assert in_parquet == {r["ref"]: r["subject_hint"] for r in lines if "subject_hint" in r}
    assert all(r["subject"] is None for r in table if r["subject_hint"])


def test_without_the_option_the_city_is_unchanged(tmp_path: Path) -> None:
    plain, none = tmp_path / "plain", tmp_path / "none"
    simulate(plain, seed=3, formats=("jsonl",), **SIZE)
    simulate(none, seed=3, formats=("jsonl",), hinted=0.0, **SIZE)
    assert (plain / "records.jsonl").read_bytes() == (none / "records.jsonl").read_bytes()
    assert not (plain / TRUTH_FILE).exists()
    assert b"subject_hint" not in (plain / "records.jsonl").read_bytes()


def test_a_share_outside_0_1_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="hinted"):
        simulate(tmp_path, seed=3, hinted=1.5, **SIZE)  # refused before any work


def test_variations_as_people_write_them() -> None:
    rng = np.random.default_rng(1)
    li = Facts("李娜", "1990-03-02", "371082", "荣成市崖头街道")
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(400):
        hint, kind = variant(rng, li, [("371082", "荣成市崖头街道"), ("370102", "济南市历下区")])
        seen.setdefault(kind, hint)
    assert seen["pinyin"]["name"] == "Li Na"
    assert seen["traditional"]["name"] == "李娜"  # no traditional form: written the same
    assert seen["swapped"]["name"] == "李娜"  # a one-character given name cannot swap
    assert seen["moved"]["area"] == "370102"
    assert seen["birth_typo"]["birth_date"] != "1990-03-02"
    typo = seen["typo"]["name"]
    assert typo[0] == "李" and typo != "李娜"
