"""The risk scorecard on a simulated city: `python -m benchmarks.bench_risk [--persons N]`.

The default city of `socialcredit simulate` (100,000 persons, 10,000 enterprises, 5
years) is simulated, ingested into a fresh SQLite store, and the scorecard is trained
out of time (features known at a cut-off two horizons back, serious defaults in the
12 months after; evaluated on the next cut-off), dry-run, activated and reported (PSI
month by month), as `socialcredit risk train|dry-run|activate|report` do. The baseline,
measured in the same run on the same subjects: the count of the subject's adverse
records in the last two years. Target: the model's AUC beats the baseline's by at
least 0.03. Also timed: training (its snapshot export and fit), the dry run, the
report, one subject's score.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.results import machine, write_section
from socialcredit.clock import FixedClock
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.store.tables import records
from socialcredit.supervision.risk import models, service

END = dt.date(2026, 6, 30)
AT = dt.datetime(2026, 7, 1, 12)


def _timed(step: str, times: dict[str, float], fn: Any, *args: Any, **kw: Any) -> Any:
    started = time.perf_counter()
    result = fn(*args, **kw)
    times[step] = time.perf_counter() - started
    print(f"{step}: {times[step]:.1f} s", flush=True)
    return result


def run(root: Path, persons: int, enterprises: int, years: int, seed: int) -> dict[str, Any]:
    times: dict[str, float] = {}
    summary = _timed("simulate", times, simulate, root / "city", persons=persons,
                     enterprises=enterprises, years=years, seed=seed, end=END,
                     formats=("parquet",))  # fmt: skip
    settings = Settings(db=f"sqlite:///{root / 'store.db'}")
    store = Store(settings.db, clock=FixedClock(AT))
    try:
        init_store(store, settings)
        register_providers(store, read_provider_file(root / "city" / "providers.jsonl"),
                           configured_packs(settings))  # fmt: skip
        ingestor = Ingestor(store, batch_size=settings.ingest_batch, workers=1)
        _timed("ingest", times, ingestor.ingest_files, [root / "city" / "records.parquet"])
        model = _timed("train", times, service.train, store)
        model = _timed("dry run", times, service.dry_run, store, model.version)
        models.activate(store, model.version, note="benchmark")
        report = _timed("report (6 months of PSI)", times, service.report, store, months=6)
        with store.reader() as conn:  # the subject with the most records
            subject = conn.execute(
                select(records.c.subject).group_by(records.c.subject)
                .order_by(func.count().desc()).limit(1)
            ).scalar_one()  # fmt: skip
        scored = _timed("score one subject", times, service.score_subject, store, subject)
        return {"records": summary.records, "times": times, "report": report,
                "dry_run": model.dry_run, "scored": scored}  # fmt: skip
    finally:
        store.close()


def _body(args: argparse.Namespace, out: dict[str, Any]) -> str:
    rep = out["report"]
    ev, dev = rep["evaluation"], rep["evaluation"]["development"]
    lift = ev["auc"] - ev["baseline_auc"]
    met = "met" if lift >= 0.03 else "NOT met"
    lines = [
        f"`python -m benchmarks.bench_risk --persons {args.persons} --enterprises "
        f"{args.enterprises} --years {args.years} --seed {args.seed}` ({machine()}): a "
        f"simulated city ({out['records']:,} records, {args.years} years ending {END}) "
        "ingested into SQLite, the scorecard trained out of time under the national pack "
        "(serious default: a judgment default, a major tax violation or a loan 90+ days "
        "overdue in the 12 months after the cut-off; features as known at the cut-off: "
        "recorded by then, or reported by the provider by then), dry-run, activated and "
        "reported. Baseline in the same run, on the same subjects: the count of the "
        "subject's adverse records in the two years before the cut-off.",
        "",
        f"Development sample: cut-off {dev['cutoff']}, {dev['subjects']:,} subjects, "
        f"{dev['defaults']:,} defaults. Out-of-time sample: cut-off {ev['cutoff']}, "
        f"{ev['subjects']:,} subjects, {ev['defaults']:,} defaults.",
        "",
        "| ranking (out of time) | AUC | KS |",
        "| --- | ---: | ---: |",
        f"| scorecard (version {rep['model']['version']}, "
        f"{len(rep['model']['features'])} features) | {ev['auc']:.3f} | {ev['ks']:.3f} |",
        f"| baseline: adverse records in 2 years | {ev['baseline_auc']:.3f} | "
        f"{ev['baseline_ks']:.3f} |",
        "",
        f"Lift in AUC: {lift:+.3f} (target >= +0.03): {met}.",
        "",
        "Calibration by decile of predicted risk (1: lowest):",
        "",
        "| decile | subjects | predicted | observed |",
        "| ---: | ---: | ---: | ---: |",
        *(
            f"| {d['decile']} | {d['subjects']:,} | {d['predicted']:.4f} | {d['observed']:.4f} |"
            for d in ev["calibration"]
        ),
        "",
        "Population stability of the active model's scores at each month end, against the "
        f"out-of-time sample and against the month before (retrain past "
        f"{rep['psi_threshold']}; due: {'yes' if rep['retrain_due'] else 'no'}):",
        "",
        "| month | subjects | mean score | PSI vs reference | PSI vs month before |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {r['month']} | {r['subjects']:,} | {r['mean_score']:.1f} | {r['psi']:.4f} | "
            + ("—" if r["psi_month"] is None else f"{r['psi_month']:.4f}")
            + " |"
            for r in rep["stability"]
        ),
        "",
        "| step | wall |",
        "| --- | ---: |",
        *(f"| {step} | {secs:.1f} s |" for step, secs in out["times"].items()),
        "",
        "Training includes the export of the ledger to a Parquet snapshot and the features "
        "at both cut-offs; the report scores six month ends; one subject's score exports "
        "that subject's records only. The machine's 2 cores are shared with other work.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = run(Path(tmp), args.persons, args.enterprises, args.years, args.seed)
    body = _body(args, out)
    print(body)
    write_section("Risk scorecard (`python -m benchmarks.bench_risk`)", body)


if __name__ == "__main__":
    main()
