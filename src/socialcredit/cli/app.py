"""The ``socialcredit`` command line: the everyday commands first, then one group
per kind of work. Commands parse, call one service, render.

The root callback builds the :class:`Settings` object once (``--db`` and the
environment) and keeps it on the context for every command (``cli/options.py``).
"""

from __future__ import annotations

import sys

import typer

from socialcredit.cli import (
    appeals,
    audit,
    backup,
    cases,
    checks,
    evaluate,
    fairness,
    holds,
    justifications,
    keys,
    ledger,
    moved,
    notices,
    objections,
    policy,
    portal,
    providers,
    repairs,
    resolve,
    risk,
    safeguards,
    search_index,
    serve,
    supervise,
    supervise_officials,
    supervise_providers,
    users,
)
from socialcredit.cli.options import EVERYDAY, GROUPS, DbOption, report_error
from socialcredit.errors import SocialCreditError
from socialcredit.settings import Settings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="socialcredit: a credit-based supervision platform.",
)


@app.callback()
def _root(ctx: typer.Context, db: DbOption = None) -> None:
    ctx.obj = Settings.from_env(db=db)


for command in (
    ledger.init,
    ledger.ingest,
    evaluate.evaluate,
    evaluate.report,
    checks.check,
    serve.serve,
    ledger.summary,
    ledger.simulate,
    backup.backup,
    backup.restore,
    backup.export,
):
    app.command(rich_help_panel=EVERYDAY)(command)

for name, group in (
    ("providers", providers.app),
    ("policy", policy.app),
    ("keys", keys.app),
    ("users", users.app),
    ("objections", objections.app),
    ("appeals", appeals.app),
    ("repairs", repairs.app),
    ("cases", cases.app),
    ("notices", notices.app),
    ("audit", audit.app),
    ("safeguards", safeguards.app),
    ("portal", portal.app),
    ("search-index", search_index.app),
    ("supervise", supervise.app),
    ("justifications", justifications.app),
    ("holds", holds.app),
    ("risk", risk.app),
    ("resolve", resolve.app),  # entity resolution of records without identifiers
):
    app.add_typer(group, name=name, rich_help_panel=GROUPS)
supervise_officials.register(supervise.app)  # supervise officials|jurisdictions
supervise_providers.register(supervise.app)  # supervise providers
app.command(rich_help_panel=GROUPS)(fairness.fairness)  # outcome monitoring
moved.register(app)  # the old flat names, hidden, for one release


def main() -> None:
    """The console script: run the app; a domain error prints ``Error: code: message``."""
    try:
        app()
    except SocialCreditError as exc:
        sys.exit(report_error(exc))
