"""Supervision analytics on a national-size ledger:
`python -m benchmarks.bench_supervision_scale [--persons N] [--work DIR]`.

A city of about 10 M records (2,030,000 persons and 203,000 enterprises over 5 years
by default) is simulated and ingested into a fresh SQLite store by ledger ingestion
(validation, authorisation, idempotency, the audit chain and the providers' watcher;
list entries, the index and notices are not derived: no analytic reads them). Then each
analytic runs once, as `socialcredit supervise …` runs it, each exporting its own
snapshot of the ledger from the store:

* the judges (`supervise_judges`: a snapshot of the records about the judges, courts and
  defendants the decisions name, the models, the flags);
* officials and institutions over the last year (`officials_report`);
* local governments' responsiveness over the whole period (`jurisdictions_report`);
* the data providers' reliability over 12 weeks (`providers_report`: the statistics the
  watcher kept while ingesting).

Target: each under 5 minutes on this machine. With ``--work DIR`` the city and the store
are kept in DIR and reused by the next run (simulating and ingesting 10 M records takes
far longer than the analytics).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.results import machine, write_section
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.supervision.judges import supervise_judges
from socialcredit.supervision.jurisdictions import jurisdictions_report
from socialcredit.supervision.monitor import Monitor
from socialcredit.supervision.officials import officials_report
from socialcredit.supervision.report import providers_report

TITLE = "Supervision analytics at scale (`python -m benchmarks.bench_supervision_scale`)"
TARGET = 300.0  # seconds: 5 minutes


class _Load:
    """The 1-minute load average every few seconds while a step runs."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()

    @contextmanager
    def watching(self) -> Iterator[None]:
        self.samples = []
        self._stop.clear()
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()

    def _run(self) -> None:
        while True:
            self.samples.append(os.getloadavg()[0])
            if self._stop.wait(5.0):
                return

    def text(self) -> str:
        if not self.samples:
            return "—"
        return f"{min(self.samples):.1f}-{max(self.samples):.1f}"


def _city(work: Path, persons: int, enterprises: int, years: int) -> tuple[Path, float]:
    city = work / "city"
    if (city / "records.parquet").exists():
        return city, 0.0
    started = time.perf_counter()
    simulate(
        city,
        persons=persons,
        enterprises=enterprises,
        years=years,
        seed=1,
        end=dt.date.today(),
        formats=("parquet",),
    )
    return city, time.perf_counter() - started


def _store(work: Path, city: Path) -> tuple[Store, float, int]:
    db = work / "store.db"
    settings = Settings(db=f"sqlite:///{db}")
    ready = work / "ingested"
    if ready.exists():
        return Store(settings.db), 0.0, int(ready.read_text(encoding="utf-8"))
    db.unlink(missing_ok=True)
    store = Store(settings.db)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    started = time.perf_counter()
    summary = Ingestor(store, batch_size=settings.ingest_batch, watchers=(Monitor(),)).ingest_files(
        [city / "records.parquet"]
    )
    seconds = time.perf_counter() - started
    ready.write_text(str(summary.accepted), encoding="utf-8")
    return store, seconds, summary.accepted


def _timed(load: _Load, call: Callable[[], Any]) -> tuple[float, str, Any]:
    with load.watching():
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return seconds, load.text(), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=2_030_000)
    parser.add_argument("--enterprises", type=int, default=203_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--work", type=Path, help="keep the city and the store here")
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)
    with tempfile.TemporaryDirectory(prefix="bench-supervision-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        city, simulated = _city(work, args.persons, args.enterprises, args.years)
        store, ingested, records = _store(work, city)
        size = (work / "store.db").stat().st_size / 2**30
        load = _Load()
        rows: list[tuple[str, float, str, str]] = []

        seconds, busy, judges = _timed(load, lambda: supervise_judges(store))
        rows.append((
            "judges (`supervise_judges`, every decision)", seconds, busy,
            f"{len(judges.decisions):,} decisions, {len(judges.judges):,} judges, "
            f"{len(judges.flagged_judges)} flagged; export {judges.export_seconds:.1f} s",
        ))  # fmt: skip
        seconds, busy, officials = _timed(load, lambda: officials_report(store))
        body = officials.to_dict()
        rows.append((
            "officials and institutions (`officials_report`, the last year)", seconds, busy,
            f"{len(body['indicators'])} indicators, {body['institutions']:,} institutions, "
            f"{body['officials']:,} officials",
        ))  # fmt: skip
        today = dt.date.today()
        since = today.replace(year=today.year - args.years)
        seconds, busy, juris = _timed(
            load, lambda: jurisdictions_report(store, since=since, until=today)
        )
        jbody = juris.to_dict()
        rows.append((
            "local governments (`jurisdictions_report`, the whole period)", seconds, busy,
            f"{len(jbody['directives'])} directives, {len(jbody['ranking'])} jurisdictions",
        ))  # fmt: skip
        seconds, busy, providers = _timed(load, lambda: providers_report(store))
        pbody = providers.to_dict()
        rows.append((
            "data providers (`providers_report`, 12 weeks)", seconds, busy,
            f"{len(pbody['feeds']):,} feeds",
        ))  # fmt: skip
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    worst = max(r[1] for r in rows)
    table = "\n".join(f"| {name} | {s:.1f} | {busy} | {what} |" for name, s, busy, what in rows)
    built = (
        f"simulated in {simulated:.0f} s, ingested in {ingested:.0f} s"
        if ingested
        else "the city and store of an earlier run, reused"
    )
    write_section(
        TITLE,
        f"""
A simulated city of {args.persons:,} persons and {args.enterprises:,} enterprises over
{args.years} years: {records:,} records accepted into a fresh SQLite store by ledger
ingestion ({size:.1f} GiB; {built}; neither is timed below). Each analytic once, as
`socialcredit supervise` runs it, its own ledger snapshot exported from the store
included; wall time, and the 1-minute load average while it ran (the machine's 2 cores
are shared). Peak resident memory of the process: {peak:.2f} GiB. {machine()}.

| analytic | seconds | load | what it covered |
| --- | ---: | --- | --- |
{table}

Target: each under {TARGET / 60:.0f} minutes — {"met" if worst < TARGET else "NOT met"}
(slowest {worst:.0f} s). Before the judges' snapshot held only the records about the
subjects the decisions name, it took 457 s (436 s exporting the whole ledger), the officials'
51 s and the local governments' 299 s (load 4.5-7.4, the same store).
""",
    )


if __name__ == "__main__":
    main()
