"""The scorecard on a small simulated city: trained out of time, dry-run before it is
activated, every score naming its version, a retrain going through the same dry run; on
SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select, text

from socialcredit.clock import FixedClock
from socialcredit.errors import NotFound
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.tables import audit_log, records
from socialcredit.supervision.risk import models, service

from support.cities import simulated_city

END = dt.date(2026, 6, 30)
AT = dt.datetime(2026, 7, 1, 12)


def _postgres(schema: str) -> Iterator[str]:
    """A fresh schema of the test PostgreSQL database, dropped afterwards."""
    url = os.environ["SOCIALCREDIT_TEST_POSTGRES"].replace(
        "postgresql://", "postgresql+psycopg://", 1
    )
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def city(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    work = tmp_path_factory.mktemp("risk-city")
    folder = simulated_city(tmp_path_factory, persons=4000, enterprises=400, years=3, seed=5,
                            end=END, formats=("parquet",))  # fmt: skip
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{work / 'city.db'}"
        else:
            schema = f"t_risk_{uuid.uuid4().hex[:8]}"
            url = stack.enter_context(contextlib.contextmanager(_postgres)(schema))
        settings = Settings(db=url)
        store = Store(settings.db, clock=FixedClock(AT))
        init_store(store, settings)
        register_providers(store, read_provider_file(folder / "providers.jsonl"),
                           configured_packs(settings))  # fmt: skip
        Ingestor(store, batch_size=settings.ingest_batch, workers=0).ingest_files(
            [folder / "records.parquet"]
        )
        yield store
        store.close()


def test_train_dry_run_activate_score_and_retrain(city: Store) -> None:
    store = city
    first = service.train(store)
    assert first.state == "candidate" and first.version == 1
    ev = first.evaluation
    assert ev["defaults"] > 0 and 0.5 < ev["auc"] <= 1 and len(ev["calibration"]) == 10
    with pytest.raises(models.RiskModelState, match="has not been dry-run"):
        models.activate(store, first.version)
    first = service.dry_run(store, first.version)
    assert first.dry_run is not None and first.dry_run["subjects"] > 4000
    models.activate(store, first.version)

    report = service.report(store, months=2)
    assert report["model"]["version"] == 1 and len(report["stability"]) == 2
    assert report["stability"][0]["psi"] >= 0 and report["psi_threshold"] == 0.25

    with store.reader() as conn:
        subject = conn.execute(select(records.c.subject)
                               .where(records.c.category == "judicial.judgment_default")
                               .limit(1)).scalar_one()  # fmt: skip
    scored = service.score_subject(store, subject)
    assert scored.version == 1 and scored.band in ("low", "medium", "high")
    assert len(scored.reasons) <= 4 and all(r["zh"] and r["en"] for r in scored.reasons)
    with pytest.raises(NotFound):
        service.score_subject(store, "110105199001019999")

    psi, none = service.retrain(store)  # a stable population: nothing retrained
    assert none is None and psi < 0.25
    psi, candidate = service.retrain(store, force=True)
    assert candidate is not None and candidate.parent == 1 and candidate.state == "candidate"
    assert candidate.dry_run is not None and candidate.dry_run["against"] == 1
    assert "moved" in candidate.dry_run and "top" in candidate.dry_run
    assert models.active(store).version == 1  # not active until someone activates it
    models.activate(store, candidate.version, note="reviewed the dry run")
    assert models.get(store, 1).state == "retired"
    assert service.score_subject(store, subject).version == candidate.version
    with store.reader() as conn:
        events = conn.execute(select(audit_log.c.event)
                              .where(audit_log.c.event.like("risk.%"))).scalars().all()  # fmt: skip
    assert events.count("risk.model_trained") == 2 and events.count("risk.model_activated") == 2
