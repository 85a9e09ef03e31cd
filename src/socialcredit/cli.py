"""The `socialcredit` command line. Commands parse, call one service, render."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from socialcredit.cli_checks import AtOption, KnownAtOption
from socialcredit.cli_checks import register as register_checks
from socialcredit.cli_notices import register as register_notices
from socialcredit.cli_remedies import register as register_remedies
from socialcredit.errors import SocialCreditError
from socialcredit.settings import Settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="socialcredit: a credit-based supervision platform.",
)
providers_app = typer.Typer(no_args_is_help=True, help="Register and list data providers.")
audit_app = typer.Typer(no_args_is_help=True, help="The hash-chained audit log.")
policy_app = typer.Typer(no_args_is_help=True, help="Policy packs: validate, activate, list, diff.")
app.add_typer(providers_app, name="providers")
app.add_typer(audit_app, name="audit")
app.add_typer(policy_app, name="policy")
register_checks(app)  # report, check, keys (cli_checks.py)
register_remedies(app)  # object, accept, answer, decide-objection, appeal, … (cli_remedies.py)
register_notices(app)  # notices, notices-sweep, safeguards audit (cli_notices.py)

console = Console(stderr=True)
out = Console()

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Store URL (default: env SOCIALCREDIT_DB or sqlite:///socialcredit.db)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.callback()
def _root(ctx: typer.Context, db: DbOption = None) -> None:
    ctx.obj = Settings.from_env(db=db)


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def _store(ctx: typer.Context, *, require: bool = True) -> Any:
    from socialcredit.store.database import Store

    store = Store(_settings(ctx).db)
    if require:
        store.require_schema()
    return store


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


@app.command()
def init(ctx: typer.Context) -> None:
    """Create or upgrade the store and load the configured policy packs and providers."""
    from socialcredit.ledger.bootstrap import init_store

    settings = _settings(ctx)
    summary = init_store(_store(ctx, require=False), settings)
    out.print(
        f"store ready at {settings.db} (schema {summary.revision}); packs "
        f"{', '.join(summary.loaded.packs)}: {summary.loaded.categories} categories, "
        f"{summary.loaded.providers} providers changed"
    )
    if summary.activated:
        out.print(f"activated: {', '.join(summary.activated)}")


@app.command()
def ingest(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="JSONL, CSV or Parquet record files.")],
    provider: Annotated[
        str | None,
        typer.Option(
            help="The provider the files come from: fills a missing `provider`, refuses others."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate and append records; exit 2 if any record or file was refused."""
    from socialcredit.ledger import sources
    from socialcredit.services.ingest import ingestor as make_ingestor

    settings = _settings(ctx)
    store = _store(ctx)
    ingestor = make_ingestor(
        store,
        provider=provider,
        batch_size=settings.ingest_batch,
        workers=settings.ingest_workers,
    )
    total = sum(sources.count_items(p) for p in files if p.exists())
    with _progress() as bar:
        task = bar.add_task("ingesting", total=total)
        result = ingestor.ingest_files(files, progress=lambda n: bar.advance(task, n))
    if as_json:
        body = result.to_dict()
        keys = ("accepted", "duplicates", "rejected", "files_refused", "errors", "errors_truncated")
        _print_json({k: body[k] for k in keys})
    else:
        table = Table(title="ingestion")
        for col in ("accepted", "duplicates", "rejected", "subjects created"):
            table.add_column(col, justify="right")
        table.add_row(
            str(result.accepted),
            str(result.duplicates),
            str(result.rejected),
            str(result.subjects_created),
        )
        out.print(table)
        for code, n in sorted(result.codes.items()):
            out.print(f"  rejected {code}: {n}")
        if result.files_refused:
            out.print(f"  files refused: {result.files_refused}")
        for err in result.errors[:20]:
            where = f"{err.file}:" if err.file else "line "
            out.print(f"  {where}{err.line}: {err.code}: {err.message}")
        if len(result.errors) > 20:
            more = result.rejected + result.files_refused - 20
            out.print(f"  … and {more} more (use --json for all)")
    raise typer.Exit(2 if result.failed else 0)


@providers_app.command("register")
def providers_register(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSONL or YAML list of providers.")],
) -> None:
    """Register providers: id, kind, name, jurisdiction, optional narrower categories."""
    from socialcredit.ledger.bootstrap import configured_packs
    from socialcredit.ledger.registry import read_provider_file, register_providers

    store = _store(ctx)
    if not file.exists():
        raise SocialCreditError(f"{file}: no such file", code="not_found")
    n = register_providers(store, read_provider_file(file), configured_packs(_settings(ctx)))
    out.print(f"{n} providers registered or changed")


@providers_app.command("list")
def providers_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List registered providers and how many categories each may report."""
    from socialcredit.ledger.registry import authorisations
    from socialcredit.store.tables import providers

    store = _store(ctx)
    with store.reader() as conn:
        rows = list(conn.execute(providers.select().order_by(providers.c.id)))
        auth = authorisations(conn)
    if as_json:
        _print_json(
            [
                {
                    "id": r.id,
                    "kind": r.kind,
                    "name": r.name,
                    "jurisdiction": r.jurisdiction,
                    "categories": sorted(auth.get(r.id, [])),
                }
                for r in rows
            ]
        )
        return
    table = Table(title="providers")
    for col in ("id", "kind", "name", "jurisdiction", "categories"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.id, r.kind, r.name, r.jurisdiction, str(len(auth.get(r.id, []))))
    out.print(table)


@audit_app.command("verify")
def audit_verify(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Recompute the hash chain and every record it covers; exit 1 if broken."""
    from socialcredit.store.verify import verify

    store = _store(ctx)
    with store.reader() as conn:
        result = verify(conn)
    if as_json:
        _print_json(result.to_dict())
    elif result.ok:
        out.print(f"audit chain intact: {result.entries} entries, {result.records} records")
    else:
        where = f"entry {result.broken_at}" if result.broken_at else "the ledger"
        out.print(f"[red]audit chain broken at {where}: {result.reason}[/red]")
    raise typer.Exit(0 if result.ok else 1)


@policy_app.command("validate")
def policy_validate(
    ctx: typer.Context,
    pack: Annotated[str, typer.Argument(help="A pack folder or the name of a shipped pack.")],
) -> None:
    """Print every problem of a pack (structure and safeguards lint); exit 1 if any."""
    from socialcredit.policy.validate import validate_pack

    loaded, problems = validate_pack(pack, _settings(ctx).packs)
    for problem in problems:
        out.print(f"[red]✗[/red] {problem}", highlight=False)
    if problems:
        out.print(f"{len(problems)} problem(s): the pack would be refused")
        raise typer.Exit(1)
    assert loaded is not None
    scoring = loaded.scoring
    out.print(
        f"{loaded.name}@{loaded.version}: valid — {len(loaded.categories)} categories, "
        f"{len(scoring.schemes)} schemes, {len(scoring.rules)} rules"
    )


OfficerKey = Annotated[
    str,
    typer.Option(
        "--key",
        envvar="SOCIALCREDIT_KEY",
        help="The policy officer's API key (scope role:policy-officer).",
        show_default=False,
    ),
]


def _officer(ctx: typer.Context, token: str) -> Any:
    from socialcredit.access.keys import KeyRing

    return KeyRing(_store(ctx)).authenticate(token)


@policy_app.command("activate")
def policy_activate(
    ctx: typer.Context,
    packs: Annotated[list[str], typer.Argument(help="Pack folders or shipped pack names.")],
    key: OfficerKey,
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit chain).")] = None,
) -> None:
    """Propose pack versions for activation; a second policy officer approves them
    (`policy approve`). Refused whole if the lint or the safeguards audit of the packs
    that would be active finds a problem."""
    from socialcredit.policy.pack import load_pack
    from socialcredit.services.activation import propose_packs

    proposal = propose_packs(
        _store(ctx), [load_pack(p) for p in packs], _officer(ctx, key), note=note
    )
    out.print(
        f"proposed: {proposal}; it takes effect when a second policy officer runs "
        f"`socialcredit policy approve {proposal}`"
    )


@policy_app.command("approve")
def policy_approve(
    ctx: typer.Context,
    proposal: Annotated[str, typer.Argument(help="The proposal (PP-…).")],
    key: OfficerKey,
    note: Annotated[str | None, typer.Option(help="Kept in the audit chain.")] = None,
) -> None:
    """Approve another officer's proposal: its packs are active from now on. Refused if
    the lint or the safeguards audit of the packs that would be active finds a problem."""
    from socialcredit.services.activation import approve_proposal

    done = approve_proposal(_store(ctx), proposal, _officer(ctx, key), note=note)
    out.print(f"activated: {', '.join(done)}" if done else "already active: nothing changed")


@policy_app.command("reject")
def policy_reject(
    ctx: typer.Context,
    proposal: Annotated[str, typer.Argument(help="The proposal (PP-…).")],
    key: OfficerKey,
    reasons: Annotated[str, typer.Option(help="Why it is rejected.")],
) -> None:
    """Reject a pending proposal."""
    from socialcredit.ledger.approval import reject

    reject(_store(ctx), proposal, _officer(ctx, key), reasons)
    out.print(f"rejected: {proposal}")


@policy_app.command("proposals")
def policy_proposals(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Decided proposals too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Proposals waiting for a second officer (or all of them)."""
    from socialcredit.ledger.approval import proposals

    with _store(ctx).reader() as conn:
        rows = [p.to_dict() for p in proposals(conn, None if all_ else "pending")]
    if as_json:
        _print_json(rows)
        return
    table = Table(title="policy proposals")
    for col in ("id", "packs", "proposed by", "state", "decided by"):
        table.add_column(col)
    for r in rows:
        packs = ", ".join(f"{p['name']}@{p['version']}" for p in r["packs"])
        table.add_row(r["id"], packs, r["proposed_by"], r["state"], r["decided_by"] or "")
    out.print(table)


@policy_app.command("deactivate")
def policy_deactivate(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of an active pack.")],
    note: Annotated[str | None, typer.Option(help="Why (kept in the audit chain).")] = None,
) -> None:
    """Stop applying a pack from now on."""
    from socialcredit.ledger.policy_store import deactivate

    deactivate(_store(ctx), name, note=note)
    out.print(f"deactivated: {name}")


@policy_app.command("list")
def policy_list(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(help="As of this date or ISO time.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The packs active now (or at --at), with version and activation time."""
    from socialcredit.clock import parse_instant
    from socialcredit.ledger.policy_store import active_packs, load_version

    store = _store(ctx)
    when = parse_instant(at) if at else None
    with store.reader() as conn:
        rows: list[dict[str, Any]] = []
        for a in active_packs(conn, when):
            pack = load_version(conn, a.digest)
            rows.append(
                {
                    "name": a.name,
                    "version": a.version,
                    "digest": a.digest[:12],
                    "activated_at": a.activated_at.isoformat(),
                    "jurisdiction": pack.meta.jurisdiction,
                    "title": pack.meta.title,
                    "schemes": sorted(pack.scoring.schemes),
                    "rules": len(pack.scoring.rules),
                }
            )
    if as_json:
        _print_json(rows)
        return
    table = Table(title="active policy packs")
    for col in ("name", "version", "jurisdiction", "schemes", "rules", "activated (UTC)"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["name"],
            r["version"],
            r["jurisdiction"],
            ", ".join(r["schemes"]),
            str(r["rules"]),
            r["activated_at"][:19],
        )
    out.print(table)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API (and pages) with uvicorn."""
    import os

    import uvicorn

    settings = _settings(ctx)
    _store(ctx).close()  # refuse to start on an uninitialised store
    os.environ["SOCIALCREDIT_DB"] = settings.db
    uvicorn.run(
        "socialcredit.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@app.command()
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
    from socialcredit.clock import parse_instant
    from socialcredit.services.evaluate import evaluate_now

    store = _store(ctx)
    with _progress() as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], completed=done)

        result, published, rederived = evaluate_now(
            store,
            parse_instant(at) if at else None,
            parse_instant(known_at) if known_at else None,
            engine=engine,
            progress=progress,
        )
    entries = rederived.to_dict() if rederived is not None else None
    if as_json:
        _print_json({**result.to_dict(), "published": published, "list_entries": entries})
        return
    from socialcredit.render import grade_tables

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


@policy_app.command("diff")
def policy_diff(
    ctx: typer.Context,
    pack: Annotated[str, typer.Argument(help="Candidate pack: a folder or shipped pack name.")],
    against: Annotated[str, typer.Option(help="Baseline: 'active' (the packs active now).")] = (
        "active"
    ),
    at: AtOption = None,
    sample: Annotated[int, typer.Option(help="Changed subjects to explain.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Dry-run a candidate pack over the real ledger: who changes grade, per jurisdiction
    and subject kind, with explained samples — before anyone activates it."""
    from socialcredit.clock import parse_instant
    from socialcredit.engine.diff import candidate_policy, diff_policies
    from socialcredit.ledger.policy_store import active_packs, load_version
    from socialcredit.policy.pack import load_pack
    from socialcredit.render import diff_renderables

    if against != "active":
        raise SocialCreditError("--against: only 'active' is supported", code="invalid_option")
    store = _store(ctx)
    when = parse_instant(at) if at else store.clock.now()
    with store.reader() as conn:
        current = [load_version(conn, a.digest) for a in active_packs(conn, when)]
    from socialcredit.policy.policy_set import PolicySet

    result = diff_policies(
        store, PolicySet(current), candidate_policy(current, load_pack(pack)), when, sample=sample
    )
    if as_json:
        _print_json(result.to_dict())
        return
    for item in diff_renderables(result.to_dict()):
        out.print(item)


@app.command()
def summary(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Subjects by kind, records by domain and provider."""
    from socialcredit.ledger.summary import summarise
    from socialcredit.render import summary_tables

    store = _store(ctx)
    with store.reader() as conn:
        result = summarise(conn)
    if as_json:
        _print_json(result.to_dict())
        return
    for table in summary_tables(result):
        out.print(table)


@app.command()
def simulate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the city into.")],
    persons: Annotated[int, typer.Option(min=1, help="Number of persons.")] = 100_000,
    enterprises: Annotated[int, typer.Option(min=1, help="Number of enterprises.")] = 10_000,
    years: Annotated[int, typer.Option(min=1, max=30, help="Years of behaviour.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same output.")] = 1,
    end: Annotated[
        str | None, typer.Option(help="Last day simulated (YYYY-MM-DD; default today).")
    ] = None,
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", help="Output formats: jsonl, parquet (repeatable)."),
    ] = None,
) -> None:
    """Write a synthetic city: providers, records (JSONL, Parquet) and ground truth."""
    from socialcredit.simulate import simulate as run

    try:
        end_day = dt.date.fromisoformat(end) if end else dt.date.today()
    except ValueError:
        raise SocialCreditError(f"--end: {end!r} is not a date", code="invalid_time") from None
    with _progress() as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        result = run(
            out_dir,
            persons=persons,
            enterprises=enterprises,
            years=years,
            seed=seed,
            end=end_day,
            formats=tuple(fmt or ("jsonl", "parquet")),
            progress=progress,
        )
    out.print(
        f"wrote {result.records:,} records about {sum(result.subjects.values()):,} "
        f"subjects and {result.providers} providers to {out_dir}"
    )


def main() -> None:
    try:
        app()
    except SocialCreditError as exc:
        console.print(f"[red]Error:[/red] {exc.code}: {exc.message}", highlight=False)
        for problem in getattr(exc, "problems", []):
            console.print(f"  {problem}", highlight=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
