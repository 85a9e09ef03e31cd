"""The compiled engine at scale agrees with the hand-written query, part by part:
`python -m benchmarks.verify_batch_parts [--records 100000000]`.

At 100 M records the hand-written DuckDB query (benchmarks/batch_handwritten.sql)
spills more than a shared disk holds, so it cannot be compared with the compiled
engine over the whole ledger at once. The generated ledger is a union of parts
that share no subject (benchmarks/batch_data.py), so every assessment depends on
one part only: this script writes the whole snapshot and, beside it, each part as
a snapshot of its own; runs the hand-written query on each part and the compiled
engine on the whole; and checks, with DuckDB, that the two sets of assessments
are the same in both directions, row for row. The result goes to RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from benchmarks import batch_data
from benchmarks.bench_batch import compiled, handwritten
from benchmarks.results import machine, write_section
from socialcredit.engine.batch import SCORE_COLUMNS, SnapshotWriter, write_snapshot


def verify(records: int, part: int, root: Path) -> dict[str, float]:
    whole, hand = root / "whole", root / "hand"
    hand.mkdir()
    started = time.perf_counter()
    hand_seconds = 0.0
    with SnapshotWriter(whole, batch_data.AT) as writer:
        for k, tables in enumerate(batch_data.generate_parts(records, part=part)):
            writer.write(tables)
            folder = root / f"part-{k}"
            write_snapshot(folder, batch_data.AT, tables)
            del tables
            t = time.perf_counter()
            pq.write_table(handwritten(folder), hand / f"{k}.parquet")
            hand_seconds += time.perf_counter() - t
            shutil.rmtree(folder)
            print(f"  part {k}: hand-written query done")
    snap = writer.snapshot()
    prepared = time.perf_counter() - started
    t = time.perf_counter()
    pq.write_table(compiled(whole), root / "compiled.parquet")
    compiled_seconds = time.perf_counter() - t
    cols = ", ".join(SCORE_COLUMNS)
    ours, theirs = f"'{root / 'compiled.parquet'}'", f"'{hand / '*.parquet'}'"
    con = duckdb.connect()
    try:
        count = con.execute(f"SELECT count(*) FROM {ours}").fetchone()
        only_ours = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM {ours} EXCEPT ALL SELECT {cols} FROM {theirs})"
        ).fetchone()
        only_theirs = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM {theirs} EXCEPT ALL SELECT {cols} FROM {ours})"
        ).fetchone()
    finally:
        con.close()
    assert count and only_ours and only_theirs
    return {
        "records": snap.records,
        "subjects": snap.subjects,
        "parts": len(batch_data.parts(records, part)),
        "assessments": count[0],
        "only_compiled": only_ours[0],
        "only_handwritten": only_theirs[0],
        "prepared": prepared,
        "hand_seconds": hand_seconds,
        "compiled_seconds": compiled_seconds,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000_000)
    parser.add_argument("--part", type=int, default=batch_data.PART)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="verify-batch-") as tmp:
        r = verify(args.records, args.part, Path(tmp))
    same = r["only_compiled"] == 0 and r["only_handwritten"] == 0
    print(r, "identical" if same else "DIFFERENT")
    if args.no_write:
        return
    write_section(
        "Batch evaluation at scale, checked part by part (`python -m benchmarks.verify_batch_parts`)",
        f"""
The snapshot of the section above, {r["records"]:,} records of {r["subjects"]:,} subjects
in {r["parts"]} parts that share no subject, generated again (same seed). The compiled
engine evaluated the whole snapshot once ({r["compiled_seconds"]:.1f} s); the hand-written
query evaluated each part as a snapshot of its own ({r["hand_seconds"]:.1f} s for all
parts). Assessments of the compiled engine: {r["assessments"]:,}; rows only in the compiled
engine's result: {r["only_compiled"]:,}; rows only in the hand-written query's:
{r["only_handwritten"]:,} (DuckDB `EXCEPT ALL` both ways over every output column) —
{"identical, assessment for assessment" if same else "NOT identical"}. 1-minute load
average at the end: {r["load"]:.1f}; {machine()}.
""",
    )


if __name__ == "__main__":
    main()
