"""Entity resolution on Spark against DuckDB: `python -m benchmarks.bench_resolve_spark
[--persons N --hinted M] [--write]`.

A registry of ``--persons`` synthetic persons and ``--hinted`` hints about them, written
as people write names (:func:`benchmarks.bench_resolve.registry`, the simulator's
``variant``); one model trained on DuckDB; then the same hints scored and decided with
splink on DuckDB (the baseline, in the same run) and on a local Spark session
(``local[*]``, :mod:`socialcredit.resolution.spark`), the session's start timed apart.
Reports both times, whether the decisions agree, and the load average beside them: Spark
pays for its JVM and its stages, which only a cluster and a national registry repay.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from benchmarks.bench_resolve import registry
from benchmarks.results import machine, write_section
from socialcredit.policy.resolution import DEFAULT
from socialcredit.resolution import spark
from socialcredit.resolution.features import Party, party
from socialcredit.resolution.matcher import Engine, score, train
from socialcredit.resolution.resolve import Decision, decide
from socialcredit.simulate.hinted import variant


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def run(persons: int, hinted: int, seed: int = 13) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    people = registry(persons, rng)
    places = sorted({(p.area, p.address) for p in people})[:2000]
    hints: list[Party] = []
    for j, i in enumerate(rng.integers(0, persons, size=hinted)):
        hint, _kind = variant(rng, people[int(i)], places)
        hints.append(party(f"H{j}", hint))
    parties = [party(f"P{i}", p.__dict__) for i, p in enumerate(people)]
    model = train(parties, hints[: min(len(hints), 20_000)])

    def timed(engine: Engine) -> tuple[float, list[Decision], str]:
        started = time.perf_counter()
        found = score(model, parties, hints, DEFAULT.lower, engine)
        decisions = decide([h.uid for h in hints], found, DEFAULT)
        return time.perf_counter() - started, decisions, load()

    duck_s, duck, duck_load = timed("duckdb")
    started = time.perf_counter()
    spark.session()
    start_s = time.perf_counter() - started
    spark_s, on_spark, spark_load = timed("spark")
    spark.stop()
    same = [(d.outcome, d.subject) for d in duck] == [(d.outcome, d.subject) for d in on_spark]
    gap = max(abs(a.probability - b.probability) for a, b in zip(duck, on_spark, strict=True))
    linked = sum(d.outcome == "linked" for d in duck)
    return {"persons": persons, "hinted": hinted, "duckdb_s": duck_s, "duckdb_load": duck_load,
            "start_s": start_s, "spark_s": spark_s, "spark_load": spark_load, "same": same,
            "gap": gap, "linked": linked}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--hinted", type=int, default=10_000)
    parser.add_argument("--write", action="store_true", help="write the RESULTS.md section")
    args = parser.parse_args()
    r = run(args.persons, args.hinted)
    print(r, flush=True)
    body = "\n".join([
        f"`python -m benchmarks.bench_resolve_spark --persons {args.persons} --hinted "
        f"{args.hinted}` ({machine()}, {os.cpu_count()} cores, Spark `local[*]`). One model "
        "(trained on DuckDB), the same hints scored and decided on each engine; load average "
        "(1 / 5 / 15 min) read when each finished: other work shares the machine.",
        "",
        "| engine | scoring and deciding | load average | decisions |",
        "| --- | ---: | --- | --- |",
        f"| DuckDB (baseline) | {r['duckdb_s']:.1f} s | {r['duckdb_load']} | {r['linked']} linked |",
        f"| Spark, local session | {r['spark_s']:.1f} s (+ {r['start_s']:.1f} s to start the "
        f"session) | {r['spark_load']} | {'the same' if r['same'] else 'DIFFERENT'}; "
        f"probabilities within {r['gap']:.1e} |",
    ])  # fmt: skip
    print(body)
    if args.write:
        write_section("Entity resolution on Spark", body)


if __name__ == "__main__":
    main()
