"""``socialcredit risk``: the predictive risk scorecard (train|report|score|dry-run|activate|
retrain|models). The score informs a review and is shown to the subject; no list entry or
measure follows from it."""

from __future__ import annotations

from typing import Annotated

import typer

from socialcredit.cli.options import AtOption, JsonOption, instant, open_store, print_json
from socialcredit.cli.options import out as console

app = typer.Typer(no_args_is_help=True, help="The predictive risk scorecard.")

VersionArg = Annotated[int, typer.Argument(help="The model version.", min=1)]


@app.command()
def train(ctx: typer.Context, at: AtOption = None, as_json: JsonOption = False) -> None:
    """Train a candidate out of time on the ledger (two horizons back, evaluated one later)."""
    from socialcredit.supervision.risk.service import train as run

    model = run(open_store(ctx), known_at=instant(at))
    ev = model.evaluation
    if as_json:
        print_json(model.summary() | {"evaluation": ev})
        return
    console.print(
        f"risk model {model.version} (candidate): AUC {ev['auc']:.3f}, KS {ev['ks']:.3f}; "
        f"baseline AUC {ev['baseline_auc']:.3f}; {ev['defaults']} defaults of "
        f"{ev['subjects']} subjects after {ev['cutoff']}. Next: socialcredit risk dry-run "
        f"{model.version}"
    )


@app.command()
def report(
    ctx: typer.Context,
    months: Annotated[int, typer.Option(min=1, max=36, help="Months of PSI to show.")] = 6,
    at: AtOption = None,
) -> None:
    """The active model: AUC, KS, calibration by decile, PSI month by month, the baseline."""
    from socialcredit.supervision.risk.service import report as run

    print_json(run(open_store(ctx), months=months, known_at=instant(at)))


@app.command()
def score(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="Identity number or credit code.")],
    at: AtOption = None,
    as_json: JsonOption = False,
) -> None:
    """A subject's score under the active model, with the reasons lowering it most."""
    from socialcredit.supervision.risk.service import score_subject

    result = score_subject(open_store(ctx), subject, known_at=instant(at))
    if as_json:
        print_json(result.to_dict())
        return
    console.print(f"{subject}: {result.score} points ({result.band}, model {result.version})")
    for r in result.reasons:
        console.print(f"  -{r['points']:.0f}  {r['en']} / {r['zh']}")


@app.command("dry-run")
def dry_run(ctx: typer.Context, version: VersionArg, at: AtOption = None) -> None:
    """Who would move, and by how much, if this candidate replaced the active model."""
    from socialcredit.supervision.risk.service import dry_run as run

    print_json(run(open_store(ctx), version, known_at=instant(at)).dry_run)


@app.command()
def activate(
    ctx: typer.Context,
    version: VersionArg,
    note: Annotated[str, typer.Option(help="Why (kept in the audit entry).")] = "",
) -> None:
    """Activate a candidate that has been dry-run; the active model is retired."""
    from socialcredit.supervision.risk.models import activate as run

    model = run(open_store(ctx), version, note=note)
    console.print(f"risk model {model.version} is active")


@app.command()
def retrain(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option(help="Retrain whatever the PSI.")] = False,
    at: AtOption = None,
) -> None:
    """Past the pack's PSI threshold, retrain a candidate on recent data and dry-run it."""
    from socialcredit.supervision.risk.service import retrain as run

    psi, candidate = run(open_store(ctx), force=force, known_at=instant(at))
    if candidate is None:
        console.print(f"PSI {psi:.3f}: within the threshold, nothing retrained")
        return
    print_json({"psi": psi, "candidate": candidate.summary(), "dry_run": candidate.dry_run})


@app.command()
def models(ctx: typer.Context) -> None:
    """Every model version and its state."""
    from socialcredit.supervision.risk.models import versions

    print_json([m.summary() for m in versions(open_store(ctx))])
