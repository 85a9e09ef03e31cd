"""``socialcredit policy …``: validate a pack, activate it (two policy officers:
``activate`` proposes, ``approve`` or ``reject`` decides, ``proposals`` lists),
``deactivate``, ``list`` the active packs and ``diff`` a candidate over the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from socialcredit.cli.options import (
    AtOption,
    JsonOption,
    instant,
    open_store,
    out,
    print_json,
    settings,
)
from socialcredit.errors import InvalidOption

if TYPE_CHECKING:
    from socialcredit.access.keys import ApiKey

app = typer.Typer(
    no_args_is_help=True,
    help="Policy packs: validate, activate (approve, reject, proposals), deactivate, list, diff.",
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
NoteOption = Annotated[str | None, typer.Option(help="Why (kept in the audit chain).")]
ProposalArg = Annotated[str, typer.Argument(help="The proposal (PP-…).")]


def _officer(ctx: typer.Context, token: str) -> ApiKey:
    from socialcredit.access.keys import KeyRing

    return KeyRing(open_store(ctx)).authenticate(token)


@app.command("validate")
def policy_validate(
    ctx: typer.Context,
    pack: Annotated[str, typer.Argument(help="A pack folder or the name of a shipped pack.")],
) -> None:
    """Print every problem of a pack (structure and safeguards lint); exit 1 if any."""
    from socialcredit.policy.validate import validate_pack

    loaded, problems = validate_pack(pack, settings(ctx).packs)
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


@app.command("activate")
def policy_activate(
    ctx: typer.Context,
    packs: Annotated[list[str], typer.Argument(help="Pack folders or shipped pack names.")],
    key: OfficerKey,
    note: NoteOption = None,
) -> None:
    """Propose pack versions for activation; a second policy officer approves them
    (`policy approve`). Refused whole if the lint or the safeguards audit of the packs
    that would be active finds a problem."""
    from socialcredit.policy.pack import load_pack
    from socialcredit.services.activation import propose_packs

    proposal = propose_packs(
        open_store(ctx), [load_pack(p) for p in packs], _officer(ctx, key), note=note
    )
    out.print(
        f"proposed: {proposal}; it takes effect when a second policy officer runs "
        f"`socialcredit policy approve {proposal}`"
    )


@app.command("approve")
def policy_approve(
    ctx: typer.Context,
    proposal: ProposalArg,
    key: OfficerKey,
    note: Annotated[str | None, typer.Option(help="Kept in the audit chain.")] = None,
) -> None:
    """Approve another officer's proposal: its packs are active from now on. Refused if
    the lint or the safeguards audit of the packs that would be active finds a problem."""
    from socialcredit.services.activation import approve_proposal

    done = approve_proposal(open_store(ctx), proposal, _officer(ctx, key), note=note)
    out.print(f"activated: {', '.join(done)}" if done else "already active: nothing changed")


@app.command("reject")
def policy_reject(
    ctx: typer.Context,
    proposal: ProposalArg,
    key: OfficerKey,
    reasons: Annotated[str, typer.Option(help="Why it is rejected.")],
) -> None:
    """Reject a pending proposal."""
    from socialcredit.ledger.approval import reject

    reject(open_store(ctx), proposal, _officer(ctx, key), reasons)
    out.print(f"rejected: {proposal}")


@app.command("proposals")
def policy_proposals(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Decided proposals too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Proposals waiting for a second officer (or all of them)."""
    from socialcredit.ledger.approval import proposals

    with open_store(ctx).reader() as conn:
        rows = [p.to_dict() for p in proposals(conn, None if all_ else "pending")]
    if as_json:
        print_json(rows)
        return
    table = Table(title="policy proposals")
    for col in ("id", "packs", "proposed by", "state", "decided by"):
        table.add_column(col)
    for r in rows:
        packs = ", ".join(f"{p['name']}@{p['version']}" for p in r["packs"])
        table.add_row(r["id"], packs, r["proposed_by"], r["state"], r["decided_by"] or "")
    out.print(table)


@app.command("deactivate")
def policy_deactivate(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of an active pack.")],
    note: NoteOption = None,
) -> None:
    """Stop applying a pack from now on."""
    from socialcredit.ledger.policy_store import deactivate

    deactivate(open_store(ctx), name, note=note)
    out.print(f"deactivated: {name}")


@app.command("list")
def policy_list(
    ctx: typer.Context,
    at: AtOption = None,
    as_json: JsonOption = False,
) -> None:
    """The packs active now (or at --at), with version and activation time."""
    from socialcredit.ledger.policy_store import active_packs, load_version

    with open_store(ctx).reader() as conn:
        rows: list[dict[str, Any]] = []
        for a in active_packs(conn, instant(at)):
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
        print_json(rows)
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


@app.command("diff")
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
    from socialcredit.cli.render import diff_renderables
    from socialcredit.engine.diff import candidate_policy, diff_policies
    from socialcredit.ledger.policy_store import active_packs, load_version
    from socialcredit.policy.pack import load_pack
    from socialcredit.policy.policy_set import PolicySet

    if against != "active":
        raise InvalidOption("--against: only 'active' is supported")
    store = open_store(ctx)
    when = instant(at) or store.clock.now()
    with store.reader() as conn:
        current = [load_version(conn, a.digest) for a in active_packs(conn, when)]
    result = diff_policies(
        store, PolicySet(current), candidate_policy(current, load_pack(pack)), when, sample=sample
    )
    if as_json:
        print_json(result.to_dict())
        return
    for item in diff_renderables(result.to_dict()):
        out.print(item)
