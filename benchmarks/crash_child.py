"""The process the crash harness kills: ingestion as the CLI runs it, saying what is committed.

``python -m benchmarks.crash_child DB_URL FILE BATCH`` ingests FILE through the
ingestor ``socialcredit ingest`` uses (ledger, enforcement index, notices) in
batches of BATCH records and prints one line ``ack N`` after each batch's
transaction has committed, N being the lines of the file that batch covered.
A line printed is a promise: those records are in the store, whatever happens
next.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from socialcredit.services.ingest import ingestor
    from socialcredit.store.database import Store

    url, path, batch = argv[0], Path(argv[1]), int(argv[2])
    store = Store(url)

    def ack(n: int) -> None:
        sys.stdout.write(f"ack {n}\n")
        sys.stdout.flush()

    result = ingestor(store, batch_size=batch, workers=0).ingest_files([path], progress=ack)
    sys.stdout.write(f"done {result.accepted} {result.duplicates} {result.rejected}\n")
    sys.stdout.flush()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
