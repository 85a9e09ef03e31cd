"""``evaluate`` (the batch pass over every subject) and ``report`` (one subject, explained)."""

from __future__ import annotations

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
    engine: Annotated[str, typer.Option(help="Batch engine: duckdb.")] = "duckdb",
    at: AtOption = None,
    known_at: KnownAtOption = None,
    as_json: JsonOption = False,
) -> None:
    """Rate every subject in one batch pass and write the assessments table; an
    evaluation of the present also publishes grade-based lists (honour lists) and
    re-derives every record-based list entry and the enforcement index."""
    from socialcredit.services.evaluate import evaluate_now

    store = open_store(ctx)
    with progress() as bar:
        tasks: dict[str, Any] = {}

        def advance(stage: str, done: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], completed=done)

        result, published, rederived = evaluate_now(
            store, instant(at), instant(known_at), engine=engine, progress=advance
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
