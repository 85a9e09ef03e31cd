"""A store where each of the four supervision analytics has something to show, and the
runs saved through ``socialcredit supervise <kind> --save`` as a supervisor would."""

from __future__ import annotations

from typer.testing import CliRunner

from socialcredit.cli import app
from socialcredit.store.database import Store

from support import supervision as sv
from support.holds import quiet_history
from support.judges import court_system

KINDS = ("judges", "officials", "jurisdictions", "providers")


def supervised_city(store: Store) -> None:
    """A court system with one biased judge; institutions that award contracts and a
    directive to report licences; a court's quiet feed of judgment defaults."""
    court_system(store)
    sv.setup(store)
    sv.ingest(
        store,
        *sv.units(),
        sv.award(sv.INST_A, "A-1", "2025-06-01", sv.SUP1, 300_000, "single_source"),
        sv.award(sv.INST_A, "A-2", "2025-07-01", sv.SUP1, 300_000, "single_source"),
        sv.award(sv.INST_A, "A-3", "2025-08-01", sv.SUP1, 300_000, "single_source"),
        sv.record(
            sv.SUPERVISION, "d1", sv.INST_C, "government.directive", "2025-05-06",
            directive="威政办字〔2025〕1号", task="data_reporting",
            target="market.administrative_licence", jurisdiction="371002",
            deadline="2025-06-30",
        ),
        sv.licence(sv.MARKET_B, "环许1", "2025-06-02", reported="2025-06-03"),
    )  # fmt: skip
    quiet_history(store)


def save_all(store: Store, *kinds: str) -> None:
    """``socialcredit supervise <kind> --save`` for each kind (default: all four). The
    command runs on the real clock: the periods and the providers' weeks are given."""
    for kind in kinds or KINDS:
        extra = {
            "officials": ["--since", "2025-01-01"],
            "jurisdictions": ["--since", "2025-01-01"],
            "providers": ["--at", "2026-03-02"],
        }.get(kind, [])
        result = CliRunner().invoke(
            app, ["--db", store.url, "supervise", kind, "--save", *extra], catch_exceptions=False
        )
        assert result.exit_code == 0, result.stdout
