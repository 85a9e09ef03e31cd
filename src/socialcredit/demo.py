"""`make demo`: build a synthetic city, ingest it, and show what the platform holds.

Run as ``python -m socialcredit.demo [--dir demo] [--persons N] [--enterprises M]``.
The store is rebuilt from scratch each time; the simulated city is reused when
it was generated with the same parameters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from socialcredit import demo_portal, demo_stages
from socialcredit.cli.options import report_error
from socialcredit.cli.render import grade_tables, summary_tables
from socialcredit.clock import FixedClock, SystemClock
from socialcredit.demo_mail import smtp_sink
from socialcredit.errors import SocialCreditError
from socialcredit.ledger import sources
from socialcredit.ledger.bootstrap import configured_packs, init_store
from socialcredit.ledger.ingest import IngestResult
from socialcredit.ledger.registry import read_provider_file, register_providers
from socialcredit.ledger.sources import Item, count_items
from socialcredit.ledger.summary import summarise
from socialcredit.services.evaluate import evaluate_now
from socialcredit.services.ingest import ingestor as make_ingestor
from socialcredit.settings import Settings
from socialcredit.store.database import Store
from socialcredit.store.verify import verify

console = Console()


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def build_city(
    folder: Path, persons: int, enterprises: int, years: int, seed: int, end: dt.date
) -> Path:
    """Simulate the city unless the same one is already there."""
    from socialcredit.simulate import simulate

    params = {
        "persons": persons,
        "enterprises": enterprises,
        "years": years,
        "seed": seed,
        "end": end.isoformat(),
    }
    marker = folder / "params.json"
    if (
        marker.exists()
        and json.loads(marker.read_text()) == params
        and (folder / "records.parquet").exists()
    ):
        console.print(f"reusing the simulated city in {folder}")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    with _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"simulating: {stage}", total=total)
            bar.update(tasks[stage], completed=done, total=total)

        simulate(
            folder,
            persons=persons,
            enterprises=enterprises,
            years=years,
            seed=seed,
            end=end,
            formats=("parquet",),
            progress=progress,
        )
    marker.write_text(json.dumps(params))
    return folder


def _by_week(items: Iterator[Item]) -> Iterator[tuple[dt.date, list[Item]]]:
    """Records grouped by the week their provider reported them (the files are in
    reporting order), so that each weekly upload is ingested as it would have been,
    on the Sunday that ends the week."""
    day: dt.date | None = None
    group: list[Item] = []
    for line, value in items:
        when = None
        if isinstance(value, dict):
            raw = value.get("reported_at") or value.get("occurred_at")
            when = raw if isinstance(raw, dt.date) else None
            if when is None and isinstance(raw, str):
                try:
                    when = dt.date.fromisoformat(raw)
                except ValueError:
                    when = None
            if when is not None:
                when = min(when + dt.timedelta(days=6 - when.weekday()), dt.date.today())
        if when is not None and when != day and group:
            yield day or when, group
            group = []
        if when is not None:
            day = when
        group.append((line, value))
    if group:
        yield day or dt.date.today(), group


def ingest_city(
    store: Store,
    clock: FixedClock,
    settings: Settings,
    city: Path,
    post: demo_stages.NoticeRuns | None = None,
) -> IngestResult:
    """Ingest the city's history week by week, the clock at the end of each reporting
    week, so that every record's transaction time is when it would have arrived; after
    each week, the notice run (sweep and delivery) the platform makes then."""
    register_providers(
        store, read_provider_file(city / "providers.jsonl"), configured_packs(settings)
    )
    records = city / "records.parquet"
    ingestor = make_ingestor(store, batch_size=settings.ingest_batch)
    result = IngestResult()
    with _progress() as bar:
        task = bar.add_task("ingesting, week by week", total=count_items(records))
        started = time.perf_counter()
        for day, group in _by_week(sources.read(records)):
            clock.set(dt.datetime.combine(day, dt.time(2, 0)))  # 10:00 in China
            ingestor.ingest_items(group, result, progress=lambda n: bar.advance(task, n))
            if post is not None:
                post.run(store)
        elapsed = time.perf_counter() - started
    clock.set(SystemClock().now())
    total = result.accepted + result.duplicates + result.rejected
    console.print(
        f"ingested {total:,} records in {elapsed:.1f} s "
        f"({total / max(elapsed, 1e-9):,.0f} records/s)"
    )
    return result


def _rejections(result: IngestResult) -> Table:
    table = Table(title="ingestion")
    table.add_column("outcome")
    table.add_column("records", justify="right")
    table.add_row("accepted", f"{result.accepted:,}")
    table.add_row("duplicates (no-op)", f"{result.duplicates:,}")
    for code, n in sorted(result.codes.items()):
        table.add_row(f"rejected: {code}", f"{n:,}")
    return table


def _evaluate(store: Store) -> None:
    """The evaluation of the present: grades, grade-based lists, every list entry."""
    with store.reader() as conn:
        for table in summary_tables(summarise(conn)):
            console.print(table)
    evaluated, published, rederived = evaluate_now(store)
    console.print(
        f"rated {evaluated.subjects:,} subjects ({evaluated.rows:,} assessments) in "
        f"{evaluated.timings.get('total', 0):.1f} s"
    )
    for table in grade_tables(evaluated.grades, evaluated.no_consent):
        console.print(table)
    for name, n in published.items():
        console.print(f"published {name}: {n:,} subjects")
    if rederived is not None:
        console.print(
            f"list entries re-derived for {rederived.subjects:,} subjects: "
            f"{rederived.entries:,} entries"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", default="demo", help="folder for the city and the store")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help="build and stop, without serving the portal at http://127.0.0.1:8000",
    )
    args = parser.parse_args(argv)

    root = Path(args.dir)
    root.mkdir(parents=True, exist_ok=True)
    db_path = root / "socialcredit.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    settings = Settings(db=f"sqlite:///{db_path}")
    # the city's history is replayed on a clock that starts when the platform did
    # (the packs are activated then) and ends at the real now
    started = dt.date.today() - dt.timedelta(days=366 * args.years + 1)
    clock = FixedClock(dt.datetime.combine(started, dt.time(1, 0)))
    store = Store(settings.db, clock=clock)
    try:
        init = init_store(store, settings)

        console.print(
            f"store {settings.db}: schema {init.revision}, packs {', '.join(init.loaded.packs)}"
        )
        city = build_city(
            root / "city", args.persons, args.enterprises, args.years, args.seed, dt.date.today()
        )
        with smtp_sink(root / "mail.mbox") as (port, sink):
            post = demo_stages.NoticeRuns(demo_stages.notice_channels(root, port))
            result = ingest_city(store, clock, settings, city, post)
            console.print(_rejections(result))
            _evaluate(store)
            post.run(store)  # the grade notices of the evaluation, and what is left
            demo_stages.deliveries(store, post, sink, console)
        entries = demo_stages.list_sizes(store, console)

        demo_stages.sample_decisions(store, entries, console)
        demo_stages.remedies_in_flight(store, entries, console)
        demo_portal.save_providers_report(store, console)
        logins = demo_portal.create_logins(store, entries, console)
        keys = demo_portal.create_keys(store)
        with store.reader() as conn:
            check = verify(conn)
        console.print(
            f"audit chain: {'intact' if check.ok else 'BROKEN'} "
            f"({check.entries:,} entries, {check.records:,} records)"
        )
    except SocialCreditError as exc:
        return report_error(exc, console)
    finally:
        store.close()
    demo_portal.show(logins, keys, console)
    secret = demo_portal.session_secret(root)
    console.print(
        f"\nthe store is {db_path}; try: .venv/bin/socialcredit --db sqlite:///{db_path} summary"
    )
    if args.no_serve:
        console.print(
            "the other supervision reports are not computed with --no-serve: "
            "`socialcredit supervise officials|judges|jurisdictions --save` saves them",
            soft_wrap=True,
        )
    else:
        demo_portal.serve(settings.db, secret, console, root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
