"""`make bench`: run every benchmark in turn; each writes its section of RESULTS.md."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "bench_ingest",
    "bench_simulate",
    "bench_assess",
    "bench_check",
    "bench_batch",
    "bench_batch_scale",
    "bench_spark",
    "verify_batch_parts",
)


def main() -> int:
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            print(f"skipping {name}: {exc}")
            continue
        print(f"== {name}")
        sys.argv = [name]
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
