"""``evaluate`` (the batch pass over every subject) and ``report`` (one subject, explained)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from socialcredit.cli.options import (
    AtOption,
    JsonOption,
    KnownAtOption,
    SubjectArg,
    instant,
    open_store,
    out,
    print_json,
    progress,
)


def evaluate(
    ctx: typer.Context,
    engine: Annotated[str, typer.Option(help="Batch engine: duckdb or spark.")] = "duckdb",
    master: Annotated[
        str | None,
        typer.Option(help="Spark master URL (local[*], local[2], spark://host:7077)."),
    ] = None,
    snapshot: Annotated[
        Path | None,
        typer.Option(help="Evaluate this snapshot (from `export`) instead of exporting one."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write assessments.parquet (and, when stored, list_entries.parquet)."
        ),
    ] = None,
    store_results: Annotated[
        bool | None,
        typer.Option(
            "--store/--no-store",
            help="Write the results into the store (default: yes, unless --out is given).",
        ),
    ] = None,
    at: AtOption = None,
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rate every subject in one batch pass and write the assessments table; an
    evaluation of the present also publishes grade-based lists (honour lists) and
    re-derives every record-based list entry and the enforcement index.

    With --out, the assessments go to Parquet files there and into the store only
    with --store (the list entries too: they are derived in the store)."""
    from socialcredit.services.evaluate import evaluate_now

    if master is not None and engine != "spark":
        raise typer.BadParameter("--master is for --engine spark", param_hint="--master")
    if snapshot is not None and known_at is not None:
        raise typer.BadParameter(
            "a snapshot is as of its own transaction time: no --known-at with --snapshot",
            param_hint="--known-at",
        )
    if store_results is None:
        store_results = out_dir is None
    if not store_results:
        _evaluate_to_files(ctx, engine, master, snapshot, out_dir, at, known_at, as_json)
        return

    store = open_store(ctx)
    with progress() as bar:
        tasks: dict[str, Any] = {}

        def advance(stage: str, done: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], completed=done)

        result, published, rederived = evaluate_now(
            store,
            instant(at),
            instant(known_at),
            engine=engine,
            progress=advance,
            master=master,
            snapshot=snapshot,
            out=out_dir,
        )
    entries = rederived.to_dict() if rederived is not None else None
    if as_json:
        print_json({**result.to_dict(), "published": published, "list_entries": entries})
        return
    from socialcredit.cli.render import grade_tables

    out.print(
        f"run {result.run}: {result.subjects:,} subjects, {result.rows:,} assessments over "
        f"{result.records:,} records in {result.timings.get('total', 0):.1f} s "
        f"(policy {result.policy_version})"
    )
    for table in grade_tables(result.grades, result.no_consent):
        out.print(table)
    for name, n in published.items():
        out.print(f"published {name}: {n:,} subjects")
    if rederived is not None:
        made = ", ".join(f"{k} {n:,}" for k, n in sorted(rederived.notices.items())) or "none"
        out.print(
            f"list entries re-derived for {rederived.subjects:,} subjects: "
            f"{rederived.entries:,} entries, {rederived.index_rows:,} index rows; notices: {made}"
        )


def _evaluate_to_files(
    ctx: typer.Context,
    engine: str,
    master: str | None,
    snapshot: Path | None,
    out_dir: Path | None,
    at: str | None,
    known_at: str | None,
    as_json: bool,
) -> None:
    """An evaluation written to Parquet only: the store is read (the packs, and the
    ledger unless a snapshot is given), never written."""
    import tempfile

    from socialcredit.engine.batch import evaluate_snapshot, export_snapshot, read_snapshot
    from socialcredit.engine.batch.run import summarise, write_assessments
    from socialcredit.ledger.policy_store import policy_at

    if out_dir is None:
        raise typer.BadParameter("--no-store needs --out", param_hint="--out")
    store = open_store(ctx)
    when = instant(at) or store.clock.now()
    with store.reader() as conn:
        policy, _note = policy_at(conn, when)
    with tempfile.TemporaryDirectory(prefix="socialcredit-snapshot-") as tmp:
        if snapshot is not None:
            snap = read_snapshot(snapshot)
        else:
            snap = export_snapshot(store, tmp, instant(known_at) or when)
        table = evaluate_snapshot(
            snap.folder, policy, when, snap.known_at, engine=engine, master=master
        )
    path = write_assessments(table, out_dir)
    body = {
        "engine": engine,
        "at": when.isoformat(),
        "known_at": snap.known_at.isoformat(),
        "records": snap.records,
        "assessments": str(path),
        **summarise(table),
    }
    if as_json:
        print_json(body)
        return
    out.print(
        f"{body['subjects']:,} subjects, {body['rows']:,} assessments over {snap.records:,} "
        f"records on {engine}: {path}"
    )


def report(
    ctx: typer.Context,
    subject: SubjectArg,
    at: AtOption = None,
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
) -> None:
    """A subject's grades explained, its list entries and the measures in force.

    Every contributing record and rule (with its provider, legal basis, expiry and
    how to object), what has expired, what would change the grade and the way to a
    better one; the risk score under the active model with its reasons."""
    from socialcredit.cli.render import report_renderables
    from socialcredit.services.report import subject_report

    body = subject_report(open_store(ctx), subject, instant(at), instant(known_at), risk=True)
    if as_json:
        print_json(body)
        return
    for item in report_renderables(body):
        out.print(item)
