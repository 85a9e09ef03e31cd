"""Outcome monitoring on a simulated city: `python -m benchmarks.bench_fairness`.

The same city (same seed) is simulated twice: once as it is (the baseline), once with
the district court over-reporting persons aged 18-29 (``BiasedProvider``: three extra
judgment defaults about the age band for each genuine one, from its first record).
Each is ingested, evaluated, and monitored (``socialcredit fairness``). Target: the
biased run flags the age band, and only it; the unbiased run flags nothing. Also timed:
the report against the evaluation it reads (the baseline cost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from benchmarks.results import machine, write_section
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


def run(
    root: Path, persons: int, bias: BiasedProvider | None
) -> tuple[FairnessReport, float, float]:
    simulate(root / "city", persons=persons, enterprises=persons // 10, years=2, seed=5,
             end=END, formats=("parquet",), biased=bias)  # fmt: skip
    settings = Settings(db=f"sqlite:///{root / 'store.db'}")
    store = Store(settings.db, clock=FixedClock(dt.datetime(2026, 6, 30, 23)))
    try:
        init_store(store, settings)
        providers = read_provider_file(root / "city" / "providers.jsonl")
        register_providers(store, providers, configured_packs(settings))
        Ingestor(store).ingest_files([root / "city" / "records.parquet"])
        started = time.perf_counter()
        evaluate_now(store)
        evaluated = time.perf_counter() - started
        started = time.perf_counter()
        with store.reader() as conn:
            policy, _note = policy_at(conn, store.clock.now())
            report = fairness_report(conn, policy, END)
        return report, evaluated, time.perf_counter() - started
    finally:
        store.close()


def _row(name: str, report: FairnessReport, evaluated: float, monitored: float) -> str:
    listing = next(o for o in report.outcomes if (o.scheme, o.outcome) == ("national", "listing"))
    band = next(g for g in listing.groups if (g.dimension, g.group) == ("age_band", "18-29"))
    flags = ", ".join(f"{o.scheme} {o.outcome}: {g.dimension} {g.group} (ratio {g.ratio:.2f})"
                      for o, g in report.flags) or "none"  # fmt: skip
    return (
        f"| {name} | {listing.population.events} / {listing.population.cases} | "
        f"{band.rate.events} / {band.rate.cases} ({band.rate.low:.3f}-{band.rate.high:.3f}) | "
        f"{'—' if band.ratio is None else f'{band.ratio:.2f}'} | {flags} | "
        f"{evaluated:.1f} s | {monitored:.2f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=10_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, bias in (("unbiased (baseline)", None), ("biased court, 18-29 x4", BIAS)):
            report, evaluated, monitored = run(Path(tmp) / name[:6], args.persons, bias)
            rows.append(_row(name, report, evaluated, monitored))
            print(rows[-1])
    body = (
        f"`python -m benchmarks.bench_fairness --persons {args.persons}` ({machine()}): the "
        f"same simulated city (seed 5, {args.persons} persons, 2 years) without and with a "
        "court that over-reports persons aged 18-29 (three extra judgment defaults about "
        "the band for each genuine one). A group is flagged when population rate / group "
        "rate < 0.8 with 30+ members and 5+ outcomes and its 95 % Wilson interval above the "
        "population rate (national pack). Target: the biased run flags the age band only; "
        "the unbiased run flags nothing.\n\n"
        "| run | national listing | 18-29 listed (95 % Wilson) | ratio | flags | "
        "evaluation | fairness report |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        + "\n".join(rows)
    )
    write_section("Outcome monitoring (fairness)", body)


if __name__ == "__main__":
    main()
