"""The synthetic city simulator: `python -m benchmarks.bench_simulate [--records N]`.

Times ``socialcredit.simulate.simulate`` writing both formats (JSONL and
Parquet) into a temporary folder for a city sized to give about ``--records``
records over five years (about 4.9 records per person, one enterprise per ten
persons), and the demo size (100,000 persons, 10,000 enterprises). Reports the
median wall time of several runs, records per second and the CPU time the
process used (its threads render chunks in parallel), and updates the
"Simulator" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.results import machine, median, write_section
from socialcredit.simulate import simulate

END = dt.date(2025, 6, 30)
YEARS = 5
RECORDS_PER_PERSON = 4.93  # measured: 2,000,000 persons + 200,000 enterprises give ~9.86 M
DEMO = (100_000, 10_000)


@dataclass
class Measurement:
    persons: int
    enterprises: int
    counts: list[int]
    walls: list[float]
    cpus: list[float]
    sizes: dict[str, int]
    loads: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return median(self.walls)

    @property
    def cpu(self) -> float:
        return median(self.cpus)

    @property
    def records(self) -> int:
        return round(median([float(c) for c in self.counts]))

    @property
    def rate(self) -> float:
        return median([c / w for c, w in zip(self.counts, self.walls, strict=True)])


def _run(persons: int, enterprises: int, seed: int) -> tuple[float, float, int, dict[str, int]]:
    with tempfile.TemporaryDirectory(prefix="bench-simulate-") as tmp:
        out = Path(tmp) / "city"
        wall, cpu = time.perf_counter(), time.process_time()
        summary = simulate(
            out, persons=persons, enterprises=enterprises, years=YEARS, seed=seed, end=END
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sizes = {p.name: p.stat().st_size for p in sorted(out.iterdir())}
    return wall, cpu, summary.records, sizes


def _measure(persons: int, enterprises: int, runs: int) -> Measurement:
    m = Measurement(persons, enterprises, [], [], [], {})
    for i in range(runs):
        m.loads.append(os.getloadavg()[0])
        wall, cpu, records, m.sizes = _run(persons, enterprises, seed=i + 1)
        m.loads.append(os.getloadavg()[0])
        m.counts.append(records)
        m.walls.append(wall)
        m.cpus.append(cpu)
        print(
            f"  {records:,} records in {wall:.1f} s (CPU {cpu:.1f} s), "
            f"{records / wall:,.0f} records/s"
        )
    return m


def _size(n: int) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--records",
        type=int,
        default=10_000_000,
        help="about how many records the large run should produce",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median reported)")
    parser.add_argument(
        "--demo", type=int, default=DEMO[0], help="persons of the first size (the demo's city)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    persons = max(1000, round(args.records / RECORDS_PER_PERSON))
    rows: list[Measurement] = []
    for size in ((args.demo, max(10, args.demo // 10)), (persons, max(10, persons // 10))):
        print(f"simulate {size[0]:,} persons, {size[1]:,} enterprises, {YEARS} years")
        rows.append(_measure(size[0], size[1], args.runs))
    big = rows[-1]
    print(f"median: {big.records:,} records, {big.wall:.1f} s, {big.rate:,.0f} records/s")
    if args.no_write:
        return

    lines = [
        "`python -m benchmarks.bench_simulate`",
        "",
        f"Weihai over {YEARS} years ending {END}, JSONL and Parquet (zstd) both written to a "
        f"temporary folder; median of {args.runs} runs (seeds 1-{args.runs}). Wall time on the "
        f"shared 2-core machine; CPU time summed over the process's threads (chunks are "
        f"rendered by two threads while a third writes). {machine()}.",
        "",
        "| persons | enterprises | records | wall | records/s | CPU |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.persons:,} | {r.enterprises:,} | {r.records:,} | {r.wall:.1f} s "
            f"| {r.rate:,.0f} | {r.cpu:.1f} s |"
        )
    lines += [
        "",
        "Runs of the large size (wall): "
        + ", ".join(f"{w:.1f} s" for w in big.walls)
        + f"; 1-minute load average of the machine during them {min(big.loads):.1f}"
        + f"-{max(big.loads):.1f} (other work shares the 2 cores: wall time varies with it,"
        + " CPU time much less).",
        "Its files: " + ", ".join(f"{k} {_size(v)}" for k, v in big.sizes.items()) + ".",
    ]
    write_section("Simulator", "\n".join(lines))


if __name__ == "__main__":
    main()
