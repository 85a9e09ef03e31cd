"""The dashboards' figures on a small store with known counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from socialcredit.dashboards.catalogue import NAMES, dashboard, dashboards
from socialcredit.dashboards.lists import month_ends
from socialcredit.errors import NotFound
from socialcredit.store.database import Store
from socialcredit.store.tables import assessments

from support.portal_dash import BID, FLIGHT, checks, listings, objections
from support.remedies import move


def test_month_ends_are_the_last_24_complete_months() -> None:
    ends = month_ends(dt.date(2026, 3, 2))
    assert len(ends) == 24
    assert ends[0] == dt.date(2024, 3, 31) and ends[-1] == dt.date(2026, 2, 28)
    assert dt.date(2024, 2, 29) in month_ends(dt.date(2024, 3, 1))


def test_list_sizes_count_entries_in_force_at_each_month_end(store: Store) -> None:
    listings(store)
    board = dashboard(store, "lists")
    sizes = {(month, name): n for month, name, n in board.rows}
    court, samr = "court_defaulters", "serious_illegal_dishonest_enterprises"
    # the debtor is listed from 4 February 2026
    assert sizes[("2026-01", court)] == 0 and sizes[("2026-02", court)] == 1
    # the firm from 11 June 2024 for three years
    assert sizes[("2024-05", samr)] == 0
    assert all(sizes[(f"{y}-{m:02d}", samr)] == 1 for y, m in [(2024, 6), (2025, 7), (2026, 2)])
    # every list of the packs has a point each month, zero when empty
    months = {month for month, _name, _n in board.rows}
    assert len(months) == 24 and len(board.rows) == 24 * len({n for _m, n, _ in board.rows})
    assert sum(int(n or 0) for _m, _name, n in board.rows) == 1 + 21  # months in force
    assert board.shown("list", court, chinese=False) != court  # shown by its title


def test_denials_by_relying_party_and_action(store: Store) -> None:
    listings(store)
    checks(store)
    board = dashboard(store, "denials")
    assert [c.name for c in board.columns] == [
        "requester",
        "action",
        "checks",
        "denied",
        "denied_share",
    ]
    assert board.rows == (
        ("airline", FLIGHT, 3, 2, 0.6667),
        ("bank", BID, 1, 1, 1.0),
        ("bank", FLIGHT, 1, 0, 0.0),
    )


def test_denials_count_only_the_last_365_days(store: Store) -> None:
    listings(store)
    checks(store)
    move(store, "2027-03-02")
    assert dashboard(store, "denials").rows == ()


def test_objection_outcomes_and_the_on_time_rate(store: Store) -> None:
    listings(store)
    objections(store)
    board = dashboard(store, "objections")
    assert board.rows == (
        ("upheld", 1, 1, 1.0),
        ("withdrawn", 1, 0, 0.0),
        ("pending", 1, None, None),
    )
    assert board.shown("outcome", "upheld", chinese=True) == "维持"


def test_no_objections_no_rows(store: Store) -> None:
    assert dashboard(store, "objections").rows == ()


def test_grades_per_scheme_and_area_best_grade_first(store: Store) -> None:
    rows = [
        ("s1", "national", "scored", "B", "371082"),
        ("s2", "national", "scored", "AAA", "371082"),
        ("s3", "national", "scored", "B", "371002"),
        ("s7", "national", "scored", "B", None),
        ("s4", "rongcheng", "no_consent", None, "371082"),
        ("s5", "rongcheng", "scored", "A", "371082"),
        ("s6", "unknown_scheme", "scored", "X", "371082"),
    ]
    with store.writer() as conn:
        conn.execute(
            insert(assessments),
            [
                {
                    "subject": subject,
                    "scheme": scheme,
                    "run": 1,
                    "status": status,
                    "score_units": None,
                    "government_units": 0,
                    "commercial_units": 0,
                    "social_units": 0,
                    "judicial_units": 0,
                    "grade": grade,
                    "area": area,
                }
                for subject, scheme, status, grade, area in rows
            ],
        )
    board = dashboard(store, "grades")
    assert [c.name for c in board.columns] == ["scheme", "area", "grade", "subjects"]
    assert board.rows == (
        ("national", "371002", "B", 1),
        ("national", "371082", "AAA", 1),
        ("national", "371082", "B", 1),
        ("national", "—", "B", 1),
        ("rongcheng", "371082", "A", 1),
        ("rongcheng", "371082", "(no_consent)", 1),
        ("unknown_scheme", "371082", "X", 1),
    )
    assert board.shown("grade", "(no_consent)", chinese=True) == "（未同意）"
    # an area reads by its GB/T 2260 name, a subject placed nowhere says so
    assert board.shown("area", "371082", chinese=True) == "371082 山东省 荣成市"
    assert board.shown("area", "—", chinese=False) == "no area on record"
    assert board.shown("scheme", "national", chinese=False) != "national"


def test_every_dashboard_at_once_and_an_unknown_name(store: Store) -> None:
    assert [b.name for b in dashboards(store)] == list(NAMES)
    with pytest.raises(NotFound) as raised:
        dashboard(store, "secrets")
    assert raised.value.code == "not_found" and "grades" in str(raised.value)
