"""A simulated city whose district court over-reports persons aged 18-29 (three extra
judgment defaults about the age band for every genuine one, from its first record): the
monitor flags that age band, and only it, on listings and low grades; the same city
without the bias has no flag. The truth files name every over-reported record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.policy_store import policy_at
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.monitoring.fairness import FairnessReport, fairness_report
from socialcredit.services.evaluate import evaluate_now
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.simulate.biased_provider import BiasedProvider
from socialcredit.store.database import Store

END = dt.date(2026, 6, 30)
BIAS = BiasedProvider("court.371002", "judicial.judgment_default", "age_band", "18-29", 4)


def _city(root: Path, bias: BiasedProvider | None) -> FairnessReport:
    simulate(root / "city", persons=2000, enterprises=200, years=2, seed=5, end=END,
             formats=("parquet",), biased=bias)  # fmt: skip
    settings = Settings(db=f"sqlite:///{root / 'store.db'}")
    store = Store(settings.db, clock=FixedClock(dt.datetime(2026, 6, 30, 23)))
    try:
        init_store(store, settings)
        providers = read_provider_file(root / "city" / "providers.jsonl")
        register_providers(store, providers, configured_packs(settings))
        Ingestor(store).ingest_files([root / "city" / "records.parquet"])
        evaluate_now(store)
        with store.reader() as conn:
            policy, _note = policy_at(conn, store.clock.now())
            return fairness_report(conn, policy, END)
    finally:
        store.close()


@pytest.fixture(scope="module")
def biased(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FairnessReport]:
    root = tmp_path_factory.mktemp("biased")
    return root / "city", _city(root, BIAS)


def test_the_biased_court_is_flagged_on_its_age_band(biased: tuple[Path, FairnessReport]) -> None:
    _folder, report = biased
    flagged = {(o.scheme, o.outcome, g.dimension, g.group) for o, g in report.flags}
    assert ("national", "listing", "age_band", "18-29") in flagged
    assert {(d, g) for _s, _o, d, g in flagged} == {("age_band", "18-29")}


def test_the_truth_files_name_the_over_reported_records(
    biased: tuple[Path, FairnessReport],
) -> None:
    folder, _report = biased
    truth = json.loads((folder / "truth.json").read_text("utf-8"))["biased_provider"]
    assert (truth["group"], truth["value"], truth["factor"]) == ("age_band", "18-29", 4)
    faults = pq.read_table(folder / "truth-faults.parquet").to_pylist()
    over = [f for f in faults if f["fault"] == "biased_provider"]
    assert len(over) == truth["records"] > 0
    assert {f["provider"] for f in over} == {"court.371002"}


def test_the_same_city_without_the_bias_has_no_flag(tmp_path: Path) -> None:
    report = _city(tmp_path, None)
    assert any(o.outcome == "listing" and o.population.events for o in report.outcomes)
    assert report.flags == []


def test_a_bias_must_name_a_group_the_city_has() -> None:
    with pytest.raises(ValueError, match="province code"):
        BiasedProvider("court.371002", "judicial.judgment_default", "region", "65")
    with pytest.raises(ValueError, match="age band"):
        BiasedProvider("court.371002", "judicial.judgment_default", "age_band", "young")
    with pytest.raises(ValueError, match="group"):
        BiasedProvider("court.371002", "judicial.judgment_default", "sex", "male")  # type: ignore[arg-type]


def test_a_region_bias_reports_only_persons_born_there(tmp_path: Path) -> None:
    bias = BiasedProvider("court.371002", "judicial.judgment_default", "region", "370000", 2)
    simulate(tmp_path, persons=1000, enterprises=100, years=2, seed=7, end=END,
             formats=("parquet",), biased=bias)  # fmt: skip
    faults = pq.read_table(tmp_path / "truth-faults.parquet").to_pylist()
    over = [f for f in faults if f["fault"] == "biased_provider"]
    assert over and all(f["subject"].startswith("37") for f in over)
    with pytest.raises(ValueError, match="not a provider"):
        simulate(tmp_path / "x", persons=1000, enterprises=100, years=2, seed=7, end=END,
                 formats=("parquet",), biased=BiasedProvider("court.999999", "x", "region",
                                                              "370000"))  # fmt: skip
