"""The supervision of judges against the simulator's truth:
`python -m benchmarks.bench_judges [--seeds 1 2 3] [--end YYYY-MM-DD]`.

For each seed the default city (`socialcredit simulate`'s defaults: 100,000 persons,
10,000 enterprises, 5 years) is simulated, ingested into a fresh SQLite store and
analysed by `supervise_judges` (snapshot export, out-of-fold models, scores, flags)
under the national pack's settings. Judge-level precision and recall of the flags are
measured against `truth.json`'s biased judges (targets: precision >= 0.9, recall >=
0.8), and the decision-level AUC of the deviation score (|score|, and the score
oriented by each biased judge's true direction) separating biased judges' decisions
from the others'. The analysis must take under 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from benchmarks.results import machine, write_section
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import Ingestor
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.settings import Settings
from socialcredit.simulate import simulate
from socialcredit.store.database import Store
from socialcredit.supervision.judges import JudgesReport, supervise_judges

PERSONS, ENTERPRISES, YEARS = 100_000, 10_000, 5
RUNS = 3  # analyses per city; the median time is reported


def _store(city: Path, work: Path) -> tuple[Store, float]:
    db = work / f"{city.name}.db"  # a fresh store for each city
    settings = Settings(db=f"sqlite:///{db}")
    store = Store(settings.db)
    init_store(store, settings)
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    started = time.perf_counter()
    Ingestor(store, batch_size=settings.ingest_batch, workers=1).ingest_files(
        [city / "records.parquet"]
    )
    return store, time.perf_counter() - started


def evaluate(report: JudgesReport, truth: dict[str, Any]) -> dict[str, Any]:
    """Precision, recall and AUCs of a report against the simulator's biased judges."""
    biased = {b["judge"]: b for b in truth["judges"]["biased"]}
    flagged = {j.judge for j in report.flagged_judges}
    hits = len(flagged & set(biased))
    scored_judges = report.decisions.judge[report.scores.index].astype(str)
    label = np.isin(scored_judges, list(biased))
    score = report.scores.score
    sign = np.array([1.0 if biased.get(j, {}).get("size", 0) >= 0 else -1.0 for j in scored_judges])
    cases = [j.cases for j in report.judges]
    return {
        "judges": len(report.judges),
        "biased": len(biased),
        "flagged": len(flagged),
        "true_flags": hits,
        "precision": hits / len(flagged) if flagged else float("nan"),
        "recall": hits / len(biased) if biased else float("nan"),
        "auc_abs": float(roc_auc_score(label, np.abs(score))) if label.any() else float("nan"),
        "auc_oriented": float(roc_auc_score(label, score * sign)) if label.any() else float("nan"),
        "decisions": len(report.decisions),
        "scored": len(score),
        "flagged_decisions": len(report.flags),
        "max_abs_score": float(np.abs(score).max()) if len(score) else 0.0,
        "cases_min": min(cases, default=0),
        "cases_median": statistics.median(cases) if cases else 0,
        "biased_detail": [
            {
                "size": b["size"],
                "kind": b["kind"],
                "cases": next((j.cases for j in report.judges if j.judge == k), 0),
                "index": next((round(j.index, 3) for j in report.judges if j.judge == k), None),
                "flagged": k in flagged,
            }
            for k, b in biased.items()
        ],
    }


def run(seed: int, end: dt.date, work: Path, persons: int = PERSONS) -> dict[str, Any]:
    city = work / f"city-{seed}"
    started = time.perf_counter()
    simulate(
        city,
        persons=persons,
        enterprises=max(10, persons // 10),
        years=YEARS,
        seed=seed,
        end=end,
        formats=("parquet",),
    )
    simulated = time.perf_counter() - started
    store, ingested = _store(city, work)
    reports = [supervise_judges(store) for _ in range(RUNS)]
    report = reports[-1]
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work / city.name}.db{suffix}").unlink(missing_ok=True)
    truth = json.loads((city / "truth.json").read_text("utf-8"))
    out = evaluate(report, truth)
    seconds = statistics.median(r.seconds for r in reports)
    export = statistics.median(r.export_seconds for r in reports)
    out.update(seed=seed, simulate_s=simulated, ingest_s=ingested, analysis_s=seconds)
    out.update(export_s=export, load=os.getloadavg()[0])
    out["rounds"] = report.rounds
    out["r2"] = {f.case_type: round(f.r2, 3) for f in report.fits}
    return out


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| seed | judges (biased) | cases per judge: min / median | flagged (true) | precision "
        "| recall | AUC \\|score\\| | AUC oriented | decisions flagged | analysis (export) |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    lines = [
        f"| {r['seed']} | {r['judges']} ({r['biased']}) | {r['cases_min']} / "
        f"{r['cases_median']:.0f} | {r['flagged']} ({r['true_flags']}) | {r['precision']:.2f} "
        f"| {r['recall']:.2f} | {r['auc_abs']:.3f} | {r['auc_oriented']:.3f} | "
        f"{r['flagged_decisions']} of {r['scored']:,} | {r['analysis_s']:.1f} s "
        f"({r['export_s']:.1f} s) |"
        for r in rows
    ]
    return head + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--end", default=None, help="last day simulated (default today)")
    parser.add_argument("--persons", type=int, default=PERSONS, help="persons of the city")
    args = parser.parse_args()
    end = dt.date.fromisoformat(args.end) if args.end else dt.date.today()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-judges-") as tmp:
        for seed in args.seeds:
            row = run(seed, end, Path(tmp), args.persons)
            print(json.dumps(row, ensure_ascii=False))
            rows.append(row)
    first = rows[0]
    precision = sum(r["true_flags"] for r in rows) / max(1, sum(r["flagged"] for r in rows))
    recall = sum(r["true_flags"] for r in rows) / max(1, sum(r["biased"] for r in rows))
    detail = "; ".join(
        f"seed {r['seed']}: "
        + ", ".join(
            f"{b['kind']} {b['size']:+.3f} ({b['cases']} cases, index {b['index']:+.3f}"
            f"{', flagged' if b['flagged'] else ''})"
            for b in r["biased_detail"]
        )
        for r in rows
    )
    body = f"""
The default city of `socialcredit simulate` ({PERSONS:,} persons, {ENTERPRISES:,}
enterprises, {YEARS} years ending {end}), ingested into SQLite and analysed by
`supervise_judges` under the national pack (FDR {0.05}, min_cases 30, ridge models, 5
folds grouped by judge). Judge-level flags against `truth.json`'s biased judges;
decision-level AUC of the deviation score separating the biased judges' decisions
(|score|, and the score oriented by each biased judge's true direction). Analysis: the
snapshot export, the models, the scores and the flags (median of {RUNS} runs). {machine()}.

{_table(rows)}

Pooled over the seeds: precision {precision:.2f} (target >= 0.9), recall {recall:.2f}
(target >= 0.8). The biased judges and what was found: {detail}.
Out-of-fold R² per case type (seed {first["seed"]}): {first["r2"]}; the facts explain
sentences, not awards or administrative outcomes, which the simulator draws from the
case type alone; the simulated decisions name no defendant, so the defendant's earlier
records play no part here. No single decision deviates enough to be flagged at this FDR (largest
|score| {first["max_abs_score"]:.2f} at seed {first["seed"]}): a judge's bias shows
in the mean of a few hundred decisions, not in one. The simulator gives each judge
about 60 decisions a year and makes about 5% of the judges biased, which is 2 of the
40 judges of the default city: a single false flag would cost a third of the
precision. The analysis time is mostly the export of the whole ledger to the snapshot
(in brackets); the models, scores and flags take the rest. Simulation
{first["simulate_s"]:.0f} s and ingestion {first["ingest_s"]:.0f} s (seed {first["seed"]})
are not part of the analysis; the machine's 1-minute load average was
{min(r["load"] for r in rows):.1f}-{max(r["load"] for r in rows):.1f} during the runs
(other work shares its 2 cores).
"""
    write_section("Supervision of judges (`python -m benchmarks.bench_judges`)", body)


if __name__ == "__main__":
    main()
